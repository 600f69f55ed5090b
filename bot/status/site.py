"""The status pages by path, for whichever HTTP server serves them (`driftbot serve`'s, the Teams
app's aiohttp, `driftbot web`'s): a path and a query in, a response out, or None for a path that
is not one of these.

    GET /status                      the page (Swedish; ?lang=en English)
    GET /status.json                 shared/cli-contract.md's shape
    GET /status.atom                 the Atom feed (?lang=en)
    GET /status/outage/ID            the post-outage summary (?lang=en)
    GET /status/outage/ID.png        its plot of reports over time (with matplotlib, the `plot` extra)
"""
from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from urllib.parse import parse_qs

from bot.outages.service import OutageError, OutageService
from bot.status import feed, page, snapshot, summary, summary_text
from bot.status.view import StatusView

log = logging.getLogger(__name__)

PATHS = ("/status", "/status.json", "/status.atom")
_SUMMARY = re.compile(r"/status/outage/([0-9]{1,9})(\.png)?")
HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    body: bytes
    # Short: the page is live data, but a burst of phones at shift start need not each hit the database.
    cache_control: str = "public, max-age=15"


class StatusSite:
    def __init__(self, store, content, clock):
        self.clock = clock
        self.service = OutageService(store, content, clock)
        self.view = StatusView(content, clock.tz)
        self._plots: bool | None = None

    def respond(self, path: str, query: str = "", host: str | None = None) -> Response | None:
        if path == "/status/":
            path = "/status"
        match = _SUMMARY.fullmatch(path)
        if path not in PATHS and match is None:
            return None
        lang = self.view.lang((parse_qs(query).get("lang") or [None])[0])
        at = self.clock.now()
        if match is not None:
            return self._summary(int(match.group(1)), bool(match.group(2)), lang, at)
        taken = snapshot.take(self.service, at)
        if path == "/status.json":
            body = json.dumps(taken.as_json(self.clock.tz), ensure_ascii=False)
            return Response(200, "application/json; charset=utf-8", body.encode("utf-8"))
        if path == "/status.atom":
            base = f"http://{host}" if host else ""
            return Response(200, "application/atom+xml; charset=utf-8",
                            feed.render_feed(self.view, taken, lang, base).encode("utf-8"))
        return Response(200, HTML, page.render_page(self.view, taken, lang).encode("utf-8"))

    def _summary(self, outage_id: int, png: bool, lang: str, at) -> Response:
        try:
            built = summary.build(self.service, outage_id, at)
        except OutageError:
            return Response(404, "text/plain; charset=utf-8", b"not found")
        if png:
            if not self.plots_available:
                return Response(404, "text/plain; charset=utf-8", summary.PLOT_MISSING.encode("utf-8"))
            title = self.view.texts(lang).summary.plot
            return Response(200, "image/png", summary.plot_png(built, title, self.clock.tz))
        plot_url = f"/status/outage/{outage_id}.png?lang={lang}" if self.plots_available else None
        return Response(200, HTML, summary_text.html(self.view, built, lang, at, plot_url).encode("utf-8"))

    @property
    def plots_available(self) -> bool:
        if self._plots is None:
            import importlib.util

            self._plots = importlib.util.find_spec("matplotlib") is not None
        return self._plots
