"""`driftbot audit [--since TIME] [--json]`: the admin and operator actions, oldest first
(shared/cli-contract.md, "Audit and retention")."""
from __future__ import annotations

from bot.cli.common import local_time, print_json, store_for


def cmd_audit(args, settings) -> int:
    from bot import audit

    _content, tz, store = store_for(settings)
    since = local_time(args.since, "--since", tz)
    until = local_time(args.at, "--at", tz)
    for entry in audit.entries(store, since=since):
        if until is not None and entry.at > until:
            break
        if args.json:
            print_json(entry.as_json(tz))
        else:
            at = entry.at.astimezone(tz).isoformat(timespec="seconds")
            outage = f"#{entry.outage_id}" if entry.outage_id is not None else "-"
            print(f"{at} {entry.actor} {entry.action} {outage} {entry.detail}".rstrip())
    return 0


def add_commands(sub, with_at, with_db) -> None:
    p = with_db(with_at(sub.add_parser("audit", help="admin and operator actions on outages, oldest first")))
    p.add_argument("--since", metavar="TIME", help="only actions from this time on (ISO 8601; without an offset local time)")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.set_defaults(func=cmd_audit)
