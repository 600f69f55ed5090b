"""`driftbot web [--port N]`: the read-only status page alone (shared/cli-contract.md, "Status page")."""
from __future__ import annotations

import signal
import sys
import threading

from bot.config import ConfigError

DEFAULT_HOST = "0.0.0.0"


def cmd_web(args, settings) -> int:
    from bot.cli.common import local_time, store_for
    from bot.clock import FixedClock, SystemClock
    from bot.status.server import DEFAULT_PORT, StatusHTTPServer
    from bot.status.site import StatusSite

    port = DEFAULT_PORT if args.port is None else args.port
    try:
        server = StatusHTTPServer((args.host, port))
    except OSError as exc:
        raise ConfigError(f"configuration error: --port: cannot listen on {args.host}:{port}: "
                          f"{exc.strerror or exc}") from None
    serving = False
    try:
        content, tz, store = store_for(settings)
        at = local_time(args.at, "--at", tz)
        clock = FixedClock(at, tz) if at is not None else SystemClock(tz)
        server.site = StatusSite(store, content, clock)
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        server.start_in_thread()
        serving = True
        # Printed, not logged: scripts (and the tests) read the port from it when --port 0 picked one.
        print(f"driftbot: serving the status page on {args.host}:{server.port} (/status, /status.json, /status.atom)",
              file=sys.stderr, flush=True)
        stop.wait()
    finally:
        if serving:  # shutdown() waits for serve_forever, for ever if it never ran
            server.shutdown()
        server.server_close()
    return 0


def add_commands(sub, with_db) -> None:
    from bot.cli.serve import _port
    from bot.status import DEFAULT_PORT

    p = with_db(sub.add_parser("web", help="serve only the read-only status page (/status, /status.json, /status.atom)"))
    p.add_argument("--port", type=_port, default=None, help=f"the port to listen on (default {DEFAULT_PORT}; 0 picks a free one)")
    p.add_argument("--host", default=DEFAULT_HOST, help=f"the address to listen on (default {DEFAULT_HOST})")
    p.add_argument("--at", metavar="TIME", help="freeze the clock at this time (ISO 8601), for demonstrations and tests")
    p.set_defaults(func=cmd_web)
