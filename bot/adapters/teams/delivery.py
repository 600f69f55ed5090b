"""The outbox's Deliverer for Teams: channel posts and their edits, notices to a person's chat.

The outbox worker (a thread) owns retries and scheduling; this turns one
notice into one proactive turn on the Agents SDK's adapter, which lives on the
aiohttp event loop: the coroutine runs there and the worker waits for it.

- "broadcast:teams", post: a new post in DRIFTBOT_TEAMS_CHANNEL (a message sent to the
  channel's conversation id starts a thread of its own); its id is the reference kept for edits.
- "broadcast:teams", update: the post edited in place (update_activity).
- "user:teams:<user id>": the person's personal chat, from the reference stored when they wrote.

Anonymous mode sends without a token (local testing only); with the app's
credentials the adapter gets one from Entra when it first needs it, not at start.
"""
from __future__ import annotations

import asyncio
import logging

from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    ChannelAccount,
    ConversationAccount,
    ConversationReference,
)
from microsoft_agents.hosting.core import ClaimsIdentity

from bot.adapters.teams.cards import text_message
from bot.adapters.teams.references import PersonalChats, post_ref, read_post_ref
from bot.outages.outbox import DeliveryError, OutgoingNotice

log = logging.getLogger(__name__)

CHANNEL_TARGET = "broadcast:teams"
USER_TARGET_PREFIX = "user:teams:"
TEAMS_CHANNEL_ID = "msteams"
DELIVERY_TIMEOUT = 30.0


def continuation(reference: ConversationReference) -> Activity:
    """The event a proactive turn starts from. No id, so that what is sent is a new message in the
    conversation (an id would make it a reply to that id)."""
    fields = dict(type=ActivityTypes.event, name="continueConversation", channel_id=reference.channel_id,
                  service_url=reference.service_url, conversation=reference.conversation, recipient=reference.agent)
    if reference.user is not None:  # a channel has no one user
        fields["from_property"] = reference.user
    return Activity(**fields)


def identity(adapter, app_id: str | None) -> ClaimsIdentity:
    """Who a proactive turn is from: the bot's app (a token is fetched for it), or nobody in anonymous mode."""
    if not app_id:  # anonymous: no claims, so no token is asked for
        return ClaimsIdentity({}, authentication_type="anonymous")
    return adapter.create_claims_identity(app_id)


class TeamsDeliverer:
    def __init__(self, adapter, *, app_id: str | None, loop: asyncio.AbstractEventLoop, chats: PersonalChats,
                 channel_id: str | None = None, service_url: str | None = None):
        self.adapter = adapter
        self.app_id = app_id
        self.loop = loop
        self.chats = chats
        self.channel_id = channel_id
        self.service_url = service_url

    def deliver(self, notice: OutgoingNotice) -> str | None:
        """Called from the outbox worker's thread."""
        future = asyncio.run_coroutine_threadsafe(self.deliver_async(notice), self.loop)
        try:
            return future.result(timeout=DELIVERY_TIMEOUT)
        except TimeoutError:
            future.cancel()
            raise DeliveryError("teams timeout") from None

    async def deliver_async(self, notice: OutgoingNotice) -> str | None:
        if notice.target == CHANNEL_TARGET:
            if notice.action == "update" and notice.ref:
                return await self._edit(notice, read_post_ref(notice.ref))
            if not (self.channel_id and self.service_url):
                log.info("notice %s: no Teams channel configured, skipped", notice.id)
                return None
            reference = ConversationReference(
                channel_id=TEAMS_CHANNEL_ID, service_url=self.service_url,
                conversation=ConversationAccount(id=self.channel_id, is_group=True, conversation_type="channel"),
                agent=ChannelAccount(id=self.app_id or "driftbot"))
            activity_id = await self._send(reference, notice)
            return post_ref(self.channel_id, activity_id, self.service_url)
        if notice.target.startswith(USER_TARGET_PREFIX):
            user_id = notice.target[len(USER_TARGET_PREFIX):]
            reference = await asyncio.to_thread(self.chats.get, user_id)
            if reference is None:
                # They have never written to the bot in Teams: there is no chat to write to.
                log.warning("notice %s: no personal chat known for this Teams user, skipped", notice.id)
                return None
            await self._send(reference, notice)
            return f"teams:{notice.id}"
        return None

    async def _send(self, reference: ConversationReference, notice: OutgoingNotice) -> str:
        sent: list[str] = []

        async def callback(context) -> None:
            response = await context.send_activity(text_message(notice.text))
            sent.append(getattr(response, "id", None) or "")

        await self._turn(reference, callback)
        log.info("notice %s (%s) delivered to teams", notice.id, notice.kind)
        return sent[0] if sent else ""

    async def _edit(self, notice: OutgoingNotice, ref: dict) -> str:
        reference = ConversationReference(
            channel_id=TEAMS_CHANNEL_ID, service_url=ref["service_url"],
            conversation=ConversationAccount(id=ref["conversation_id"], is_group=True, conversation_type="channel"),
            agent=ChannelAccount(id=self.app_id or "driftbot"))

        async def callback(context) -> None:
            activity = text_message(notice.text)
            activity.id = ref["activity_id"]
            await context.update_activity(activity)

        await self._turn(reference, callback)
        log.info("notice %s (%s) edited in teams", notice.id, notice.kind)
        return notice.ref

    async def _turn(self, reference: ConversationReference, callback) -> None:
        try:
            await self.adapter.continue_conversation_with_claims(identity(self.adapter, self.app_id),
                                                          continuation(reference), callback)
        except DeliveryError:
            raise
        except Exception as exc:  # the network, Teams refusing, a token that could not be had: retried
            raise DeliveryError(f"teams {type(exc).__name__}") from None
