"""`driftbot serve`: the Slack app as a long-running process.

Socket Mode when SLACK_APP_TOKEN is set, else HTTP. Beside it the outbox
worker delivers the notices (channel, support desk, a user's DM) in a
background thread (bot.conversation.serving, the same for every channel).
SIGTERM or Ctrl-C stops both cleanly.
"""
from __future__ import annotations

import sys
from datetime import timedelta

from bot.config import ConfigError, Settings, require
from bot.conversation.serving import OUTBOX_INTERVAL_SECONDS, Serving, build_runtime

DEFAULT_PORT = 3000
DEFAULT_HOST = "0.0.0.0"


def check_settings(settings: Settings) -> bool:
    """Stop with one line naming the first missing variable; True for Socket Mode."""
    socket_mode = bool(settings.slack_app_token)
    require(settings, "slack_bot_token")
    if not socket_mode:
        require(settings, "slack_signing_secret")
    require(settings, "broadcast_channel")
    return socket_mode


def _outbox_worker(serving, ctx, settings: Settings, interval: float):
    from bot.adapters.slack.client import make_client
    from bot.adapters.slack.delivery import SlackDeliverer

    client = make_client(settings.slack_bot_token, settings.slack_api_url, rate_limit_retries=0,
                         server_error_retries=1, timeout=settings.slack_timeout)
    deliverer = SlackDeliverer(client, settings.broadcast_channel, settings.support_channel)
    # A reply left claimed by a process that died is sent again after this: longer than the
    # client's longest try (a connection retry and a 5xx retry, each up to the timeout).
    reply_lease = timedelta(seconds=max(60.0, 4 * settings.slack_timeout))
    # Replies to people are sent by the same worker, at once, and retried by it.
    ctx.replies.worker = serving.start_outbox(deliverer, "slack", interval, reply_lease)


def serve(settings: Settings, *, port: int = DEFAULT_PORT, host: str = DEFAULT_HOST, at: str | None = None,
          outbox_interval: float = OUTBOX_INTERVAL_SECONDS) -> int:
    # Cheap checks first, so a mistake is reported in a moment, not after loading everything:
    # the variables, then the token (auth.test), then the port.
    socket_mode = check_settings(settings)
    from bot.adapters.slack.app import POOL_SIZE, build_app, verify_token
    from bot.adapters.slack.client import make_client
    from bot.adapters.slack.http_server import EVENTS_PATH, Readiness, SlackHTTPServer

    client = make_client(settings.slack_bot_token, settings.slack_api_url, timeout=settings.slack_timeout)
    bot_user_id = verify_token(client)
    server = None
    if not socket_mode:
        try:
            server = SlackHTTPServer((host, port), signing_secret=settings.slack_signing_secret,
                                     read_timeout=settings.http_timeout)
        except OSError as exc:
            raise ConfigError(f"configuration error: --port: cannot listen on {host}:{port}: "
                              f"{exc.strerror or exc}") from None
    try:
        # A database that cannot be reached stops here; bot.cli names the variable.
        runtime = build_runtime(settings, at, pool_size=POOL_SIZE)
        app, ctx = build_app(runtime, settings, socket_mode=socket_mode, client=client, bot_user_id=bot_user_id)
        from bot import metrics

        metrics.enable(runtime.store)

        serving = Serving(runtime, frozen=at is not None)
        serving.install_signals()
        _outbox_worker(serving, ctx, settings, outbox_interval)
        from bot.runtime import keep_for_good

        keep_for_good()
        try:
            if socket_mode:
                from bot.adapters.slack.socket_mode import run_socket_mode

                run_socket_mode(app, settings.slack_app_token, serving.stop, announce=_announce)
            else:
                server.app = app
                server.readiness = Readiness(runtime.store)
                from bot.status.site import StatusSite

                server.status = StatusSite(runtime.store, runtime.content, runtime.clock)
                server.start_in_thread()
                # Printed, not logged: scripts (and the tests) read the port from it when --port 0 picked one.
                _announce(f"driftbot: serving Slack over HTTP on {host}:{server.port} "
                          f"(events at {EVENTS_PATH}, health at /healthz and /readyz, metrics at /metrics, "
                          f"status page at /status)")
                serving.stop.wait()
        finally:
            serving.close()
    finally:
        if server is not None:
            server.shutdown_if_serving()
            server.server_close()
    return 0


def _announce(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
