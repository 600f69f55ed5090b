"""Fill the notice texts of content/notices.<lang>.yaml for one outage.

Only formatting lives here (times in the configured zone, counts, durations,
which text applies); every word comes from content.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.content import Content
from bot.outages.texts import NoticeTexts
from bot.outages.timeline import Timeline


@dataclass(frozen=True)
class OutageFacts:
    """What a notice may say about an outage, read from the store."""
    id: int
    system: str
    kind: str                   # planned | unplanned
    state: str                  # scheduled | suspected | confirmed | resolved | cancelled
    starts_at: datetime
    ends_at: datetime | None
    text: str
    reports: int
    units: tuple[str, ...]      # in the order they first reported
    first_reported_at: datetime


class NoticeRenderer:
    def __init__(self, content: Content, texts: dict[str, NoticeTexts], tz: ZoneInfo, timeline: Timeline):
        self.content = content
        self.texts = texts
        self.tz = tz
        self.timeline = timeline
        routine = content.routine
        self._facts = {
            "status_url": routine.status_url,
            "lkdata_phone": routine.contacts.lkdata.phone,
            "portal": routine.contacts.anvandarstod.channel,
            "post_registration_hours": routine.thresholds.post_registration_hours,
            "planned_notice_days": routine.thresholds.planned_notice_days,
            "login_reminder_minutes": routine.thresholds.login_reminder_minutes,
        }

    def lang(self, lang: str | None) -> str:
        return lang if lang in self.texts else self.content.default_lang

    def _texts(self, lang: str | None) -> NoticeTexts:
        return self.texts[self.lang(lang)]

    # -- pieces -----------------------------------------------------------------

    def _time(self, value: datetime) -> str:
        return value.astimezone(self.tz).strftime("%H:%M")

    def _date(self, value: datetime, t: NoticeTexts) -> str:
        local = value.astimezone(self.tz)
        return t.format.date.format(day=local.day, month=t.format.months[local.month - 1])

    def _moment(self, value: datetime, reference: datetime, t: NoticeTexts) -> str:
        """A time of day, with its date when it is not on the reference's day."""
        if value.astimezone(self.tz).date() == reference.astimezone(self.tz).date():
            return self._time(value)
        return t.format.date_time.format(date=self._date(value, t), time=self._time(value))

    def _count(self, n: int, one: str, many: str) -> str:
        return (one if n == 1 else many).format(n=n)

    def _duration(self, length: timedelta, t: NoticeTexts) -> str:
        minutes = max(0, int(length.total_seconds() // 60))
        hours, minutes = divmod(minutes, 60)
        if hours:
            return t.format.duration_hours.format(hours=hours, minutes=minutes)
        return t.format.duration_minutes.format(minutes=minutes)

    def system_name(self, system: str, lang: str | None) -> str:
        t = self._texts(lang)
        return t.system_names.get(system) or self.content.routine.systems[system].name

    def values(self, facts: OutageFacts, lang: str | None, at: datetime) -> dict:
        t = self._texts(lang)
        end = facts.ends_at
        return {
            **self._facts,
            "system": self.system_name(facts.system, lang),
            "date": self._date(facts.starts_at, t),
            "start": self._time(facts.starts_at),
            "end": self._moment(end, facts.starts_at, t) if end else "",
            "since": self._moment(facts.starts_at, at, t),
            "duration": self._duration((end or at) - facts.starts_at, t),
            "reports": self._count(facts.reports, t.format.report_one, t.format.report_many),
            "units": self._count(len(facts.units), t.format.unit_one, t.format.unit_many),
            "unit_list": ", ".join(facts.units),
            "first_reported": self._moment(facts.first_reported_at, at, t),
            "text": facts.text,
        }

    # -- whole texts ------------------------------------------------------------------

    def notice(self, kind: str, facts: OutageFacts, lang: str | None, at: datetime) -> str | None:
        """The text of a notice of `kind`, or None when content has none for this system."""
        n = self._texts(lang).notices
        values = self.values(facts, lang, at)
        extra: list[str] = []
        if kind in ("planned_advance", "planned_start", "planned_end", "login_reminder"):
            template = getattr(n, kind).for_system(facts.system)
            if kind != "login_reminder" and facts.text:
                extra.append(n.note)
        elif kind == "outage_declared":
            texts = n.outage_reported if facts.state == "suspected" else n.outage_declared
            template = texts.for_system(facts.system)
            if facts.reports:
                extra.append(n.affected)
            if facts.text:
                extra.append(n.note)
        elif kind == "ten_hours":
            template = n.ten_hours.for_system(facts.system)
        elif kind == "resolved":
            template = None
            if facts.ends_at and self.timeline.lasted_long(facts.starts_at, facts.ends_at):
                template = n.resolved_long.for_system(facts.system)
            template = template or n.resolved.for_system(facts.system)
        elif kind == "cancelled":
            template = n.cancelled.planned if facts.kind == "planned" else n.cancelled.unplanned
        else:
            raise ValueError(f"unknown notice kind {kind!r}")
        if template is None:
            return None
        return "\n".join(part.format(**values).strip() for part in (template, *extra))

    def reporter(self, key: str, facts: OutageFacts, lang: str | None, at: datetime) -> str:
        r = self._texts(lang).reporter
        values = self.values(facts, lang, at)
        sentence = getattr(r, key).format(**values)
        if key == "opened":
            return sentence
        return f"{sentence} {r.different_fault.format(**values)}"

    def status(self, key: str, facts: OutageFacts, lang: str | None, at: datetime) -> str:
        return getattr(self._texts(lang).status, key).format(**self.values(facts, lang, at))
