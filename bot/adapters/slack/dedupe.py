"""Drop Events API deliveries already seen, without a database round trip before the ack.

Slack redelivers an event it thinks was not acknowledged in time (within 3 s), up to three
times, marked X-Slack-Retry-Num (Socket Mode carries the same as retry_attempt). Each
delivery has the same event_id.

Two checks, one on each side of the acknowledgement:

    before the ack (request thread)    in memory only: an event id this process has seen or
                                       is handling is acknowledged and dropped
    after the ack (listener thread)    the durable claim: the id is inserted in the database;
                                       only the first insert, on any replica, in any life of
                                       the process, runs the listener

The database work used to be before the ack, and under a burst (everyone writes at once when
an outage starts) the ack waited for a pooled connection or SQLite's write lock: seconds, where
Slack gives three. The in-memory check answers Slack's usual retry (the same replica, a slow
ack) at no cost; the durable claim catches what memory cannot (another replica, a restart).

What must not be lost in the move is the rule that an event counts as seen only once its
claim is stored, so that an event the database could not take is delivered again by Slack
when the database is back. A 200 tells Slack not to retry, so the gate only acknowledges
first and claims after while the database is, as far as this process knows, up:

- The store's Health (bot.storage) is what the process last saw, learnt without asking: any
  statement that succeeded says up; a connection that failed says down. Reading it costs
  nothing.
- While it says down, the claim is made before the ack, as it was: if it fails, 503 and the
  event is forgotten, so Slack's retry (after a minute, then five) lands; if it succeeds the
  database is back and Health says so for the events after it.
- While it says up, the event is marked *pending* in memory, acknowledged, and claimed on the
  listener thread. If that claim fails (the database went away after the last success and
  before anyone noticed), the event is already acknowledged and Slack will not retry it. It is
  then forgotten (not seen: a delivery of it that still comes is handled), Health turns to
  down so that the next events take the 503 path, and the person is told at once what the
  503 path tells them: could not save, try again in a minute. So no one is left believing
  something was answered or saved; only the events already acknowledged at that moment take
  this road, and the person's own retry does what Slack's would have done.
- A delivery that arrives while the first is pending is dropped: the first one is being
  handled, or, if its claim fails, its writer is told to write again.
"""
from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from contextlib import nullcontext
from functools import wraps

from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse

from bot.errors import is_storage_failure

log = logging.getLogger(__name__)

RECENT_SIZE = 5000
DEDUPE_SOURCE = "slack-event"
PENDING, CLAIMED = "pending", "claimed"
# Where the middleware leaves, for the listener, whether the durable claim is still to be made.
CONTEXT_KEY = "driftbot_event_claim"


class RecentIds:
    """A bounded set of ids, oldest forgotten first (each with a state)."""

    def __init__(self, size: int = RECENT_SIZE):
        self._ids: OrderedDict[str, str] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def seen(self, key: str) -> bool:
        with self._lock:
            return key in self._ids

    def add(self, key: str, state: str = CLAIMED) -> bool:
        """True if the key is new."""
        with self._lock:
            if key in self._ids:
                return False
            self._set(key, state)
            return True

    def mark(self, key: str, state: str) -> None:
        with self._lock:
            self._set(key, state)

    def forget(self, key: str) -> None:
        with self._lock:
            self._ids.pop(key, None)

    def _set(self, key: str, state: str) -> None:
        self._ids[key] = state
        self._ids.move_to_end(key)
        while len(self._ids) > self._size:
            self._ids.popitem(last=False)


class EventGate:
    """The two checks of the module docstring: `middleware` before the ack, `claimed` after it.

    `on_storage_failure(body)` tells the person that nothing could be saved (once).
    """

    def __init__(self, store, clock, on_storage_failure=None, slots=None):
        self.store = store
        self.clock = clock
        self.on_storage_failure = on_storage_failure
        self.recent = RecentIds()
        # bot.adapters.slack.answering: the claim and the listener run in a slot, so that a burst's
        # claims do not all run at once either (each would open a database connection of its own).
        self.slots = slots

    # -- before the ack -------------------------------------------------------------

    def middleware(self, request: BoltRequest, body: dict, next):
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if not event_id:
            return next()
        if not self.recent.add(event_id, PENDING):
            retry = (request.headers.get("x-slack-retry-num") or [None])[0]
            log.info("event %s delivered again (retry %s): acknowledged, not handled", event_id, retry)
            return BoltResponse(status=200, body="")
        if self.store is None:
            self.recent.mark(event_id, CLAIMED)
            return next()
        if self.store.health.down:
            # The database was last seen down: claim now, so that a failure can still be refused.
            claimed = self._claim(event_id, body)
            if claimed is None:
                return BoltResponse(status=503, body="")
            if not claimed:
                return BoltResponse(status=200, body="")
        else:
            request.context[CONTEXT_KEY] = event_id
        return next()

    # -- after the ack ----------------------------------------------------------------

    def claimed(self, listener):
        """Wrap an event listener (which must take `body` and `context`): it runs only for the
        first delivery of its event, once the claim is stored."""
        names = listener.__code__.co_varnames[:listener.__code__.co_argcount]
        if "body" not in names or "context" not in names:
            raise TypeError(f"{listener.__name__} must take `body` and `context` to be claimed")

        @wraps(listener)
        def run(**kwargs):
            with self.slots.slot() if self.slots is not None else nullcontext():
                event_id = kwargs["context"].get(CONTEXT_KEY)
                if event_id and not self._claim(event_id, kwargs["body"]):
                    return None
                return listener(**kwargs)

        return run

    # -- the durable claim --------------------------------------------------------------

    def _claim(self, event_id: str, body: dict) -> bool | None:
        """True: first delivery, claimed. False: claimed before (by this or another replica).
        None: the database could not take it; the event is forgotten and the person told."""
        try:
            first = self.store.first_delivery(DEDUPE_SOURCE, event_id, self.clock.now())
        except Exception as exc:
            if not is_storage_failure(exc):
                self.recent.forget(event_id)
                raise
            self.recent.forget(event_id)
            self.store.health.failed()
            log.error("event %s not claimed, the database is unavailable (%s): not counted as seen",
                      event_id, type(exc).__name__, extra={"event_id": event_id, "error": type(exc).__name__})
            if self.on_storage_failure is not None:
                self.on_storage_failure(body)
            return None
        self.recent.mark(event_id, CLAIMED)
        if not first:
            log.info("event %s was claimed before (another replica, or before a restart): not handled", event_id)
        return first

