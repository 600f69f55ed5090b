"""Retention: a report's personal fields are erased after routine.yaml's retention.report_days.

Reports come from health and social care: a name, a messenger id and free text that may say
more about a client than it should. After the retention period `purge` sets `reporter_name`,
`description` and `user_id` to NULL and stamps `erased_at`; the anonymous rest (id, times,
unit, system, scope, contact, the outage) stays for statistics (shared/cli-contract.md,
"Audit and retention"). Idempotent, so every replica of `serve` may run it daily.

Beside it, what is pruned anyway: dialog state left for a day (long expired: the dialog times
out in minutes, and a draft holds a name) and processed message ids older than a week.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update

from bot.storage import KEEP_MESSAGE_IDS
from bot.storage.tables import ConversationRow, ProcessedMessageRow, ReportRow

log = logging.getLogger(__name__)

KEEP_DIALOG_STATE = timedelta(days=1)
# `serve` purges this often (and once at start).
PURGE_EVERY = timedelta(days=1)


def retention_days(settings, content) -> int:
    """DRIFTBOT_REPORT_RETENTION_DAYS, else routine.yaml's retention.report_days."""
    return settings.report_retention_days or content.routine.retention.report_days


@dataclass(frozen=True)
class PurgeResult:
    older_than: datetime
    reports: int          # reports whose personal fields were (or, in a dry run, would be) erased
    dialog_states: int
    message_ids: int
    dry_run: bool

    def as_json(self, tz=None) -> dict:
        at = self.older_than.astimezone(tz) if tz else self.older_than
        return {"older_than": at.isoformat(), "reports": self.reports, "dialog_states": self.dialog_states,
                "message_ids": self.message_ids, "dry_run": self.dry_run}


def purge(store, now: datetime, days: int, dry_run: bool = False) -> PurgeResult:
    """Erase the personal fields of reports filed more than `days` ago, in one transaction."""
    cutoff = now - timedelta(days=days)
    old_reports = (ReportRow.created_at < cutoff, ReportRow.erased_at.is_(None))
    old_states = (ConversationRow.updated_at < now - KEEP_DIALOG_STATE,)
    old_ids = (ProcessedMessageRow.seen_at < now - KEEP_MESSAGE_IDS,)
    if dry_run:
        with store.session() as s:
            counts = [s.scalar(select(func.count()).select_from(table).where(*where))
                      for table, where in ((ReportRow, old_reports), (ConversationRow, old_states),
                                           (ProcessedMessageRow, old_ids))]
        return PurgeResult(cutoff, *counts, dry_run=True)
    with store.session.begin() as s:
        reports = s.execute(update(ReportRow).where(*old_reports)
                            .values(reporter_name=None, description=None, user_id=None, erased_at=now)
                            .execution_options(synchronize_session=False)).rowcount
        states = s.execute(delete(ConversationRow).where(*old_states)
                           .execution_options(synchronize_session=False)).rowcount
        ids = s.execute(delete(ProcessedMessageRow).where(*old_ids)
                        .execution_options(synchronize_session=False)).rowcount
    log.info("retention: %s report(s) erased, %s dialog state(s) and %s message id(s) pruned", reports, states, ids)
    return PurgeResult(cutoff, reports, states, ids, dry_run=False)


class DailyPurge:
    """For a serving process's outbox pass: purge at the first pass, then once a day.

    A failure is logged (without any report's content) and tried again at the next day's turn;
    it never stops the outbox from delivering."""

    def __init__(self, store, days: int):
        self.store = store
        self.days = days
        self.next_at: datetime | None = None

    def __call__(self, at: datetime) -> None:
        if self.next_at is not None and at < self.next_at:
            return
        self.next_at = at + PURGE_EVERY
        try:
            purge(self.store, at, self.days)
        except Exception as exc:
            log.warning("retention purge failed: %s", type(exc).__name__)
