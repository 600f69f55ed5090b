"""Socket Mode: with SLACK_APP_TOKEN the app opens a WebSocket, acknowledges envelopes on it and answers."""
import json

import pytest

from fakeslack import FakeSlack
from slackapp import FakeSocketModeServer, SlackApp, dm, posts, unique


@pytest.fixture(scope="module")
def socket_app(tmp_path_factory):
    fake = FakeSlack().start()
    endpoint = FakeSocketModeServer()
    # apps.connections.open (called with the app-level token) names the WebSocket URL, here the local endpoint.
    fake.on("apps.connections.open", {"ok": True, "url": endpoint.url})
    app = SlackApp(fake, tmp_path_factory.mktemp("socket") / "driftbot.db",
                   env={"SLACK_APP_TOKEN": fake.app_token, "SLACK_SIGNING_SECRET": ""})
    app.start(ready_marker="Socket Mode")
    try:
        endpoint.wait_connected()
        yield app, endpoint
    finally:
        app.stop()
        endpoint.close()
        fake.stop()


def _envelope(kind: str, payload: dict, retry: int = 0) -> dict:
    return {"envelope_id": unique("env-"), "type": kind, "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": retry, "retry_reason": "timeout" if retry else ""}


def _event_payload(event: dict, event_id: str | None = None) -> dict:
    return {"type": "event_callback", "team_id": "T0001", "api_app_id": "ABOT", "event_id": event_id or unique("Ev"),
            "event": event}


def test_the_connection_uses_the_app_token(socket_app):
    app, _ = socket_app
    (opened,) = app.fake.calls_to("apps.connections.open")
    assert opened.ok and opened.token == app.fake.app_token
    assert "serving Slack in Socket Mode" in app.stderr
    assert "SLACK_SIGNING_SECRET" not in app.stderr


def test_an_event_envelope_is_acknowledged_and_answered(socket_app):
    app, endpoint = socket_app
    user = unique("U")
    app.fake.add_user(user, "Anna Berg")
    envelope = _envelope("events_api", _event_payload(dm(user, "tes funkar inte")))
    endpoint.send(envelope)
    ack = endpoint.wait_for_ack(envelope["envelope_id"])
    assert ack == {"envelope_id": envelope["envelope_id"]}
    (answer,) = posts(app.fake, "D" + user)
    assert answer.params["channel"] == "D" + user and "Användarstöd" in answer.params["text"]


def test_a_redelivered_envelope_is_not_answered_twice(socket_app):
    app, endpoint = socket_app
    user = unique("U")
    app.fake.add_user(user, "Anna Berg")
    payload = _event_payload(dm(user, "vem ringer jag?"))
    first = _envelope("events_api", payload)
    endpoint.send(first)
    endpoint.wait_for_ack(first["envelope_id"])
    posts(app.fake, "D" + user)
    again = _envelope("events_api", payload, retry=1)
    endpoint.send(again)
    endpoint.wait_for_ack(again["envelope_id"])
    sentinel = _envelope("events_api", _event_payload(dm(user, "hjälp")))
    endpoint.send(sentinel)
    answers = posts(app.fake, "D" + user, count=2)
    assert answers[1].params["text"].startswith("Hej! Jag är driftbot")
    assert len(posts(app.fake, "D" + user)) == 2


def test_a_slash_command_envelope(socket_app):
    app, endpoint = socket_app
    user = unique("U")
    app.fake.add_user(user, "Anna Berg")
    reply_path = unique("respond/")
    envelope = _envelope("slash_commands", {
        "token": "legacy", "team_id": "T0001", "channel_id": "CGENERAL", "user_id": user, "command": "/driftstopp",
        "text": "status", "api_app_id": "ABOT", "response_url": app.fake.base_url + reply_path,
        "trigger_id": unique("trigger.")})
    endpoint.send(envelope)
    assert endpoint.wait_for_ack(envelope["envelope_id"])["envelope_id"] == envelope["envelope_id"]
    (answer,) = app.fake.wait_for(reply_path)
    assert "linkoping.se/anvandarstod" in json.dumps(answer.params, ensure_ascii=False)
