"""The audit trail: who did what to an outage, and when.

OutageService writes one row per admin or operator action (start, confirm,
update, split, cancel, resolve, plan) inside the action's own transaction, so
an action and its record commit together or not at all, whichever channel it
came through (Slack, Teams, the CLI all end in OutageService). A refused
action raises before anything is written and leaves no row.

The actor's id ("slack:U123", "teams:<Entra object id>", "cli:<os user>") is
the only thing about a person: `detail` says what changed to the outage
(system, states, times, the operator's public text, which is redacted as it
is stored), never a reporter's name or description.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.privacy import clean_text
from bot.storage.tables import AuditRow

ACTIONS = ("start", "confirm", "update", "split", "cancel", "resolve", "plan")
# An action recorded without a caller saying who (a test, a script calling the service directly).
UNKNOWN_ACTOR = "unknown"
# Long enough for an outage text (Slack's limit for a command is far above what a notice shows).
_DETAIL_LIMIT = 2000
# The marker for a redacted identity number; the audit trail is for operators, not for one language.
_REDACTED = "[…]"


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    outage_id: int | None
    detail: str

    def as_json(self, tz=None) -> dict:
        at = self.at.astimezone(tz) if tz else self.at
        return {"at": at.isoformat(), "actor": self.actor, "action": self.action,
                "outage_id": self.outage_id, "detail": self.detail}


def record(s: Session, *, at: datetime, actor: str | None, action: str, outage_id: int | None,
           detail: str = "") -> None:
    """Add an entry in the caller's transaction."""
    if action not in ACTIONS:
        raise ValueError(f"not an audited action: {action}")
    detail = clean_text(detail, _REDACTED) if detail else ""
    s.add(AuditRow(at=at, actor=(actor or UNKNOWN_ACTOR)[:200], action=action, outage_id=outage_id,
                   detail=detail[:_DETAIL_LIMIT]))


def entries(store, since: datetime | None = None, outage_id: int | None = None) -> list[AuditEntry]:
    """The entries, oldest first; from `since` on, or of one outage."""
    query = select(AuditRow).order_by(AuditRow.at, AuditRow.id)
    if since is not None:
        query = query.where(AuditRow.at >= since)
    if outage_id is not None:
        query = query.where(AuditRow.outage_id == outage_id)
    with store.session() as s:
        return [AuditEntry(at=r.at, actor=r.actor, action=r.action, outage_id=r.outage_id, detail=r.detail)
                for r in s.scalars(query)]


def quoted(text: str | None) -> str:
    """An outage text inside a detail line, on one line."""
    return '"' + " ".join((text or "").split()).replace('"', "'") + '"'
