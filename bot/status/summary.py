"""The post-outage summary: how long it lasted, whether it passed the 10-hour line, and its
timeline (reports by unit and hour, the notices sent, the administrators' actions).

For the support desk's and the administrations' follow-up, and linked from the public status
page, so it holds nothing personal: units and counts, never a reporter's name or description;
the kind of each notice and where it went (direct messages to reporters only as a count); the
administrators' actions without who took them (`driftbot audit` has that, for operators).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from bot import audit
from bot.outages.service import OutageError
from bot.storage.tables import NoticeRow, ReportRow


@dataclass(frozen=True)
class Summary:
    view: object                       # bot.outages.service.OutageView
    until: datetime                    # its end, or the moment asked about while it goes on
    passed_ten_hours: bool
    reports_by_unit: list[tuple[datetime, str, int]]    # (hour, unit, reports), oldest first
    notices: list[tuple[str, str, datetime]]             # (kind, channel, sent at); channel "direct" for reporters
    direct_notices: int
    actions: list[tuple[datetime, str, str]] = field(default_factory=list)   # (at, action, detail)

    @property
    def duration_seconds(self) -> int:
        return max(0, int((self.until - self.view.starts_at).total_seconds()))

    def as_json(self, tz) -> dict:
        v = self.view

        def iso(moment):
            return moment.astimezone(tz).isoformat() if moment else None

        return {"id": v.id, "system": v.system, "kind": v.kind, "state": v.state,
                "starts_at": iso(v.starts_at), "ends_at": iso(v.ends_at),
                "duration_minutes": self.duration_seconds // 60, "passed_ten_hours": self.passed_ten_hours,
                "text": v.text, "reports": v.reports, "units": list(v.units),
                "reports_by_unit": [{"hour": iso(hour), "unit": unit, "reports": n}
                                    for hour, unit, n in self.reports_by_unit],
                "notices": [{"kind": kind, "channel": channel, "sent_at": iso(at)}
                            for kind, channel, at in self.notices],
                "direct_notices": self.direct_notices,
                "actions": [{"at": iso(at), "action": action, "detail": detail}
                            for at, action, detail in self.actions]}


def build(service, outage_id: int, at: datetime) -> Summary:
    """The summary of one outage as known at `at`; OutageError("not_found") for no such outage
    (nor one split out of another, or cancelled: nothing to follow up for everyone)."""
    view = service.get(outage_id, at)
    if view.split_from is not None or view.state == "cancelled":
        raise OutageError("not_found", f"no outage {outage_id}")
    until = view.ends_at if view.ends_at and view.ends_at <= at else at
    tz = service.tz
    with service.store.session() as s:
        reports = s.execute(select(ReportRow.created_at, ReportRow.unit)
                            .where(ReportRow.incident_id == outage_id, ReportRow.created_at <= at)
                            .order_by(ReportRow.created_at, ReportRow.id)).all()
        sent = s.execute(select(NoticeRow.kind, NoticeRow.target, NoticeRow.sent_at)
                         .where(NoticeRow.outage_id == outage_id, NoticeRow.state == "sent",
                                NoticeRow.sent_at.is_not(None), NoticeRow.sent_at <= at)
                         .order_by(NoticeRow.sent_at, NoticeRow.id)).all()
    per_hour: Counter = Counter()
    for created_at, unit in reports:
        hour = created_at.astimezone(tz).replace(minute=0, second=0, microsecond=0)
        per_hour[(hour, " ".join(unit.split()))] += 1
    notices, direct = [], 0
    for kind, target, sent_at in sent:
        if target.startswith("user:"):
            direct += 1
        elif target.startswith("broadcast"):
            notices.append((kind, target, sent_at))
    actions = [(e.at, e.action, e.detail) for e in audit.entries(service.store, outage_id=outage_id) if e.at <= at]
    return Summary(view=view, until=until,
                   passed_ten_hours=service.timeline.lasted_long(view.starts_at, until),
                   reports_by_unit=[(hour, unit, n) for (hour, unit), n in sorted(per_hour.items())],
                   notices=notices, direct_notices=direct, actions=actions)


def plot_png(summary: Summary, title: str, tz) -> bytes:
    """Reports per hour, stacked by unit, as a PNG. Needs matplotlib (the `plot` extra):
    ImportError without it, which the callers turn into one line saying so."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot
    from matplotlib.dates import DateFormatter

    hours = sorted({hour for hour, _, _ in summary.reports_by_unit})
    units = list(dict.fromkeys(unit for _, unit, _ in summary.reports_by_unit))
    counts = {(hour, unit): n for hour, unit, n in summary.reports_by_unit}
    figure, axes = pyplot.subplots(figsize=(8, 4), dpi=100)
    try:
        bottom = [0] * len(hours)
        width = 1 / 24 * 0.8
        for unit in units:
            heights = [counts.get((hour, unit), 0) for hour in hours]
            axes.bar(hours, heights, width=width, bottom=bottom, label=unit, align="edge")
            bottom = [b + h for b, h in zip(bottom, heights)]
        axes.set_title(title)
        axes.xaxis.set_major_formatter(DateFormatter("%H:%M", tz=tz))
        axes.yaxis.get_major_locator().set_params(integer=True)
        if units:
            axes.legend(fontsize="small", loc="upper right")
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format="png")
        return out.getvalue()
    finally:
        pyplot.close(figure)


PLOT_MISSING = "no plot: matplotlib is not installed (pip install 'driftbot[plot]')"
