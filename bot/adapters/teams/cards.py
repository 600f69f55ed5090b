"""Engine replies as Teams messages: markdown text, options as Adaptive Card buttons; the report card.

A button is an Action.Submit whose data carries the option's value, so a
press comes back as a message activity with that `value` and reaches the
engine as Message(choice=value), exactly like a Slack button. The report form
is an Adaptive Card whose inputs are the form table's fields (bot/form.py):
names, required marks, lengths and choices come from there, the words from
content/teams.<lang>.yaml.
"""
from __future__ import annotations

import re
import uuid

from microsoft_agents.activity import Activity, ActivityTypes, Attachment

from bot.adapters.teams.texts import TeamsTexts
from bot.form import BY_NAME, SCOPES, SYSTEMS
from bot.messages import Reply
from bot.privacy import remove_invisible

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
CARD_VERSION = "1.4"          # what Teams renders on phones and desktops alike
# The data of a Submit says what it was; these are the kinds.
DATA_KEY = "driftbot"
OPTION = "option"             # one of the engine's options: {"value": ..., "label": ...}
OPEN_FORM = "open_form"       # "open the form": the bot sends the report card
REPORT_FORM = "report_form"   # the report card submitted: the field values and its form_id
# The value of the engine's "yes, file a report" option (bot.engine answers outage_now with it).
REPORT_OPTION_VALUE = "report"
TEXT_LIMIT = 25_000           # Teams refuses a message of about 28 KB

# & first, or the & of "&lt;" would be escaped again. Brackets too: [text](url) would hide a link.
_ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("[", "&#91;"), ("]", "&#93;"))
# Content writes bold as *this* (Slack's style, for every channel); Teams' markdown wants **this**.
_BOLD = re.compile(r"(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])")


def escape(text: str) -> str:
    """Text made inert for Teams: no HTML, no hidden link, no invisible characters."""
    text = remove_invisible(text)
    for raw, entity in _ENTITIES:
        text = text.replace(raw, entity)
    return text


def to_markdown(text: str) -> str:
    """A plain text (the engine's, content's, a notice) as Teams markdown: escaped, with bold and
    a quote at a line's start (the receipt's script to read out) kept as formatting."""
    lines = []
    for line in escape(text).split("\n"):
        if line.startswith("&gt; "):
            line = "> " + line[5:]
        lines.append(_BOLD.sub(r"**\1**", line))
    # Teams joins single line breaks; two spaces before one keep it.
    body = "  \n".join(lines)
    return body if len(body) <= TEXT_LIMIT else body[: TEXT_LIMIT - 1] + "…"


def _card(body: list[dict], actions: list[dict]) -> Attachment:
    content = {"type": "AdaptiveCard", "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
               "version": CARD_VERSION, "body": body, "actions": actions}
    return Attachment(content_type=ADAPTIVE_CARD, content=content)


def _submit(title: str, data: dict, style: str | None = None) -> dict:
    action = {"type": "Action.Submit", "title": title[:75], "data": {DATA_KEY: data.pop("kind"), **data}}
    if style:
        action["style"] = style
    return action


def text_message(text: str) -> Activity:
    return Activity(type=ActivityTypes.message, text=to_markdown(text), text_format="markdown")


def render_reply(reply: Reply, texts: TeamsTexts) -> Activity:
    """One engine Reply: its text, and its options (and the form button when offered) as a card."""
    activity = text_message(reply.text)
    options = list(reply.options)
    buttons: list[dict] = []
    offers_both = reply.offer_report_form and any(o.value == REPORT_OPTION_VALUE for o in options)
    for option in options:
        # Both ways to report side by side: the labels say the difference; the value stays the engine's.
        label = texts.messages.report_chat_button if offers_both and option.value == REPORT_OPTION_VALUE \
            else option.label
        buttons.append(_submit(remove_invisible(label), {"kind": OPTION, "value": option.value, "label": label}))
    if reply.offer_report_form:
        buttons.append(_submit(texts.messages.report_form_button, {"kind": OPEN_FORM, "lang": texts.lang},
                               style="positive"))
    if buttons:
        activity.attachments = [_card([], buttons)]
    return activity


def report_card(texts: TeamsTexts, *, name: str | None, unit: str | None, values: dict[str, str] | None = None,
                errors: dict[str, str] | None = None, form_id: str | None = None) -> Activity:
    """The report form as a card, prefilled (name, last unit, or what was written before an error)."""
    c = texts.card
    values = dict(values or {})
    values.setdefault("reporter_name", name or "")
    values.setdefault("unit", unit or "")
    errors = errors or {}
    body: list[dict] = [
        {"type": "TextBlock", "text": escape(c.title), "weight": "Bolder", "size": "Medium", "wrap": True},
        {"type": "TextBlock", "text": escape(c.intro), "wrap": True, "isSubtle": True},
    ]
    if errors:
        body.append({"type": "TextBlock", "text": escape(c.errors_heading), "color": "Attention", "wrap": True})

    def field(name: str, label: str, element: dict) -> None:
        f = BY_NAME[name]
        element.update({"id": name, "label": escape(label), "isRequired": f.required})
        if f.required:
            element["errorMessage"] = escape(c.error_required)
        body.append(element)
        if name in errors:
            body.append({"type": "TextBlock", "text": escape(errors[name]), "color": "Attention", "wrap": True,
                         "spacing": "None"})

    def text_input(name: str, label: str, placeholder: str | None = None) -> None:
        f = BY_NAME[name]
        element = {"type": "Input.Text", "value": values.get(name, "")[: f.max_length or None],
                   "isMultiline": f.multiline}
        if f.max_length:
            element["maxLength"] = f.max_length
        if placeholder:
            element["placeholder"] = escape(placeholder)
        field(name, label, element)

    def choice(name: str, label: str, placeholder: str, labels: dict[str, str], ids: tuple[str, ...]) -> None:
        element = {"type": "Input.ChoiceSet", "style": "compact", "placeholder": escape(placeholder),
                   "choices": [{"title": escape(labels[i]), "value": i} for i in ids]}
        if values.get(name) in ids:
            element["value"] = values[name]
        field(name, label, element)

    text_input("reporter_name", c.reporter_name_label)
    text_input("unit", c.unit_label, c.unit_placeholder)
    choice("system", c.system_label, c.system_placeholder, c.systems, SYSTEMS)
    choice("scope", c.scope_label, c.scope_placeholder, c.scopes, SCOPES)
    text_input("description", c.description_label, c.description_placeholder)
    text_input("started_at", c.started_at_label, c.started_at_placeholder)
    # One card is one report, even when pressed twice: the id is claimed with the report.
    submit = _submit(c.submit, {"kind": REPORT_FORM, "form_id": form_id or uuid.uuid4().hex, "lang": texts.lang},
                     style="positive")
    return Activity(type=ActivityTypes.message, attachments=[_card(body, [submit])])


def error_words(texts: TeamsTexts, codes: dict[str, str]) -> dict[str, str]:
    """bot/form.py's error codes in the card's words."""
    c = texts.card
    words = {"required": c.error_required, "choice": c.error_required, "too_short": c.error_too_short,
             "time": c.error_started_at}
    return {name: c.error_too_long.format(max=BY_NAME[name].max_length) if code == "too_long" else words[code]
            for name, code in codes.items()}
