"""HTTP mode: a small threaded server for Slack's requests and a health check.

    POST /slack/events   events, interactivity, slash commands (Bolt verifies the signature)
    GET  /healthz        200 {"ok": true} while the process serves

Standard library only: Bolt's work is done in its own worker threads after
the acknowledgement, so this server only has to hand requests to
App.dispatch and write back what it returns. Put a TLS-terminating proxy in
front of it; Slack only calls https URLs.
"""
from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from slack_bolt import App
from slack_bolt.request import BoltRequest

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
# Slack's payloads are small; anything far bigger is not from Slack.
MAX_BODY_BYTES = 1_000_000


class SlackHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver's default backlog is 5: a burst of events at the start of an
    # outage (everyone writes at once) would have connections refused.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], app: App | None = None):
        # Bound before the app exists, so a port in use is reported before the slow part of start-up.
        self.app = app
        self._thread: threading.Thread | None = None
        super().__init__(address, _Handler)

    @property
    def port(self) -> int:
        return self.server_address[1]

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


class _Handler(BaseHTTPRequestHandler):
    server: SlackHTTPServer
    server_version = "driftbot"
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802
        if urlsplit(self.path).path == HEALTH_PATH:
            self._send(200, {"content-type": ["application/json"]}, json.dumps({"ok": True}))
        else:
            self._send(404, {"content-type": ["text/plain"]}, "not found")

    def do_POST(self) -> None:  # noqa: N802
        parts = urlsplit(self.path)
        if parts.path != EVENTS_PATH:
            self._send(404, {"content-type": ["text/plain"]}, "not found")
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY_BYTES:
            self._send(413, {"content-type": ["text/plain"]}, "request too large")
            return
        body = self.rfile.read(length).decode("utf-8", errors="replace") if length else ""
        headers: dict[str, list[str]] = {}
        for key, value in self.headers.items():
            headers.setdefault(key.lower(), []).append(value)
        request = BoltRequest(body=body, query=parse_qs(parts.query), headers=headers)
        try:
            response = self.server.app.dispatch(request)
        except Exception:
            log.exception("dispatching a Slack request failed")
            self._send(500, {"content-type": ["text/plain"]}, "error")
            return
        self._send(response.status, response.headers, response.body or "")

    def _send(self, status: int, headers: dict, body: str) -> None:
        data = body.encode("utf-8")
        try:
            self.send_response(status)
            for key, values in headers.items():
                if key.lower() in ("content-length", "connection"):
                    continue
                for value in values if isinstance(values, (list, tuple)) else [values]:
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format: str, *args) -> None:
        # The request line holds no message text, but the access log is noise at INFO.
        log.debug("%s %s", self.address_string(), format % args)
