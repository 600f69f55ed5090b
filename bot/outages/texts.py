"""Outage notice texts as data: content/notices.<lang>.yaml, validated.

Loaded like the rest of content/ (bot.content): a broken file stops the
program with one line naming the file and the field. Numbers, URLs and phone
numbers are placeholders filled from routine.yaml, never written here.
"""
from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator

from bot.content import Content, SystemId, _check_placeholders, _Strict, load_lang_file, template

# Every notice, reporter and status text may use any of these: the renderer
# always fills all of them, so a content author never meets a KeyError.
NOTICE_PLACEHOLDERS = frozenset({
    "system", "date", "start", "end", "since", "duration", "reports", "units", "unit_list",
    "first_reported", "text",
    "status_url", "lkdata_phone", "portal", "post_registration_hours", "planned_notice_days",
    "login_reminder_minutes",
})


NoticeText = template(NOTICE_PLACEHOLDERS)


class Format(_Strict):
    months: list[str] = Field(min_length=12, max_length=12)
    date: str
    date_time: str
    report_one: str
    report_many: str
    unit_one: str
    unit_many: str
    duration_hours: str
    duration_minutes: str

    @field_validator("date")
    @classmethod
    def _date(cls, value: str) -> str:
        return _check_placeholders(value, frozenset({"day", "month"}))

    @field_validator("date_time")
    @classmethod
    def _date_time(cls, value: str) -> str:
        return _check_placeholders(value, frozenset({"date", "time"}))

    @field_validator("report_one", "report_many", "unit_one", "unit_many")
    @classmethod
    def _count(cls, value: str) -> str:
        return _check_placeholders(value, frozenset({"n"}))

    @field_validator("duration_hours", "duration_minutes")
    @classmethod
    def _duration(cls, value: str) -> str:
        return _check_placeholders(value, frozenset({"hours", "minutes"}))


class SystemTexts(_Strict):
    """One text per system; `default` for the systems without their own."""
    default: NoticeText = Field(min_length=1)
    tes: NoticeText | None = None
    treserva: NoticeText | None = None
    locks: NoticeText | None = None
    infrastructure: NoticeText | None = None
    other: NoticeText | None = None

    def for_system(self, system: str) -> str:
        return getattr(self, system, None) or self.default


class SystemOverrides(_Strict):
    """Texts for some systems only; a system without one gets nothing (or a fallback)."""
    tes: NoticeText | None = None
    treserva: NoticeText | None = None
    locks: NoticeText | None = None
    infrastructure: NoticeText | None = None
    other: NoticeText | None = None

    def for_system(self, system: str) -> str | None:
        return getattr(self, system, None)


class CancelledTexts(_Strict):
    planned: NoticeText
    unplanned: NoticeText


class NoticeKinds(_Strict):
    planned_advance: SystemTexts
    planned_start: SystemTexts
    planned_end: SystemTexts
    outage_reported: SystemTexts
    outage_declared: SystemTexts
    affected: NoticeText
    note: NoticeText
    login_reminder: SystemTexts
    ten_hours: SystemOverrides = SystemOverrides()
    resolved: SystemTexts
    resolved_long: SystemOverrides = SystemOverrides()
    cancelled: CancelledTexts


class ReporterTexts(_Strict):
    opened: NoticeText
    joined: NoticeText
    joined_planned: NoticeText
    different_fault: NoticeText


class StatusTexts(_Strict):
    open: NoticeText
    open_no_reports: NoticeText
    planned_ongoing: NoticeText
    planned_upcoming: NoticeText


class NoticeTexts(_Strict):
    lang: str = Field(pattern=r"^[a-z]{2}$")
    format: Format
    system_names: dict[SystemId, str] = {}
    notices: NoticeKinds
    reporter: ReporterTexts
    status: StatusTexts


def load_notice_texts(content: Content) -> dict[str, NoticeTexts]:
    """notices.<lang>.yaml for every language the answers exist in."""
    root = Path(content.directory)
    return {lang: load_lang_file(root / f"notices.{lang}.yaml", NoticeTexts, content.routine) for lang in content.languages}
