"""Drop Events API deliveries already seen.

Slack redelivers an event it thinks was not acknowledged in time, up to three
times, marked X-Slack-Retry-Num (Socket Mode carries the same as
retry_attempt). Each delivery has the same event_id. The first one is claimed
in the database, so a retry is dropped even when it reaches another replica
or arrives after a restart: a report is never filed twice. A small in-memory
set answers the common case without a database round trip.
"""
from __future__ import annotations

import logging
import threading
from collections import OrderedDict

from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse

log = logging.getLogger(__name__)

RECENT_SIZE = 5000
DEDUPE_SOURCE = "slack-event"


class RecentIds:
    def __init__(self, size: int = RECENT_SIZE):
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def add(self, key: str) -> bool:
        """True if the key is new."""
        with self._lock:
            if key in self._ids:
                return False
            self._ids[key] = None
            while len(self._ids) > self._size:
                self._ids.popitem(last=False)
            return True


def drop_redelivered_events(store, clock):
    """Bolt middleware; `clock` stamps the claimed ids (the store prunes them a week later)."""
    recent = RecentIds()

    def drop_redelivered(request: BoltRequest, body: dict, next):
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            first = recent.add(event_id)
            if first and store is not None:
                first = store.first_delivery(DEDUPE_SOURCE, event_id, clock.now())
            if not first:
                retry = (request.headers.get("x-slack-retry-num") or [None])[0]
                log.info("event %s delivered again (retry %s): acknowledged, not handled", event_id, retry)
                return BoltResponse(status=200, body="")
        return next()

    return drop_redelivered
