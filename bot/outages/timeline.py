"""When each notice of an outage falls due: the routine's timeline as arithmetic.

Pure functions of times and routine.yaml's thresholds, so the rules can be
read (and tested) apart from storage. Elapsed durations (reminders, the
10-hour line) are real time, computed in UTC, so a daylight-saving switch in
the middle of an outage neither adds nor loses an hour. "N days before" a
planned outage is wall-clock time: announced at the same local hour.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from bot.content import Thresholds


@dataclass(frozen=True)
class Timeline:
    planned_notice: timedelta        # how long before a planned outage it is announced
    login_reminder: timedelta        # how often to remind staff to try logging in
    post_registration: timedelta     # the line between "post-register yourself" and "the administrations announce how"

    @classmethod
    def from_thresholds(cls, thresholds: Thresholds) -> "Timeline":
        return cls(planned_notice=timedelta(days=thresholds.planned_notice_days),
                   login_reminder=timedelta(minutes=thresholds.login_reminder_minutes),
                   post_registration=timedelta(hours=thresholds.post_registration_hours))

    # -- planned outages ----------------------------------------------------------

    def planned_advance_due(self, start: datetime, planned_at: datetime, tz: ZoneInfo) -> datetime | None:
        """When to announce a planned outage: the notice period ahead, or at once
        when it was planned later than that; None when it has already started."""
        if planned_at >= start:
            return None
        ahead = start.astimezone(tz) - self.planned_notice  # same tzinfo: wall-clock arithmetic
        return max(ahead, planned_at)

    # -- open unplanned outages -----------------------------------------------------

    def reminder_slot(self, start: datetime, at: datetime) -> int:
        """How many reminder intervals have passed since the start (0: none yet)."""
        elapsed = _utc(at) - _utc(start)
        if elapsed < timedelta(0):
            return 0
        return int(elapsed // self.login_reminder)

    def reminder_due(self, start: datetime, slot: int) -> datetime:
        return _utc(start) + slot * self.login_reminder

    def long_outage_due(self, start: datetime) -> datetime:
        """When an open outage passes the post-registration line."""
        return _utc(start) + self.post_registration

    def lasted_long(self, start: datetime, end: datetime) -> bool:
        """More than the line (exactly 10 hours is still "up to 10 hours")."""
        return _utc(end) - _utc(start) > self.post_registration


def _utc(value: datetime) -> datetime:
    return value.astimezone(timezone.utc)
