"""The outbox when the database fails right after a delivery, or a worker dies holding a claim:
the message is not sent again by the caller, its outcome is recorded at the next pass, its
conversation is not held up, and a person's message is taken over after the short reply lease."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.exc import OperationalError

from bot.clock import FixedClock
from bot.outages.outbox import NewNotice, OutboxWorker, personal_message, queue
from bot.storage import Store
from bot.storage.tables import NoticeRow

TZ = ZoneInfo("Europe/Stockholm")
T0 = datetime(2026, 12, 1, 8, 0, tzinfo=TZ)


class Died(BaseException):
    """The process ending mid-delivery (nothing after it runs)."""


class Deliverer:
    def __init__(self):
        self.delivered: list[str] = []
        self.then = None   # called after a delivery, before its outcome is recorded

    def deliver(self, notice):
        self.delivered.append(notice.text)
        if self.then is not None:
            then, self.then = self.then, None
            then()
        return f"D1:{notice.id}"


@pytest.fixture
def store(database_url):
    store = Store.connect(database_url)
    yield store
    store.engine.dispose()


def _states(store) -> list[str]:
    with store.session() as s:
        return [r.state for r in s.query(NoticeRow).order_by(NoticeRow.id)]


def reply(text: str, at: datetime = T0) -> NewNotice:
    return personal_message("reply", "slack:D1", "reply:slack:D1", text, at, message={"channel": "D1", "text": text})


def _writes_fail_while(store, monkeypatch, down: dict) -> None:
    """Every write transaction (ORM sessions and Core connections both take their turn to write
    through `write_turn`) fails while down["now"], as with a connection the server closed."""
    real_turn = store.session.write_turn

    def write_turn():
        if down["now"]:
            raise OperationalError("UPDATE notices", {}, Exception("server closed the connection"))
        return real_turn()

    monkeypatch.setattr(store.session, "write_turn", write_turn)


def test_a_database_failure_after_delivery_neither_repeats_the_message_nor_holds_up_the_next(store, monkeypatch):
    deliverer = Deliverer()
    worker = OutboxWorker(store, deliverer, FixedClock(T0, TZ))
    down = {"now": False}
    _writes_fail_while(store, monkeypatch, down)
    deliverer.then = lambda: down.update(now=True)      # Slack took it; then the database went away
    assert worker.send([reply("first")]) is True         # delivered: the adapter must not post it again
    assert _states(store) == ["pending"]                 # not yet recorded
    down["now"] = False
    assert worker.send([reply("second")]) is True        # recorded first, so the second does not wait
    assert deliverer.delivered == ["first", "second"]
    assert _states(store) == ["sent", "sent"]


def test_a_failure_that_cannot_be_recorded_is_recorded_at_the_next_pass(store, monkeypatch):
    class Refusing(Deliverer):
        def deliver(self, notice):
            down["now"] = True
            raise RuntimeError("slack unreachable")

    down = {"now": False}
    worker = OutboxWorker(store, Refusing(), FixedClock(T0, TZ))
    _writes_fail_while(store, monkeypatch, down)
    assert worker.send([reply("first")]) is False
    down["now"] = False
    worker.run_once()
    with store.session() as s:
        (row,) = s.query(NoticeRow).all()
    assert row.state == "pending" and row.last_error and row.claim_token is None  # free for its retry


def test_a_reply_held_by_a_dead_worker_is_taken_over_after_the_reply_lease(store):
    clock = FixedClock(T0, TZ)
    queue(store, reply("for the person"))
    queue(store, NewNotice(kind="outage_declared", dedupe_key="n1", due_at=T0, target="broadcast", text="notice"))

    class Dying(Deliverer):
        def deliver(self, notice):
            raise Died()

    dead = OutboxWorker(store, Dying(), clock, reply_lease=timedelta(minutes=1))
    for _ in range(2):
        with pytest.raises(Died):
            dead.run_once()                              # each pass dies holding one claim
    survivor = Deliverer()
    other = OutboxWorker(store, survivor, clock, reply_lease=timedelta(minutes=1))
    clock.set(T0 + timedelta(seconds=50))
    assert other.run_once() == 0                         # both claims still hold
    clock.set(T0 + timedelta(minutes=1, seconds=1))
    assert other.run_once() == 1 and survivor.delivered == ["for the person"]
    clock.set(T0 + timedelta(minutes=5, seconds=1))      # a channel notice keeps the longer lease
    assert other.run_once() == 1 and survivor.delivered == ["for the person", "notice"]
