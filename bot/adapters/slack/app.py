"""Assemble the Bolt app: client, context, listeners."""
from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.adapters.slack.client import api_error, make_client
from bot.adapters.slack.context import SlackContext
from bot.adapters.slack.listeners import register
from bot.adapters.slack.texts import load_slack_texts
from bot.adapters.slack.users import UserDirectory
from bot.config import ConfigError, Settings
from bot.conversation.admin import AdminActions
from bot.runtime import Runtime

log = logging.getLogger(__name__)

class _NoTokenWarning(logging.Filter):
    """Bolt warns that SLACK_BOT_TOKEN is unused when a client is given: here that is the intent."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


# Listener threads: each may wait on Slack (users.info, a 429's Retry-After)
# while others keep answering.
WORKERS = 16
# Database connections: one per listener thread, and some for the outbox worker, the health
# checks and the HTTP threads' claims while the database is being probed (bot.adapters.slack.dedupe).
POOL_SIZE = WORKERS + 4


def build_app(runtime: Runtime, settings: Settings, *, socket_mode: bool, client: WebClient | None = None,
              bot_user_id: str | None = None) -> tuple[App, SlackContext]:
    """The Bolt app and its context.

    auth.test runs at start (ours for the bot's user id and a clear error,
    Bolt's for its authorization middleware). In Socket Mode there is no HTTP
    request to verify, so no signing secret is needed.
    """
    client = client or make_client(settings.slack_bot_token, settings.slack_api_url, timeout=settings.slack_timeout)
    bot_user_id = bot_user_id or verify_token(client)
    outages = AdminActions.of(runtime)
    texts = load_slack_texts(runtime.content.directory, runtime.content.default_lang)
    bolt_logger = logging.getLogger("bot.adapters.slack.bolt")
    bolt_logger.addFilter(_NoTokenWarning())
    ctx = SlackContext(runtime=runtime, settings=settings, client=client, texts=texts,
                       users=UserDirectory(client, runtime.content.languages), outages=outages,
                       bot_user_id=bot_user_id)
    try:
        app = App(
            client=client,
            signing_secret=settings.slack_signing_secret or "",
            request_verification_enabled=not socket_mode,
            token_verification_enabled=True,
            process_before_response=False,
            listener_executor=ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="slack-listener"),
            logger=bolt_logger,
            name="driftbot",
        )
    except BoltError as exc:
        raise ConfigError(f"configuration error: SLACK_BOT_TOKEN: {exc}") from None
    register(app, ctx)
    return app, ctx


def verify_token(client: WebClient) -> str:
    """auth.test: the bot's own user id (to ignore its own messages), or one clear line why not.

    A client of its own, with a silent logger: a failure here is reported as
    the one configuration line, not also as slack_sdk's error log.
    """
    quiet = logging.getLogger("bot.adapters.slack.startup")
    quiet.setLevel(logging.CRITICAL)
    probe = WebClient(token=client.token, base_url=client.base_url, timeout=client.timeout, logger=quiet)
    try:
        return probe.auth_test()["user_id"]
    except SlackApiError as exc:
        error = api_error(exc)
        raise ConfigError(f"configuration error: SLACK_BOT_TOKEN: Slack refused it at "
                          f"{client.base_url}auth.test ({error})") from None
    except OSError as exc:  # the API host cannot be reached
        raise ConfigError(f"configuration error: DRIFTBOT_SLACK_API_URL: cannot reach {client.base_url}: "
                          f"{exc}") from None
