"""A serving process (`driftbot serve`, `driftbot serve --teams`): its parts and its lifecycle.

Both channels run the same way: the runtime with a store, an outbox worker in
a background thread delivering what this channel delivers (its targets) and
running the daily retention purge (bot.retention), and
SIGTERM or Ctrl-C stopping both cleanly. Two processes, one per channel, may
share one database: each claims only its own targets, so each notice is
delivered once to each configured channel.
"""
from __future__ import annotations

import signal
import threading
from datetime import timedelta

from bot.errors import UsageError

OUTBOX_INTERVAL_SECONDS = 5.0

# The notices each channel's process delivers. A terminal user's notices are the terminal's business.
# Slack has the broadcast channel as it always had it ("broadcast"); every other channel that
# broadcasts has a copy of each channel notice of its own (bot.outages.channels).
OUTBOX_TARGETS = {
    "slack": ("broadcast", "support", "user:slack:", "reply:slack:"),
    "teams": ("broadcast:teams", "user:teams:", "reply:teams:"),
}


def build_runtime(settings, at: str | None, pool_size: int | None = None):
    """The runtime with a store; a bad --at is a usage error, an unreachable database a StorageError."""
    from bot.runtime import build

    try:
        return build(settings, at=at, with_store=True, pool_size=pool_size)
    except ValueError as exc:  # --at
        raise UsageError(f"--at: {exc}") from None


class Serving:
    """The stop event, the signals that set it, and the outbox worker's thread."""

    def __init__(self, runtime, *, frozen: bool):
        self.runtime = runtime
        self.frozen = frozen
        self.stop = threading.Event()
        self.worker = None
        self._thread: threading.Thread | None = None

    def install_signals(self) -> None:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: self.stop.set())

    def start_outbox(self, deliverer, channel: str, interval: float, reply_lease: timedelta):
        """Start delivering this channel's notices and replies; the worker (replies are sent through it)."""
        from bot.clock import RunningClock
        from bot.outages.outbox import OutboxWorker

        runtime = self.runtime
        # Under --at the answers stand still in time, but retries and leases must see time pass.
        clock = RunningClock(runtime.clock.now(), runtime.clock.tz) if self.frozen else runtime.clock
        from bot.retention import DailyPurge, retention_days

        purge = DailyPurge(runtime.store, retention_days(runtime.settings, runtime.content))

        def scheduler(at):
            # What falls due by the clock alone: the login reminders, and the daily retention purge.
            runtime.outages.schedule(at)
            purge(at)

        self.worker = OutboxWorker(runtime.store, deliverer, clock, scheduler=scheduler,
                                   targets=OUTBOX_TARGETS[channel], reply_lease=reply_lease)
        self._thread = threading.Thread(target=self.worker.run_forever, args=(self.stop, interval),
                                        name=f"outbox-{channel}", daemon=True)
        self._thread.start()
        return self.worker

    def close(self) -> None:
        self.stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
