"""The dedupe gate around Slack's acknowledgement (bot.adapters.slack.dedupe), in process.

Before the ack nothing touches the database while it is known to be up; the durable claim is
made on the listener thread; an event whose claim fails is not counted as seen and its writer
is told; while the database is known to be down the claim comes before the ack again, so a
failure is refused with 503 for Slack to retry.
"""
import json
from datetime import datetime, timezone

import pytest
from slack_bolt.request import BoltRequest
from sqlalchemy.exc import OperationalError

from bot.adapters.slack.dedupe import EventGate
from bot.clock import FixedClock

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)


class Health:
    def __init__(self):
        self.down = False

    def failed(self):
        self.down = True


class Store:
    """Records every claim; `failing` makes them fail as a lost database does."""

    def __init__(self):
        self.health = Health()
        self.claims: list[str] = []
        self.claimed: set[str] = set()
        self.failing = False

    def first_delivery(self, source, message_id, at):
        self.claims.append(message_id)
        if self.failing:
            raise OperationalError("INSERT", {}, Exception("connection refused"))
        if message_id in self.claimed:
            return False
        self.claimed.add(message_id)
        return True


class Gate:
    def __init__(self):
        self.store = Store()
        self.told: list[dict] = []
        self.gate = EventGate(self.store, FixedClock(T0, timezone.utc), on_storage_failure=self.told.append)
        self.handled: list[str] = []

        @self.gate.claimed
        def listener(body, context):
            self.handled.append(body["event_id"])

        self.listener = listener

    def deliver(self, event_id: str, retry: int | None = None):
        """One delivery: the middleware (before the ack); the listener if it went on. The status Slack sees."""
        body = {"type": "event_callback", "event_id": event_id, "event": {"type": "message"}}
        headers = {"x-slack-retry-num": [str(retry)]} if retry else {}
        request = BoltRequest(body=json.dumps(body), headers=headers)
        went_on = []
        response = self.gate.middleware(request, body, lambda: went_on.append(True))
        self.claims_before_ack = list(self.store.claims)
        if response is not None:
            return response.status
        assert went_on
        self.listener(body=body, context=request.context)  # after the ack, on a listener thread
        return 200


@pytest.fixture
def g():
    return Gate()


def test_no_claim_before_the_ack_while_the_database_is_up(g):
    assert g.deliver("Ev1") == 200
    assert g.claims_before_ack == []          # the ack did not wait for the database
    assert g.store.claims == ["Ev1"]          # the claim came after it
    assert g.handled == ["Ev1"]


def test_a_redelivery_is_dropped_in_memory(g):
    g.deliver("Ev1")
    assert g.deliver("Ev1", retry=1) == 200
    assert g.store.claims == ["Ev1"] and g.handled == ["Ev1"]


def test_an_event_claimed_elsewhere_is_not_handled(g):
    g.store.claimed.add("Ev1")                # another replica, or this process before a restart
    assert g.deliver("Ev1") == 200
    assert g.handled == []


def test_a_claim_that_fails_after_the_ack_tells_the_person_and_does_not_count_as_seen(g):
    g.store.failing = True
    assert g.deliver("Ev1") == 200            # acknowledged before anyone knew
    assert g.handled == []
    assert [b["event_id"] for b in g.told] == ["Ev1"]
    assert g.store.health.down                # the next events take the 503 path
    g.store.failing = False
    assert g.deliver("Ev1", retry=1) == 200   # a delivery that still comes is handled, not dropped
    assert g.handled == ["Ev1"]


def test_while_the_database_is_down_the_claim_comes_first_and_a_failure_is_refused(g):
    g.store.health.down, g.store.failing = True, True
    assert g.deliver("Ev2") == 503            # not acknowledged: Slack delivers it again
    assert g.claims_before_ack == ["Ev2"] and g.handled == []
    assert [b["event_id"] for b in g.told] == ["Ev2"]
    g.store.failing = False
    assert g.deliver("Ev2", retry=1) == 200   # Slack's retry lands
    assert g.claims_before_ack == ["Ev2", "Ev2"]
    assert g.handled == ["Ev2"]
    assert g.store.claims == ["Ev2", "Ev2"]   # claimed once when it worked, not again after the ack


def test_a_listener_that_cannot_be_claimed_is_refused_at_registration():
    gate = EventGate(Store(), FixedClock(T0, timezone.utc))
    with pytest.raises(TypeError):
        gate.claimed(lambda event: None)
