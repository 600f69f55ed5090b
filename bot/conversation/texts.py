"""The texts the shared conversation parts answer with, as each channel's content file holds them.

The administrators' commands answer the same things on every channel, but
each channel words its usage in its own way (`/driftstopp start ...` in Slack,
`start ...` written to the bot in Teams), so each channel's file
(content/slack.<lang>.yaml, content/teams.<lang>.yaml) has a `commands`
section validated by the one model here.
"""
from __future__ import annotations

from pathlib import Path
from typing import Generic, TypeVar

from pydantic import Field, field_validator

from bot.content import BUILTIN_CONTENT_DIR, ContentError, _check_placeholders, _Strict, load_lang_file


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


T = TypeVar("T")


class TextCatalogue(Generic[T]):
    """A channel's interface texts in every language there is a file for."""

    def __init__(self, by_lang: dict[str, T], default_lang: str):
        self.by_lang = by_lang
        self.default_lang = default_lang if default_lang in by_lang else next(iter(by_lang))

    def for_lang(self, lang: str | None) -> T:
        return self.by_lang.get(lang or "", None) or self.by_lang[self.default_lang]

    def lang(self, lang: str | None) -> str:
        return self.for_lang(lang).lang


def load_channel_texts(channel: str, model: type[T], directory: Path | str | None = None,
                       default_lang: str = "sv") -> TextCatalogue[T]:
    """Read content/<channel>.<lang>.yaml from the content folder.

    A custom content folder (DRIFTBOT_CONTENT_DIR) made before the channel
    existed has no such files; it then gets the built-in ones rather than a
    refusal to start, since these are interface words, not the routine.
    """
    root = Path(directory) if directory else BUILTIN_CONTENT_DIR
    paths = sorted(root.glob(f"{channel}.*.yaml")) or sorted(BUILTIN_CONTENT_DIR.glob(f"{channel}.*.yaml"))
    by_lang: dict[str, T] = {}
    for path in paths:
        parsed = load_lang_file(path, model)
        by_lang[parsed.lang] = parsed
    if not by_lang:
        raise ContentError(f"content folder {root}: no {channel}.<lang>.yaml file")
    return TextCatalogue(by_lang, default_lang)
