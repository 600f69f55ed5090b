"""When PostgreSQL goes away and comes back: nobody is left believing something was saved.

The server reaches PostgreSQL through a proxy the test can cut (tests/faultproxy.py): a DM is
refused with 503 so that Slack's retry lands once the database is back, and the person is told
to try again; the form stays open with its values and an error; `/driftstopp status` still
answers; after the database returns the same process carries on (pool_pre_ping), no restart.
"""

import pytest
from sqlalchemy.engine import make_url

from conftest import fresh_postgres_database
from fakeslack import FakeSlack
from faultproxy import FaultProxy
from slackapp import SlackApp, dm, posts, unique, view_submission

REPORT = {"reporter_name": "Anna Berg", "unit": "Hemtjänst Ryd", "system": "treserva", "scope": "unit",
          "description": "Genomförandewebben laddar inte"}


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    url = make_url(fresh_postgres_database())
    proxy = FaultProxy(url.host, url.port)
    fake = FakeSlack().start()
    app = SlackApp(fake, db_url=url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False))
    app.start()
    try:
        yield app, proxy
    finally:
        app.stop()
        fake.stop()
        proxy.close()


@pytest.fixture
def app(setup):
    app, proxy = setup
    app.fake.reset()
    proxy.up()
    return app


@pytest.fixture
def proxy(setup):
    return setup[1]


def _stored(app, user: str) -> int:
    from sqlalchemy import func, select

    from bot.storage import Store
    from bot.storage.tables import ReportRow

    store = Store.connect(app.db_url)
    try:
        with store.session() as s:
            return s.scalar(select(func.count()).select_from(ReportRow).where(ReportRow.user_id == user))
    finally:
        store.engine.dispose()


def test_a_dm_while_the_database_is_down_is_refused_for_slacks_retry_and_the_person_told(app, proxy):
    """The ack comes before the database (bot.adapters.slack.dedupe): the first event after the
    database went away may be acknowledged before anything noticed, so its writer is told at
    once; from then on events are refused with 503 until the database answers, and Slack's
    retries land. (tests/test_event_gate.py has the acknowledged case on its own.)"""
    first_user, user = unique("U"), unique("U")
    app.fake.add_user(first_user, "Kim Ny")
    app.fake.add_user(user, "Kim Ny")
    proxy.down()
    unnoticed, unnoticed_id = app.event(dm(first_user, "vem ringer jag?"))
    # 200 if nothing had noticed yet (acknowledged, then not claimed), 503 if the outbox worker had.
    assert unnoticed.status in (200, 503)
    (told,) = posts(app.fake, "D" + first_user)
    assert told.params["text"].startswith("Jag kunde inte spara det just nu. Försök igen om en minut.")

    event = dm(user, "vem ringer jag?")
    refused, event_id = app.event(event)
    assert refused.status == 503  # now known: not acknowledged, so Slack will deliver it again
    (told,) = posts(app.fake, "D" + user)
    assert told.params["text"].startswith("Jag kunde inte spara det just nu. Försök igen om en minut.")
    proxy.up()
    retried, _ = app.event(event, event_id=event_id, retry=1)
    assert retried.status == 200
    answer = posts(app.fake, "D" + user, count=2)[1]
    assert "Användarstöd" in answer.params["text"]  # the retry was answered, not dropped as seen
    # The unclaimed first event did not count as seen either: a delivery of it is answered.
    again, _ = app.event(dm(first_user, "vem ringer jag?"), event_id=unnoticed_id, retry=1)
    assert again.status == 200
    assert "Användarstöd" in posts(app.fake, "D" + first_user, count=2)[1].params["text"]


def test_the_form_keeps_its_values_and_says_it_could_not_save(app, proxy):
    user = unique("U")
    app.fake.add_user(user, "Anna Berg")
    app.command(user, "rapportera")
    opened = app.fake.wait_for("views.open")[-1]
    view = app.fake.view(opened.response["view"]["id"])
    proxy.down()
    response = app.interaction(view_submission(user, view, REPORT))
    assert response.status == 200
    assert response.json() == {"response_action": "errors", "errors": {
        "reporter_name": "Jag kunde inte spara anmälan just nu. Försök igen om en minut – det du skrivit finns kvar."}}
    proxy.up()
    assert _stored(app, user) == 0
    # Submitted again once the database is back: filed, and the receipt comes.
    assert app.interaction(view_submission(user, view, REPORT)).status == 200
    (receipt,) = posts(app.fake, user)
    assert "Felanmälan nr" in receipt.params["text"]
    assert _stored(app, user) == 1


def test_status_answers_while_the_database_is_down(app, proxy):
    user = unique("U")
    app.fake.add_user(user, "Kim Ny")
    proxy.down()
    response, path = app.command(user, "status")
    assert response.status == 200
    (call,) = app.fake.wait_for(path, timeout=10)
    assert call.params["text"].startswith("Jag kunde inte spara det just nu.")
    proxy.up()
    response, path = app.command(user, "status")
    (call,) = app.fake.wait_for(path, timeout=10)
    assert "Jag kunde inte" not in call.params["text"]  # the same process, the database back: answered


def test_readyz_says_when_the_database_is_unreachable_and_when_it_is_back(app, proxy):
    from slackapp import http

    url = f"http://127.0.0.1:{app.port}/readyz"
    assert http("GET", url).json() == {"ok": True, "database": "ok"}
    proxy.down()
    down = http("GET", url)
    assert down.status == 503 and down.json()["ok"] is False
    assert down.json()["database"].startswith("unreachable")
    assert app.health().status == 200  # the process itself is alive: no restart wanted
    proxy.up()
    assert http("GET", url).json() == {"ok": True, "database": "ok"}
