"""`driftbot web`: only the status page, for a deployment without a messenger (or beside Slack in
Socket Mode, which has no HTTP server of its own). Standard library, read-only."""
from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from bot.status import DEFAULT_PORT  # noqa: F401 (re-exported: the port `driftbot web` serves on)

log = logging.getLogger(__name__)



class StatusHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], site=None):
        self.site = site
        super().__init__(address, _Handler)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def start_in_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.2}, name="status-http",
                                  daemon=True)
        thread.start()
        return thread


class _Handler(BaseHTTPRequestHandler):
    server: StatusHTTPServer
    server_version = "driftbot"
    protocol_version = "HTTP/1.1"
    timeout = 10

    def do_GET(self) -> None:  # noqa: N802
        parts = urlsplit(self.path)
        if parts.path == "/healthz":
            return self._send(200, "application/json", json.dumps({"ok": True}).encode())
        if parts.path == "/":
            return self._send(302, "text/plain", b"", location="/status")
        try:
            page = self.server.site.respond(parts.path, parts.query, self.headers.get("Host"))
        except Exception as exc:  # the database is down, say
            log.warning("the status page failed: %s", type(exc).__name__)
            return self._send(503, "text/plain", b"unavailable")
        if page is None:
            return self._send(404, "text/plain", b"not found")
        self._send(page.status, page.content_type, page.body, cache_control=page.cache_control)

    def do_HEAD(self) -> None:  # noqa: N802
        self.do_GET()

    def _send(self, status: int, content_type: str, body: bytes, *, cache_control: str | None = None,
              location: str | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Content-Type-Options", "nosniff")
            if cache_control:
                self.send_header("Cache-Control", cache_control)
            if location:
                self.send_header("Location", location)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format: str, *args) -> None:
        log.debug("%s %s", self.address_string(), format % args)
