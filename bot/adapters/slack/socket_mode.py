"""Socket Mode: Slack pushes events over a WebSocket the app opens, so no public URL is needed.

That suits a municipal network where nothing may listen on the internet. The
same Bolt app handles the envelopes; acknowledgements go back on the socket.
"""
from __future__ import annotations

import logging
import threading

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.errors import SlackApiError

from bot.adapters.slack.client import api_error
from bot.config import ConfigError

log = logging.getLogger(__name__)


def run_socket_mode(app: App, app_token: str, stop: threading.Event, announce=None) -> None:
    """Connect and serve until `stop` is set; `announce(line)` once connected."""
    handler = SocketModeHandler(app, app_token, logger=logging.getLogger("bot.adapters.slack.socket"))
    try:
        handler.connect()
    except SlackApiError as exc:
        error = api_error(exc)
        raise ConfigError(f"configuration error: SLACK_APP_TOKEN: Slack refused it ({error})") from None
    if announce is not None:
        announce("driftbot: serving Slack in Socket Mode (connected)")
    try:
        stop.wait()
    finally:
        handler.close()
