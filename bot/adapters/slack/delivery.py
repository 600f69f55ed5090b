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
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.adapters.slack.client import api_error
from bot.adapters.slack.render import render_text
from bot.outages.outbox import DeliveryError, OutgoingNotice

log = logging.getLogger(__name__)

USER_TARGET_PREFIX = "user:slack:"
# A reply in a conversation: the channel (a DM, or a channel with a thread) is in the rendered message.
REPLY_TARGET_PREFIX = "reply:slack:"


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
        if target.startswith(REPLY_TARGET_PREFIX):
            return target[len(REPLY_TARGET_PREFIX):] or None
        return None

    def deliver(self, notice: OutgoingNotice) -> str | None:
        """Post (or update) the notice; returns "channel:ts", or None when there is nowhere to post."""
        # A reply carries its own rendering (buttons, thread); a notice is plain text.
        message = getattr(notice, "message", None)
        rendered = dict(message) if message else render_text(notice.text).as_kwargs()
        rendered.pop("channel", None)
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
        except (OSError, SlackClientError) as exc:  # the network or a timeout, after the client's own retry
            raise DeliveryError(f"slack unreachable: {type(exc).__name__}") from None
        log.info("notice %s (%s) delivered to %s", notice.id, notice.kind, response["channel"])
        return f"{response['channel']}:{response['ts']}"


class SlackReplies:
    """Messages to people (answers, the dialog's questions, receipts, apologies), durably.

    Each message is written to the outbox with its conversation and sent at
    once by the outbox worker's `send` (bot.outages.outbox): a reply that
    Slack does not take now (a 5xx, a 429, a timeout) is retried until it is
    delivered or REPLY_TTL has passed, and the replies of one conversation
    arrive in order. When the database itself cannot take the message, it is
    posted directly (with the client's own short retries): better an answer
    that may be lost than none.
    """

    def __init__(self, client: WebClient, worker=None):
        self.client = client
        self.worker = worker     # set by `serve` once the outbox worker exists

    def send(self, conversation: str, channel: str, messages: list[dict], *, kind: str = "reply") -> None:
        """`messages` are chat.postMessage arguments without the channel (text, blocks, thread_ts)."""
        if not messages:
            return
        if self.worker is not None:
            from bot.outages.outbox import personal_message

            at = self.worker.clock.now()
            queued = [personal_message(kind, conversation, REPLY_TARGET_PREFIX + channel, m.get("text", ""), at,
                                       message={**m, "channel": channel}) for m in messages]
            try:
                self.worker.send(queued)
                return
            except Exception as exc:  # the database: post directly, the outbox cannot help now
                log.error("could not queue %d %s(s) (%s): posting directly", len(messages), kind, type(exc).__name__)
        for message in messages:
            try:
                self.client.chat_postMessage(channel=channel, **message)
            except (SlackClientError, OSError) as exc:
                log.error("chat.postMessage to %s failed: %s", channel,
                          api_error(exc) if isinstance(exc, SlackApiError) else type(exc).__name__)
                return
