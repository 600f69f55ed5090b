"""The status page's texts as data: content/status.<lang>.yaml, validated like the rest of
content/ (a broken file stops every command with one line naming the file and the field)."""
from __future__ import annotations

from pathlib import Path

from pydantic import Field

from bot.content import Content, ContentError, _Strict, load_lang_file, template
from bot.outages.texts import NOTICE_PLACEHOLDERS, SystemOverrides, SystemTexts

Line = template(NOTICE_PLACEHOLDERS)
SummaryLine = template(NOTICE_PLACEHOLDERS | {"id", "n"})


class PageTexts(_Strict):
    title: template(frozenset()) = Field(min_length=1)
    intro: template(frozenset())
    contact: template(frozenset({"open", "close"}))
    updated: template(frozenset({"time"}))
    other_language: str = Field(min_length=1)
    feed: str = Field(min_length=1)
    json_: str = Field(min_length=1, alias="json")


class Sections(_Strict):
    current: str = Field(min_length=1)
    planned: str = Field(min_length=1)
    resolved: str = Field(min_length=1)


class States(_Strict):
    suspected: str = Field(min_length=1)
    confirmed: str = Field(min_length=1)
    ongoing: str = Field(min_length=1)
    scheduled: str = Field(min_length=1)
    resolved: str = Field(min_length=1)


class Lines(_Strict):
    since: Line
    planned: Line
    resolved: Line
    affected: Line
    note: Line
    summary: Line


class DoNow(_Strict):
    open: SystemTexts
    planned: SystemTexts
    upcoming: SystemTexts
    resolved: SystemTexts
    resolved_long: SystemOverrides = SystemOverrides()


class FeedTexts(_Strict):
    title: str = Field(min_length=1)
    entry: template(frozenset({"state", "system"}))


class SummaryTexts(_Strict):
    title: SummaryLine
    kind_planned: SummaryLine
    kind_unplanned: SummaryLine
    period: SummaryLine
    ongoing: SummaryLine
    duration: SummaryLine
    ten_hours_passed: SummaryLine
    ten_hours_not_passed: SummaryLine
    reports: SummaryLine
    by_unit: SummaryLine
    unit: SummaryLine
    hour: SummaryLine
    count: SummaryLine
    notices: SummaryLine
    notice: SummaryLine
    channel: SummaryLine
    sent: SummaryLine
    direct: SummaryLine
    actions: SummaryLine
    action: SummaryLine
    time: SummaryLine
    detail: SummaryLine
    action_names: dict[str, str] = {}
    none: SummaryLine
    plot: SummaryLine
    plot_alt: SummaryLine


class StatusTexts(_Strict):
    lang: str = Field(pattern=r"^[a-z]{2}$")
    page: PageTexts
    sections: Sections
    empty: Sections
    states: States
    lines: Lines
    do_now: DoNow
    feed: FeedTexts
    summary: SummaryTexts


def load_status_texts(content: Content) -> dict[str, StatusTexts]:
    """status.<lang>.yaml for every language the answers exist in (each must have one)."""
    root = Path(content.directory)
    texts = {}
    for lang in content.languages:
        path = root / f"status.{lang}.yaml"
        if not path.exists():
            raise ContentError(f"content file missing: {path}")
        texts[lang] = load_lang_file(path, StatusTexts, content.routine)
    return texts
