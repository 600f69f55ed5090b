"""Every user-facing Slack string, from content/slack.<lang>.yaml, validated.

The routine's answers come from the engine; these are only the Slack surface's
own words (Home tab, modal labels, button labels, refusals). They are content
so that another municipality or language edits YAML, not Python. A broken file
stops start-up with one line naming the file and the field, exactly like the
rest of content/ (bot.content's reader and validator are reused for that).
"""
from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator

from bot.outages import CURRENT_STATUSES
from bot.content import _Strict
from bot.conversation.texts import CommandTexts, TextCatalogue, complete_labels, load_channel_texts
from bot.conversation.texts import placeholders as _placeholders
from bot.reports import SCOPES, SYSTEMS


class HomeTexts(_Strict):
    header: str = Field(min_length=1, max_length=150)
    contact_heading: str = Field(min_length=1)
    outages_heading: str = Field(min_length=1)
    planned_heading: str = Field(min_length=1)
    no_planned: str = Field(min_length=1)
    outage_line: str = Field(min_length=1)       # one open outage
    planned_line: str = Field(min_length=1)      # one scheduled outage
    report_prompt: str = Field(min_length=1)
    report_button: str = Field(min_length=1, max_length=75)
    how_to_ask: str = Field(min_length=1)
    updated: str = Field(min_length=1)
    # What administrators see instead of the two lines above: the outage's number
    # (for /driftstopp bekräfta, uppdatera, avbryt), its state and its reports.
    admin_outage_line: str = Field(min_length=1)
    admin_planned_line: str = Field(min_length=1)
    admin_split_note: str = Field(min_length=1)  # added to an outage split out of another
    states: dict[str, str]                       # {state} of admin_outage_line

    _outage = field_validator("outage_line")(_placeholders("system since text"))
    _planned = field_validator("planned_line")(_placeholders("system start end text"))
    _updated = field_validator("updated")(_placeholders("time"))
    _admin_outage = field_validator("admin_outage_line")(_placeholders("id system state since reports text"))
    _admin_planned = field_validator("admin_planned_line")(_placeholders("id system start end reports text"))
    _split = field_validator("admin_split_note")(_placeholders("split_from"))

    @field_validator("states")
    @classmethod
    def _every_state(cls, value: dict[str, str]) -> dict[str, str]:
        return complete_labels(value, CURRENT_STATUSES, 75)


class ModalTexts(_Strict):
    title: str = Field(min_length=1, max_length=24)
    submit: str = Field(min_length=1, max_length=24)
    close: str = Field(min_length=1, max_length=24)
    intro: str = Field(min_length=1)
    reporter_name_label: str = Field(min_length=1, max_length=2000)
    unit_label: str = Field(min_length=1, max_length=2000)
    unit_placeholder: str = Field(min_length=1, max_length=150)
    system_label: str = Field(min_length=1, max_length=2000)
    system_placeholder: str = Field(min_length=1, max_length=150)
    scope_label: str = Field(min_length=1, max_length=2000)
    scope_placeholder: str = Field(min_length=1, max_length=150)
    description_label: str = Field(min_length=1, max_length=2000)
    description_placeholder: str = Field(min_length=1, max_length=150)
    description_hint: str = Field(min_length=1, max_length=2000)
    started_at_label: str = Field(min_length=1, max_length=2000)
    started_at_placeholder: str = Field(min_length=1, max_length=150)
    started_at_hint: str = Field(min_length=1, max_length=2000)
    systems: dict[str, str]
    scopes: dict[str, str]
    error_required: str = Field(min_length=1)
    error_too_long: str = Field(min_length=1)
    error_too_short: str = Field(min_length=1)
    error_started_at: str = Field(min_length=1)
    redacted_notice: str = Field(min_length=1)
    filing_failed: str = Field(min_length=1)
    form_unavailable: str = Field(min_length=1)
    error_storage: str = Field(min_length=1, max_length=2000)

    _too_long = field_validator("error_too_long")(_placeholders("max"))
    _failed = field_validator("filing_failed")(_placeholders("contact_now"))

    @field_validator("systems")
    @classmethod
    def _every_system(cls, value: dict[str, str]) -> dict[str, str]:
        return complete_labels(value, SYSTEMS, 75)

    @field_validator("scopes")
    @classmethod
    def _every_scope(cls, value: dict[str, str]) -> dict[str, str]:
        return complete_labels(value, SCOPES, 75)


class MenuTexts(_Strict):
    text: str = Field(min_length=1)
    report_button: str = Field(min_length=1, max_length=75)
    status_button: str = Field(min_length=1, max_length=75)
    contact_button: str = Field(min_length=1, max_length=75)
    usage: str = Field(min_length=1)
    admin_usage: str = Field(min_length=1)


class MessageTexts(_Strict):
    report_button: str = Field(min_length=1, max_length=75)
    report_chat_button: str = Field(min_length=1, max_length=75)
    report_form_button: str = Field(min_length=1, max_length=75)
    moved_to_dm: str = Field(min_length=1)
    chosen: str = Field(min_length=1)
    error: str = Field(min_length=1)
    storage_unavailable: str = Field(min_length=1)
    files_unread: str = Field(min_length=1)

    _chosen = field_validator("chosen")(_placeholders("label"))
    _error = field_validator("error", "storage_unavailable")(_placeholders("contact_now"))


class SlackTexts(_Strict):
    lang: str = Field(pattern=r"^[a-z]{2}$")
    home: HomeTexts
    modal: ModalTexts
    menu: MenuTexts
    commands: CommandTexts
    messages: MessageTexts


# The Slack texts of every language there is a file for.
SlackCatalogue = TextCatalogue[SlackTexts]


def load_slack_texts(directory: Path | str | None = None, default_lang: str = "sv") -> SlackCatalogue:
    """Read content/slack.<lang>.yaml (bot.conversation.texts.load_channel_texts)."""
    return load_channel_texts("slack", SlackTexts, directory, default_lang)
