"""The status page as HTML: phone-first, accessible, no JavaScript.

One column, large type, the outages going on now first. Real headings (h1 the page, h2 each
section, h3 each outage), a lang attribute, colours well above WCAG AA contrast, and the state
in words, not only in colour. A meta refresh keeps a page left open on a phone current.
Every word comes from content/status.<lang>.yaml; everything shown is escaped.
"""
from __future__ import annotations

from html import escape

from bot.status.snapshot import SECTIONS, Snapshot, StatusOutage
from bot.status.view import StatusView

REFRESH_SECONDS = 60

_STYLE = """
:root{color-scheme:light}
*{box-sizing:border-box}
body{margin:0;font:1.0625rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff}
header,main,footer{max-width:40rem;margin:0 auto;padding:0 1rem}
header{padding-top:1rem}
h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0}
h2{font-size:1.25rem;margin:1.5rem 0 .5rem;border-bottom:2px solid #1a1a1a}
h3{font-size:1.125rem;margin:0 0 .25rem}
p{margin:.25rem 0 .5rem}
a{color:#0b4f9c}
a:focus,a:hover{color:#06284f;outline:2px solid #06284f;outline-offset:2px}
.outage{border:2px solid #1a1a1a;border-left-width:.5rem;border-radius:.25rem;padding:.75rem;margin:.75rem 0}
.open{border-color:#a4001d}
.planned,.upcoming{border-color:#7a4d00}
.resolved{border-color:#1d6b2f}
.state{display:inline-block;font-weight:700;padding:0 .4rem;border-radius:.2rem;color:#fff;background:#1a1a1a}
.open .state{background:#a4001d}
.planned .state,.upcoming .state{background:#7a4d00}
.resolved .state{background:#1d6b2f}
.do-now{font-weight:600}
.meta{color:#3d3d3d}
.phone{white-space:nowrap}
footer{padding:1rem;color:#3d3d3d}
"""


def render_page(view: StatusView, snapshot: Snapshot, lang: str) -> str:
    t = view.texts(lang)
    other = view.other_lang(lang)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(t.lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="refresh" content="{REFRESH_SECONDS}">',
        f"<title>{escape(t.page.title)}</title>",
        f'<link rel="alternate" type="application/atom+xml" href="/status.atom?lang={escape(t.lang)}" '
        f'title="{escape(t.page.feed)}">',
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{escape(t.page.title)}</h1>",
        f"<p>{escape(t.page.intro)}</p>",
        f"<p>{_with_phone_link(view.contact_line(lang), view.content.routine.contacts.lkdata.phone)}</p>",
    ]
    if other:
        parts.append(f'<p><a href="/status?lang={escape(other)}" hreflang="{escape(other)}" lang="{escape(other)}">'
                     f"{escape(t.page.other_language)}</a></p>")
    parts += ["</header>", "<main>"]
    for section in SECTIONS:
        outages = snapshot.in_section(section)
        heading_id = f"section-{section}"
        parts.append(f'<section aria-labelledby="{heading_id}">')
        parts.append(f'<h2 id="{heading_id}">{escape(getattr(t.sections, section))}</h2>')
        if not outages:
            parts.append(f"<p>{escape(getattr(t.empty, section))}</p>")
        for outage in outages:
            parts.append(_outage(view, outage, lang, snapshot))
        parts.append("</section>")
    updated = view.moment(snapshot.generated_at, lang)
    parts += [
        "</main>",
        "<footer>",
        f'<p>{escape(t.page.updated.format(time=updated))}</p>',
        f'<p><a href="/status.atom?lang={escape(t.lang)}">{escape(t.page.feed)}</a> · '
        f'<a href="/status.json">{escape(t.page.json_)}</a></p>',
        "</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _with_phone_link(line: str, phone: str) -> str:
    """The after-hours number as a link a phone can call, kept on one line."""
    dial = "".join(c for c in phone if c.isdigit() or c == "+")
    return escape(line).replace(escape(phone), f'<a class="phone" href="tel:{escape(dial)}">{escape(phone)}</a>')


def _outage(view: StatusView, outage: StatusOutage, lang: str, snapshot: Snapshot) -> str:
    t = view.texts(lang)
    v = outage.view
    values = view.values(outage, lang, snapshot.generated_at)
    status = v.status if v.kind == "planned" and v.state == "scheduled" else v.state
    state = getattr(t.states, status, status)
    lines = [f'<article class="outage {outage.phase}" aria-labelledby="outage-{v.id}">',
             f'<h3 id="outage-{v.id}"><span class="state">{escape(state)}</span> {escape(values["system"])}</h3>',
             f'<p class="meta">{escape(view.when_line(outage, lang, snapshot.generated_at))}</p>']
    if v.reports and v.units:
        lines.append(f'<p class="meta">{escape(t.lines.affected.format(**values))}</p>')
    if v.text:
        lines.append(f"<p>{escape(t.lines.note.format(**values))}</p>")
    lines.append(f'<p class="do-now">{escape(view.do_now(outage, lang, snapshot.generated_at))}</p>')
    if outage.phase == "resolved":
        lines.append(f'<p><a href="/status/outage/{v.id}?lang={escape(t.lang)}">{escape(t.lines.summary)}</a></p>')
    lines.append("</article>")
    return "\n".join(lines)
