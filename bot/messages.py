"""What flows through the engine: a Message in, Replies out. Channel-neutral."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Message:
    text: str
    user_id: str
    source: str = "terminal"            # terminal, slack, ...: stored with reports
    conversation: str | None = None     # DM channel or thread; defaults to the user
    user_name: str | None = None        # from the messenger profile or --user
    unit: str | None = None             # from --unit or the user's last report
    message_id: str | None = None       # the platform's id, to drop duplicate deliveries
    lang: str | None = None             # forced answer language; else the question's
    choice: str | None = None           # the value of a button the user pressed

    @property
    def conversation_key(self) -> str:
        return f"{self.source}:{self.conversation or self.user_id}"


@dataclass(frozen=True)
class Option:
    label: str
    value: str


@dataclass(frozen=True)
class Reply:
    text: str
    intent: str | None = None
    awaiting: str | None = None         # the report field asked for in this turn
    options: tuple[Option, ...] = ()
    lang: str = "sv"
    contact: str | None = None
    # Where relevant the adapter shows a "report a fault" button under the answer.
    offer_report_form: bool = False
    # Part of a report conversation (a question for a field, the summary, the receipt): it repeats
    # the reporter's name, unit and description, so it is never shown in a channel
    # (bot.conversation moves the conversation to a private chat).
    private: bool = False



def turn_json(replies: list[Reply]) -> dict:
    """One bot turn (all replies to one message) as the contract's JSON object.

    The text parts are joined; awaiting and options come from the last reply,
    which is the one that asks; intent is the first one set (what was answered).
    """
    last = replies[-1] if replies else Reply(text="")
    intent = next((r.intent for r in replies if r.intent), None)
    return {
        "text": "\n\n".join(r.text for r in replies if r.text),
        "intent": intent,
        "awaiting": last.awaiting,
        "options": [o.label for o in last.options],
    }
