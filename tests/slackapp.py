"""Drive `driftbot serve` the way Slack does: a real process, real signed HTTP requests.

`SlackApp` starts `python -m bot serve --port 0` as a subprocess with the
contract's environment, pointing DRIFTBOT_SLACK_API_URL at a FakeSlack (a real
HTTP server recording every Web API call) and DRIFTBOT_DATABASE_URL at a
SQLite file. Requests are signed with slack_sdk's SignatureVerifier scheme,
exactly as Slack signs them. `FakeSocketModeServer` is a minimal WebSocket
server (RFC 6455, standard library) standing in for Slack's Socket Mode
endpoint, so Socket Mode is tested over a real socket too.

The fixtures here are imported by the test_slack_*.py files:

    from slackapp import slack, fake  # noqa: F401 (fixtures)
"""
from __future__ import annotations

import atexit
import base64
import hashlib
import itertools
import json
import os
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from slack_sdk.signature import SignatureVerifier

from fakeslack import FakeSlack

ROOT = Path(__file__).resolve().parent.parent
SIGNING_SECRET = "test-signing-secret"
BROADCAST = "CBROADCAST"
SUPPORT = "CSUPPORT"
ADMIN = "UADMIN"
TEAM = "T0001"
# A Thursday in office hours: the routine's contact is Användarstöd.
AT = "2026-11-26T10:00"
START_TIMEOUT = 30.0

_ids = itertools.count(1)


def unique(prefix: str) -> str:
    """A fresh id per call (users, channels, events), so tests sharing a server never collide."""
    return f"{prefix}{next(_ids):05d}"


@dataclass
class Response:
    status: int
    body: str
    headers: dict

    def json(self):
        return json.loads(self.body) if self.body else None


class SlackApp:
    """`driftbot serve` as a subprocess; see the module docstring."""

    def __init__(self, fake: FakeSlack, db_path: Path | None = None, *, env: dict | None = None,
                 args: tuple[str, ...] = (), db_url: str | None = None):
        self.fake = fake
        self.db_url = db_url or f"sqlite:///{db_path}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("DRIFTBOT_", "SLACK_"))}
        self.env.update({
            "SLACK_BOT_TOKEN": fake.bot_token,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "DRIFTBOT_SLACK_API_URL": fake.base_url,
            "DRIFTBOT_BROADCAST_CHANNEL": BROADCAST,
            "DRIFTBOT_SUPPORT_CHANNEL": SUPPORT,
            "DRIFTBOT_ADMINS": ADMIN,
            "DRIFTBOT_DATABASE_URL": self.db_url,
            "DRIFTBOT_LOG_LEVEL": "INFO",
            # A client that stops sending mid-request is let go after this long (the tests wait for it).
            "DRIFTBOT_HTTP_TIMEOUT": "2",
        })
        self.env.update(env or {})
        self.args = ("--at", AT, "--outbox-interval", "0.2", *args)
        self.process: subprocess.Popen | None = None
        self.port: int | None = None
        self.stderr_lines: list[str] = []
        self._ready = threading.Event()

    # -- lifecycle --------------------------------------------------------------

    def start(self, ready_marker: str = "serving Slack") -> "SlackApp":
        cmd = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", "0", *self.args]
        self.process = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        threading.Thread(target=self._drain, args=(ready_marker,), daemon=True).start()
        if not self._ready.wait(START_TIMEOUT) or self.process.poll() is not None:
            self.stop()
            raise AssertionError("driftbot serve did not start:\n" + self.stderr)
        return self

    def _drain(self, ready_marker: str) -> None:
        # Read stderr continuously: a full pipe would block the server.
        for line in self.process.stderr:
            self.stderr_lines.append(line)
            if ready_marker in line and not self._ready.is_set():
                if "127.0.0.1:" in line:
                    self.port = int(line.split("127.0.0.1:")[1].split()[0])
                self._ready.set()
        self._ready.set()

    @property
    def stderr(self) -> str:
        return "".join(self.stderr_lines)

    def logged(self, fragment: str, timeout: float = 5) -> bool:
        """Whether the server's log has `fragment`, waiting a moment (another thread reads stderr)."""
        deadline = time.monotonic() + timeout
        while fragment not in self.stderr and time.monotonic() < deadline:
            time.sleep(0.05)
        return fragment in self.stderr

    def stop(self) -> int | None:
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        return self.process.returncode

    # -- requests -----------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/slack/events"

    def signed_post(self, body: str, content_type: str, *, headers: dict | None = None,
                    timestamp: int | None = None, secret: str = SIGNING_SECRET) -> Response:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
        all_headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature,
                       **(headers or {})}
        return http("POST", self.url, body.encode("utf-8"), all_headers)

    def event(self, event: dict, *, event_id: str | None = None, retry: int | None = None) -> tuple[Response, str]:
        """POST an Events API envelope; returns the response and the event_id used."""
        event_id = event_id or unique("Ev")
        envelope = {"token": "legacy", "team_id": TEAM, "api_app_id": self.fake.app_id, "type": "event_callback",
                    "event_id": event_id, "event_time": int(time.time()), "event": event,
                    "authorizations": [{"team_id": TEAM, "user_id": self.fake.bot_user_id, "is_bot": True}]}
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
        return self.signed_post(json.dumps(envelope), "application/json", headers=headers), event_id

    def interaction(self, payload: dict) -> Response:
        """POST an interactivity payload (block_actions, view_submission, shortcut), form-encoded like Slack."""
        return self.signed_post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    def command(self, user_id: str, text: str = "", *, channel: str = "CGENERAL") -> tuple[Response, str]:
        """POST /driftstopp; returns the response and the response_url path the app answers on (in the fake)."""
        reply_path = unique("respond/")
        form = {"token": "legacy", "team_id": TEAM, "channel_id": channel, "channel_name": "general",
                "user_id": user_id, "user_name": user_id.lower(), "command": "/driftstopp", "text": text,
                "api_app_id": self.fake.app_id, "response_url": self.fake.base_url + reply_path,
                "trigger_id": unique("trigger.")}
        return self.signed_post(urlencode(form), "application/x-www-form-urlencoded"), reply_path

    def health(self) -> Response:
        return http("GET", f"http://127.0.0.1:{self.port}/healthz")


def http(method: str, url: str, data: bytes | None = None, headers: dict | None = None) -> Response:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Response(response.status, response.read().decode("utf-8"), dict(response.headers))
    except urllib.error.HTTPError as exc:
        return Response(exc.code, exc.read().decode("utf-8"), dict(exc.headers))


# -- Slack payloads ----------------------------------------------------------------

def dm(user_id: str, text: str, **extra) -> dict:
    """A message.im event from a person, as Slack sends it."""
    ts = f"{time.time():.6f}"
    return {"type": "message", "channel": "D" + user_id, "channel_type": "im", "user": user_id, "text": text,
            "ts": ts, "event_ts": ts, "client_msg_id": unique("cmsg-"), "team": TEAM, **extra}


def mention(user_id: str, channel: str, text: str, bot_user_id: str = "UBOT", **extra) -> dict:
    ts = f"{time.time():.6f}"
    return {"type": "app_mention", "channel": channel, "user": user_id, "text": f"<@{bot_user_id}> {text}",
            "ts": ts, "event_ts": ts, "client_msg_id": unique("cmsg-"), "team": TEAM, **extra}


def button_click(user_id: str, message: dict, action: dict, channel: str | None = None) -> dict:
    """A block_actions payload for a button on a message the bot posted (a fake's message record)."""
    channel = channel or message["channel"]
    thread = {"thread_ts": message["thread_ts"]} if message.get("thread_ts") else {}
    return {"type": "block_actions", "team": {"id": TEAM}, "user": {"id": user_id},
            "api_app_id": "ABOT", "trigger_id": unique("trigger."),
            "container": {"type": "message", "message_ts": message["ts"], "channel_id": channel,
                          "is_ephemeral": False, **thread},
            "channel": {"id": channel},
            "message": {"type": "message", "ts": message["ts"], "text": message["text"],
                        "blocks": message.get("blocks") or [], **thread},
            "response_url": "", "actions": [{**action, "action_ts": f"{time.time():.6f}"}]}


def buttons(message: dict) -> list[dict]:
    """The buttons of a posted message's blocks."""
    return [e for b in message.get("blocks") or [] if b["type"] == "actions" for e in b["elements"]]


def press(slack: SlackApp, user_id: str, message: dict, label: str) -> Response:
    """Press the button labelled `label` on a message the bot posted (a fake's message record)."""
    ((block_id, button),) = [(b["block_id"], e) for b in message.get("blocks") or [] if b["type"] == "actions"
                             for e in b["elements"] if e["text"]["text"] == label]
    action = {"type": "button", "block_id": block_id, "action_id": button["action_id"], "value": button["value"],
              "text": button["text"]}
    return slack.interaction(button_click(user_id, message, action))


def view_submission(user_id: str, view: dict, values: dict[str, str]) -> dict:
    """A view_submission of a modal opened through the fake; `values` are the typed texts / chosen option values."""
    state: dict = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        block_id, element = block["block_id"], block["element"]
        value = values.get(block_id)
        if element["type"] == "static_select":
            chosen = next((o for o in element["options"] if o["value"] == value), None)
            state[block_id] = {element["action_id"]: {"type": "static_select", "selected_option": chosen}}
        else:
            state[block_id] = {element["action_id"]: {"type": "plain_text_input", "value": value}}
    submitted = {**view, "state": {"values": state}}
    return {"type": "view_submission", "team": {"id": TEAM}, "user": {"id": user_id}, "api_app_id": "ABOT",
            "trigger_id": unique("trigger."), "view": submitted}


def texts(calls) -> list[str]:
    return [c.params.get("text", "") for c in calls]


# -- a minimal Socket Mode endpoint ---------------------------------------------------

_WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class FakeSocketModeServer:
    """Accepts WebSocket connections on 127.0.0.1, says hello, sends envelopes, records what the app sends back."""

    def __init__(self):
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._conns: list[socket.socket] = []
        self._received: list[dict] = []
        self._cond = threading.Condition()
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        # wss as Slack gives it; slack_sdk's built-in client uses plain TCP on any port but 443.
        return f"wss://127.0.0.1:{self.port}/link/?ticket=test"

    def _accept(self) -> None:
        while not self._closed:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        reader = conn.makefile("rb")
        key = None
        while True:
            line = reader.readline()
            if not line or line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "sec-websocket-key":
                key = value.strip()
        accept = base64.b64encode(hashlib.sha1((key + _WS_GUID).encode()).digest()).decode()
        conn.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      f"Sec-WebSocket-Accept: {accept}\r\n\r\n").encode())
        with self._cond:
            self._conns.append(conn)
            self._cond.notify_all()
        self._send_frame(conn, 0x1, json.dumps({"type": "hello", "num_connections": 1,
                                                "connection_info": {"app_id": "ABOT"}}).encode())
        try:
            while True:
                opcode, payload = self._read_frame(reader)
                if opcode == 0x8:
                    return
                if opcode == 0x9:
                    self._send_frame(conn, 0xA, payload)
                elif opcode == 0x1:
                    with self._cond:
                        self._received.append(json.loads(payload.decode("utf-8")))
                        self._cond.notify_all()
        except (OSError, ValueError, struct.error):
            return

    @staticmethod
    def _read_exact(reader, n: int) -> bytes:
        data = reader.read(n)
        if data is None or len(data) < n:
            raise OSError("connection closed")
        return data

    def _read_frame(self, reader) -> tuple[int, bytes]:
        b1, b2 = self._read_exact(reader, 2)
        length = b2 & 0x7F
        if length == 126:
            length = struct.unpack("!H", self._read_exact(reader, 2))[0]
        elif length == 127:
            length = struct.unpack("!Q", self._read_exact(reader, 8))[0]
        mask = self._read_exact(reader, 4) if b2 & 0x80 else b"\0\0\0\0"
        data = self._read_exact(reader, length)
        return b1 & 0x0F, bytes(c ^ mask[i % 4] for i, c in enumerate(data))

    @staticmethod
    def _send_frame(conn: socket.socket, opcode: int, payload: bytes) -> None:
        header = bytes([0x80 | opcode])
        if len(payload) < 126:
            header += bytes([len(payload)])
        elif len(payload) < 65536:
            header += bytes([126]) + struct.pack("!H", len(payload))
        else:
            header += bytes([127]) + struct.pack("!Q", len(payload))
        conn.sendall(header + payload)

    def wait_connected(self, timeout: float = 15) -> None:
        with self._cond:
            if not self._cond.wait_for(lambda: self._conns, timeout):
                raise AssertionError("the app never opened a Socket Mode connection")

    def send(self, envelope: dict) -> None:
        with self._cond:
            conn = self._conns[-1]
        self._send_frame(conn, 0x1, json.dumps(envelope).encode())

    def wait_for_ack(self, envelope_id: str, timeout: float = 10) -> dict:
        with self._cond:
            found = self._cond.wait_for(
                lambda: next((m for m in self._received if m.get("envelope_id") == envelope_id), None), timeout)
        if not found:
            raise AssertionError(f"no acknowledgement for {envelope_id}; received {self._received!r}")
        return found

    def close(self) -> None:
        self._closed = True
        self._listener.close()
        for conn in self._conns:
            try:
                conn.close()
            except OSError:
                pass


# -- fixtures -----------------------------------------------------------------------------

_shared: dict = {}


def _stop_shared() -> None:
    for name in ("app", "impatient"):
        app = _shared.pop(name, None)
        if app is not None:
            app.stop()
            app.fake.stop()


@pytest.fixture(scope="session")
def slack_session(tmp_path_factory):
    """One FakeSlack and one `driftbot serve` (HTTP mode) for the whole Slack suite.

    Every test file imports this fixture, which gives each file its own copy
    of it; the process is kept here so that they all share one server (its
    start-up is most of a test's cost), stopped when the interpreter exits.
    """
    if "app" not in _shared:
        fake = FakeSlack().start()
        _shared["app"] = SlackApp(fake, tmp_path_factory.mktemp("slack") / "driftbot.db").start()
        atexit.register(_stop_shared)
    yield _shared["app"]


@pytest.fixture(scope="session")
def impatient_session(tmp_path_factory):
    """A second shared server whose Slack calls give up after one second (DRIFTBOT_SLACK_TIMEOUT),
    for the files that make the fake Slack hang or fail for a while; it logs at DEBUG, so that a
    test can see that not even DEBUG holds what people wrote."""
    if "impatient" not in _shared:
        fake = FakeSlack().start()
        _shared["impatient"] = SlackApp(fake, tmp_path_factory.mktemp("impatient") / "driftbot.db",
                                        env={"DRIFTBOT_SLACK_TIMEOUT": "1", "DRIFTBOT_LOG_LEVEL": "DEBUG"}).start()
        atexit.register(_stop_shared)
    yield _shared["impatient"]


@pytest.fixture
def impatient(impatient_session) -> SlackApp:
    impatient_session.fake.reset()
    return impatient_session


@pytest.fixture
def slack(slack_session) -> SlackApp:
    """The shared app with the fake's calls and messages forgotten, so a test sees only its own."""
    slack_session.fake.reset()
    slack_session.fake.on("apps.connections.open", None)
    return slack_session


@pytest.fixture
def fake(slack) -> FakeSlack:
    return slack.fake


@pytest.fixture(scope="module")
def own_slack(tmp_path_factory):
    """A `driftbot serve` with a database of its own, for a test file whose outages must not meet others'."""
    fake = FakeSlack().start()
    app = SlackApp(fake, tmp_path_factory.mktemp("slack-own") / "driftbot.db").start()
    try:
        yield app
    finally:
        app.stop()
        fake.stop()


def posted_to(fake: FakeSlack, channel: str, containing: str, timeout: float = 10) -> dict:
    """Wait until a message containing `containing` is in `channel` (notices come from the outbox worker)."""
    deadline = time.monotonic() + timeout
    while True:
        for message in fake.message_records(channel):
            if containing in message["text"]:
                return message
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"no message containing {containing!r} in {channel}: {fake.messages(channel)!r}")
        try:  # wake up at the next post, or re-check after a moment (an update also changes text)
            fake.wait_for("chat.postMessage", count=len(fake.calls_to("chat.postMessage")) + 1,
                          timeout=min(left, 0.25))
        except AssertionError:
            pass


def last_post(fake: FakeSlack, channel: str, count: int) -> dict:
    """Wait for the `count`th post to `channel`; the channel's latest message record (as updated since)."""
    posts(fake, channel, count)
    return fake.message_records(channel)[-1]


def say(slack: SlackApp, user_id: str, text: str, expect_posts: int) -> dict:
    """A DM from `user_id`; waits for the bot's `expect_posts`th post in that DM and returns the latest one."""
    slack.event(dm(user_id, text))
    return last_post(slack.fake, "D" + user_id, expect_posts)


def stored_reports(slack: SlackApp, user_id: str) -> list:
    """The reports the server stored for a user, read from its database (a CLI round trip would cost seconds)."""
    from sqlalchemy import select

    from bot.storage import Store
    from bot.storage.tables import ReportRow

    store = Store.connect(slack.db_url)
    try:
        with store.session() as s:
            return list(s.scalars(select(ReportRow).where(ReportRow.user_id == user_id)))
    finally:
        store.engine.dispose()


def posts(fake: FakeSlack, channel: str, count: int = 1, timeout: float = 5) -> list:
    """Wait for `count` chat.postMessage calls to `channel` and return all of them so far.

    Filtering by channel matters on the shared server: a notice for an earlier
    test (the outbox delivers in the background) may arrive at any moment.
    """
    deadline = time.monotonic() + timeout
    while True:
        every = fake.calls_to("chat.postMessage")
        mine = [c for c in every if c.params.get("channel") == channel]
        if len(mine) >= count:
            return mine
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"expected {count} chat.postMessage to {channel}, got {len(mine)}: {every!r}")
        try:
            fake.wait_for("chat.postMessage", count=len(every) + 1, timeout=min(left, 0.25))
        except AssertionError:
            pass
