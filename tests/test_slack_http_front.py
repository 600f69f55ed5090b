"""The HTTP front refuses what Slack would never send before parsing anything that can fail:
400/401/411/413/415 with the connection closed where an unread body would follow, a read
timeout for slow clients, and a signed slash command replayed within the window runs once."""
import hashlib
import hmac
import json
import socket
import time

import pytest

from slackapp import SIGNING_SECRET, dm, fake, http, slack, slack_session, unique  # noqa: F401 (fixtures)


def _signed_headers(body: bytes, timestamp: str | None = None) -> dict:
    """Slack's v0 signature over the raw bytes (SignatureVerifier takes text, and these may not be UTF-8)."""
    ts = timestamp or str(int(time.time()))
    digest = hmac.new(SIGNING_SECRET.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": "v0=" + digest}


def _raw(slack, head: bytes, body: bytes = b"", read_timeout: float = 8) -> tuple[bytes, bool]:
    """Send bytes on one connection; what came back, and whether the server closed the connection."""
    with socket.create_connection(("127.0.0.1", slack.port), timeout=read_timeout) as conn:
        conn.sendall(head + body)
        data = b""
        closed = False
        try:
            while True:
                chunk = conn.recv(65536)
                if not chunk:
                    closed = True
                    break
                data += chunk
        except socket.timeout:
            pass
    return data, closed


def _post(slack, body: bytes, content_type: str, headers: dict | None = None):
    return http("POST", slack.url, body, {"Content-Type": content_type, **(headers or {})})


@pytest.mark.parametrize("body,content_type", [
    (b"{not json", "application/json"),
    (b"\xff\xfe\x00garbage", "application/json"),
    (b"payload=%7Bx", "application/x-www-form-urlencoded"),
    (b"payload=%ff%fe", "application/x-www-form-urlencoded"),
    (b"[1, 2]", "application/json"),
])
def test_malformed_bodies_unsigned_are_401_and_signed_are_400(slack, body, content_type):
    assert _post(slack, body, content_type).status == 401
    assert _post(slack, body, content_type, _signed_headers(body)).status == 400
    assert slack.health().status == 200  # and the server carries on


def test_a_non_numeric_timestamp_is_401(slack):
    body = json.dumps({"type": "url_verification", "challenge": "c"}).encode()
    headers = _signed_headers(body)
    headers["X-Slack-Request-Timestamp"] = "soon"
    assert _post(slack, body, "application/json", headers).status == 401


def test_only_json_and_forms_are_accepted(slack):
    body = json.dumps({"type": "url_verification", "challenge": "c"}).encode()
    assert _post(slack, body, "text/plain", _signed_headers(body)).status == 415
    assert _post(slack, body, "application/json", _signed_headers(body)).json() == {"challenge": "c"}


def test_an_oversized_body_is_413_and_its_bytes_are_not_read_as_a_next_request(slack):
    smuggled = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
    head = (b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 2000000\r\n\r\n")
    data, closed = _raw(slack, head, smuggled * 10)
    assert data.startswith(b"HTTP/1.1 413") and closed
    assert data.count(b"HTTP/1.1") == 1  # no second response: the body was not parsed as a request


def test_a_body_that_never_arrives_times_out_and_frees_the_connection(slack):
    head = (b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 100\r\n\r\n")
    started = time.monotonic()
    data, closed = _raw(slack, head, b'{"type":')
    assert closed and time.monotonic() - started < 6  # DRIFTBOT_HTTP_TIMEOUT is 2 s on the test server
    assert data == b"" or data.startswith(b"HTTP/1.1 408")


def test_a_replayed_slash_command_runs_once(slack, fake):
    from urllib.parse import urlencode

    user = unique("U")
    fake.add_user(user, "Kim Ny")
    path = unique("respond/")
    form = urlencode({"team_id": "T0001", "channel_id": "C1", "user_id": user, "command": "/driftstopp",
                      "text": "status", "response_url": fake.base_url + path, "trigger_id": unique("t.")}).encode()
    headers = _signed_headers(form)
    for _ in range(3):
        assert _post(slack, form, "application/x-www-form-urlencoded", headers).status == 200
    fake.wait_for(path)
    time.sleep(0.5)
    assert len(fake.calls_to(path)) == 1
