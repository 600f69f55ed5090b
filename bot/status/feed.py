"""The status as an Atom feed (RFC 4287): one entry per outage on the page, updated when the
outage changes, so the municipality's web or a feed reader can follow it."""
from __future__ import annotations

from datetime import timezone
from xml.sax.saxutils import escape, quoteattr

from bot.status.snapshot import Snapshot
from bot.status.view import StatusView

FEED_ID = "urn:driftbot:status"


def _stamp(moment) -> str:
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def render_feed(view: StatusView, snapshot: Snapshot, lang: str, base_url: str) -> str:
    t = view.texts(lang)
    base = base_url.rstrip("/")
    updated = max((o.updated_at for o in snapshot.outages), default=snapshot.generated_at)
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(t.lang)}>',
        f"<id>{FEED_ID}:{escape(t.lang)}</id>",
        f"<title>{escape(t.feed.title)}</title>",
        f"<updated>{_stamp(updated)}</updated>",
        "<author><name>driftbot</name></author>",
        f"<link rel=\"alternate\" type=\"text/html\" href={quoteattr(f'{base}/status?lang={t.lang}')}/>",
        f"<link rel=\"self\" type=\"application/atom+xml\" href={quoteattr(f'{base}/status.atom?lang={t.lang}')}/>",
    ]
    for outage in snapshot.outages:
        v = outage.view
        values = view.values(outage, lang, snapshot.generated_at)
        status = v.status if v.kind == "planned" and v.state == "scheduled" else v.state
        title = t.feed.entry.format(state=getattr(t.states, status, status), system=values["system"])
        lines = [view.when_line(outage, lang, snapshot.generated_at)]
        if v.reports and v.units:
            lines.append(t.lines.affected.format(**values))
        if v.text:
            lines.append(t.lines.note.format(**values))
        lines.append(view.do_now(outage, lang, snapshot.generated_at))
        link = f"{base}/status/outage/{v.id}?lang={t.lang}" if outage.phase == "resolved" else f"{base}/status?lang={t.lang}"
        parts += [
            "<entry>",
            # One entry per outage and state: a resolved outage is news again, as a new entry.
            f"<id>urn:driftbot:outage:{v.id}:{escape(v.state)}</id>",
            f"<title>{escape(title)}</title>",
            f"<updated>{_stamp(outage.updated_at)}</updated>",
            f"<link rel=\"alternate\" type=\"text/html\" href={quoteattr(link)}/>",
            f"<summary>{escape(chr(10).join(lines))}</summary>",
            "</entry>",
        ]
    parts.append("</feed>")
    return "\n".join(parts) + "\n"
