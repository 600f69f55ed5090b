"""The post-outage summary worded for people: Markdown (`driftbot outage summary`) and the HTML
page linked from the status page (/status/outage/ID). Every word from content/status.<lang>.yaml."""
from __future__ import annotations

from html import escape

from bot.status.page import _STYLE
from bot.status.snapshot import StatusOutage
from bot.status.summary import Summary
from bot.status.view import StatusView


def _parts(view: StatusView, summary: Summary, lang: str, at) -> dict:
    """The summary's lines and tables, in plain text, for both formats."""
    t = view.texts(lang).summary
    v = summary.view
    outage = StatusOutage(view=v, phase="resolved" if v.ends_at else "open", updated_at=summary.until)
    values = {**view.values(outage, lang, at), "id": v.id}
    values["duration"] = view.renderer._duration(summary.until - v.starts_at, view.renderer._texts(view.lang(lang)))
    ended = v.ends_at is not None and v.ends_at <= at
    facts = [t.kind_planned if v.kind == "planned" else t.kind_unplanned,
             (t.period if ended else t.ongoing).format(**values),
             t.duration.format(**values),
             (t.ten_hours_passed if summary.passed_ten_hours else t.ten_hours_not_passed).format(**values),
             t.reports.format(**values)]
    if v.text:
        facts.append(view.texts(lang).lines.note.format(**values))
    hour = lambda moment: view.moment(moment, lang)  # noqa: E731
    by_unit = [(hour(h), unit, str(n)) for h, unit, n in summary.reports_by_unit]
    channel = lambda target: target.split(":", 1)[1] if ":" in target else "slack"  # noqa: E731
    notices = [(kind, channel(target), hour(sent)) for kind, target, sent in summary.notices]
    actions = [(hour(moment), t.action_names.get(action, action), detail) for moment, action, detail in summary.actions]
    return {"title": t.title.format(**values), "facts": facts,
            "tables": [(t.by_unit, (t.hour, t.unit, t.count), by_unit),
                       (t.notices, (t.sent, t.notice, t.channel), notices),
                       (t.actions, (t.time, t.action, t.detail), actions)],
            "direct": t.direct.format(n=summary.direct_notices) if summary.direct_notices else "",
            "none": t.none, "plot": t.plot, "plot_alt": t.plot_alt}


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def markdown(view: StatusView, summary: Summary, lang: str, at, plot_path: str | None = None) -> str:
    p = _parts(view, summary, lang, at)
    out = [f"# {p['title']}", ""] + [f"- {line}" for line in p["facts"]]
    for heading, columns, rows in p["tables"]:
        out += ["", f"## {heading}", ""]
        if not rows:
            out.append(p["none"])
        else:
            out += ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
            out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
        if heading == p["tables"][1][0] and p["direct"]:
            out += ["", p["direct"]]
    if plot_path:
        out += ["", f"## {p['plot']}", "", f"![{p['plot_alt']}]({plot_path})"]
    return "\n".join(out) + "\n"


def html(view: StatusView, summary: Summary, lang: str, at, plot_url: str | None = None) -> str:
    p = _parts(view, summary, lang, at)
    t = view.texts(lang)
    out = ["<!DOCTYPE html>", f'<html lang="{escape(t.lang)}">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{escape(p['title'])}</title>", f"<style>{_STYLE}"
           "table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.25rem;"
           "border-bottom:1px solid #6b6b6b;vertical-align:top}img{max-width:100%;height:auto}</style>",
           "</head>", "<body>", "<header>",
           f'<p><a href="/status?lang={escape(t.lang)}">{escape(t.page.title)}</a></p>',
           f"<h1>{escape(p['title'])}</h1>", "</header>", "<main>", "<ul>"]
    out += [f"<li>{escape(line)}</li>" for line in p["facts"]] + ["</ul>"]
    for heading, columns, rows in p["tables"]:
        out.append(f"<h2>{escape(heading)}</h2>")
        if not rows:
            out.append(f"<p>{escape(p['none'])}</p>")
        else:
            out.append("<table><thead><tr>" + "".join(f'<th scope="col">{escape(c)}</th>' for c in columns)
                       + "</tr></thead><tbody>")
            out += ["<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in rows]
            out.append("</tbody></table>")
        if heading == p["tables"][1][0] and p["direct"]:
            out.append(f"<p>{escape(p['direct'])}</p>")
    if plot_url:
        out += [f"<h2>{escape(p['plot'])}</h2>", f'<img src="{escape(plot_url)}" alt="{escape(p["plot_alt"])}" '
                f'width="800" height="400">']
    out += ["</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"
