"""No log record holds what a person wrote, whatever fails: every path that logs an exception
is provoked with a failure whose message quotes the person's text (the way `table[text]` or an
IntegrityError's bound values would), and the text must be in neither what bot.logs' real
handler writes (text and JSON) nor what caplog captures. The traceback's frames and the
exception's type are still there: a failure stays findable."""
import contextlib
import hashlib
import hmac
import io
import json
import logging
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from bot import logs
from bot.messages import Message

MARKER = "Stina Ek har fallit i hallen"
SECRET = "log-privacy-secret"


@pytest.fixture(params=["text", "json"])
def logged(request, caplog):
    """bot.logs.install()'s real handler (writing to a buffer) with caplog's beside it; returns
    a function giving everything both have captured."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level, logging.getLogRecordFactory()
    stream = io.StringIO()
    with contextlib.redirect_stderr(stream):  # the handler writes to sys.stderr as it is at install
        logs.install("DEBUG", request.param)
    root.addHandler(caplog.handler)
    try:
        yield lambda: stream.getvalue() + "\n" + caplog.text
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
        logging.setLogRecordFactory(saved[2])


def quoting(value: str):
    """A bug that quotes what it was given: KeyError('value')."""
    return {}[value]


def assert_clean(output: str, *expected: str) -> None:
    assert MARKER not in output
    for fragment in expected:  # the type and a frame, so a failure can still be found
        assert fragment in output, output


def test_a_failing_turn(logged, tmp_path):
    from conversing import Talk

    talk = Talk(f"sqlite:///{tmp_path / 'd.db'}", at="2026-11-26T10:00")
    talk.engine.handle = lambda message: quoting(message.text)
    turn = talk.conversations.turn(Message(text=MARKER, user_id="U1", source="slack"))
    assert turn.failed
    assert_clean(logged(), "the engine failed on a message from U1", "KeyError", "in quoting")


def test_a_failing_report_form(logged):
    from bot.conversation.forms import FormTexts, file_form

    engine = SimpleNamespace(reports=SimpleNamespace(file=lambda report, *a, **k: quoting(report.description)))
    checked = SimpleNamespace(report=SimpleNamespace(description=MARKER), redacted=False)
    receipt = file_form(engine, checked, source="slack", user_id="U1", lang="sv", once=("view", "V1"),
                        texts=FormTexts("det gick inte {contact_now}", ""), contact_now="ring")
    assert receipt == "det gick inte ring"
    assert_clean(logged(), "filing a report from U1 failed", "KeyError", "in quoting")


def test_a_failing_slack_listener(logged):
    from bot.adapters.slack.listeners import guarded

    messages = SimpleNamespace(error="fel {contact_now}", storage_unavailable="")
    ctx = SimpleNamespace(texts_for=lambda lang: SimpleNamespace(messages=messages), contact_now=lambda lang: "ring")
    said = []
    guarded(ctx, "sv", lambda **kwargs: said.append(kwargs), lambda: quoting(MARKER))
    assert said
    assert_clean(logged(), "a Slack request could not be handled", "KeyError", "in quoting")


def test_a_failing_dispatch_on_the_http_front(logged):
    from bot.adapters.slack.http_server import SlackHTTPServer

    class Failing:  # an app with a bug that quotes the event
        def dispatch(self, request):
            return quoting(request.body["event"]["text"])

    server = SlackHTTPServer(("127.0.0.1", 0), Failing(), signing_secret=SECRET)
    server.start_in_thread()
    try:
        body = json.dumps({"type": "event_callback", "event": {"type": "message", "text": MARKER}}).encode()
        ts = str(int(time.time()))
        signature = "v0=" + hmac.new(SECRET.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
        request = urllib.request.Request(f"http://127.0.0.1:{server.port}/slack/events", data=body, headers={
            "Content-Type": "application/json", "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        assert refused.value.code == 500
    finally:
        server.shutdown_if_serving()
        server.server_close()
    assert_clean(logged(), "dispatching a Slack request failed", "KeyError", "in quoting")


def test_a_database_error_does_not_carry_the_values(logged, tmp_path):
    from bot.storage import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'd.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT)"))
        connection.execute(text("INSERT INTO people VALUES (1, :name)"), {"name": "first"})
    with pytest.raises(IntegrityError) as failed:
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO people VALUES (1, :name)"), {"name": MARKER})
    engine.dispose()
    # Its text is safe wherever it goes (a one-line error, an `%s` in a log call), not only in a traceback.
    assert MARKER not in str(failed.value)
    logging.getLogger("bot.storage").error("insert failed: %s", failed.value, exc_info=failed.value)
    assert_clean(logged(), "UNIQUE constraint failed", "sqlalchemy.exc.IntegrityError")


class _Answers(BaseHTTPRequestHandler):
    """A Web API that answers 200 with a body quoting the person (a proxy's page, an odd error)."""
    body = b""

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("body", [json.dumps({"ok": False, "detail": MARKER}), f"<html>{MARKER}</html>"],
                         ids=["json-without-error", "not-json"])
def test_a_slack_error_does_not_carry_the_response_body(logged, body):
    from bot.adapters.slack.client import make_client
    from bot.adapters.slack.users import UserDirectory

    server = ThreadingHTTPServer(("127.0.0.1", 0), type("Answers", (_Answers,), {"body": body.encode()}))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = make_client("xoxb-test", f"http://127.0.0.1:{server.server_port}/", timeout=5)
        profile = UserDirectory(client, ("sv", "en")).profile("U1")
    finally:
        server.shutdown()
        server.server_close()
    assert profile.name is None  # the lookup failed and the turn goes on without a profile
    assert_clean(logged(), "users.info failed for U1")
