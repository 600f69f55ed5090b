"""The outbox's Deliverer for Slack: posts and updates channel notices.

The outbox worker (bot.outages.outbox) owns retries and scheduling; this
only turns one notice into one Web API call and reports the result:
"channel:ts" for a post (the reference a later update needs), or a
DeliveryError carrying Slack's Retry-After when rate limited. That is why its
client has no rate-limit retry handler of its own: a notice waits in the
outbox, not in a sleeping thread.
"""
from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.adapters.slack.client import api_error
from bot.adapters.slack.render import render_text
from bot.outages.outbox import DeliveryError, OutgoingNotice

log = logging.getLogger(__name__)

USER_TARGET_PREFIX = "user:slack:"


class SlackDeliverer:
    def __init__(self, client: WebClient, broadcast_channel: str, support_channel: str | None = None):
        self.client = client
        self.broadcast_channel = broadcast_channel
        self.support_channel = support_channel

    def channel_for(self, target: str) -> str | None:
        if target == "broadcast":
            return self.broadcast_channel
        if target == "support":
            return self.support_channel
        if target.startswith(USER_TARGET_PREFIX):
            return target[len(USER_TARGET_PREFIX):] or None  # a user id: Slack posts it to the DM
        return None

    def deliver(self, notice: OutgoingNotice) -> str | None:
        """Post (or update) the notice; returns "channel:ts", or None when there is nowhere to post."""
        rendered = render_text(notice.text).as_kwargs()
        try:
            if notice.action == "update" and notice.ref:
                channel, _, ts = notice.ref.partition(":")
                response = self.client.chat_update(channel=channel, ts=ts, **rendered)
            else:
                channel = self.channel_for(notice.target)
                if channel is None:
                    # DRIFTBOT_SUPPORT_CHANNEL unset means "not posted" (the contract); not an error.
                    log.info("notice %s for %s has no channel configured: skipped", notice.id, notice.target)
                    return None
                response = self.client.chat_postMessage(channel=channel, **rendered)
        except SlackApiError as exc:
            status = getattr(exc.response, "status_code", None)
            error = api_error(exc)
            retry_after = None
            if status == 429:
                header = exc.response.headers.get("Retry-After") or exc.response.headers.get("retry-after")
                retry_after = float(header) if header else 1.0
            raise DeliveryError(f"slack {error}", retry_after=retry_after) from None
        except OSError as exc:  # the network, after the client's own connection retry
            raise DeliveryError(f"slack unreachable: {exc}") from None
        log.info("notice %s (%s) delivered to %s", notice.id, notice.kind, response["channel"])
        return f"{response['channel']}:{response['ts']}"
