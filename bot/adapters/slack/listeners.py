"""Every Slack listener, registered in one place.

Events are acknowledged by Bolt before the listener runs (the App runs with
process_before_response=False, so listeners continue on a worker thread after
the HTTP response). Actions, commands and views call ack() first thing and do
the slow part (users.info, the engine, chat.postMessage) after it.
"""
from __future__ import annotations

import logging
import re

from slack_bolt import App

from bot.adapters.slack.commands import (
    ADMIN_WORDS,
    HELP_WORDS,
    REPORT_WORDS,
    STATUS_WORDS,
    Command,
    answer,
    menu,
    run_admin,
)
from bot.adapters.slack.client import SLACK_FAILURES, api_error
from bot.adapters.slack.context import SlackContext
from bot.adapters.slack.conversations import (
    on_direct_message,
    on_mention,
    on_option_button,
    tell_storage_unavailable,
)
from bot.adapters.slack.dedupe import EventGate
from bot.adapters.slack.escape import escape
from bot.errors import is_storage_failure
from bot.adapters.slack.home import publish_home
from bot.adapters.slack.render import MENU_CONTACT_ACTION, MENU_STATUS_ACTION, OPTION_ACTION, REPORT_ACTION, render_text
from bot.adapters.slack.report_form import (
    CALLBACK_ID,
    StorageUnavailable,
    errors_payload,
    file_report,
    metadata_of,
    open_form,
    parse_submission,
    send_receipt,
)

log = logging.getLogger(__name__)

SLASH_COMMAND = "/driftstopp"
SHORTCUT_CALLBACK = "driftbot_report_shortcut"


def guarded(ctx: SlackContext, lang: str, respond, work) -> None:
    """Run a listener's work after its acknowledgement; a failure still answers the person.

    A database that cannot be reached gets "could not save, try again in a
    minute"; anything else the general apology. The answer itself may fail too
    (Slack is down): that is logged, never raised into Bolt.
    """
    try:
        work()
        return
    except SLACK_FAILURES as exc:  # the answer could not be sent: what was asked is done, Slack is the trouble
        log.error("could not answer on Slack: %s", api_error(exc))
        return
    except Exception as exc:
        storage = is_storage_failure(exc)
        if storage:
            log.error("a Slack request could not be handled: the database is unavailable (%s)", type(exc).__name__)
        else:
            log.exception("a Slack request could not be handled")
    messages = ctx.texts_for(lang).messages
    text = (messages.storage_unavailable if storage else messages.error).format(contact_now=ctx.contact_now(lang))
    try:
        respond(**render_text(text).as_kwargs())
    except Exception as exc:
        log.error("could not tell the person either: %s", type(exc).__name__)


def register(app: App, ctx: SlackContext) -> None:
    # Redelivered events: dropped in memory before the ack, claimed in the database after it.
    gate = EventGate(ctx.store, ctx.runtime.clock, on_storage_failure=lambda body: tell_storage_unavailable(ctx, body),
                     slots=ctx.answering)
    app.middleware(gate.middleware)

    # -- conversations ---------------------------------------------------------

    @app.event("message")
    @gate.claimed
    def direct_message(event: dict, body: dict, context) -> None:
        on_direct_message(ctx, event, body.get("event_id"))

    @app.event("app_mention")
    @gate.claimed
    def mention(event: dict, body: dict, context) -> None:
        on_mention(ctx, event, body.get("event_id"))

    @app.action(OPTION_ACTION)
    def option_pressed(ack, body: dict) -> None:
        ack()
        on_option_button(ctx, body)

    # -- App Home --------------------------------------------------------------

    @app.event("app_home_opened")
    @gate.claimed
    def home_opened(event: dict, body: dict, context) -> None:
        if event.get("tab", "home") == "home":
            publish_home(ctx, event["user"])

    # -- the report form ---------------------------------------------------------

    @app.action(REPORT_ACTION)
    def report_pressed(ack, body: dict, respond) -> None:
        ack()
        user_id = body["user"]["id"]
        value = body["actions"][0].get("value") or ""
        lang = ctx.texts.lang(value.partition(":")[2] or ctx.user_lang(user_id))
        origin = "home" if (body.get("container") or {}).get("type") == "view" else "button"
        if not open_form(ctx, body["trigger_id"], user_id, lang, origin) and body.get("response_url"):
            respond(**render_text(ctx.texts_for(lang).modal.form_unavailable).as_kwargs(), replace_original=False)

    @app.shortcut(SHORTCUT_CALLBACK)
    def report_shortcut(ack, body: dict) -> None:
        ack()
        user_id = body["user"]["id"]
        open_form(ctx, body["trigger_id"], user_id, ctx.user_lang(user_id), "shortcut")

    @app.view(CALLBACK_ID)
    def report_submitted(ack, body: dict, view: dict) -> None:
        metadata = metadata_of(view, ctx.texts.default_lang)
        lang = ctx.texts.lang(metadata.lang)
        marker = ctx.content.dialog_for(lang).redaction_marker
        form = parse_submission(view, ctx.texts_for(lang), ctx.now(), marker)
        if form.errors:
            ack(**errors_payload(form.errors))
            return
        user_id = body["user"]["id"]
        try:
            receipt = file_report(ctx, user_id, view["id"], form, lang)
        except StorageUnavailable:
            # The form stays open with what was written, and says why.
            ack(**errors_payload({"reporter_name": ctx.texts_for(lang).modal.error_storage}))
            return
        ack()
        if receipt is not None:
            send_receipt(ctx, user_id, receipt)

    # -- /driftstopp ----------------------------------------------------------------

    @app.command(SLASH_COMMAND)
    def slash_command(ack, command: dict, respond) -> None:
        ack()  # everything below answers through response_url, after the acknowledgement
        user_id = command["user_id"]
        lang = ctx.user_lang(user_id)
        guarded(ctx, lang, respond, lambda: _slash_command(command, respond, user_id, lang))

    def _slash_command(command: dict, respond, user_id: str, lang: str) -> None:
        texts = ctx.texts_for(lang)
        parsed = Command.parse(command.get("text", ""))
        log.info("/driftstopp %s from %s", parsed.for_log, user_id)
        if parsed.word in REPORT_WORDS:
            if not open_form(ctx, command["trigger_id"], user_id, lang, "slash"):
                respond(**render_text(texts.modal.form_unavailable).as_kwargs())
        elif parsed.word in STATUS_WORDS:
            respond(**answer(ctx, "status", lang, user_id).as_kwargs())
        elif parsed.word in ADMIN_WORDS:
            if not ctx.is_admin(user_id):
                log.info("refused /driftstopp %s for %s: not an admin", parsed.word, user_id)
                respond(**render_text(texts.commands.refusal).as_kwargs())
            else:
                respond(**render_text(run_admin(ctx, parsed, user_id, lang)).as_kwargs())
        elif parsed.word in HELP_WORDS or not parsed.word:
            respond(**menu(ctx, lang, user_id).as_kwargs())
        else:
            unknown = texts.commands.unknown.format(command=parsed.word)
            shown = menu(ctx, lang, user_id)
            respond(text=escape(unknown), blocks=render_text(unknown).blocks + shown.blocks)

    @app.action(MENU_STATUS_ACTION)
    def menu_status(ack, body: dict, respond) -> None:
        ack()
        lang = ctx.texts.lang(body["actions"][0].get("value"))
        guarded(ctx, lang, respond, lambda: respond(**answer(ctx, "status", lang, body["user"]["id"]).as_kwargs(),
                                                    replace_original=False))

    @app.action(MENU_CONTACT_ACTION)
    def menu_contact(ack, body: dict, respond) -> None:
        ack()
        lang = ctx.texts.lang(body["actions"][0].get("value"))
        guarded(ctx, lang, respond, lambda: respond(**answer(ctx, "contact", lang).as_kwargs(),
                                                    replace_original=False))

    # Anything else (an event subscribed later, a button of an old message) is
    # acknowledged, so Slack neither retries it nor shows the user an error, and
    # Bolt does not log the unhandled payload (which may hold what a user wrote).
    @app.event(re.compile(".*"))
    def other_event(event: dict) -> None:
        log.debug("event %s not handled", event.get("type"))

    @app.action(re.compile(".*"))
    def other_action(ack) -> None:
        ack()

    @app.shortcut(re.compile(".*"))
    def other_shortcut(ack) -> None:
        ack()

    @app.view(re.compile(".*"))
    def other_view(ack) -> None:
        ack()

    @app.view_closed(re.compile(".*"))
    def view_closed(ack) -> None:
        ack()

    # block_suggestion (external selects): no options to offer.
    @app.options(re.compile(".*"))
    def other_options(ack) -> None:
        ack(options=[])

    @app.command(re.compile(".*"))
    def other_command(ack) -> None:
        ack()

    # Legacy dialogs: nothing here opens one, but an old client may still send these.
    @app.dialog_submission(re.compile(".*"))
    def dialog_submission(ack) -> None:
        ack()

    @app.dialog_cancellation(re.compile(".*"))
    def dialog_cancellation(ack) -> None:
        ack()

    @app.dialog_suggestion(re.compile(".*"))
    def dialog_suggestion(ack) -> None:
        ack(options=[])
