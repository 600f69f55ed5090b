"""`driftbot outage ...` and `driftbot notices`: the operator's side (shared/cli-contract.md).

The same actions as the admin commands of the chat channels (bot.conversation.admin). Every command takes --at (the
time to act at) and --db. Output for people is one short line per item;
--json gives one JSON object per line.
"""
from __future__ import annotations

import sys

from bot.cli.common import UsageError, print_json, runtime_for
from bot.clock import parse_at
from bot.reports import SYSTEMS

_print_json = print_json


def _service(args, settings):
    """The runtime (with --at and --db applied) and its outage service."""
    rt = runtime_for(args, settings, with_store=True)
    return rt, rt.outages


def _actions(args, settings):
    """The runtime and the admin actions the chat channels' commands use too (bot.conversation.admin)."""
    from bot.conversation.admin import AdminActions

    rt = runtime_for(args, settings, with_store=True)
    return rt, AdminActions.of(rt)


def operator() -> str:
    """Who runs the command, for the audit trail: the operating-system user."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no user name in the environment nor the password database (a bare container)
        import os

        return f"cli:uid-{os.getuid()}"


def _local_time(value: str, flag: str, tz):
    try:
        return parse_at(value, tz)
    except ValueError as exc:
        raise UsageError(f"{flag}: {exc}") from None


def _failed(exc) -> int:
    print(f"driftbot: {exc}", file=sys.stderr)
    return 1


def _describe(view, tz) -> str:
    start = view.starts_at.astimezone(tz).isoformat(timespec="minutes")
    end = view.ends_at.astimezone(tz).isoformat(timespec="minutes") if view.ends_at else "…"
    units = f", units: {', '.join(view.units)}" if view.units else ""
    text = f" – {view.text}" if view.text else ""
    return (f"#{view.id} {view.system} {view.kind} {view.status} {start} → {end}, "
            f"{view.reports} report(s){units}{text}")


# -- commands -------------------------------------------------------------------------

def _act(args, settings, action) -> int:
    """Run one admin action on the service; print the outage, or the refusal (exit 1)."""
    from bot.outages.service import OutageError

    rt, actions = _actions(args, settings)
    try:
        view = action(actions, rt.clock.now())
    except OutageError as exc:
        return _failed(exc)
    print(_describe(view, rt.tz))
    return 0


def cmd_outage_start(args, settings) -> int:
    return _act(args, settings, lambda actions, now: actions.start(args.system, args.text, at=now, actor=operator()))


def cmd_outage_resolve(args, settings) -> int:
    return _act(args, settings, lambda actions, now: actions.resolve(args.system, at=now, actor=operator()))


def cmd_outage_confirm(args, settings) -> int:
    return _act(args, settings, lambda actions, now: actions.confirm(args.id, at=now, actor=operator()))


def cmd_outage_update(args, settings) -> int:
    return _act(args, settings, lambda actions, now: actions.update(args.id, args.text, at=now, actor=operator()))


def cmd_outage_split(args, settings) -> int:
    return _act(args, settings, lambda actions, now: actions.split(args.report_id, at=now, actor=operator()))


def cmd_outage_cancel(args, settings) -> int:
    return _act(args, settings, lambda actions, now: actions.cancel(args.id, at=now, actor=operator()))


def cmd_outage_plan(args, settings) -> int:
    from bot.outages.service import OutageError

    rt, actions = _actions(args, settings)
    start = _local_time(args.start, "START", rt.tz)
    end = _local_time(args.end, "END", rt.tz)
    try:
        view = actions.plan(args.system, start, end, args.text, at=rt.clock.now(), actor=operator())
    except OutageError as exc:
        if exc.code in ("bad_period", "in_the_past"):
            raise UsageError(str(exc)) from None
        return _failed(exc)
    print(_describe(view, rt.tz))
    return 0


def cmd_outage_list(args, settings) -> int:
    rt, service = _service(args, settings)
    for view in service.list(at=rt.clock.now()):
        if args.json:
            _print_json(view.as_json(rt.tz))
        else:
            print(_describe(view, rt.tz))
    return 0


def cmd_outage_summary(args, settings) -> int:
    """The post-outage summary (bot.status.summary): Markdown or JSON, and a PNG plot with --plot."""
    from bot.cli.common import now_at, store_for
    from bot.clock import FixedClock
    from bot.outages.service import OutageError, OutageService
    from bot.status import summary, summary_text
    from bot.status.view import StatusView

    content, tz, store = store_for(settings)
    at = now_at(args, tz)
    service = OutageService(store, content, FixedClock(at, tz))
    try:
        built = summary.build(service, args.id, at)
    except OutageError as exc:
        return _failed(exc)
    view = StatusView(content, tz)
    lang = view.lang(args.lang)
    plot = None
    if args.plot:
        try:
            png = summary.plot_png(built, view.texts(lang).summary.plot, tz)
        except ImportError:
            print(f"driftbot: {summary.PLOT_MISSING}", file=sys.stderr)
        else:
            with open(args.plot, "wb") as out:
                out.write(png)
            plot = args.plot
    if args.format == "json":
        _print_json({**built.as_json(tz), "plot": plot})
    else:
        sys.stdout.write(summary_text.markdown(view, built, lang, at, plot))
    return 0


def cmd_notices(args, settings) -> int:
    from bot.outages.outbox import NOTICE_KINDS

    rt, service = _service(args, settings)
    for notice in service.due_notices(at=rt.clock.now()):
        if notice.kind not in NOTICE_KINDS:  # e.g. report copies for the support desk
            continue
        if notice.target.startswith("broadcast:"):  # another channel's copy of the same notice
            continue
        if args.json:
            _print_json(notice.as_json(rt.tz))
        else:
            due = notice.due_at.astimezone(rt.tz).isoformat(timespec="minutes")
            print(f"{due} {notice.kind} {notice.system} → {notice.target} ({notice.action})")
            print("  " + notice.text.replace("\n", "\n  "))
    return 0


# -- registration -----------------------------------------------------------------------

def add_commands(sub, with_at, with_db) -> None:
    """Register the operator commands on the top-level subparsers."""
    p = sub.add_parser("outage", help="declare, resolve, plan and list outages")
    osub = p.add_subparsers(dest="outage_command", required=True, metavar="SUBCOMMAND")

    op = with_db(with_at(osub.add_parser("start", help="declare an unplanned outage")))
    op.add_argument("system", choices=SYSTEMS, metavar="SYSTEM", help=" | ".join(SYSTEMS))
    op.add_argument("--text", help="what the channel should know (shown with the notice)")
    op.set_defaults(func=cmd_outage_start)

    op = with_db(with_at(osub.add_parser("resolve", help="resolve the open outage of a system")))
    op.add_argument("system", choices=SYSTEMS, metavar="SYSTEM", help=" | ".join(SYSTEMS))
    op.set_defaults(func=cmd_outage_resolve)

    op = with_db(with_at(osub.add_parser("plan", help="schedule a planned outage and its notices")))
    op.add_argument("system", choices=SYSTEMS, metavar="SYSTEM", help=" | ".join(SYSTEMS))
    op.add_argument("start", metavar="START", help="ISO 8601; without an offset local time")
    op.add_argument("end", metavar="END", help="ISO 8601; without an offset local time")
    op.add_argument("--text", help="what the channel should know (shown with the notices)")
    op.set_defaults(func=cmd_outage_plan)

    op = with_db(with_at(osub.add_parser("confirm", help="confirm a suspected outage (by id)")))
    op.add_argument("id", type=int, metavar="ID")
    op.set_defaults(func=cmd_outage_confirm)

    op = with_db(with_at(osub.add_parser("update", help="change an outage's text; the channel notice is edited")))
    op.add_argument("id", type=int, metavar="ID")
    op.add_argument("text", metavar="TEXT")
    op.set_defaults(func=cmd_outage_update)

    op = with_db(with_at(osub.add_parser("split", help="move a report out of its outage into one of its own")))
    op.add_argument("report_id", type=int, metavar="REPORT_ID")
    op.set_defaults(func=cmd_outage_split)

    op = with_db(with_at(osub.add_parser("cancel", help="cancel an outage (a planned one, or one reported by mistake)")))
    op.add_argument("id", type=int, metavar="ID")
    op.set_defaults(func=cmd_outage_cancel)

    op = with_db(with_at(osub.add_parser("summary", help="the post-outage summary: duration, the 10-hour line, "
                                                         "reports by unit, notices, admin actions")))
    op.add_argument("id", type=int, metavar="ID")
    op.add_argument("--format", choices=["md", "json"], default="md")
    op.add_argument("--lang", choices=["sv", "en"], help="the summary's language (default: the content's)")
    op.add_argument("--plot", metavar="PNG", help="also draw reports over time into this PNG file (needs the plot extra)")
    op.set_defaults(func=cmd_outage_summary)

    op = with_db(with_at(osub.add_parser("list", help="open, planned and recent outages")))
    op.add_argument("--json", action="store_true", help="one JSON object per line")
    op.set_defaults(func=cmd_outage_list)

    p = with_db(with_at(sub.add_parser("notices", help="notices due at --at and not sent")))
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.set_defaults(func=cmd_notices)
