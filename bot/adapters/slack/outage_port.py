"""The Slack app's view of the outage lifecycle, usable before it exists.

bot/outages/service.py (OutageService) is written separately; until it is
installed the Home tab, `/driftstopp status` and the admin subcommands must
still work (saying that outage management is not there). Everything the
Slack adapter needs from that service goes through this one small class, so
the guard lives in one place.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

log = logging.getLogger(__name__)


class OutagesUnavailable(Exception):
    """The outage module is not installed in this build."""


@dataclass(frozen=True)
class OutageLine:
    """One outage as the Home tab lists it."""
    system: str
    state: str                 # scheduled | suspected | confirmed | resolved | cancelled
    starts_at: datetime
    ends_at: datetime | None
    text: str


def _service_class():
    try:
        from bot.outages.service import OutageService
    except ImportError:
        return None
    return OutageService


def outage_port(runtime) -> "OutagePort":
    """The engine's outage service when the runtime made one (one instance for the whole process), else a new
    one when the module is installed, else an empty port."""
    service = getattr(runtime.engine, "outages", None)
    if service is None and runtime.store is not None:
        cls = _service_class()
        if cls is not None:
            service = cls(runtime.store, runtime.content, runtime.clock)
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
        if self.service is None:
            return None
        return self.service.live_status(lang)

    def lines(self, at: datetime) -> tuple[list[OutageLine], list[OutageLine]]:
        """(open outages, planned ones not yet started) for the Home tab."""
        if self.service is None:
            return [], []
        current: list[OutageLine] = []
        planned: list[OutageLine] = []
        for outage in self.service.list(at):
            line = OutageLine(system=outage.system, state=outage.state, starts_at=outage.starts_at,
                              ends_at=outage.ends_at, text=outage.text or "")
            if line.state in ("suspected", "confirmed") or (line.state == "scheduled" and line.starts_at <= at):
                current.append(line)
            elif line.state == "scheduled":
                planned.append(line)
        return current, planned

    def start(self, system: str, text: str, user_id: str):
        return self._require().start(system, text=text)

    def resolve(self, system: str, user_id: str):
        return self._require().resolve(system)

    def plan(self, system: str, starts_at: datetime, ends_at: datetime, text: str, user_id: str):
        return self._require().plan(system, starts_at, ends_at, text=text)
