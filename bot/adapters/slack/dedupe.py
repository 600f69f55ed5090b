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

    def seen(self, key: str) -> bool:
        with self._lock:
            return key in self._ids

    def add(self, key: str) -> bool:
        """True if the key is new."""
        with self._lock:
            if key in self._ids:
                return False
            self._ids[key] = None
            while len(self._ids) > self._size:
                self._ids.popitem(last=False)
            return True


def drop_redelivered_events(store, clock, on_storage_failure=None):
    """Bolt middleware; `clock` stamps the claimed ids (the store prunes them a week later).

    An event counts as seen only once its claim is in the database. When the
    database cannot take the claim, the event is refused with 503 and not
    remembered, so Slack's retry (a minute later, then five) can land once the
    database is back; `on_storage_failure(body)` may tell the person meanwhile.
    """
    recent = RecentIds()

    def drop_redelivered(request: BoltRequest, body: dict, next):
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            first = not recent.seen(event_id)
            if first and store is not None:
                try:
                    first = store.first_delivery(DEDUPE_SOURCE, event_id, clock.now())
                except Exception as exc:
                    from bot.errors import is_storage_failure

                    if not is_storage_failure(exc):
                        raise
                    log.error("event %s not claimed, the database is unavailable (%s): refused for Slack to retry",
                              event_id, type(exc).__name__)
                    if on_storage_failure is not None:
                        on_storage_failure(body)
                    return BoltResponse(status=503, body="")
            if first:
                recent.add(event_id)
            else:
                retry = (request.headers.get("x-slack-retry-num") or [None])[0]
                log.info("event %s delivered again (retry %s): acknowledged, not handled", event_id, retry)
                return BoltResponse(status=200, body="")
        return next()

    return drop_redelivered
