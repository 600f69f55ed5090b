"""Every user-facing Teams string, from content/teams.<lang>.yaml, validated at start.

The routine's answers come from the engine; these are only the Teams bot's own
words (buttons, the report card, apologies, the admin commands' answers). A
broken file stops start-up with one line naming the file and the field, like
the rest of content/. Import-light (no SDK): every command checks these at start.
"""
from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator

from bot.content import _Strict
from bot.conversation.texts import CommandTexts, TextCatalogue, complete_labels, load_channel_texts, placeholders
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


# The Teams texts of every language there is a file for.
TeamsCatalogue = TextCatalogue[TeamsTexts]


def load_teams_texts(directory: Path | str | None = None, default_lang: str = "sv") -> TeamsCatalogue:
    """Read content/teams.<lang>.yaml (bot.conversation.texts.load_channel_texts)."""
    return load_channel_texts("teams", TeamsTexts, directory, default_lang)
