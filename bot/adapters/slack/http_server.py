"""HTTP mode: a small threaded server for Slack's requests and a health check.

    POST /slack/events   events, interactivity, slash commands (signed, checked here and by Bolt)
    GET  /healthz        200 {"ok": true} while the process serves
    GET  /readyz         200 {"ok": true, "database": "ok"} while the database answers, else 503
    GET  /metrics        Prometheus metrics (bot.metrics)
    GET  /status, /status.json, /status.atom, /status/outage/ID   the public status page (bot.status.site)

Standard library only: Bolt's work is done in its own worker threads after
the acknowledgement, so this server only has to hand requests to
App.dispatch and write back what it returns. Put a TLS-terminating proxy in
front of it; Slack only calls https URLs.
"""
from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from slack_bolt import App
from slack_bolt.request import BoltRequest

from bot import metrics

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
METRICS_PATH = "/metrics"
# A readiness probe answers within this long, whatever the database does.
READY_TIMEOUT_SECONDS = 2.0
# Slack's payloads are small; anything far bigger is not from Slack.
MAX_BODY_BYTES = 1_000_000
# How long a client may take to send a request, from its first line to its body's last byte, and
# how long a kept-alive connection may wait for its next one (DRIFTBOT_HTTP_TIMEOUT).
READ_TIMEOUT_SECONDS = 10.0
# Connections served at once, a thread each; more are turned away with a 503 (Slack retries).
# Far above Slack's own concurrency: a limit on what slow or hostile clients can hold.
MAX_CONNECTIONS = 200
BUSY = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n"
        b"Retry-After: 1\r\nConnection: close\r\n\r\nbusy")
# Slack's rule: a request signed more than five minutes ago is refused.
SIGNATURE_WINDOW_SECONDS = 300
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
CONTENT_TYPES = (JSON, FORM)


class SlackHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver's default backlog is 5: a burst of events at the start of an
    # outage (everyone writes at once) would have connections refused.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], app: App | None = None, *, signing_secret: str | None = None,
                 read_timeout: float = READ_TIMEOUT_SECONDS, max_connections: int = MAX_CONNECTIONS):
        # Bound before the app exists, so a port in use is reported before the slow part of start-up.
        self.app = app
        self.signing_secret = signing_secret
        self.read_timeout = read_timeout
        self.max_connections = max_connections
        self._slots = threading.BoundedSemaphore(max_connections)
        self.replays = ReplayGuard()
        # Set by `serve` once the database is open: /readyz asks it, /metrics is served.
        self.readiness: Readiness | None = None
        # Set by `serve` too: the read-only status page, its JSON and feed (bot.status.site).
        self.status = None
        self._thread: threading.Thread | None = None
        super().__init__(address, _Handler)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def process_request(self, request, client_address) -> None:
        if self._slots.acquire(blocking=False):
            super().process_request(request, client_address)
        else:
            self._turn_away(request)

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def _turn_away(self, request: socket.socket) -> None:
        """503 and close, from the thread that accepts connections: so nothing here may wait on the
        client. The answer fits in the socket's buffer; what the client sent already is read first,
        since closing on unread bytes resets the connection and the 503 could be lost with it."""
        log.warning("turned a connection away: %d connections are open", self.max_connections)
        try:
            request.setblocking(False)
            request.recv(65536)
        except OSError:
            pass
        try:
            request.send(BUSY)
        except OSError:
            pass
        self.shutdown_request(request)

    def start_in_thread(self) -> threading.Thread:
        if self.app is None:
            raise RuntimeError("no app to serve")
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.2},
                                        name="slack-http", daemon=True)
        self._thread.start()
        return self._thread

    def shutdown_if_serving(self) -> None:
        # shutdown() waits for serve_forever to notice; it would wait for ever if it never ran.
        if self._thread is not None:
            self.shutdown()


class Readiness:
    """Whether the database answers a `SELECT 1`, within READY_TIMEOUT_SECONDS.

    The query runs on a thread of its own, one at a time: a database that hangs (a network
    gone quiet) makes the probe say so in two seconds, and probes arriving meanwhile wait for
    the same answer instead of piling up connections.
    """

    def __init__(self, store, timeout: float = READY_TIMEOUT_SECONDS):
        self.store = store
        self.timeout = timeout
        self._lock = threading.Lock()
        self._running: tuple[threading.Event, dict] | None = None

    def check(self) -> tuple[bool, str]:
        with self._lock:
            if self._running is None:
                done, result = threading.Event(), {}
                self._running = (done, result)
                threading.Thread(target=self._probe, args=(done, result), name="readyz", daemon=True).start()
            done, result = self._running
        if not done.wait(self.timeout):
            return False, "timeout"
        return result.get("ok", False), result.get("detail", "ok")

    def _probe(self, done: threading.Event, result: dict) -> None:
        try:
            with self.store.engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
            result["ok"] = True
        except Exception as exc:  # what kind of failure, not its text (it may name hosts and users)
            result["ok"], result["detail"] = False, f"unreachable ({type(exc).__name__})"
        finally:
            with self._lock:
                self._running = None
            done.set()


class ReplayGuard:
    """Signatures seen within Slack's signature window: the same signed request twice is a replay.

    Slack signs each delivery anew (its retries of an event carry a new
    timestamp and an X-Slack-Retry-Num), so an identical signature means
    someone resent a captured request: a slash command would run twice.
    """

    def __init__(self, window: float = SIGNATURE_WINDOW_SECONDS, size: int = 50_000):
        self.window = window
        self.size = size
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def first(self, signature: str, now: float) -> bool:
        with self._lock:
            if len(self._seen) >= self.size or len(self._seen) % 1000 == 0:
                self._seen = {sig: at for sig, at in self._seen.items() if now - at <= self.window}
            if signature in self._seen:
                return False
            if len(self._seen) < self.size:
                self._seen[signature] = now
            return True


class _Handler(BaseHTTPRequestHandler):
    server: SlackHTTPServer
    server_version = "driftbot"
    protocol_version = "HTTP/1.1"
    # socketserver applies this to the connection: a client that stops sending is let go.
    timeout = READ_TIMEOUT_SECONDS

    def setup(self) -> None:
        self.timeout = self.server.read_timeout
        super().setup()
        # Reads go through a _DeadlineReader instead: each may take only what the request has left.
        self.rfile.close()
        self._reader = _DeadlineReader(self.connection, "rb")
        self._reader.timeout = self.timeout
        self.rfile = io.BufferedReader(self._reader)

    def handle_one_request(self) -> None:
        # One deadline for the request line, the headers and the body: the socket's timeout is per
        # read, and a client sending a byte now and then would hold this thread for ever.
        # (Past it, the read raises TimeoutError and the base class closes the connection.)
        self._reader.deadline = time.monotonic() + self.server.read_timeout
        super().handle_one_request()

    def do_GET(self) -> None:  # noqa: N802
        path = urlsplit(self.path).path
        if path == HEALTH_PATH:
            self._send(200, {"content-type": ["application/json"]}, json.dumps({"ok": True}))
        elif path == READY_PATH:
            readiness = self.server.readiness
            ok, detail = readiness.check() if readiness is not None else (False, "starting")
            self._send(200 if ok else 503, {"content-type": ["application/json"]},
                       json.dumps({"ok": ok, "database": detail}))
        elif path == METRICS_PATH and metrics.enabled():
            body, content_type = metrics.exposition()
            self._send(200, {"content-type": [content_type]}, body)
        elif self.server.status is not None and (page := self._status(path)) is not None:
            self._send(page.status, {"content-type": [page.content_type], "cache-control": [page.cache_control]},
                       page.body)
        else:
            self._send(404, {"content-type": ["text/plain"]}, "not found")

    def _status(self, path: str):
        try:
            return self.server.status.respond(path, urlsplit(self.path).query, self.headers.get("Host"))
        except Exception as exc:  # the database is down, say: the page says so, the server goes on
            log.warning("the status page failed: %s", type(exc).__name__)
            from bot.status.site import Response

            return Response(503, "text/plain; charset=utf-8", b"unavailable", cache_control="no-store")

    def do_POST(self) -> None:  # noqa: N802
        """Every check that can refuse a request comes before anything that parses it.

        Size and type first (413/411/415, the connection closed, since an
        unread body would be taken for the next request), then the body is
        read within the request's deadline (408), then the signature (401), and only
        then is the body decoded and parsed (400 when it is not what Slack sends).
        """
        self._started = time.monotonic()
        parts = urlsplit(self.path)
        if parts.path != EVENTS_PATH:
            return self._refuse(404, "not found")
        if self.headers.get("Transfer-Encoding"):
            return self._refuse(411, "length required")
        length_header = self.headers.get("Content-Length")
        if length_header is None:
            return self._refuse(411, "length required")
        if not length_header.strip().isdigit():
            return self._refuse(400, "bad content length")
        length = int(length_header)
        if length > MAX_BODY_BYTES:
            return self._refuse(413, "request too large")
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if content_type not in CONTENT_TYPES:
            return self._refuse(415, "unsupported content type")
        raw = self._read_body(length)
        if raw is None:
            return self._refuse(408, "request timeout")
        if not self._signed(raw):
            return self._refuse(401, "invalid signature", close=False)
        if content_type == FORM and not self.server.replays.first(self.headers["X-Slack-Signature"], time.time()):
            log.warning("a signed request was replayed within the signature window: dropped")
            return self._send(200, {"content-type": ["text/plain"]}, "")
        body, kind = _parse(raw, content_type)
        if body is None:
            return self._refuse(400, "malformed body", close=False)
        headers: dict[str, list[str]] = {}
        for key, value in self.headers.items():
            headers.setdefault(key.lower(), []).append(value)
        request = BoltRequest(body=body, query=parse_qs(parts.query), headers=headers)
        try:
            response = self.server.app.dispatch(request)
        except Exception:
            log.exception("dispatching a Slack request failed")
            self._send(500, {"content-type": ["text/plain"]}, "error")
            metrics.slack_ack(kind, 500, time.monotonic() - self._started)
            return
        self._send(response.status, response.headers, response.body or "")
        metrics.slack_ack(kind, response.status, time.monotonic() - self._started)

    def _read_body(self, length: int) -> bytes | None:
        """The body, or None when the client is too slow (the request's deadline) or goes away."""
        try:
            raw = self.rfile.read(length)
        except OSError:  # TimeoutError included
            return None
        return raw if len(raw) == length else None

    def _signed(self, raw: bytes) -> bool:
        """Slack's v0 signature over the raw bytes, with a numeric timestamp inside the window."""
        timestamp = self.headers.get("X-Slack-Request-Timestamp") or ""
        signature = self.headers.get("X-Slack-Signature") or ""
        if not timestamp.isdigit() or not signature.startswith("v0=") or len(timestamp) > 12:
            return False
        if abs(time.time() - int(timestamp)) > SIGNATURE_WINDOW_SECONDS:
            return False
        secret = self.server.signing_secret
        if secret is None:  # the app verifies (and refuses) on its own
            return True
        expected = "v0=" + hmac.new(secret.encode("utf-8"), b"v0:" + timestamp.encode("ascii") + b":" + raw,
                                    hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, signature)

    def _refuse(self, status: int, reason: str, close: bool = True) -> None:
        # The access log holds no body: only what was refused, and why.
        log.info("refused a request to %s: %s %s", urlsplit(self.path).path[:100], status, reason)
        self._send(status, {"content-type": ["text/plain"]}, reason, close=close)

    def _send(self, status: int, headers: dict, body: str | bytes, close: bool = False) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        metrics.http_request(urlsplit(self.path).path, status)
        try:
            self.send_response(status)
            for key, values in headers.items():
                if key.lower() in ("content-length", "connection"):
                    continue
                for value in values if isinstance(values, (list, tuple)) else [values]:
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            if close:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format: str, *args) -> None:
        # The request line holds no message text, but the access log is noise at INFO.
        log.debug("%s %s", self.address_string(), format % args)


class _DeadlineReader(socket.SocketIO):
    """A connection's reads, each allowed only the time left before `deadline` (a monotonic time)."""
    deadline: float | None = None
    timeout: float = READ_TIMEOUT_SECONDS  # the socket's own, per read

    def readinto(self, buffer) -> int | None:
        if self.deadline is None:
            return super().readinto(buffer)
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request took too long")
        self._sock.settimeout(min(left, self.timeout))
        try:
            return super().readinto(buffer)
        finally:  # writes keep the whole timeout
            self._sock.settimeout(self.timeout)


# Payload types named in the metrics; anything else is "other" (a label never holds what was sent).
_KINDS = frozenset({"event_callback", "url_verification", "app_rate_limited", "block_actions", "view_submission",
                    "view_closed", "shortcut", "message_action", "block_suggestion", "interactive_message",
                    "dialog_submission", "dialog_cancellation", "dialog_suggestion"})


def _parse(raw: bytes, content_type: str) -> tuple[str | None, str]:
    """The body as text when it is well-formed JSON or a well-formed form (with a JSON payload),
    else None; and the kind of request for the metrics ("event_callback", "command", ...)."""
    try:
        text = raw.decode("utf-8")
        if content_type == JSON:
            data = json.loads(text)
            return (text, _kind(data.get("type"))) if isinstance(data, dict) else (None, "malformed")
        form = parse_qs(text, keep_blank_values=True, strict_parsing=bool(text), errors="strict")
        payload = form.get("payload")
        if payload is not None:
            data = json.loads(payload[0])
            return (text, _kind(data.get("type"))) if isinstance(data, dict) else (None, "malformed")
        return text, "command" if "command" in form else "other"
    except (UnicodeDecodeError, ValueError):
        return None, "malformed"


def _kind(value) -> str:
    return value if value in _KINDS else "other"
