"""The one clock. Nothing else in driftbot asks the system for the time.

Time is a parameter so that `--at` is honest and tests are deterministic:
commands build a FixedClock from `--at`, servers use SystemClock.
"""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo


class Clock:
    """Tells the current time as an aware datetime in the configured zone."""

    def __init__(self, tz: ZoneInfo):
        self.tz = tz

    def now(self) -> datetime:  # pragma: no cover - overridden
        raise NotImplementedError


class SystemClock(Clock):
    def now(self) -> datetime:
        return datetime.now(timezone.utc).astimezone(self.tz)


class FixedClock(Clock):
    """A clock that stands still until told otherwise (for --at and tests)."""

    def __init__(self, at: datetime, tz: ZoneInfo):
        super().__init__(tz)
        self._at = at.astimezone(tz)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = at.astimezone(self.tz)


class RunningClock(Clock):
    """A clock that starts at a given time and then runs with real time.

    `serve --at` answers as at that moment (a FixedClock), but its outbox
    worker must still see seconds pass, or a message waiting out a
    Retry-After would wait for ever.
    """

    def __init__(self, start: datetime, tz: ZoneInfo):
        import time

        super().__init__(tz)
        self._start = start.astimezone(tz)
        self._ticks = time.monotonic
        self._origin = self._ticks()

    def now(self) -> datetime:
        from datetime import timedelta

        return self._start + timedelta(seconds=self._ticks() - self._origin)


def parse_at(value: str, tz: ZoneInfo) -> datetime:
    """Parse an ISO 8601 time; without an offset it is local time in `tz`.

    Raises ValueError with a readable message.
    """
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not an ISO 8601 time: {value!r} (example: 2026-03-30T06:30 or 2026-03-30T06:30:00+02:00)") from None
    if parsed.tzinfo is None:
        # fold=0: an ambiguous wall time in the autumn DST switch is read as the first one.
        parsed = parsed.replace(tzinfo=tz)
    return parsed.astimezone(tz)
