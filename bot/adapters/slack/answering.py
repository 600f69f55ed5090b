"""How many listener threads answer at once: a few, however many are waiting on Slack.

The HTTP thread that acknowledges an event needs the interpreter lock for a moment; every
listener thread computing an answer competes with it for that lock (and for the cores). Under
a burst with 16 listener threads all computing, the acknowledgement waited behind them: its
p99 went past 600 ms on PostgreSQL while the answers themselves got no faster (measured in
benchmarks/burst.py, results in benchmarks/RESULTS.md). Fewer listener threads would help,
but a listener may wait seconds on Slack (users.info, a post that hangs, a 429's Retry-After),
and those waits must not hold up everyone else's answers.

So the listener threads stay many (bot.adapters.slack.app.WORKERS) and a turn takes one of
few *slots* before it runs the engine. The slot is given up at the turn's first Web API call
(every client from bot.adapters.slack.client.make_client does so), so a thread waiting on Slack
never holds one, and is not taken again for the rest of that listener: a thread only ever
waits for a slot while it holds nothing else (no conversation lock, no database transaction),
which is what keeps this free of deadlocks. What the turn does is unchanged: the same lock,
the same durable, ordered replies; only when it starts.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager

# Turns computing at once. Two cores: two turns keep both busy while a third waits on the
# database; more only queue for the interpreter lock in front of the acknowledgements.
SLOTS = 3

_held = threading.local()


class AnsweringSlots:
    def __init__(self, slots: int = SLOTS):
        self.size = slots
        self._slots = threading.BoundedSemaphore(slots)

    @contextmanager
    def slot(self):
        """Run the block in a slot, or, from its first Web API call on, without one.

        Take it only while holding no lock a slot holder may wait for."""
        if getattr(_held, "release", None) is not None:  # already in one (a nested turn): keep it
            yield
            return
        self._slots.acquire()
        _held.release = self._slots.release
        try:
            yield
        finally:
            give_up_slot()


def give_up_slot() -> None:
    """The calling thread is about to wait (on Slack): let another turn have its slot."""
    release = getattr(_held, "release", None)
    if release is not None:
        _held.release = None
        release()
