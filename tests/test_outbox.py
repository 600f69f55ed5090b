"""The durable outbox: retries and backoff, leases, expiry, edits after posts,
a worker killed mid-delivery, and two workers on one PostgreSQL database."""
import io
import os
import signal
import subprocess
import sys
import textwrap
import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.clock import FixedClock
from bot.outages.outbox import (DeliveryError, NewNotice, OutboxWorker, OutgoingNotice, TerminalDeliverer,
                                due_notices, queue)
from bot.outages.service import OutageService
from bot.storage import Store
from bot.storage.tables import NoticeRow
from helpers import ROOT, run_cli

TZ = ZoneInfo("Europe/Stockholm")
T0 = datetime(2026, 12, 1, 8, 0, tzinfo=TZ)


class RecordingDeliverer:
    def __init__(self, fail_times: int = 0, retry_after: float | None = None):
        self.delivered: list[OutgoingNotice] = []
        self.fail_times = fail_times
        self.retry_after = retry_after
        self._lock = threading.Lock()

    def deliver(self, notice):
        with self._lock:
            if self.fail_times > 0:
                self.fail_times -= 1
                raise DeliveryError("slack ratelimited", retry_after=self.retry_after)
            self.delivered.append(notice)
            return notice.ref if notice.action == "update" else f"C1:{notice.id}"


@pytest.fixture
def store(database_url):
    store = Store.connect(database_url)
    yield store
    store.engine.dispose()


def notice(key: str, due: datetime = T0, **kw) -> NewNotice:
    return NewNotice(kind=kw.pop("kind", "outage_declared"), dedupe_key=key, due_at=due,
                     target=kw.pop("target", "broadcast"), text=kw.pop("text", f"text {key}"), system="tes", **kw)


def row(store, notice_id: int) -> NoticeRow:
    with store.session() as s:
        return s.get(NoticeRow, notice_id)


def only_id(store) -> int:
    with store.session() as s:
        return s.scalars(select(NoticeRow.id)).one()


# -- queueing -----------------------------------------------------------------------------

def test_queueing_is_idempotent_by_dedupe_key(store):
    assert queue(store, notice("a")) is True
    assert queue(store, notice("a", text="other")) is False
    listed = due_notices(store, T0)
    assert [(n.kind, n.text) for n in listed] == [("outage_declared", "text a")]
    assert due_notices(store, T0 - timedelta(minutes=1)) == []


# -- retries ------------------------------------------------------------------------------

def test_a_failed_delivery_is_recorded_and_retried_with_exponential_backoff(store):
    queue(store, notice("a"))
    deliverer = RecordingDeliverer(fail_times=2)
    worker = OutboxWorker(store, deliverer, FixedClock(T0, TZ), backoff_base=timedelta(seconds=30))

    assert worker.run_once(T0) == 0
    first = row(store, only_id(store))
    assert (first.state, first.attempts) == ("pending", 1)
    assert "ratelimited" in first.last_error
    assert first.next_attempt_at == T0 + timedelta(seconds=30)

    assert worker.run_once(T0 + timedelta(seconds=29)) == 0  # not before its time
    assert worker.run_once(T0 + timedelta(seconds=30)) == 0  # second failure: twice as long
    assert row(store, first.id).next_attempt_at == T0 + timedelta(seconds=90)
    assert worker.run_once(T0 + timedelta(seconds=90)) == 1
    sent = row(store, first.id)
    assert (sent.state, sent.attempts, sent.result_ref) == ("sent", 3, f"C1:{first.id}")
    assert len(deliverer.delivered) == 1


def test_retry_after_from_the_deliverer_is_honoured(store):
    queue(store, notice("a"))
    worker = OutboxWorker(store, RecordingDeliverer(fail_times=1, retry_after=7.0), FixedClock(T0, TZ))
    worker.run_once(T0)
    assert row(store, only_id(store)).next_attempt_at == T0 + timedelta(seconds=7)
    assert worker.run_once(T0 + timedelta(seconds=6)) == 0
    assert worker.run_once(T0 + timedelta(seconds=7)) == 1


def test_a_notice_is_never_dropped_for_failing_unless_told_to_give_up(store):
    queue(store, notice("a"))
    worker = OutboxWorker(store, RecordingDeliverer(fail_times=10), FixedClock(T0, TZ),
                          backoff_max=timedelta(minutes=1), max_attempts=3)
    for minute in range(3):
        worker.run_once(T0 + timedelta(minutes=5 * minute))
    assert (row(store, only_id(store)).state, row(store, only_id(store)).attempts) == ("failed", 3)


# -- what is delivered, and when ---------------------------------------------------------------

def test_an_edit_waits_until_the_message_it_edits_is_posted(store, content):
    clock = FixedClock(T0, TZ)
    service = OutageService(store, content, clock)
    outage = service.start("tes")
    recorder = RecordingDeliverer()

    class NewsWhilePosting:
        """The admin adds a text while the post is on its way, and then the post fails."""
        first = True

        def deliver(self, n):
            if self.first:
                self.first = False
                service.start("tes", text="Leverantören felsöker")
                raise DeliveryError("slack timeout")
            return recorder.deliver(n)

    worker = OutboxWorker(store, NewsWhilePosting(), clock)
    assert worker.run_once(T0) == 0
    # The post waits for its retry; the edit, queued while the post was in flight, waits for the post.
    assert [n.action for n in due_notices(store, T0 + timedelta(seconds=10))] == ["post", "update"]
    assert worker.run_once(T0 + timedelta(seconds=10)) == 0
    assert worker.run_once(T0 + timedelta(minutes=1)) == 2
    post, edit = recorder.delivered
    assert (post.action, edit.action) == ("post", "update")
    assert edit.ref == post_ref(store, outage.id) == f"C1:{post.id}"
    assert "Leverantören felsöker" in edit.text and "Leverantören felsöker" not in post.text


def post_ref(store, outage_id):
    from bot.storage.tables import OutageRow

    with store.session() as s:
        return s.get(OutageRow, outage_id).notice_ref


def test_a_worker_down_for_hours_sends_only_the_current_login_reminder(store, content):
    clock = FixedClock(T0, TZ)
    service = OutageService(store, content, clock)
    service.start("tes")
    deliverer = RecordingDeliverer()
    worker = OutboxWorker(store, deliverer, clock, scheduler=service.schedule)
    worker.run_once(T0 + timedelta(minutes=70))  # the 09:00 reminder
    service.schedule(T0 + timedelta(minutes=130))  # 10:00's is queued, then nobody delivers it
    worker.run_once(T0 + timedelta(minutes=250))  # back at 12:10
    reminders = [n.due_at for n in deliverer.delivered if n.kind == "login_reminder"]
    assert reminders == [T0 + timedelta(hours=1), T0 + timedelta(hours=4)]
    with store.session() as s:
        states = s.execute(select(NoticeRow.dedupe_key, NoticeRow.state).where(NoticeRow.kind == "login_reminder")).all()
    assert dict(states)["outage:1:login_reminder:2"] == "expired"


def test_workers_deliver_only_their_targets(store):
    queue(store, notice("a", target="broadcast"))
    queue(store, notice("b", target="user:slack:U1"))
    queue(store, notice("c", target="user:terminal:anna"))
    queue(store, notice("d", target="user:slack_other:U2"))  # "_" is no wildcard
    slack, terminal = RecordingDeliverer(), RecordingDeliverer()
    clock = FixedClock(T0, TZ)
    OutboxWorker(store, slack, clock, targets=("broadcast", "user:slack:")).run_once(T0)
    OutboxWorker(store, terminal, clock, targets=("broadcast", "user:terminal:")).run_once(T0)
    assert [n.target for n in slack.delivered] == ["broadcast", "user:slack:U1"]
    assert [n.target for n in terminal.delivered] == ["user:terminal:anna"]
    assert [n.target for n in due_notices(store, T0)] == ["user:slack_other:U2"]


def test_the_terminal_prints_posts_and_edits():
    out = io.StringIO()
    deliverer = TerminalDeliverer(out)
    post = OutgoingNotice(1, "outage_declared", "tes", "broadcast", "post", "TES nere", T0, 1, None)
    edit = OutgoingNotice(2, "outage_declared", "tes", "broadcast", "update", "TES nere, 2 rapporter", T0, 1, "terminal:1")
    assert deliverer.deliver(post) == "terminal:1"
    assert deliverer.deliver(edit) == "terminal:1"
    assert out.getvalue() == "📣 TES nere\n\n✏️ TES nere, 2 rapporter\n\n"


# -- crashes --------------------------------------------------------------------------------

HANGING_WORKER = textwrap.dedent("""
    import sys, time
    from datetime import datetime
    from zoneinfo import ZoneInfo
    from bot.clock import FixedClock
    from bot.outages.outbox import OutboxWorker
    from bot.storage import Store

    class Hang:
        def deliver(self, notice):
            print(f"delivering {notice.id}", flush=True)
            time.sleep(3600)  # killed here: handed to the platform, not yet marked sent

    tz = ZoneInfo("Europe/Stockholm")
    clock = FixedClock(datetime.fromisoformat(sys.argv[2]), tz)
    OutboxWorker(Store.connect(sys.argv[1]), Hang(), clock).run_once()
""")

QUEUE_THEN_HANG = textwrap.dedent("""
    import sys, time
    from datetime import datetime
    from zoneinfo import ZoneInfo
    from bot.clock import FixedClock
    from bot.content import load_content
    from bot.outages.service import OutageService
    from bot.storage import Store

    tz = ZoneInfo("Europe/Stockholm")
    clock = FixedClock(datetime.fromisoformat(sys.argv[2]), tz)
    store = Store.connect(sys.argv[1])
    OutageService(store, load_content(), clock).start("tes")
    print("queued", flush=True)
    time.sleep(3600)  # killed here, before any worker ran
""")


def _spawn(tmp_path, script: str, *args: str) -> subprocess.Popen:
    path = tmp_path / "script.py"
    path.write_text(script, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DRIFTBOT_", "SLACK_"))}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.Popen([sys.executable, str(path), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT, env=env)


def _kill_after_line(process: subprocess.Popen) -> str:
    try:
        line = process.stdout.readline()
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
    assert line, process.stderr.read()
    return line.strip()


def test_a_worker_killed_mid_delivery_loses_nothing(tmp_path, database_url):
    result = run_cli("outage", "start", "tes", "--at", "2026-12-01T08:00", "--db", database_url)
    assert result.returncode == 0, result.stderr
    line = _kill_after_line(_spawn(tmp_path, HANGING_WORKER, database_url, "2026-12-01T08:00:00+01:00"))
    notice_id = int(line.split()[1])

    store = Store.connect(database_url)
    try:
        assert row(store, notice_id).state == "pending" and row(store, notice_id).claimed_until is not None
        deliverer = RecordingDeliverer()
        worker = OutboxWorker(store, deliverer, FixedClock(T0, TZ))
        # Within the dead worker's lease nobody else takes the notice (it might still be alive) ...
        assert worker.run_once(T0 + timedelta(minutes=1)) == 0
        # ... after it, a new worker delivers it.
        assert worker.run_once(T0 + timedelta(minutes=6)) == 1
        assert [n.id for n in deliverer.delivered] == [notice_id]
        assert deliverer.delivered[0].kind == "outage_declared"
        after = row(store, notice_id)
        assert (after.state, after.attempts, after.claim_token) == ("sent", 2, None)
    finally:
        store.engine.dispose()


def test_a_process_killed_after_queueing_loses_nothing(tmp_path, database_url):
    assert _kill_after_line(_spawn(tmp_path, QUEUE_THEN_HANG, database_url, "2026-12-01T08:00:00+01:00")) == "queued"
    store = Store.connect(database_url)
    try:
        deliverer = RecordingDeliverer()
        assert OutboxWorker(store, deliverer, FixedClock(T0, TZ)).run_once(T0) == 1
        assert [(n.kind, n.target) for n in deliverer.delivered] == [("outage_declared", "broadcast")]
    finally:
        store.engine.dispose()


# -- several replicas ------------------------------------------------------------------------------

def test_two_workers_on_one_postgres_database_deliver_each_notice_once(postgres_url):
    setup = Store.connect(postgres_url)
    for i in range(40):
        queue(setup, notice(f"n{i}"))
    setup.engine.dispose()

    delivered: list[tuple[str, int]] = []
    lock = threading.Lock()
    b_delivered = threading.Event()

    class Worker:
        """A replica's deliverer. Replica A holds its first notice until B has delivered
        one, so both are provably working the same queue at the same time."""

        def __init__(self, name):
            self.name = name
            self.first = True

        def deliver(self, n):
            if self.name == "A" and self.first:
                self.first = False
                b_delivered.wait(timeout=60)
            with lock:
                delivered.append((self.name, n.id))
            if self.name == "B":
                b_delivered.set()
            return f"C1:{n.id}"

    stores = [Store.connect(postgres_url), Store.connect(postgres_url)]
    workers = [OutboxWorker(store, Worker(name), FixedClock(T0, TZ), batch=1000)
               for store, name in zip(stores, "AB")]
    threads = [threading.Thread(target=w.run_once, args=(T0,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    ids = [notice_id for _, notice_id in delivered]
    assert sorted(ids) == sorted(set(ids)) and len(ids) == 40
    assert {name for name, _ in delivered} == {"A", "B"}
    with stores[0].session() as s:
        assert set(s.scalars(select(NoticeRow.state))) == {"sent"}
    for store in stores:
        store.engine.dispose()


def test_run_forever_delivers_until_stopped(store):
    queue(store, notice("a"))
    got = threading.Event()

    class Signal(RecordingDeliverer):
        def deliver(self, n):
            ref = super().deliver(n)
            got.set()
            return ref

    deliverer = Signal()
    stop = threading.Event()
    worker = OutboxWorker(store, deliverer, FixedClock(T0, TZ))
    thread = threading.Thread(target=worker.run_forever, args=(stop, 0.05))
    thread.start()
    try:
        assert got.wait(timeout=60)
    finally:
        stop.set()
        thread.join(timeout=60)
    assert not thread.is_alive()
    assert [n.text for n in deliverer.delivered] == ["text a"]
