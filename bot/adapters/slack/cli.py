"""`driftbot serve`: run the Slack app (shared/cli-contract.md)."""
from __future__ import annotations

from bot.adapters.slack.serve import DEFAULT_HOST, DEFAULT_PORT, OUTBOX_INTERVAL_SECONDS


def cmd_serve(args, settings) -> int:
    from bot.adapters.slack.serve import serve

    return serve(settings, port=args.port, host=args.host, at=args.at, outbox_interval=args.outbox_interval)


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
    p = sub.add_parser("serve", help="run the Slack app (Socket Mode when SLACK_APP_TOKEN is set, else HTTP)")
    p.add_argument("--port", type=_port, default=DEFAULT_PORT,
                   help=f"HTTP mode: the port for /slack/events and /healthz "
                        f"(default {DEFAULT_PORT}; 0 picks a free one)")
    p.add_argument("--host", default=DEFAULT_HOST, help=f"HTTP mode: the address to listen on (default {DEFAULT_HOST})")
    p.add_argument("--at", metavar="TIME",
                   help="freeze the clock at this time (ISO 8601), for demonstrations and tests")
    p.add_argument("--outbox-interval", type=float, default=OUTBOX_INTERVAL_SECONDS, metavar="SECONDS",
                   help=f"how often the outbox worker looks for due notices (default {OUTBOX_INTERVAL_SECONDS:g})")
    p.add_argument("--db", metavar="URL", help="database URL (overrides DRIFTBOT_DATABASE_URL)")
    p.set_defaults(func=cmd_serve)
