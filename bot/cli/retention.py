"""`driftbot reports purge` and `driftbot reports of NAME`: retention and a reporter's extract
(shared/cli-contract.md, "Audit and retention"; bot.retention)."""
from __future__ import annotations

import sys

from bot.cli.common import UsageError, now_at, print_json, store_for


def cmd_reports_purge(args, settings) -> int:
    from bot.retention import purge, retention_days

    content, tz, store = store_for(settings)
    days = args.older_than if args.older_than is not None else retention_days(settings, content)
    result = purge(store, now_at(args, tz), days, dry_run=args.dry_run)
    if args.json:
        print_json(result.as_json(tz))
        return 0
    before = result.older_than.astimezone(tz).isoformat(timespec="minutes")
    verb = "would erase" if result.dry_run else "erased"
    print(f"{verb} the name, description and user id of {result.reports} report(s) filed before {before} "
          f"({days} days); {'would prune' if result.dry_run else 'pruned'} {result.dialog_states} "
          f"dialog state(s) and {result.message_ids} message id(s)")
    return 0


def cmd_reports_of(args, settings) -> int:
    """A registerutdrag: everything stored in the reports a person filed under that name."""
    from bot.storage.tables import ReportRow

    _content, tz, store = store_for(settings)
    wanted = _folded(args.name)
    if not wanted:
        raise UsageError("NAME: give the name the reports were filed under")
    columns = [c for c in ReportRow.__table__.columns]
    found = []
    for row in store.iter_reports(*columns):
        record = dict(zip((c.name for c in columns), row))
        if record["reporter_name"] is None or _folded(record["reporter_name"]) != wanted:
            continue
        for key in ("created_at", "started_at", "erased_at"):
            record[key] = record[key].astimezone(tz).isoformat() if record[key] else None
        found.append(record)
    if args.json:
        from bot.cli import write_json_list

        write_json_list(found, sys.stdout)
    else:
        for r in found:
            print(f"#{r['id']} {r['created_at'][:16]} {r['system']} {r['unit']} ({r['source']}): {r['description']}")
    return 0


def _folded(name: str) -> str:
    """"anna  LIND" and "Anna Lind" are one name."""
    return " ".join((name or "").split()).casefold()


def _days(value: str) -> int:
    import argparse

    try:
        days = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of days: {value!r}") from None
    if days < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {value!r}")
    return days


def add_commands(rsub, with_at, with_db) -> None:
    """Register on `driftbot reports`'s subparsers."""
    rp = with_db(with_at(rsub.add_parser(
        "purge", help="erase the name, description and user id of reports older than the retention period")))
    rp.add_argument("--older-than", type=_days, metavar="DAYS",
                    help="instead of DRIFTBOT_REPORT_RETENTION_DAYS or routine.yaml's retention.report_days")
    rp.add_argument("--dry-run", action="store_true", help="count what would be erased, change nothing")
    rp.add_argument("--json", action="store_true", help="print one JSON object")
    rp.set_defaults(func=cmd_reports_purge)

    rp = with_db(rsub.add_parser("of", help="a registerutdrag: every report filed under NAME"))
    rp.add_argument("name", metavar="NAME")
    rp.add_argument("--json", action="store_true", help="a JSON list of the reports with every stored field")
    rp.set_defaults(func=cmd_reports_of)
