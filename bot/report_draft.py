"""The state of one report conversation, typed: what is filled in and what is being asked.

The dialog (bot.dialog) works on a ReportDraft; the engine stores it per conversation as the
JSON object `to_state()` gives (kind "report"), so a restart resumes where it was. A stored
state that does not fit (an older version's, or a damaged one) is dropped, never half-read:
the person is asked again rather than filed wrong.
"""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError


class ReportDraft(BaseModel):
    model_config = ConfigDict(extra="ignore", validate_assignment=False)

    kind: Literal["report"] = "report"
    lang: str
    # The form's fields by name (bot.form: reporter_name, unit, system, scope, description,
    # started_at as ISO 8601 or "unknown"), and extra_systems: more systems beside `system`.
    fields: dict[str, Any] = {}
    awaiting: str | None = None            # the field asked for, or "confirm" / "change"
    asked: list = []                       # [field, times asked in a row]: no question a third time
    misses: dict[str, int] = {}            # answers that fitted no field, by the field asked
    back_to_confirm: bool = False          # a correction asked from the summary returns there
    # A unit outside the list, waiting for a yes; several units that matched, waiting for a pick
    # (and the answer as typed, so the same answer again takes it as written); one seen in a message.
    unit_check: str | None = None
    unit_choices: list[str] = []
    unit_typed: str | None = None
    unit_offered: list[str] = []           # the units last offered to pick from, offered again if asked once more
    unit_guess: str | None = None
    said_broken: str | None = None         # what the opening said of the fault, for a "vet inte"
    described: str | None = None           # a description taken from a free message, tidied once known
    system_unsure: bool = False            # "vet inte" asked for the system: the description may tell
    surname_asked: bool = False
    ask_again: list[str] = []              # the name or unit answered with nonsense twice: asked once more at the end
    asked_again: list[str] = []
    first_name: str | None = None          # only a first name was written: the surname is asked once

    @classmethod
    def from_state(cls, state: dict) -> ReportDraft | None:
        try:
            return cls.model_validate(state)
        except ValidationError:
            return None

    def to_state(self) -> dict:
        """The JSON object stored for the conversation (defaults left out: a smaller row)."""
        return self.model_dump(exclude_defaults=True) | {"kind": "report", "lang": self.lang}

    def take(self, name: str):
        """The value of `name`, which is reset to its default (dict.pop for a draft)."""
        value = getattr(self, name)
        setattr(self, name, type(self).model_fields[name].get_default(call_default_factory=True))
        return value
