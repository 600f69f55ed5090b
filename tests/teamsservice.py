"""A stand-in for the Teams service (the Bot Framework connector): a real aiohttp server on
loopback that records every call the bot makes and answers as the service does ({"id": ...}).

Activities sent to the bot name it as their serviceUrl, so the bot's replies, channel posts and
edits arrive here over real HTTP.
"""
from __future__ import annotations

import asyncio
import threading
import time

from aiohttp import web


class TeamsService:
    def __init__(self):
        self.calls: list[dict] = []
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="teams-service", daemon=True)
        self._runner = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.json() if request.can_read_body else None
        with self._lock:
            self.calls.append({"method": request.method, "path": request.path, "body": body,
                               "authorization": request.headers.get("Authorization")})
            number = len(self.calls)
        return web.json_response({"id": f"activity-{number}"})

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]

    def start(self) -> "TeamsService":
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=10)
        return self

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    def wait_for(self, predicate, timeout: float = 20.0) -> dict:
        """The first recorded call that satisfies `predicate`, waiting for it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                for call in self.calls:
                    if predicate(call):
                        return call
            time.sleep(0.05)
        raise AssertionError(f"no such call within {timeout}s; calls: {[c['method'] + ' ' + c['path'] for c in self.calls]}")
