"""The texts the shared conversation parts answer with, as each channel's content file holds them.

The administrators' commands answer the same things on every channel, but
each channel words its usage in its own way (`/driftstopp start ...` in Slack,
`start ...` written to the bot in Teams), so each channel's file
(content/slack.<lang>.yaml, content/teams.<lang>.yaml) has a `commands`
section validated by the one model here.
"""
from __future__ import annotations

from pydantic import Field, field_validator

from bot.content import _check_placeholders, _Strict


def placeholders(allowed: str):
    """A field validator allowing only the given {placeholders} (space separated)."""
    names = frozenset(allowed.split())

    def check(cls, value: str) -> str:
        return _check_placeholders(value, names)

    return classmethod(check)


class CommandTexts(_Strict):
    refusal: str = Field(min_length=1)
    unknown: str = Field(min_length=1)
    usage_start: str = Field(min_length=1)
    usage_resolve: str = Field(min_length=1)
    usage_plan: str = Field(min_length=1)
    usage_confirm: str = Field(min_length=1)
    usage_update: str = Field(min_length=1)
    usage_split: str = Field(min_length=1)
    usage_cancel: str = Field(min_length=1)
    unknown_system: str = Field(min_length=1)
    invalid_time: str = Field(min_length=1)
    invalid_number: str = Field(min_length=1)
    started: str = Field(min_length=1)
    resolved: str = Field(min_length=1)
    planned: str = Field(min_length=1)
    confirmed: str = Field(min_length=1)
    updated: str = Field(min_length=1)
    split: str = Field(min_length=1)
    cancelled: str = Field(min_length=1)
    status_admin_heading: str = Field(min_length=1)
    # One per OutageError code the admin subcommands can meet (refused_<code>).
    refused_no_open_outage: str = Field(min_length=1)
    refused_not_found: str = Field(min_length=1)
    refused_not_open: str = Field(min_length=1)
    refused_report_not_found: str = Field(min_length=1)
    refused_not_linked: str = Field(min_length=1)
    refused_not_started: str = Field(min_length=1)
    refused_bad_period: str = Field(min_length=1)
    refused_in_the_past: str = Field(min_length=1)
    failed: str = Field(min_length=1)

    _unknown = field_validator("unknown")(placeholders("command"))
    _system = field_validator("unknown_system")(placeholders("system systems"))
    _value = field_validator("invalid_time", "invalid_number")(placeholders("value"))
    _done = field_validator("started", "resolved", "refused_no_open_outage")(placeholders("system"))
    _planned = field_validator("planned")(placeholders("system start end"))
    _by_id = field_validator("confirmed", "cancelled")(placeholders("id system"))
    _updated = field_validator("updated")(placeholders("id system text"))
    _split = field_validator("split")(placeholders("report id system split_from"))
    _refused_id = field_validator("refused_not_found", "refused_not_open", "refused_report_not_found",
                                  "refused_not_linked")(placeholders("id"))
    _refused = field_validator("refused_not_started", "refused_bad_period", "refused_in_the_past")(placeholders(""))
    _failed = field_validator("failed")(placeholders("reason"))


def complete_labels(value: dict[str, str], ids: tuple[str, ...], max_len: int) -> dict[str, str]:
    """A label for every id and no other, none longer than max_len (systems, scopes, states)."""
    missing = [i for i in ids if not value.get(i)]
    if missing:
        raise ValueError(f"missing labels for: {', '.join(missing)}")
    unknown = [k for k in value if k not in ids]
    if unknown:
        raise ValueError(f"unknown ids: {', '.join(unknown)}; allowed: {', '.join(ids)}")
    too_long = [k for k, v in value.items() if len(v) > max_len]
    if too_long:
        raise ValueError(f"labels longer than {max_len} characters: {', '.join(too_long)}")
    return value
