"""Socket Mode: with SLACK_APP_TOKEN the app opens a WebSocket, acknowledges envelopes on it and answers."""
import json
import time

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
                   env={"SLACK_APP_TOKEN": fake.app_token, "SLACK_SIGNING_SECRET": "",
                        # DEBUG, so that the catch-all tests see that not even DEBUG holds what people typed.
                        "DRIFTBOT_LOG_LEVEL": "DEBUG"})
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


# What a person typed, in each request kind nothing here handles; it must never reach the log.
TYPED = "hemligt-i-socket-mode"


def _unhandled() -> list[tuple[str, dict]]:
    user = {"id": unique("U")}
    view = {"id": "V1", "callback_id": "some_old_modal", "type": "modal",
            "state": {"values": {"b": {"a": {"type": "plain_text_input", "value": TYPED}}}}}
    return [
        ("interactive", {"type": "view_closed", "team": {"id": "T0001"}, "user": user, "view": view,
                         "is_cleared": False}),
        ("interactive", {"type": "block_suggestion", "team": {"id": "T0001"}, "user": user, "action_id": "pick",
                         "block_id": "b", "value": TYPED, "view": view}),
        ("slash_commands", {"team_id": "T0001", "channel_id": "C1", "user_id": user["id"], "command": "/annat",
                            "text": TYPED, "api_app_id": "ABOT", "response_url": "", "trigger_id": unique("t.")}),
    ]


@pytest.mark.parametrize("index", range(3), ids=["view_closed", "block_suggestion", "unknown_command"])
def test_an_unhandled_request_kind_is_acknowledged(socket_app, index):
    _, endpoint = socket_app
    kind, payload = _unhandled()[index]
    envelope = _envelope(kind, payload)
    endpoint.send(envelope)
    ack = endpoint.wait_for_ack(envelope["envelope_id"])
    if payload.get("type") == "block_suggestion":
        assert ack["payload"] == {"options": []}


def test_nothing_typed_in_an_unhandled_request_is_logged(socket_app):
    app, endpoint = socket_app
    for kind, payload in _unhandled():
        envelope = _envelope(kind, payload)
        endpoint.send(envelope)
        endpoint.wait_for_ack(envelope["envelope_id"])
    time.sleep(0.5)  # a warning would be logged after the ack, by another thread
    assert TYPED not in app.stderr
    assert "Unhandled request" not in app.stderr
