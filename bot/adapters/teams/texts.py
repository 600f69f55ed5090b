"""Every user-facing Teams string, from content/teams.<lang>.yaml, validated at start.

The routine's answers come from the engine; these are only the Teams bot's own
words (buttons, the report card, apologies, the admin commands' answers). A
broken file stops start-up with one line naming the file and the field, like
the rest of content/. Import-light (no SDK): every command checks these at start.
"""
from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator

from bot.content import BUILTIN_CONTENT_DIR, ContentError, _Strict, load_lang_file
from bot.conversation.texts import CommandTexts, complete_labels, placeholders
from bot.form import SCOPES, SYSTEMS
from bot.outages import CURRENT_STATUSES


class TeamsMessageTexts(_Strict):
    report_chat_button: str = Field(min_length=1, max_length=75)
    report_form_button: str = Field(min_length=1, max_length=75)
    moved_to_private: str = Field(min_length=1)
    private_chat_needed: str = Field(min_length=1)
    error: str = Field(min_length=1)
    storage_unavailable: str = Field(min_length=1)
    files_unread: str = Field(min_length=1)

    _error = field_validator("error", "storage_unavailable")(placeholders("contact_now"))


class CardTexts(_Strict):
    title: str = Field(min_length=1, max_length=100)
    intro: str = Field(min_length=1)
    submit: str = Field(min_length=1, max_length=40)
    reporter_name_label: str = Field(min_length=1)
    unit_label: str = Field(min_length=1)
    unit_placeholder: str = Field(min_length=1)
    system_label: str = Field(min_length=1)
    system_placeholder: str = Field(min_length=1)
    scope_label: str = Field(min_length=1)
    scope_placeholder: str = Field(min_length=1)
    description_label: str = Field(min_length=1)
    description_placeholder: str = Field(min_length=1)
    started_at_label: str = Field(min_length=1)
    started_at_placeholder: str = Field(min_length=1)
    systems: dict[str, str]
    scopes: dict[str, str]
    errors_heading: str = Field(min_length=1)
    error_required: str = Field(min_length=1)
    error_too_long: str = Field(min_length=1)
    error_too_short: str = Field(min_length=1)
    error_started_at: str = Field(min_length=1)
    redacted_notice: str = Field(min_length=1)
    filing_failed: str = Field(min_length=1)
    error_storage: str = Field(min_length=1)
    already_filed: str = Field(min_length=1)

    _too_long = field_validator("error_too_long")(placeholders("max"))
    _failed = field_validator("filing_failed")(placeholders("contact_now"))

    @field_validator("systems")
    @classmethod
    def _every_system(cls, value: dict[str, str]) -> dict[str, str]:
        return complete_labels(value, SYSTEMS, 100)

    @field_validator("scopes")
    @classmethod
    def _every_scope(cls, value: dict[str, str]) -> dict[str, str]:
        return complete_labels(value, SCOPES, 100)


class StatusTexts(_Strict):
    admin_outage_line: str = Field(min_length=1)
    admin_planned_line: str = Field(min_length=1)
    admin_split_note: str = Field(min_length=1)
    states: dict[str, str]

    _admin_outage = field_validator("admin_outage_line")(placeholders("id system state since reports text"))
    _admin_planned = field_validator("admin_planned_line")(placeholders("id system start end reports text"))
    _split = field_validator("admin_split_note")(placeholders("split_from"))

    @field_validator("states")
    @classmethod
    def _every_state(cls, value: dict[str, str]) -> dict[str, str]:
        return complete_labels(value, CURRENT_STATUSES, 75)


class TeamsTexts(_Strict):
    lang: str = Field(pattern=r"^[a-z]{2}$")
    messages: TeamsMessageTexts
    card: CardTexts
    status: StatusTexts
    commands: CommandTexts


class TeamsCatalogue:
    """The Teams texts of every language there is a file for."""

    def __init__(self, by_lang: dict[str, TeamsTexts], default_lang: str):
        self.by_lang = by_lang
        self.default_lang = default_lang if default_lang in by_lang else next(iter(by_lang))

    def for_lang(self, lang: str | None) -> TeamsTexts:
        return self.by_lang.get(lang or "", None) or self.by_lang[self.default_lang]

    def lang(self, lang: str | None) -> str:
        return self.for_lang(lang).lang


def load_teams_texts(directory: Path | str | None = None, default_lang: str = "sv") -> TeamsCatalogue:
    """Read content/teams.<lang>.yaml; a content folder made before Teams gets the built-in ones
    (interface words, not the routine)."""
    root = Path(directory) if directory else BUILTIN_CONTENT_DIR
    paths = sorted(root.glob("teams.*.yaml")) or sorted(BUILTIN_CONTENT_DIR.glob("teams.*.yaml"))
    by_lang: dict[str, TeamsTexts] = {}
    for path in paths:
        parsed = load_lang_file(path, TeamsTexts)
        by_lang[parsed.lang] = parsed
    if not by_lang:
        raise ContentError(f"content folder {root}: no teams.<lang>.yaml file")
    return TeamsCatalogue(by_lang, default_lang)
