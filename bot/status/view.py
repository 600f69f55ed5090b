"""What the page, the feed and the summary share: the texts per language and how an outage's
times, counts and advice are worded (with the notices' formatting, bot.outages.render)."""
from __future__ import annotations

from datetime import datetime

from bot.outages.render import NoticeRenderer, OutageFacts
from bot.outages.texts import load_notice_texts
from bot.outages.timeline import Timeline
from bot.status.texts import StatusTexts, load_status_texts


class StatusView:
    def __init__(self, content, tz):
        self.content = content
        self.tz = tz
        self.timeline = Timeline.from_thresholds(content.routine.thresholds)
        self.renderer = NoticeRenderer(content, load_notice_texts(content), tz, self.timeline)
        self._texts = load_status_texts(content)

    def lang(self, lang: str | None) -> str:
        return lang if lang in self._texts else self.content.default_lang

    def texts(self, lang: str | None) -> StatusTexts:
        return self._texts[self.lang(lang)]

    def other_lang(self, lang: str | None) -> str | None:
        """The language to offer a link to: the default one from another, else the next one."""
        current = self.lang(lang)
        others = [code for code in self._texts if code != current]
        if not others:
            return None
        return self.content.default_lang if self.content.default_lang in others else others[0]

    # -- wording --------------------------------------------------------------------------

    def values(self, outage, lang: str | None, at: datetime) -> dict:
        v = outage.view
        facts = OutageFacts(id=v.id, system=v.system, kind=v.kind, state=v.state, starts_at=v.starts_at,
                            ends_at=v.ends_at, text=v.text, reports=v.reports, units=tuple(v.units),
                            first_reported_at=v.starts_at)
        return self.renderer.values(facts, self.lang(lang), at)

    def moment(self, at: datetime, lang: str | None) -> str:
        """A date and time, as the notices write one."""
        t = self.renderer._texts(self.lang(lang))
        return t.format.date_time.format(date=self.renderer._date(at, t), time=self.renderer._time(at))

    def contact_line(self, lang: str | None) -> str:
        hours = self.content.routine.support_hours
        return self.texts(lang).page.contact.format(open=hours.open.strftime("%H:%M"),
                                                   close=hours.close.strftime("%H:%M"))

    def when_line(self, outage, lang: str | None, at: datetime) -> str:
        lines = self.texts(lang).lines
        template = {"open": lines.since, "resolved": lines.resolved}.get(outage.phase, lines.planned)
        return template.format(**self.values(outage, lang, at))

    def do_now(self, outage, lang: str | None, at: datetime) -> str:
        advice = self.texts(lang).do_now
        v = outage.view
        template = None
        if outage.phase == "resolved" and v.ends_at and self.timeline.lasted_long(v.starts_at, v.ends_at):
            template = advice.resolved_long.for_system(v.system)
        template = template or getattr(advice, outage.phase).for_system(v.system)
        return template.format(**self.values(outage, lang, at))

    def system_name(self, system: str, lang: str | None) -> str:
        return self.renderer.system_name(system, self.lang(lang))
