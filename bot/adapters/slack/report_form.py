"""The report form as a Slack modal: open it prefilled, validate it, file it.

The same rules as the report conversation apply (bot/form.py's table, the
privacy rule, bot.timeparse for the start time); filing is bot.conversation.forms'.
This module only maps Slack's view payloads to field values and the error
codes back to Slack's words.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import BaseModel, ValidationError
from slack_sdk.models.blocks import (
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    StaticSelectElement,
)
from slack_sdk.models.blocks import Option as SelectOption
from slack_sdk.models.views import View

from bot.adapters.slack.client import SLACK_FAILURES, api_error
from bot.adapters.slack.context import SlackContext
from bot.adapters.slack.escape import escape
from bot.adapters.slack.render import render_text
from bot.adapters.slack.texts import SlackTexts
from bot.conversation.forms import FormTexts, StorageUnavailable, file_form  # noqa: F401  (listeners catch it)
from bot.form import BY_NAME, SCOPES, SYSTEMS, FormCheck, check_form
from bot.reports import Report

log = logging.getLogger(__name__)

CALLBACK_ID = "driftbot_report"
# Block ids are the Report's field names, so an error maps straight to its field.
FIELD_ACTION = "value"


class FormMetadata(BaseModel):
    """What the modal carries from opening to submission (private_metadata, at most 3000 characters)."""
    lang: str
    origin: str = "unknown"          # slash | home | button | shortcut: for the logs


@dataclass
class FormResult:
    report: Report | None = None
    errors: dict[str, str] = field(default_factory=dict)
    redacted: bool = False


# -- opening ------------------------------------------------------------------

def build_view(texts: SlackTexts, metadata: FormMetadata, name: str | None, unit: str | None) -> View:
    m = texts.modal

    def text_input(block: str, label: str, *, initial: str | None = None, placeholder: str | None = None,
                   hint: str | None = None) -> InputBlock:
        f = BY_NAME[block]  # limits, required and the text area come from the form table
        element = PlainTextInputElement(action_id=FIELD_ACTION, placeholder=placeholder,
                                        initial_value=(initial or None) and initial[:f.max_length],
                                        multiline=f.multiline or None, max_length=f.max_length)
        return InputBlock(block_id=block, label=label, element=element, hint=hint, optional=not f.required)

    def select(block: str, label: str, placeholder: str, labels: dict[str, str], ids: tuple[str, ...]) -> InputBlock:
        options = [SelectOption(value=i, label=labels[i]) for i in ids]
        return InputBlock(block_id=block, label=label,
                          element=StaticSelectElement(action_id=FIELD_ACTION, placeholder=placeholder, options=options))

    blocks = [
        ContextBlock(elements=[MarkdownTextObject(text=escape(m.intro), verbatim=True)]),
        text_input("reporter_name", m.reporter_name_label, initial=name),
        text_input("unit", m.unit_label, initial=unit, placeholder=m.unit_placeholder),
        select("system", m.system_label, m.system_placeholder, m.systems, SYSTEMS),
        select("scope", m.scope_label, m.scope_placeholder, m.scopes, SCOPES),
        text_input("description", m.description_label, placeholder=m.description_placeholder,
                   hint=m.description_hint),
        text_input("started_at", m.started_at_label, placeholder=m.started_at_placeholder,
                   hint=m.started_at_hint),
    ]
    return View(type="modal", callback_id=CALLBACK_ID, title=m.title, submit=m.submit, close=m.close,
                blocks=blocks, private_metadata=metadata.model_dump_json())


def open_form(ctx: SlackContext, trigger_id: str, user_id: str, lang: str, origin: str) -> bool:
    """views.open the form for a user; False when Slack refused (e.g. an expired trigger)."""
    texts = ctx.texts_for(lang)
    profile = ctx.users.profile(user_id)
    view = build_view(texts, FormMetadata(lang=texts.lang, origin=origin), profile.name, ctx.last_unit(user_id))
    try:
        ctx.client.views_open(trigger_id=trigger_id, view=view)
    except SLACK_FAILURES as exc:
        log.error("views.open failed: %s", api_error(exc))
        return False
    log.info("report form opened for %s from %s", user_id, origin)
    return True


# -- submitting -----------------------------------------------------------------

def metadata_of(view: dict, default_lang: str) -> FormMetadata:
    try:
        return FormMetadata.model_validate_json(view.get("private_metadata") or "")
    except ValidationError:
        return FormMetadata(lang=default_lang)


def _values(view: dict) -> dict[str, str]:
    """{field: text or selected value} from a view_submission's state."""
    out: dict[str, str] = {}
    for block_id, actions in ((view.get("state") or {}).get("values") or {}).items():
        action = (actions or {}).get(FIELD_ACTION) or next(iter((actions or {}).values()), {})
        if action.get("type") == "static_select":
            out[block_id] = ((action.get("selected_option") or {}).get("value")) or ""
        else:
            out[block_id] = (action.get("value") or "").strip()
    return out


def parse_submission(view: dict, texts: SlackTexts, now: datetime, redaction_marker: str) -> FormResult:
    """The form's values as a Report, or per-field errors for response_action "errors".

    The checks are the form table's (bot/form.py), the same the conversation
    applies; `redaction_marker` is the report dialog's, so a redacted report
    reads the same whichever way it was filed.
    """
    checked = check_form(_values(view), now, redaction_marker)
    m = texts.modal
    words = {"required": m.error_required, "choice": m.error_required, "too_short": m.error_too_short,
             "time": m.error_started_at}
    errors = {name: m.error_too_long.format(max=BY_NAME[name].max_length) if code == "too_long" else words[code]
              for name, code in checked.errors.items()}
    return FormResult(report=checked.report, errors=errors, redacted=checked.redacted)


def file_report(ctx: SlackContext, user_id: str, view_id: str, form: FormResult, lang: str) -> str | None:
    """File a validated form (bot.conversation.forms); the receipt to send, or None when this
    view was filed already. Raises StorageUnavailable when the database cannot take it."""
    modal = ctx.texts_for(lang).modal
    checked = FormCheck(report=form.report, redacted=form.redacted)
    # One view is one report, even if Slack delivered the submission twice.
    return file_form(ctx.engine, checked, source="slack", user_id=user_id, lang=lang, once=("slack-view", view_id),
                     texts=FormTexts(filing_failed=modal.filing_failed, redacted_notice=modal.redacted_notice),
                     contact_now=ctx.contact_now(lang))


def send_receipt(ctx: SlackContext, user_id: str, receipt: str) -> None:
    # Posting to the user id lands in their DM; through the outbox, so a Slack outage does not lose it.
    ctx.replies.send(f"slack:user:{user_id}", user_id, [render_text(receipt).as_kwargs()], kind="receipt")


def errors_payload(errors: dict[str, str]) -> dict:
    return {"response_action": "errors", "errors": dict(errors)}
