"""The outage lifecycle: one incident per outage, planned outages, the timeline.

OutageService is what the engine (a report was filed, someone asks for the
status), the admin commands (Slack, `driftbot outage`) and the outbox worker
(what falls due) call. It decides what is stored and which notices are
queued; the outbox (bot/outages/outbox.py) delivers them.

States: an unplanned outage is `suspected` (opened by a report) or
`confirmed` (declared or confirmed by an admin) while open, then `resolved`
or `cancelled`. A planned one is `scheduled` until it is over (or `resolved`
early, or `cancelled`); whether it is upcoming, ongoing or ended follows from
the clock. Reports of a system join its one open unplanned outage (or a
planned one in progress); an admin may split a report out into its own.
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, TypeVar

from sqlalchemy import bindparam, exists, or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from bot import audit
from bot.audit import quoted
from bot.clock import Clock
from bot.content import Content
from bot.outages import channels, outbox
from bot.outages.outbox import NewNotice, OutgoingNotice
from bot.outages.render import NoticeRenderer, OutageFacts
from bot.outages.texts import load_notice_texts
from bot.outages.timeline import Timeline
from bot.privacy import clean_text
from bot.storage.tables import NoticeRow, OutageRow, ReportRow

log = logging.getLogger(__name__)

OPEN_STATES = ("suspected", "confirmed")
_outages, _reports = OutageRow.__table__, ReportRow.__table__
# OutageService.live's statements, built once.
_LIVE = (select(_outages)
         .where(_outages.c.created_at <= bindparam("at"), _outages.c.split_from.is_(None),
                _outages.c.state != "cancelled",
                or_(_outages.c.state.in_(OPEN_STATES), _outages.c.ends_at >= bindparam("week")))
         .order_by(_outages.c.starts_at, _outages.c.id))
_LIVE_REPORTS = (select(_reports.c.incident_id, _reports.c.unit, _reports.c.created_at)
                 .where(_reports.c.incident_id.in_(bindparam("ids", expanding=True)))
                 .order_by(_reports.c.created_at, _reports.c.id))
BROADCAST = "broadcast"
# Two replicas opening the same outage, or SQLite's single writer being busy,
# make a write fail; it is retried from the start this many times.
_WRITE_ATTEMPTS = 4

T = TypeVar("T")


def write(store, work: Callable[[Session], T]) -> T:
    """Run `work` in one transaction, from the start again when a concurrent writer got in first."""
    for attempt in range(_WRITE_ATTEMPTS):
        last = attempt == _WRITE_ATTEMPTS - 1
        try:
            with store.session.begin() as s:
                return work(s)
        except IntegrityError:
            # Another replica opened the outage (or queued the notice) first; the retry joins it.
            if last:
                raise
        except OperationalError as exc:
            if last or "locked" not in str(exc.orig).lower():
                raise
    raise AssertionError("unreachable")


class OutageError(Exception):
    """An admin action that cannot be done. `code` is stable for adapters to map to a text."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class ReportLink:
    """What filing a report did to the outages, and what to tell the reporter."""
    outage_id: int
    joined_existing: bool
    first_reported_at: datetime    # in the configured zone
    message: str                   # for the reporter, in their language


@dataclass(frozen=True)
class LiveOutage:
    """An outage an answer should mention at a moment: `phase` is open (unplanned, not
    resolved), planned (a planned one in progress), upcoming (planned, announced),
    resolved (ended within routine.yaml's recently_resolved_hours) or ended (within a week:
    only for "has it been fixed?" and post-registration questions)."""
    facts: OutageFacts
    phase: str


@dataclass(frozen=True)
class OutageView:
    id: int
    system: str
    kind: str
    # The lifecycle state at the time asked about: scheduled | suspected | confirmed | resolved | cancelled
    # (a planned outage whose end has passed is "resolved").
    state: str
    # Finer, for people: suspected | confirmed | scheduled | ongoing | ended | resolved | cancelled
    status: str
    starts_at: datetime
    ends_at: datetime | None
    text: str
    reports: int
    units: tuple[str, ...]
    split_from: int | None

    def as_json(self, tz=None) -> dict:
        def iso(value):
            return None if value is None else (value.astimezone(tz) if tz else value).isoformat()
        return {"id": self.id, "system": self.system, "kind": self.kind, "state": self.state,
                "status": self.status, "starts_at": iso(self.starts_at), "ends_at": iso(self.ends_at),
                "text": self.text, "reports": self.reports, "units": list(self.units),
                "split_from": self.split_from}


def _key(outage_id: int, *parts: object) -> str:
    return ":".join(["outage", str(outage_id), *map(str, parts)])


def _user_target(source: str, user_id: str) -> str:
    return f"user:{source}:{user_id}"


class OutageService:
    def __init__(self, store, content: Content, clock: Clock, lang: str | None = None):
        self.store = store
        self.content = content
        self.clock = clock
        self.tz = clock.tz
        self.timeline = Timeline.from_thresholds(content.routine.thresholds)
        self.render = NoticeRenderer(content, load_notice_texts(content), self.tz, self.timeline)
        # The broadcast channel's language.
        self.lang = self.render.lang(lang)

    # -- reports ---------------------------------------------------------------------

    def report_filed(self, report_row_id: int, system: str, lang: str) -> ReportLink:
        """Link a filed report to its outage, opening one if none is open (a transaction of its own).

        The reporter's target for direct notices is taken from the stored
        report (source and user_id).
        """
        at = self.clock.now()
        return self._write(lambda s: self.link_report(s, report_row_id, system, lang, at))

    def link_report(self, s: Session, report_row_id: int, system: str, lang: str, at: datetime) -> ReportLink:
        """report_filed in the caller's transaction: filing a report, linking it and the notices
        it causes commit together or not at all (bot.reports.ReportService.file)."""
        report = s.get(ReportRow, report_row_id)
        if report is None:
            raise OutageError("report_not_found", f"no report {report_row_id}")
        if report.incident_id is not None:  # a retried call: answer the same again
            return self._link_again(s, report, lang, at)
        outage = self._main_open(s, system)
        if outage is None:
            planned = self._planned_ongoing(s, system, at)
            if planned is not None:
                return self._join_planned(s, planned, report, lang, at)
            outage = OutageRow(system=system, kind="unplanned", state="suspected", text="",
                               starts_at=report.created_at, created_at=at)
            s.add(outage)
            s.flush()  # the one-open-outage index: a concurrent opener makes this fail, and we retry
            self._link(s, report.id, outage.id)
            facts = self._facts(s, outage)
            self._announce(s, outage, facts, at)
            log.info("outage %s opened by report %s (%s)", outage.id, report.id, system)
            return ReportLink(outage.id, False, facts.first_reported_at.astimezone(self.tz),
                              self.render.reporter("opened", facts, lang, at))
        self._link(s, report.id, outage.id)
        facts = self._facts(s, outage)
        self._refresh_announcement(s, outage, facts, at, event=f"report:{report.id}")
        log.info("report %s joined outage %s", report.id, outage.id)
        return ReportLink(outage.id, True, facts.first_reported_at.astimezone(self.tz), self.render.reporter("joined", facts, lang, at))

    def _link_again(self, s: Session, report: ReportRow, lang: str, at: datetime) -> ReportLink:
        outage = s.get(OutageRow, report.incident_id)
        facts = self._facts(s, outage)
        first = s.scalar(select(ReportRow.id).where(ReportRow.incident_id == outage.id)
                         .order_by(ReportRow.created_at, ReportRow.id).limit(1))
        if outage.kind == "planned":
            return ReportLink(outage.id, True, facts.first_reported_at.astimezone(self.tz), self.render.reporter("joined_planned", facts, lang, at))
        joined = first != report.id
        key = "joined" if joined else "opened"
        return ReportLink(outage.id, joined, facts.first_reported_at.astimezone(self.tz), self.render.reporter(key, facts, lang, at))

    def _join_planned(self, s: Session, outage: OutageRow, report: ReportRow, lang: str, at: datetime) -> ReportLink:
        self._link(s, report.id, outage.id)
        facts = self._facts(s, outage)
        # The reporter hears directly when it is over, as reporters of unplanned outages do.
        self._queue(s, outage, facts, "planned_end", due=outage.ends_at, at=at,
                    target=_user_target(report.source, report.user_id), lang=report.lang,
                    key=_key(outage.id, "planned_end", "user", report.source, report.user_id))
        return ReportLink(outage.id, True, facts.first_reported_at.astimezone(self.tz), self.render.reporter("joined_planned", facts, lang, at))

    # -- admin actions ----------------------------------------------------------------

    def start(self, system: str, text: str | None = None, at: datetime | None = None,
              actor: str | None = None) -> OutageView:
        """Declare an unplanned outage (or confirm the open one) and announce it.

        `actor` (every admin action takes one): who did it, for the audit trail (bot.audit)."""
        at = at or self.clock.now()
        text = self._clean(text)

        def work(s: Session) -> OutageView:
            outage = self._main_open(s, system)
            if outage is not None:
                before = outage.state
                outage.state = "confirmed"
                if text:
                    outage.text = text
                self._announce_or_refresh(s, outage, at, event=f"start:{uuid.uuid4().hex}")
                self._audit(s, at, actor, "start", outage,
                            f"system={system} state={before}->confirmed" + (f" text={quoted(text)}" if text else ""))
                return self._view(s, outage, at)
            outage = OutageRow(system=system, kind="unplanned", state="confirmed", text=text or "",
                               starts_at=at, created_at=at)
            s.add(outage)
            s.flush()
            self._announce(s, outage, self._facts(s, outage), at)
            self._audit(s, at, actor, "start", outage, f"system={system} state=confirmed text={quoted(text)}")
            log.info("outage %s declared (%s)", outage.id, system)
            return self._view(s, outage, at)

        return self._write(work)

    def confirm(self, outage_id: int, at: datetime | None = None, actor: str | None = None) -> OutageView:
        at = at or self.clock.now()

        def work(s: Session) -> OutageView:
            outage = self._get_for_update(s, outage_id)
            if outage.state not in OPEN_STATES:
                raise OutageError("not_open", f"outage {outage_id} is {outage.state}")
            before = outage.state
            outage.state = "confirmed"
            self._announce_or_refresh(s, outage, at, event="confirm")
            self._audit(s, at, actor, "confirm", outage, f"system={outage.system} state={before}->confirmed")
            return self._view(s, outage, at)

        return self._write(work)

    def update(self, outage_id: int, text: str, at: datetime | None = None, actor: str | None = None) -> OutageView:
        """Change the admin's text of an open or planned outage; what the channel
        already saw is edited, what it has not seen yet is rewritten."""
        at = at or self.clock.now()
        text = self._clean(text) or ""

        def work(s: Session) -> OutageView:
            outage = self._get_for_update(s, outage_id)
            if outage.state not in (*OPEN_STATES, "scheduled"):
                raise OutageError("not_open", f"outage {outage_id} is {outage.state}")
            self._audit(s, at, actor, "update", outage,
                        f"system={outage.system} text={quoted(outage.text)}->{quoted(text)}")
            outage.text = text
            facts = self._facts(s, outage)
            if outage.kind == "unplanned":
                # Each admin edit is its own event: two in the same second must both reach the channel.
                self._refresh_announcement(s, outage, facts, at, event=f"text:{uuid.uuid4().hex}")
            else:
                for row in s.scalars(select(NoticeRow).where(NoticeRow.outage_id == outage.id,
                                                             NoticeRow.state == "pending")).all():
                    rendered = self.render.notice(row.kind, facts, (row.payload or {}).get("lang"), at)
                    if rendered is not None:
                        outbox.rewrite_pending(s, row.id, rendered, at)
            return self._view(s, outage, at)

        return self._write(work)

    def resolve(self, system: str, at: datetime | None = None, actor: str | None = None) -> OutageView:
        """Resolve the open outage of a system (or end a planned one in progress early)."""
        at = at or self.clock.now()

        def work(s: Session) -> OutageView:
            outage = self._main_open(s, system) or self._planned_ongoing(s, system, at, lock=True)
            if outage is None:
                raise OutageError("no_open_outage", f"no open outage for {system}")
            return self._resolve(s, outage, at, actor)

        return self._write(work)

    def resolve_outage(self, outage_id: int, at: datetime | None = None, actor: str | None = None) -> OutageView:
        """Resolve one outage by id (e.g. one split out of the main one)."""
        at = at or self.clock.now()

        def work(s: Session) -> OutageView:
            outage = self._get_for_update(s, outage_id)
            return self._resolve(s, outage, at, actor)

        return self._write(work)

    def plan(self, system: str, start: datetime, end: datetime, text: str | None = None,
             at: datetime | None = None, actor: str | None = None) -> OutageView:
        """Schedule a planned outage and its three notices."""
        at = at or self.clock.now()
        text = self._clean(text)
        if end <= start:
            raise OutageError("bad_period", "the end must be after the start")
        if end <= at:
            raise OutageError("in_the_past", "that outage is already over")

        def work(s: Session) -> OutageView:
            outage = OutageRow(system=system, kind="planned", state="scheduled", text=text or "",
                               starts_at=start, ends_at=end, created_at=at)
            s.add(outage)
            s.flush()
            facts = self._facts(s, outage)
            advance = self.timeline.planned_advance_due(start, at, self.tz)
            if advance is not None:
                # Once it has begun, the advance notice is pointless: planned_start says it all.
                self._queue(s, outage, facts, "planned_advance", due=advance, expires=start, at=at)
            self._queue(s, outage, facts, "planned_start", due=max(start, at), expires=end, at=at)
            self._queue(s, outage, facts, "planned_end", due=end, at=at)
            self._audit(s, at, actor, "plan", outage,
                        f"system={system} starts_at={start.isoformat()} ends_at={end.isoformat()} text={quoted(text)}")
            log.info("planned outage %s scheduled (%s)", outage.id, system)
            return self._view(s, outage, at)

        return self._write(work)

    def split(self, report_id: int, at: datetime | None = None, actor: str | None = None) -> OutageView:
        """Move a report out of its outage into an outage of its own ("a different fault").

        The new outage is suspected and not announced (one reporter's fault is
        not news for the channel); confirming it announces it. The old
        outage's channel message is updated.
        """
        at = at or self.clock.now()

        def work(s: Session) -> OutageView:
            report = s.get(ReportRow, report_id)
            if report is None:
                raise OutageError("report_not_found", f"no report {report_id}")
            if report.incident_id is None:
                raise OutageError("not_linked", f"report {report_id} belongs to no outage")
            old = self._get_for_update(s, report.incident_id)
            new = OutageRow(system=old.system, kind="unplanned", state="suspected", text="",
                            starts_at=report.created_at, created_at=at, split_from=old.id)
            s.add(new)
            s.flush()
            self._link(s, report.id, new.id)
            outbox.cancel_pending(s, old.id, dedupe_keys=[_key(old.id, "planned_end", "user", report.source, report.user_id)])
            if old.kind == "unplanned" and old.state in OPEN_STATES:
                self._refresh_announcement(s, old, self._facts(s, old), at, event=f"split:{report.id}")
            self._audit(s, at, actor, "split", new, f"system={new.system} report={report.id} from_outage={old.id}")
            log.info("report %s split from outage %s into %s", report.id, old.id, new.id)
            return self._view(s, new, at)

        return self._write(work)

    def cancel(self, outage_id: int, at: datetime | None = None, actor: str | None = None) -> OutageView:
        """Call an outage off: nothing more is sent for it, and if it was
        announced, the channel is told it no longer applies."""
        at = at or self.clock.now()

        def work(s: Session) -> OutageView:
            outage = self._get_for_update(s, outage_id)
            if outage.state in ("resolved", "cancelled"):
                raise OutageError("not_open", f"outage {outage_id} is {outage.state}")
            announced = s.scalar(select(exists().where(
                NoticeRow.outage_id == outage.id, NoticeRow.target.startswith(BROADCAST),
                or_(NoticeRow.state == "sent", NoticeRow.claim_token.is_not(None)))))
            self._audit(s, at, actor, "cancel", outage, f"system={outage.system} state={outage.state}->cancelled")
            outage.state = "cancelled"
            outbox.cancel_pending(s, outage.id)
            if announced:
                self._queue(s, outage, self._facts(s, outage), "cancelled", due=at, at=at)
            log.info("outage %s cancelled", outage.id)
            return self._view(s, outage, at)

        return self._write(work)

    # -- reading -----------------------------------------------------------------------

    def list(self, at: datetime | None = None, recent: timedelta = timedelta(days=7)) -> list[OutageView]:
        """Open, planned and recently ended outages known at `at`."""
        at = at or self.clock.now()
        since = at - recent
        with self.store.session() as s:
            rows = s.scalars(select(OutageRow).where(
                OutageRow.created_at <= at,
                or_(OutageRow.state.in_(OPEN_STATES),
                    OutageRow.ends_at >= since,
                    OutageRow.created_at >= since))
                .order_by(OutageRow.starts_at, OutageRow.id)).all()
            return [self._view(s, row, at) for row in rows]

    def get(self, outage_id: int, at: datetime | None = None) -> OutageView:
        """One outage as known at `at`; OutageError("not_found") when there is none (yet)."""
        at = at or self.clock.now()
        with self.store.session() as s:
            row = s.get(OutageRow, outage_id)
            if row is None or row.created_at > at:
                raise OutageError("not_found", f"no outage {outage_id}")
            return self._view(s, row, at)

    def live(self, at: datetime | None = None) -> list[LiveOutage]:
        """What is known at `at`, for answers: open, planned in progress, upcoming, recently resolved."""
        at = at or self.clock.now()
        recent = at - timedelta(hours=self.content.routine.thresholds.recently_resolved_hours)
        week = at - timedelta(days=7)
        # Read for every question: Core statements built once, and one query for the reports of
        # every outage listed (a burst of reports makes that the long part).
        with self.store.engine.connect() as connection:
            rows = connection.execute(_LIVE, {"at": at, "week": week}).all()
            phases = [(row, self._phase(row, at, recent)) for row in rows]
            phases = [(row, phase) for row, phase in phases if phase is not None]
            reports: dict[int, list] = {row.id: [] for row, _ in phases}
            if reports:
                for report in connection.execute(_LIVE_REPORTS, {"ids": list(reports)}):
                    reports[report.incident_id].append((report.unit, report.created_at))
        return [LiveOutage(facts=self._facts_of(row, reports[row.id]), phase=phase) for row, phase in phases]

    def _phase(self, row: OutageRow, at: datetime, recent: datetime) -> str | None:
        if row.kind == "unplanned" and row.state in OPEN_STATES:
            return "open" if row.starts_at <= at else None
        if row.kind == "planned" and row.state == "scheduled":
            if row.starts_at <= at < row.ends_at:
                return "planned"
            if at < row.starts_at <= at + self.timeline.planned_notice:
                return "upcoming"
        if row.ends_at is not None and row.ends_at <= at and row.starts_at <= at:
            return "resolved" if row.ends_at >= recent else "ended"
        return None

    def live_status(self, lang: str | None = None) -> str | None:
        """The answer to "is there an outage?", or None when none is known."""
        at = self.clock.now()
        sentences: list[str] = []
        with self.store.session() as s:
            open_rows = s.scalars(select(OutageRow).where(
                OutageRow.kind == "unplanned", OutageRow.state.in_(OPEN_STATES),
                OutageRow.split_from.is_(None), OutageRow.starts_at <= at)
                .order_by(OutageRow.starts_at)).all()
            for row in open_rows:
                facts = self._facts(s, row)
                key = "open" if facts.reports else "open_no_reports"
                sentences.append(self.render.status(key, facts, lang, at))
            planned = s.scalars(select(OutageRow).where(
                OutageRow.kind == "planned", OutageRow.state == "scheduled", OutageRow.created_at <= at,
                OutageRow.ends_at > at, OutageRow.starts_at <= at + self.timeline.planned_notice)
                .order_by(OutageRow.starts_at)).all()
            for row in planned:
                key = "planned_ongoing" if row.starts_at <= at else "planned_upcoming"
                sentences.append(self.render.status(key, self._facts(s, row), lang, at))
        return " ".join(sentences) or None

    def due_notices(self, at: datetime | None = None) -> list[OutgoingNotice]:
        """Notices due at `at` and not sent, after queueing what the clock makes due."""
        at = at or self.clock.now()
        self.schedule(at)
        return outbox.due_notices(self.store, at)

    def schedule(self, at: datetime | None = None) -> None:
        """Queue the notices that fall due by the clock alone: the login reminders.

        Idempotent (dedupe keys), so every outbox worker may call it on every
        pass. Only the current reminder is queued; it expires when the next
        one is due, so a worker that was down does not send a backlog.
        """
        at = at or self.clock.now()

        def work(s: Session) -> None:
            rows = s.scalars(select(OutageRow).where(
                OutageRow.kind == "unplanned", OutageRow.state.in_(OPEN_STATES), OutageRow.starts_at <= at,
                # Only outages the channel was told about get reminders.
                exists().where(NoticeRow.outage_id == OutageRow.id, NoticeRow.kind == "outage_declared",
                               NoticeRow.action == "post"))).all()
            for outage in rows:
                slot = self.timeline.reminder_slot(outage.starts_at, at)
                if slot < 1:
                    continue
                key = _key(outage.id, "login_reminder", slot)
                if s.scalar(select(exists().where(NoticeRow.dedupe_key == key))):
                    continue
                self._queue(s, outage, self._facts(s, outage), "login_reminder",
                            due=self.timeline.reminder_due(outage.starts_at, slot),
                            expires=self.timeline.reminder_due(outage.starts_at, slot + 1), at=at, key=key)

        self._write(work)

    # -- internals ----------------------------------------------------------------------

    def _clean(self, text: str | None) -> str | None:
        """An admin's or operator's words go to the whole channel, whichever way they came (Slack,
        Teams, the CLI): no personal identity numbers, no invisible characters."""
        if not text:
            return text
        return clean_text(text, self.content.dialog_for(self.lang).redaction_marker)

    def _audit(self, s: Session, at: datetime, actor: str | None, action: str, outage: OutageRow,
               detail: str) -> None:
        audit.record(s, at=at, actor=actor, action=action, outage_id=outage.id, detail=detail)

    def _write(self, work: Callable[[Session], T]) -> T:
        return write(self.store, work)

    def _main_open(self, s: Session, system: str) -> OutageRow | None:
        # FOR UPDATE: a report joining and an admin resolving the same outage take turns.
        return s.scalars(select(OutageRow).where(
            OutageRow.system == system, OutageRow.kind == "unplanned", OutageRow.state.in_(OPEN_STATES),
            OutageRow.split_from.is_(None)).with_for_update()).first()

    def _planned_ongoing(self, s: Session, system: str, at: datetime, lock: bool = False) -> OutageRow | None:
        query = select(OutageRow).where(
            OutageRow.system == system, OutageRow.kind == "planned", OutageRow.state == "scheduled",
            OutageRow.starts_at <= at, OutageRow.ends_at > at).order_by(OutageRow.starts_at)
        return s.scalars(query.with_for_update() if lock else query).first()

    def _get_for_update(self, s: Session, outage_id: int) -> OutageRow:
        outage = s.scalars(select(OutageRow).where(OutageRow.id == outage_id).with_for_update()).first()
        if outage is None:
            raise OutageError("not_found", f"no outage {outage_id}")
        return outage

    def _link(self, s: Session, report_id: int, outage_id: int) -> None:
        s.execute(update(ReportRow).where(ReportRow.id == report_id).values(incident_id=outage_id)
                  .execution_options(synchronize_session="fetch"))

    def _facts(self, s: Session, outage: OutageRow) -> OutageFacts:
        rows = s.execute(select(ReportRow.unit, ReportRow.created_at)
                         .where(ReportRow.incident_id == outage.id)
                         .order_by(ReportRow.created_at, ReportRow.id)).all()
        return self._facts_of(outage, rows)

    def _facts_of(self, outage, rows) -> OutageFacts:
        """`rows`: the outage's reports' (unit, created_at), oldest first."""
        units: dict[str, str] = {}
        for unit, _ in rows:
            name = unit.strip()
            if name:
                # "Hemtjänst Ryd" and "hemtjänst ryd" are one unit; the first spelling is shown.
                units.setdefault(name.casefold(), name)
        first = rows[0][1] if rows else outage.starts_at
        return OutageFacts(id=outage.id, system=outage.system, kind=outage.kind, state=outage.state,
                           starts_at=outage.starts_at, ends_at=outage.ends_at, text=outage.text or "",
                           reports=len(rows), units=tuple(units.values()), first_reported_at=first)

    def _view(self, s: Session, outage: OutageRow, at: datetime) -> OutageView:
        facts = self._facts(s, outage)
        state = status = outage.state
        if outage.kind == "planned" and outage.state == "scheduled":
            if at < outage.starts_at:
                status = "scheduled"
            elif outage.ends_at is not None and at >= outage.ends_at:
                # Nothing marks a planned outage over when its end passes; the clock does.
                state, status = "resolved", "ended"
            else:
                status = "ongoing"
        ends_at = outage.ends_at.astimezone(self.tz) if outage.ends_at else None
        return OutageView(id=outage.id, system=outage.system, kind=outage.kind, state=state, status=status,
                          starts_at=outage.starts_at.astimezone(self.tz), ends_at=ends_at, text=outage.text or "",
                          reports=facts.reports, units=facts.units, split_from=outage.split_from)

    def _queue(self, s: Session, outage: OutageRow, facts: OutageFacts, kind: str, *, due: datetime,
               at: datetime, target: str = BROADCAST, action: str = "post", expires: datetime | None = None,
               key: str | None = None, lang: str | None = None, sets_outage_ref: bool = False) -> bool:
        lang = lang or self.lang
        text = self.render.notice(kind, facts, lang, at)
        if text is None:  # content has no such notice for this system (e.g. ten_hours for Treserva)
            return False
        key = key or _key(outage.id, kind)
        # A channel notice is queued once for each broadcasting channel (bot.outages.channels).
        copies = channels.targets(s) if target == BROADCAST else [(target, "")]
        queued = [outbox.enqueue(s, NewNotice(
            kind=kind, dedupe_key=key + suffix, due_at=due, target=copy_target, text=text,
            system=outage.system, outage_id=outage.id, action=action, expires_at=expires, lang=lang,
            sets_outage_ref=sets_outage_ref)) for copy_target, suffix in copies]
        return queued[0]

    def _announce(self, s: Session, outage: OutageRow, facts: OutageFacts, at: datetime) -> None:
        """The outage's one channel message, and the 10-hour notice it may come to."""
        self._queue(s, outage, facts, "outage_declared", due=at, at=at, key=_key(outage.id, "declared"),
                    sets_outage_ref=True)
        self._queue(s, outage, facts, "ten_hours", due=self.timeline.long_outage_due(outage.starts_at), at=at)

    def _announce_or_refresh(self, s: Session, outage: OutageRow, at: datetime, event: str) -> None:
        facts = self._facts(s, outage)
        if s.scalar(select(exists().where(NoticeRow.dedupe_key == _key(outage.id, "declared")))):
            self._refresh_announcement(s, outage, facts, at, event)
        else:
            self._announce(s, outage, facts, at)

    def _refresh_announcement(self, s: Session, outage: OutageRow, facts: OutageFacts, at: datetime,
                              event: str) -> None:
        """Bring the outage's channel message up to date (units, number of reports).

        Not posted yet: its text is rewritten. Posted (or being posted): one
        pending edit carries the newest text; ten reports in a minute make one
        edit, not ten.
        """
        text = self.render.notice("outage_declared", facts, self.lang, at)
        for target, suffix in channels.targets(s):  # each broadcasting channel's own message
            post = s.scalars(select(NoticeRow).where(
                NoticeRow.dedupe_key == _key(outage.id, "declared") + suffix)).first()
            if post is None or post.state not in ("pending", "sent"):
                continue
            if post.state == "pending" and outbox.rewrite_pending(s, post.id, text, at):
                continue
            edit = s.scalars(select(NoticeRow).where(
                NoticeRow.outage_id == outage.id, NoticeRow.kind == "outage_declared", NoticeRow.action == "update",
                NoticeRow.target == target, NoticeRow.state == "pending").order_by(NoticeRow.id.desc())).first()
            if edit is not None and outbox.rewrite_pending(s, edit.id, text, at):
                continue
            outbox.enqueue(s, NewNotice(kind="outage_declared", dedupe_key=_key(outage.id, "declared", event) + suffix,
                                        due_at=at, target=target, text=text, system=outage.system,
                                        outage_id=outage.id, action="update", lang=self.lang))

    def _resolve(self, s: Session, outage: OutageRow, at: datetime, actor: str | None) -> OutageView:
        if outage.state in ("resolved", "cancelled"):
            raise OutageError("not_open", f"outage {outage.id} is {outage.state}")
        # A refusal below (a planned outage not begun) rolls this back with the rest.
        self._audit(s, at, actor, "resolve", outage,
                    f"system={outage.system} state={outage.state}->resolved ends_at={at.isoformat()}")
        if outage.kind == "planned":
            return self._end_planned_early(s, outage, at)
        outage.state, outage.ends_at = "resolved", at
        # Reminders, the 10-hour notice, an unsent announcement: none of it applies any more.
        outbox.cancel_pending(s, outage.id)
        facts = self._facts(s, outage)
        self._queue(s, outage, facts, "resolved", due=at, at=at)
        for source, user_id, lang in self._reporters(s, outage.id):
            self._queue(s, outage, facts, "resolved", due=at, at=at, target=_user_target(source, user_id),
                        lang=lang, key=_key(outage.id, "resolved", "user", source, user_id))
        log.info("outage %s resolved", outage.id)
        return self._view(s, outage, at)

    def _end_planned_early(self, s: Session, outage: OutageRow, at: datetime) -> OutageView:
        if at < outage.starts_at:
            raise OutageError("not_started", f"planned outage {outage.id} has not started; cancel it instead")
        outage.state, outage.ends_at = "resolved", at
        outbox.cancel_pending(s, outage.id, kinds=["planned_advance", "planned_start"])
        facts = self._facts(s, outage)
        # The end notices (channel and reporters) go out now instead of at the planned end.
        for row in s.scalars(select(NoticeRow).where(NoticeRow.outage_id == outage.id, NoticeRow.kind == "planned_end",
                                                     NoticeRow.state == "pending")).all():
            text = self.render.notice("planned_end", facts, (row.payload or {}).get("lang"), at)
            s.execute(update(NoticeRow).where(NoticeRow.id == row.id, NoticeRow.state == "pending")
                      .values(due_at=at, payload={**row.payload, "text": text})
                      .execution_options(synchronize_session=False))
        log.info("planned outage %s ended early", outage.id)
        return self._view(s, outage, at)

    def _reporters(self, s: Session, outage_id: int) -> list[tuple[str, str, str]]:
        latest: dict[tuple[str, str], str] = {}
        for source, user_id, lang in s.execute(select(ReportRow.source, ReportRow.user_id, ReportRow.lang)
                                               .where(ReportRow.incident_id == outage_id).order_by(ReportRow.id)):
            if user_id:  # an erased report (bot.retention) no longer says who filed it
                latest[(source, user_id)] = lang
        return [(source, user_id, lang) for (source, user_id), lang in latest.items()]
