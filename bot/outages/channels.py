"""Channel notices for more than one messenger: each broadcasting channel gets its own copy.

Slack's broadcast channel has always been the target "broadcast". Another
channel (Teams) registers itself in the database when its process starts;
from then on the outage service queues every channel notice once more for it,
as "broadcast:<channel>" with the same dedupe key and "@<channel>" after it.
Each copy has its own delivery state, retries and message reference (an edit
goes to that channel's post, outage_posts), so the Slack and the Teams
process, sharing one database, each deliver each notice once to their channel.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.storage.tables import BroadcastChannelRow

PRIMARY = "broadcast"
PREFIX = "broadcast:"


def target_for(channel: str) -> str:
    return PREFIX + channel


def is_copy(target: str) -> bool:
    return target.startswith(PREFIX)


def targets(session: Session) -> list[tuple[str, str]]:
    """(target, dedupe-key suffix) of every broadcasting channel, Slack's first."""
    channels = session.scalars(select(BroadcastChannelRow.channel).order_by(BroadcastChannelRow.channel)).all()
    return [(PRIMARY, "")] + [(target_for(c), f"@{c}") for c in channels]


def register(store, channel: str, at: datetime) -> None:
    """Have every channel notice queued from now on also for `channel` (idempotent)."""
    from sqlalchemy.exc import IntegrityError

    try:
        with store.session.begin() as s:
            if s.get(BroadcastChannelRow, channel) is None:
                s.add(BroadcastChannelRow(channel=channel, registered_at=at))
    except IntegrityError:  # another replica registered it at the same moment
        pass
