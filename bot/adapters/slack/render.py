"""Engine replies as Slack messages: Block Kit plus the plain-text fallback.

Blocks are built with slack_sdk.models so Slack's limits are checked here and
not discovered as invalid_blocks in production. Every text is escaped
(see escape.py): the engine's replies are plain text that may repeat what a
user typed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, ContextBlock, MarkdownTextObject, SectionBlock

from bot.adapters.slack.escape import escape, to_mrkdwn
from bot.adapters.slack.texts import SlackTexts
from bot.messages import Reply

# Action ids: the listeners match on these.
OPTION_ACTION = re.compile(r"^driftbot_option_\d+$")
REPORT_ACTION = "driftbot_open_report"
MENU_STATUS_ACTION = "driftbot_menu_status"
MENU_CONTACT_ACTION = "driftbot_menu_contact"
OPTIONS_BLOCK = "driftbot_options"
# The value of the engine's "yes, file a report" option (bot.engine answers outage_now with it).
REPORT_OPTION_VALUE = "report"

SECTION_LIMIT = 3000          # characters of a section's text
FALLBACK_LIMIT = 39_000       # chat.postMessage refuses text over 40,000
BUTTON_LABEL_LIMIT = 75
BUTTONS_PER_BLOCK = 25


@dataclass(frozen=True)
class SlackMessage:
    text: str                 # the plain fallback (notifications, screen readers)
    blocks: list[dict]

    def as_kwargs(self) -> dict:
        return {"text": self.text, "blocks": self.blocks}


def sections(text: str) -> list[SectionBlock]:
    """An already escaped text as section blocks of at most SECTION_LIMIT characters, split at lines."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > SECTION_LIMIT:  # one very long line: cut it hard
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:SECTION_LIMIT])
            line = line[SECTION_LIMIT:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > SECTION_LIMIT:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current.strip() or not chunks:
        chunks.append(current or " ")
    return [SectionBlock(text=MarkdownTextObject(text=chunk, verbatim=True)) for chunk in chunks if chunk]


def fallback(text: str) -> str:
    return text if len(text) <= FALLBACK_LIMIT else text[: FALLBACK_LIMIT - 1] + "…"


def label(text: str) -> str:
    return text if len(text) <= BUTTON_LABEL_LIMIT else text[: BUTTON_LABEL_LIMIT - 1] + "…"


def report_button(texts: SlackTexts, caption: str | None = None) -> ButtonElement:
    """Opens the report form; the value carries the language the form should speak."""
    return ButtonElement(text=label(caption or texts.messages.report_button), action_id=REPORT_ACTION,
                         value=f"report:{texts.lang}", style="primary")


def render_reply(reply: Reply, texts: SlackTexts) -> SlackMessage:
    """One engine Reply: its text, its options as buttons, the report button when offered."""
    body = to_mrkdwn(reply.text)
    blocks: list[Block] = list(sections(body))
    options, form_caption = reply.options, None
    if reply.offer_report_form and any(o.value == REPORT_OPTION_VALUE for o in options):
        # Both ways to report side by side: "yes" and "report a fault" would read as the same
        # thing, so the two labels say the difference. The value stays the engine's.
        options = tuple(replace(o, label=texts.messages.report_chat_button) if o.value == REPORT_OPTION_VALUE
                        else o for o in options)
        form_caption = texts.messages.report_form_button
    buttons = [ButtonElement(text=label(option.label), action_id=f"driftbot_option_{i}", value=option.value)
               for i, option in enumerate(options)]
    if reply.offer_report_form:
        buttons.append(report_button(texts, form_caption))
    for start in range(0, len(buttons), BUTTONS_PER_BLOCK):
        block_id = OPTIONS_BLOCK if start == 0 else f"{OPTIONS_BLOCK}_{start // BUTTONS_PER_BLOCK}"
        blocks.append(ActionsBlock(block_id=block_id, elements=buttons[start:start + BUTTONS_PER_BLOCK]))
    # Where buttons are all there is to an answer, the fallback still lists the choices.
    text = body
    if options:
        text += "\n" + "\n".join(f"{i}. {escape(o.label)}" for i, o in enumerate(options, start=1))
    return SlackMessage(text=fallback(text), blocks=[b.to_dict() for b in blocks])


def render_text(text: str) -> SlackMessage:
    """A plain text from content or a service (receipt, notice) as a message."""
    body = to_mrkdwn(text)
    return SlackMessage(text=fallback(body), blocks=[b.to_dict() for b in sections(body)])


def chosen_message(original_blocks: list[dict], chosen_label: str, texts: SlackTexts) -> SlackMessage:
    """The message a button was pressed on, with its buttons replaced by what was chosen.

    Removing the buttons keeps an old question from being answered twice.
    """
    kept = [b for b in original_blocks if b.get("type") != "actions"]
    chosen = escape(texts.messages.chosen.format(label=chosen_label))
    note = ContextBlock(elements=[MarkdownTextObject(text=chosen, verbatim=True)])
    kept.append(note.to_dict())
    text = "\n".join(b.get("text", {}).get("text", "") for b in kept if b.get("type") == "section")
    return SlackMessage(text=fallback(text or escape(chosen_label)), blocks=kept)
