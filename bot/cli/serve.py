"""`driftbot serve`: the Slack app, or with --teams the Teams bot (shared/cli-contract.md)."""
from __future__ import annotations

from bot.conversation.serving import OUTBOX_INTERVAL_SECONDS

SLACK_PORT = 3000
TEAMS_PORT = 3978
DEFAULT_HOST = "0.0.0.0"


def cmd_serve(args, settings) -> int:
    if args.teams:
        from bot.adapters.teams.serve import serve as serve_teams

        return serve_teams(settings, port=TEAMS_PORT if args.port is None else args.port, host=args.host,
                           at=args.at, outbox_interval=args.outbox_interval)
    from bot.adapters.slack.serve import serve

    return serve(settings, port=SLACK_PORT if args.port is None else args.port, host=args.host, at=args.at,
                 outbox_interval=args.outbox_interval)


def _port(value: str) -> int:
    import argparse

    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {value!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number: {value!r}")
    return port


def add_commands(sub) -> None:
    """Register `serve` on the top-level subparsers."""
    p = sub.add_parser("serve", help="run the Slack app (Socket Mode when SLACK_APP_TOKEN is set, else HTTP); "
                                     "with --teams the Teams bot")
    p.add_argument("--teams", action="store_true",
                   help="serve the Microsoft Teams bot (POST /api/messages, GET /healthz) instead of Slack")
    p.add_argument("--port", type=_port, default=None,
                   help=f"HTTP: the port to listen on (default {SLACK_PORT}, with --teams {TEAMS_PORT}; "
                        f"0 picks a free one)")
    p.add_argument("--host", default=DEFAULT_HOST, help=f"HTTP: the address to listen on (default {DEFAULT_HOST})")
    p.add_argument("--at", metavar="TIME",
                   help="freeze the clock at this time (ISO 8601), for demonstrations and tests")
    p.add_argument("--outbox-interval", type=float, default=OUTBOX_INTERVAL_SECONDS, metavar="SECONDS",
                   help=f"how often the outbox worker looks for due notices (default {OUTBOX_INTERVAL_SECONDS:g})")
    p.add_argument("--db", metavar="URL", help="database URL (overrides DRIFTBOT_DATABASE_URL)")
    p.set_defaults(func=cmd_serve)
