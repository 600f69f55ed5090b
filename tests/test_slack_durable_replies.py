"""Replies survive a Slack outage: answers, the dialog's questions and receipts are retried
(honouring Retry-After) until delivered, once and in order; a reply too old to help is given up
and logged without its text."""
import logging
import time
from datetime import timedelta

import pytest

from fakeslack import FakeSlack
from slackapp import dm, impatient, impatient_session, posts, unique, view_submission  # noqa: F401 (fixtures)

REPORT = {"reporter_name": "Anna Berg", "unit": "Hemtjänst Ryd", "system": "treserva", "scope": "unit",
          "description": "Genomförandewebben laddar inte"}


@pytest.fixture
def app(impatient):
    return impatient


@pytest.fixture
def fake(impatient):
    return impatient.fake


def _delivered(fake, channel: str) -> list[str]:
    return [c.params["text"] for c in fake.calls_to("chat.postMessage") if c.params.get("channel") == channel and c.ok]


def _wait_delivered(fake, channel: str, count: int = 1, timeout: float = 15) -> list[str]:
    deadline = time.monotonic() + timeout
    while len(_delivered(fake, channel)) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return _delivered(fake, channel)


def test_answers_and_receipts_outlive_a_slack_outage_once_and_in_order(app, fake):
    """One outage longer than the client's own retries; meanwhile an answer, two turns of one
    conversation and a form's receipt wait. Afterwards each arrives once, the two turns in order."""
    asker, chatter, reporter = unique("U"), unique("U"), unique("U")
    for user in (asker, chatter, reporter):
        fake.add_user(user, "Anna Berg")
    app.command(reporter, "rapportera")
    opened = fake.wait_for("views.open")[-1]
    view = fake.view(opened.response["view"]["id"])
    fake.fail_for("chat.postMessage", seconds=3, status=500)
    app.event(dm(asker, "tes funkar inte"))
    app.event(dm(chatter, "vem ringer jag?"))
    assert app.interaction(view_submission(reporter, view, REPORT)).status == 200
    time.sleep(0.3)
    app.event(dm(chatter, "hjälp"))

    (answer,) = _wait_delivered(fake, "D" + asker)
    assert "Användarstöd" in answer
    calls = posts(fake, "D" + asker)
    statuses = [c.status for c in calls]
    assert statuses.count(200) == 1 and statuses[-1] == 200, statuses  # delivered, once
    assert set(statuses[:-1]) == {500} and calls[-1].at - calls[0].at >= 2.9  # retried past the outage

    first, second = _wait_delivered(fake, "D" + chatter, count=2)
    assert "Användarstöd" in first                  # the contact answer first
    assert second.startswith("Hej! Jag är driftbot")  # then the help text

    (receipt,) = _wait_delivered(fake, reporter)
    assert "Felanmälan nr" in receipt
    # Nothing twice: what the people's DMs show is what was delivered.
    assert [len(fake.messages("D" + u)) for u in (asker, chatter, reporter)] == [1, 2, 1]


def test_a_rate_limit_is_waited_out_as_slack_says(app, fake):
    user = unique("U")
    fake.add_user(user, "Kim Ny")
    fake.fail_next("chat.postMessage", status=429, retry_after=1, times=3)
    app.event(dm(user, "vem ringer jag?"))
    calls = posts(fake, "D" + user, count=4, timeout=15)  # more 429s than the client would wait out itself
    assert [c.status for c in calls] == [429, 429, 429, 200]
    assert all(later.at - earlier.at >= 0.95 for earlier, later in zip(calls, calls[1:]))
    assert len(fake.messages("D" + user)) == 1


def test_a_hung_api_does_not_lose_the_answer(app, fake):
    user = unique("U")
    fake.add_user(user, "Kim Ny")
    fake.hang_next("chat.postMessage", seconds=1.2, times=2)  # the client gives up after one second, twice
    app.event(dm(user, "vem ringer jag?"))
    deadline = time.monotonic() + 15
    while not _delivered(fake, "D" + user) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(_delivered(fake, "D" + user)) == 1
    assert len(fake.messages("D" + user)) == 1


def test_a_reply_too_old_to_help_is_given_up_and_logged_without_its_text(database_url, caplog):
    """In process: a reply Slack never takes expires after REPLY_TTL; the log says so, not what it said."""
    from zoneinfo import ZoneInfo
    from datetime import datetime

    from slack_sdk import WebClient
    from bot.adapters.slack.delivery import SlackDeliverer
    from bot.clock import FixedClock
    from bot.outages.outbox import REPLY_TTL, OutboxWorker, personal_message
    from bot.storage import Store
    from bot.storage.tables import NoticeRow

    tz = ZoneInfo("Europe/Stockholm")
    clock = FixedClock(datetime(2026, 12, 1, 8, 0, tzinfo=tz), tz)
    store = Store.connect(database_url)
    with FakeSlack() as slack:
        slack.fail_for("chat.postMessage", seconds=60, status=500)
        client = WebClient(token=slack.bot_token, base_url=slack.base_url)  # no retries of its own: quick
        worker = OutboxWorker(store, SlackDeliverer(client, "CBROADCAST"), clock)
        secret = "Omar Said på Hemtjänst Ryd, nyckeln fastnar"
        assert not worker.send([personal_message("reply", "slack:D1", "reply:slack:D1", secret, clock.now(),
                                                 message={"channel": "D1", "text": secret})])
        start = clock.now()
        for minutes in (1, 5, 10):
            clock.set(start + timedelta(minutes=minutes))
            worker.run_once()
        with caplog.at_level(logging.INFO):
            clock.set(start + REPLY_TTL + timedelta(seconds=1))
            assert worker.run_once() == 0
        attempts = len(slack.calls_to("chat.postMessage"))
    with store.session() as s:
        (row,) = s.query(NoticeRow).all()
    assert row.state == "expired" and "text" not in row.payload and "message" not in row.payload
    assert attempts >= 4
    assert "undeliverable" in caplog.text and secret not in caplog.text
    store.engine.dispose()
