"""A fault report: its fields as data, validation, privacy, and filing.

The conversation (bot/dialog.py) and the Slack form both end here, so the
same rules apply to both: every text field is checked for personnummer and
samordningsnummer, which are redacted before anything is stored or repeated.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.form import BY_NAME, SCOPES, SYSTEMS

SystemId = Literal["tes", "treserva", "locks", "infrastructure", "other"]
ScopeId = Literal["single_user", "unit", "multiple_units", "unknown"]
if SystemId.__args__ != SYSTEMS or ScopeId.__args__ != SCOPES:
    raise RuntimeError("bot/form.py and the Report's types disagree")


def _text(name: str):
    f = BY_NAME[name]  # the limits are the form table's
    return Field(min_length=f.min_length, max_length=f.max_length)


class Report(BaseModel):
    """A complete report, ready to file."""
    model_config = ConfigDict(frozen=True)

    reporter_name: str = _text("reporter_name")
    unit: str = _text("unit")
    system: SystemId
    scope: ScopeId
    description: str = _text("description")
    started_at: datetime | None = None


@dataclass(frozen=True)
class FiledReport:
    id: int
    created_at: datetime
    contact: str            # "anvandarstod" | "lkdata", from the clock at filing time
    report: Report
    source: str
    user_id: str
    incident_id: int | None = None
    # What the outage lifecycle said about it (joined an open outage, opened one), or None.
    outage_note: str | None = None
    joined_existing: bool = False


class ReportService:
    """Files reports: store, link to the outage lifecycle, and tell the reporter
    its number, whom to contact now and what to read out on the phone."""

    def __init__(self, store, content, clock, outages=None, support_summaries: bool = False):
        from bot.answers import AnswerRenderer

        self.store = store
        self.content = content
        self.clock = clock
        self.outages = outages
        # True when a support channel is configured: each report is queued for it.
        self.support_summaries = support_summaries
        self.answers = AnswerRenderer(content)

    def file(self, report: Report, source: str, user_id: str, lang: str,
             once: tuple[str, str] | None = None) -> FiledReport | None:
        """Store a report, link it to its outage and queue what it causes, in one transaction.

        The report, its outage link, the notices it causes (the channel's, the
        support desk's) and, with `once` = (source, platform id), the claim that
        this submission was filed, commit together or not at all. With `once`,
        a submission already filed gives None.
        """
        from bot.hours import contact_at
        from bot.outages.service import write
        from bot.privacy import clean_text
        from bot.storage import claim_message
        from bot.storage.tables import ReportRow

        marker = self.content.dialog_for(lang).redaction_marker
        # Here, whoever files (the dialog and the form redact on input already): nothing stored
        # or sent to the support desk holds a personal identity number or an invisible character.
        clean = report.model_copy(update={
            name: clean_text(getattr(report, name), marker) for name in ("reporter_name", "unit", "description")
        })
        now = self.clock.now()
        contact = contact_at(now, self.content.routine).contact

        def work(s) -> FiledReport | None:
            if once is not None and not claim_message(s, once[0], once[1], now):
                return None
            row = ReportRow(created_at=now, source=source, user_id=user_id, reporter_name=clean.reporter_name,
                            unit=clean.unit, system=clean.system, scope=clean.scope, description=clean.description,
                            started_at=clean.started_at, contact=contact, lang=lang)
            s.add(row)
            s.flush()
            if self.support_summaries:
                self._queue_support_summary(s, row.id, clean, contact, now)
            incident_id, note, joined = None, None, False
            # A fault of kind "other" is not an outage everyone should hear about: it
            # goes to the support desk (and the database) but opens no channel notice.
            if self.outages is not None and clean.system != "other":
                link = self.outages.link_report(s, row.id, clean.system, lang, now)
                incident_id, note, joined = link.outage_id, link.message, link.joined_existing
            return FiledReport(id=row.id, created_at=now, contact=contact, report=clean, source=source,
                               user_id=user_id, incident_id=incident_id, outage_note=note, joined_existing=joined)

        filed = write(self.store, work)
        if filed is not None:
            from bot import metrics

            metrics.report(source, "none" if filed.incident_id is None else "joined" if filed.joined_existing
                           else "opened")
        return filed

    def _queue_support_summary(self, s, report_id: int, report: Report, contact: str, now: datetime) -> None:
        """The support desk's copy, in the content's default language, through the outbox."""
        from bot.outages.outbox import NewNotice, enqueue

        lang = self.content.default_lang
        texts = self.content.dialog_for(lang)
        contacts = self.content.routine.contacts
        fmt = texts.time_format
        text = texts.support_summary.format(
            id=report_id, created_at=now.astimezone(self.clock.tz).strftime(fmt), reporter_name=report.reporter_name,
            unit=report.unit, system=texts.systems[report.system], scope=texts.scopes[report.scope],
            started_at=report.started_at.astimezone(self.clock.tz).strftime(fmt) if report.started_at
            else texts.started_unknown,
            contact=getattr(contacts, contact).name, description=" ".join(report.description.split()))
        enqueue(s, NewNotice(kind="report_filed", dedupe_key=f"report:{report_id}:support", due_at=now,
                                    target="support", text=text, system=report.system, lang=lang))

    def receipt(self, filed: FiledReport, lang: str) -> str:
        """What the reporter reads: number, whom to contact now, a script for the call."""
        texts = self.content.dialog_for(lang)
        _, contact_now, _ = self.answers.contact_lines(self.clock.now(), lang)  # only the contact that applies now
        r = filed.report
        started = (r.started_at.astimezone(self.clock.tz).strftime(texts.time_format)
                   if r.started_at else texts.started_unknown)
        template = texts.script if r.started_at or not texts.script_no_start else texts.script_no_start
        script = template.format(reporter_name=r.reporter_name, unit=r.unit, system=texts.systems[r.system],
                                     scope=texts.scopes[r.scope].lower(), description=_sentence(r.description),
                                     started_at=started)
        parts = [texts.receipt.format(id=filed.id), contact_now]
        if filed.outage_note:
            parts.append(filed.outage_note)
        parts += ["", texts.script_title, f"> {script}"]
        return "\n".join(parts)


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    text = text[:1].upper() + text[1:]   # read out as a sentence of its own
    return text if text.endswith((".", "!", "?")) else text + "."
