"""The Slack app's view of the outage lifecycle (bot.outages.service), in one place.

The Home tab, `/driftstopp status` and the admin subcommands go through this
small class: it maps the service's results and refusals to what the Slack
texts need, and keeps those surfaces working (saying that outage management
is not there) when a runtime has no outage service.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

log = logging.getLogger(__name__)

# OutageView.status values that mean "going on now" and "coming".
CURRENT_STATUSES = ("suspected", "confirmed", "ongoing")
UPCOMING_STATUSES = ("scheduled",)


class OutagesUnavailable(Exception):
    """The runtime has no outage service (built without a store)."""


class NothingToResolve(Exception):
    """No open outage for that system."""


class OutageRefused(Exception):
    """The service refused an admin action; `code` is its stable reason (bad_period, in_the_past, ...)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class OutageLine:
    """One outage as the Home tab lists it."""
    system: str
    status: str
    starts_at: datetime
    ends_at: datetime | None
    text: str


def attach_outages(runtime) -> "OutagePort":
    """The port to the outage service runtime.build gave the engine (one instance for the whole process).

    Reports filed through the engine (the DM dialog, the form) reach the outage
    lifecycle through that same service, which opens an outage and tells the channel.
    """
    service = getattr(runtime, "outages", None) or getattr(runtime.engine, "outages", None)
    return OutagePort(service)


class OutagePort:
    def __init__(self, service: Any = None):
        self.service = service

    @property
    def available(self) -> bool:
        return self.service is not None

    def _require(self):
        if self.service is None:
            raise OutagesUnavailable()
        return self.service

    def live_status(self, lang: str) -> str | None:
        """The service's sentence about known outages, or None (then the routine's default sentence is used)."""
        return self.service.live_status(lang) if self.service is not None else None

    def lines(self, at: datetime) -> tuple[list[OutageLine], list[OutageLine]]:
        """(outages going on now, planned ones still to come) for the Home tab."""
        if self.service is None:
            return [], []
        current: list[OutageLine] = []
        upcoming: list[OutageLine] = []
        for view in self.service.list(at):
            if view.split_from is not None:
                continue  # one reporter's separate fault is not news for everyone
            line = OutageLine(system=view.system, status=view.status, starts_at=view.starts_at,
                              ends_at=view.ends_at, text=view.text or "")
            if view.status in CURRENT_STATUSES:
                current.append(line)
            elif view.status in UPCOMING_STATUSES:
                upcoming.append(line)
        return current, upcoming

    def _call(self, action, *args, **kwargs):
        from bot.outages.service import OutageError

        try:
            return action(*args, **kwargs)
        except OutageError as exc:
            if exc.code == "no_open_outage":
                raise NothingToResolve() from None
            raise OutageRefused(exc.code, str(exc)) from None

    def start(self, system: str, text: str):
        return self._call(self._require().start, system, text=text or None)

    def resolve(self, system: str):
        return self._call(self._require().resolve, system)

    def plan(self, system: str, starts_at: datetime, ends_at: datetime, text: str):
        return self._call(self._require().plan, system, starts_at, ends_at, text=text or None)
