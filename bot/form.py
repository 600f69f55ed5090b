"""The report form as one table: which fields there are, which are required, their limits.

Every way of filing a report checks its values here: the conversation
(bot/dialog.py) for each value it has read from an answer, the Slack modal
(and the Teams card) for what was typed into the form, and the Report model
for its constraints. So "required", the length limits, the allowed choices
and the start-time rule exist once. How a field is *asked* and *read from
free text* differs by channel and lives with the channel (dialog texts,
bot/report_fields.py); what a valid value is does not.

A check gives an error *code* per field; each channel words it from its
content (dialog.*.yaml `invalid`, slack.*.yaml `modal.error_*`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

SYSTEMS: tuple[str, ...] = ("tes", "treserva", "locks", "infrastructure", "other")
SCOPES: tuple[str, ...] = ("single_user", "unit", "multiple_units", "unknown")

_LETTERS = re.compile(r"[^\W\d_]")
Kind = Literal["text", "choice", "time"]
ErrorCode = Literal["required", "too_short", "too_long", "choice", "time"]


@dataclass(frozen=True)
class FormField:
    name: str
    kind: Kind
    required: bool = True
    max_length: int | None = None     # characters, for text and time
    min_length: int = 1               # letters, for text
    choices: tuple[str, ...] = ()     # for choice
    multiline: bool = False           # shown as a text area where a form has one


# In the order the conversation asks and the summary and forms show them.
FIELDS: tuple[FormField, ...] = (
    FormField("reporter_name", "text", max_length=200),
    FormField("unit", "text", max_length=200),
    FormField("system", "choice", choices=SYSTEMS),
    FormField("scope", "choice", choices=SCOPES),
    # Three characters: "nere" is a description, "ok" or "?" is not.
    FormField("description", "text", max_length=3000, min_length=3, multiline=True),
    # Optional: "vet inte" is an answer; empty in a form means unknown.
    FormField("started_at", "time", required=False, max_length=200),
)
BY_NAME: dict[str, FormField] = {f.name: f for f in FIELDS}
NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)
REQUIRED: tuple[str, ...] = tuple(f.name for f in FIELDS if f.required)
TEXT_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.kind in ("text", "time"))


def check_value(name: str, value: str | None) -> ErrorCode | None:
    """Why `value` cannot be this field's value, or None when it can.

    `value` is the field's text as the person gave it (a form) or as the
    conversation read it from an answer; a time is only checked for length
    here (parsing it needs the moment: see check_form).
    """
    f = BY_NAME[name]
    text = (value or "").strip()
    if not text:
        return "required" if f.required else None
    if f.kind == "choice":
        return None if text in f.choices else "choice"
    if f.max_length is not None and len(text) > f.max_length:
        return "too_long"
    if f.kind == "text" and len(_LETTERS.findall(text)) < f.min_length:
        return "too_short"   # letters, not characters: "???" or "..." says nothing
    return None


@dataclass
class FormCheck:
    """The outcome of checking a whole form: a Report, or errors by field."""
    report: object | None = None                    # bot.reports.Report
    errors: dict[str, ErrorCode] = field(default_factory=dict)
    redacted: bool = False


def check_form(values: dict[str, str], now: datetime, redaction_marker: str) -> FormCheck:
    """A form's typed values (text, or a choice's id) as a Report, or per-field error codes.

    Personal identity numbers are redacted first, so an error never shows one
    back and the Report never holds one.
    """
    from bot.privacy import redact_personal_ids
    from bot.reports import Report
    from bot.timeparse import parse_start_time

    values = {name: (values.get(name) or "").strip() for name in NAMES}
    result = FormCheck()
    for name in TEXT_FIELDS:
        cleaned, count = redact_personal_ids(values[name], redaction_marker)
        if count:
            result.redacted = True
            values[name] = cleaned
    for name in NAMES:
        error = check_value(name, values[name])
        if error:
            result.errors[name] = error
    started_at = None
    if values["started_at"] and "started_at" not in result.errors:
        parsed = parse_start_time(values["started_at"], now)
        if parsed is None:
            result.errors["started_at"] = "time"
        elif parsed.kind == "time":
            started_at = parsed.value
    if not result.errors:
        result.report = Report(started_at=started_at, **{n: values[n] for n in NAMES if n != "started_at"})
    return result
