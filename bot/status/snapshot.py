"""What the status page, its JSON and its feed show: the outages worth knowing about at a moment.

Open outages (suspected or confirmed), planned ones still to come or in progress, and those
resolved within the last 24 hours (shared/cli-contract.md, "Status page"). Not an outage split
out of another (one reporter's own fault, no news for everyone) nor a cancelled one. An outage
carries its system, times, number of reports, the units' names and the administrator's public
text (redacted when it was stored): never a reporter's name or a description.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from bot.storage.tables import AuditRow

RECENTLY_RESOLVED = timedelta(hours=24)
# The page's sections, in the order shown.
SECTIONS = ("current", "planned", "resolved")


@dataclass(frozen=True)
class StatusOutage:
    view: object          # bot.outages.service.OutageView
    phase: str            # open | planned (in progress) | upcoming | resolved
    updated_at: datetime  # the last change (an admin action, else its start or end), for the feed

    @property
    def section(self) -> str:
        return {"open": "current", "planned": "current", "upcoming": "planned"}.get(self.phase, "resolved")

    def as_json(self, tz) -> dict:
        v = self.view
        return {"id": v.id, "system": v.system, "kind": v.kind, "state": v.state,
                "starts_at": v.starts_at.astimezone(tz).isoformat(),
                "ends_at": v.ends_at.astimezone(tz).isoformat() if v.ends_at else None,
                "reports": v.reports, "units": list(v.units), "text": v.text}


@dataclass(frozen=True)
class Snapshot:
    generated_at: datetime
    outages: list[StatusOutage]

    def in_section(self, section: str) -> list[StatusOutage]:
        return [o for o in self.outages if o.section == section]

    def as_json(self, tz) -> dict:
        return {"generated_at": self.generated_at.astimezone(tz).isoformat(),
                "outages": [o.as_json(tz) for o in self.outages]}


def _phase(view) -> str | None:
    if view.split_from is not None or view.state == "cancelled":
        return None
    if view.state in ("suspected", "confirmed"):
        return "open"
    if view.state == "scheduled":
        return "planned" if view.status == "ongoing" else "upcoming"
    if view.state == "resolved":
        return "resolved"
    return None


def take(service, at: datetime) -> Snapshot:
    """The outages at `at`, as the status page shows them."""
    outages = []
    since = at - RECENTLY_RESOLVED
    views = service.list(at, recent=RECENTLY_RESOLVED)
    changed = _last_actions(service.store, [v.id for v in views], at)
    for view in views:
        phase = _phase(view)
        if phase is None or (phase == "resolved" and (view.ends_at is None or view.ends_at < since)):
            continue
        moments = [m for m in (view.starts_at, view.ends_at, changed.get(view.id)) if m is not None and m <= at]
        outages.append(StatusOutage(view=view, phase=phase, updated_at=max(moments) if moments else at))
    order = {section: i for i, section in enumerate(SECTIONS)}
    outages.sort(key=lambda o: (order[o.section], o.view.starts_at, o.view.id))
    return Snapshot(generated_at=at, outages=outages)


def _last_actions(store, outage_ids: list[int], at: datetime) -> dict[int, datetime]:
    if not outage_ids:
        return {}
    with store.session() as s:
        rows = s.execute(select(AuditRow.outage_id, func.max(AuditRow.at))
                         .where(AuditRow.outage_id.in_(outage_ids), AuditRow.at <= at)
                         .group_by(AuditRow.outage_id)).all()
    return {outage_id: moment for outage_id, moment in rows}
