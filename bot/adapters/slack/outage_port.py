"""The Slack app's view of the outage lifecycle (bot.outages.service), in one place.

The Home tab, `/driftstopp status` and the admin subcommands go through this
small class. It wraps the one OutageService runtime.build made (the engine
files reports through the same one, so a report filed in Slack opens or joins
an outage and tells the channel). The Slack app always runs with a store, so
there always is a service. A refusal is the service's OutageError, whose
`code` (not_found, not_open, no_open_outage, ...) the commands map to a text.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.outages import CURRENT_STATUSES, UPCOMING_STATUSES
from bot.outages.service import OutageError, OutageService, OutageView

__all__ = ["CURRENT_STATUSES", "UPCOMING_STATUSES", "OutageError", "OutageLine", "OutagePort", "attach_outages"]


@dataclass(frozen=True)
class OutageLine:
    """One outage as the Home tab and an administrator's status list show it."""
    id: int
    system: str
    status: str
    starts_at: datetime
    ends_at: datetime | None
    text: str
    reports: int
    split_from: int | None


def attach_outages(runtime) -> "OutagePort":
    """The port to the outage service runtime.build made (one instance for the whole process)."""
    if runtime.outages is None:
        raise ValueError("the Slack app needs a runtime built with a store (runtime.build(..., with_store=True))")
    return OutagePort(runtime.outages)


class OutagePort:
    def __init__(self, service: OutageService):
        self.service = service

    def live_status(self, lang: str) -> str | None:
        """The service's sentence about known outages, or None (then the routine's default sentence is used)."""
        return self.service.live_status(lang)

    def lines(self, at: datetime, *, include_split: bool = False) -> tuple[list[OutageLine], list[OutageLine]]:
        """(outages going on now, planned ones still to come) for the Home tab.

        An outage split out of another is one reporter's separate fault, not
        news for everyone; administrators (`include_split`) see it, since they
        decide whether to confirm or cancel it.
        """
        current: list[OutageLine] = []
        upcoming: list[OutageLine] = []
        for view in self.service.list(at):
            if view.split_from is not None and not include_split:
                continue
            line = OutageLine(id=view.id, system=view.system, status=view.status, starts_at=view.starts_at,
                              ends_at=view.ends_at, text=view.text or "", reports=view.reports,
                              split_from=view.split_from)
            if view.status in CURRENT_STATUSES:
                current.append(line)
            elif view.status in UPCOMING_STATUSES:
                upcoming.append(line)
        return current, upcoming

    # -- the administrators' actions (each raises OutageError when refused) --------------

    def start(self, system: str, text: str) -> OutageView:
        return self.service.start(system, text=text or None)

    def resolve(self, system: str) -> OutageView:
        return self.service.resolve(system)

    def plan(self, system: str, starts_at: datetime, ends_at: datetime, text: str) -> OutageView:
        return self.service.plan(system, starts_at, ends_at, text=text or None)

    def confirm(self, outage_id: int) -> OutageView:
        return self.service.confirm(outage_id)

    def update(self, outage_id: int, text: str) -> OutageView:
        return self.service.update(outage_id, text)

    def split(self, report_id: int) -> OutageView:
        return self.service.split(report_id)

    def cancel(self, outage_id: int) -> OutageView:
        return self.service.cancel(outage_id)
