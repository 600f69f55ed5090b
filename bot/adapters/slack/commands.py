"""`/driftstopp`: the menu, the report form, status, and the administrators' outage actions.

Subcommands (Swedish word, English alias): rapportera/report, status,
hjälp/help, and for DRIFTBOT_ADMINS only start, klart/resolved, planera/plan,
bekräfta/confirm NR, uppdatera/update NR TEXT, dela/split RAPPORTNR and
avbryt/cancel NR. NR is the outage's number, shown to administrators in
`/driftstopp status` and on the Home tab; RAPPORTNR is a fault report's number.
Replies are ephemeral: only the person who typed the command sees them.
The words and the actions are bot.conversation.admin's (Teams and the CLI use
the same); this module renders the menu and the answers for Slack.
"""
from __future__ import annotations

import logging

from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from bot.adapters.slack.context import SlackContext
from bot.adapters.slack.escape import escape, to_mrkdwn
from bot.adapters.slack.home import outage_lines
from bot.adapters.slack.render import (
    MENU_CONTACT_ACTION,
    MENU_STATUS_ACTION,
    SlackMessage,
    label,
    render_text,
    report_button,
    sections,
)
from bot.conversation.admin import (  # noqa: F401  (the words: the listeners import them from here)
    ADMIN_WORDS,
    HELP_WORDS,
    KNOWN_WORDS,
    REPORT_WORDS,
    STATUS_WORDS,
    Command,
)
from bot.conversation.admin import run_admin as shared_run_admin

log = logging.getLogger(__name__)


def menu(ctx: SlackContext, lang: str, user_id: str) -> SlackMessage:
    texts = ctx.texts_for(lang)
    usage = texts.menu.usage + ("\n\n" + texts.menu.admin_usage if ctx.is_admin(user_id) else "")
    body = escape(texts.menu.text)
    blocks = [
        *sections(body),
        ActionsBlock(block_id="driftbot_menu", elements=[
            report_button(texts, texts.menu.report_button),
            ButtonElement(text=label(texts.menu.status_button), action_id=MENU_STATUS_ACTION, value=lang),
            ButtonElement(text=label(texts.menu.contact_button), action_id=MENU_CONTACT_ACTION, value=lang),
        ]),
        *sections(to_mrkdwn(usage)),
    ]
    return SlackMessage(text=body, blocks=[b.to_dict() for b in blocks])


def answer(ctx: SlackContext, intent: str, lang: str, user_id: str | None = None) -> SlackMessage:
    """The routine's answer for an intent now ("status", "contact"), with live outage status.

    An administrator's status also lists the outages with their numbers, for
    the subcommands that take one.
    """
    live = ctx.outages.live_status(lang) if intent == "status" else None
    text = ctx.answers.render(intent, lang, ctx.now(), live_status=live).text
    if intent == "status" and user_id is not None and ctx.is_admin(user_id):
        current, planned = outage_lines(ctx, lang, ctx.now(), admin=True)
        if current or planned:
            text = "\n".join([text, "", ctx.texts_for(lang).commands.status_admin_heading, *current, *planned])
    return render_text(text)


def run_admin(ctx: SlackContext, command: Command, user_id: str, lang: str) -> str:
    """An admin subcommand (the caller has checked DRIFTBOT_ADMINS), carried out by the shared
    actions (bot.conversation.admin); the ephemeral text for the admin."""
    return shared_run_admin(ctx.outages, command, f"slack:{user_id}", ctx.texts_for(lang).commands)
