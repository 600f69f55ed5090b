"""The Slack Web API client: one place that knows about retries and the API host.

slack_sdk only retries a 429 when a RateLimitErrorRetryHandler is added (it
then waits the Retry-After the server sent), and a 5xx only with a
ServerErrorRetryHandler. Replies to people need both: a reply lost to a
rate limit is a staff member left without an answer at a locked door.
"""
from __future__ import annotations

import logging
import re

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator

from bot.adapters.slack.answering import give_up_slot

# chat.postMessage allows about one message per second per channel; two
# waits of Retry-After cover a short burst without holding a worker forever.
RATE_LIMIT_RETRIES = 2
SERVER_ERROR_RETRIES = 2
# A hung Web API holds a worker thread this long per try (DRIFTBOT_SLACK_TIMEOUT).
TIMEOUT_SECONDS = 10


def make_client(token: str, base_url: str, *, rate_limit_retries: int = RATE_LIMIT_RETRIES,
                logger: logging.Logger | None = None, timeout: float = TIMEOUT_SECONDS,
                server_error_retries: int = SERVER_ERROR_RETRIES) -> WebClient:
    """A WebClient for `base_url` (Slack, GovSlack or a local fake) with retry handlers.

    `rate_limit_retries=0` leaves 429s to the caller: the outbox worker
    reschedules a notice itself instead of blocking on Retry-After (and
    retries 5xx itself, so it needs few `server_error_retries`).
    """
    handlers = [
        ConnectionErrorRetryHandler(max_retry_count=1),
        ServerErrorRetryHandler(max_retry_count=server_error_retries,
                                interval_calculator=BackoffRetryIntervalCalculator(backoff_factor=0.5)),
    ]
    if rate_limit_retries:
        handlers.append(RateLimitErrorRetryHandler(max_retry_count=rate_limit_retries))
    return SlackClient(token=token, base_url=base_url, timeout=timeout, retry_handlers=handlers,
                       logger=logger or logging.getLogger("bot.adapters.slack.web"))


class SlackClient(WebClient):
    """A WebClient whose calls give up the caller's answering slot first (bot.adapters.slack.answering):
    a thread waiting on Slack must not keep other turns from running."""

    def api_call(self, *args, **kwargs):
        give_up_slot()
        return super().api_call(*args, **kwargs)


# What a Web API call can raise besides a bug: Slack's refusal (SlackApiError), a timeout or a
# lost connection (OSError, after the client's own retry), a malformed answer (SlackClientError).
# None of them may abort a turn: each caller has a way on without the call.
SLACK_FAILURES = (SlackClientError, OSError, ValueError)


# Slack's error codes are identifiers; anything else in their place may quote what a person wrote.
_ERROR_CODE = re.compile(r"[a-z0-9_.]{1,100}")


def api_error(exc: Exception) -> str:
    """One line for the log: Slack's error code ("not_in_channel"), with the HTTP status when it was not 200.

    Error paths must not fail themselves: a response body may be plain text
    (a 5xx from a proxy), and SlackResponse.get() fails on that.
    """
    response = getattr(exc, "response", None)
    data = getattr(response, "data", None)
    error = str(data.get("error") or "") if isinstance(data, dict) else ""
    if error and not _ERROR_CODE.fullmatch(error):  # slack_sdk puts a non-JSON body there
        error = "unexpected response"
    status = getattr(response, "status_code", None)
    if status and status != 200:
        return f"HTTP {status}: {error}" if error else f"HTTP {status}"
    # Not the exception's text: a SlackApiError's quotes the response body, which may quote a message.
    return error or type(exc).__name__
