"""Render the routine's answer for an intent at a moment in a language.

The texts live in content/answers.<lang>.yaml; this module only fills their
placeholders: the contact that applies now (and why), the other contact for
later, and the routine's numbers.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.content import Content, placeholders
from bot.hours import ContactDecision, contact_at, holiday_name


@dataclass(frozen=True)
class RenderedAnswer:
    intent: str
    text: str
    lang: str
    contact: str | None  # set when the answer tells the user whom to contact


class AnswerRenderer:
    def __init__(self, content: Content):
        self.content = content
        routine = content.routine
        self._facts = {
            "lkdata_phone": routine.contacts.lkdata.phone,
            "status_url": routine.status_url,
            "support_open": routine.support_hours.open.strftime("%H:%M"),
            "support_close": routine.support_hours.close.strftime("%H:%M"),
            "post_registration_hours": routine.thresholds.post_registration_hours,
            "planned_notice_days": routine.thresholds.planned_notice_days,
            "portal": routine.contacts.anvandarstod.channel,
        }

    def facts(self) -> dict:
        return dict(self._facts)

    def contact_lines(self, at: datetime, lang: str) -> tuple[ContactDecision, str, str]:
        """(decision, the sentence for now, the sentence for the other contact)."""
        texts = self.content.answers_for(lang).texts
        decision = contact_at(at, self.content.routine)
        name = ""
        if decision.holiday is not None:
            name = holiday_name(decision.holiday, self.content.routine.holiday_country, lang) or ""
            # Swedish writes holidays in lower case mid-sentence ("det är julafton"),
            # except the one named after a person ("Kristi himmelsfärdsdag").
            if lang == "sv" and not name.startswith("Kristi"):
                name = name[:1].lower() + name[1:]
        reason = getattr(texts.reasons, decision.reason).format(holiday_name=name, **self._facts)
        now_line = getattr(texts.contact_now, decision.contact).format(reason=reason, **self._facts)
        other = "lkdata" if decision.contact == "anvandarstod" else "anvandarstod"
        later_line = getattr(texts.contact_later, other).format(reason=reason, **self._facts)
        return decision, now_line, later_line

    def fill(self, template: str, lang: str, at: datetime, live_status: str | None = None) -> tuple[str, str | None]:
        """(the filled template, the contact it names or None)."""
        values = dict(self._facts)
        contact: str | None = None
        if "contact_now" in placeholders(template) or "contact_later" in placeholders(template):
            decision, values["contact_now"], values["contact_later"] = self.contact_lines(at, lang)
            contact = decision.contact
        values["live_status"] = live_status or self.content.answers_for(lang).texts.live_status_none.format(**self._facts)
        return template.format(**values).strip(), contact

    def render(self, intent: str, lang: str, at: datetime, live_status: str | None = None) -> RenderedAnswer:
        answers = self.content.answers_for(lang)
        lang = answers.lang
        answer = answers.intents[intent]
        template = answer.now + ("\n\n" + answer.detail.strip() if answer.detail.strip() else "")
        text, contact = self.fill(template, lang, at, live_status)
        return RenderedAnswer(intent=intent, text=text, lang=lang, contact=contact)

    def title(self, intent: str, lang: str) -> str:
        return self.content.answers_for(lang).intents[intent].title

    def text(self, key: str, lang: str) -> str:
        return getattr(self.content.answers_for(lang).texts, key).format(**self._facts)
