"""The Teams bot in-process: the real AgentApplication, TeamsBot and SQLite database, on the
Agents SDK's TestAdapter (microsoft-agents-testing) instead of the Bot Framework service.

`send` delivers one activity as Teams would (a personal chat or a channel thread, a
user with an Entra object id) and returns the activities the bot sent in that turn;
`deliver` runs the Teams outbox worker once, as `serve --teams` does in its thread.
"""
from __future__ import annotations

import asyncio

from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    ChannelAccount,
    ConversationAccount,
    ConversationReference,
    load_configuration_from_env,
)
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.core import ClaimsIdentity
from microsoft_agents.testing import TestAdapter

from bot.adapters.teams.app import TeamsBot, build_application
from bot.adapters.teams.delivery import TeamsDeliverer
from bot.adapters.teams.texts import load_teams_texts
from bot.config import load_settings
from bot.conversation.admin import Admins
from bot.runtime import build

SERVICE_URL = "https://smba.example.invalid/emea/"
CHANNEL = "19:driftstopp@thread.tacv2"
ADMIN = "00000000-0000-0000-0000-00000000ad01"
USER = "00000000-0000-0000-0000-0000000000a1"


def personal(user: str = USER) -> ConversationReference:
    return ConversationReference(
        channel_id="msteams", service_url=SERVICE_URL, user=ChannelAccount(id=f"29:{user}"),
        agent=ChannelAccount(id="28:driftbot", name="driftbot"),
        conversation=ConversationAccount(id=f"a:personal-{user}", conversation_type="personal"), locale="sv-SE")


def channel_thread(thread: str = "1") -> ConversationReference:
    return ConversationReference(
        channel_id="msteams", service_url=SERVICE_URL, user=ChannelAccount(id="29:someone"),
        agent=ChannelAccount(id="28:driftbot", name="driftbot"),
        conversation=ConversationAccount(id=f"{CHANNEL};messageid={thread}", conversation_type="channel",
                                         is_group=True), locale="sv-SE")


class TeamsHarness:
    def __init__(self, db_url: str, at: str = "2026-11-26T10:00", admins: tuple[str, ...] = (ADMIN,),
                 teams_channel: bool = True):
        settings = load_settings(database_url=db_url)
        self.runtime = build(settings, at=at, with_store=True)
        if teams_channel:
            from bot.outages.channels import register

            register(self.runtime.store, "teams", self.runtime.clock.now())
        config = load_configuration_from_env({"CONNECTIONS__SERVICE_CONNECTION__SETTINGS__ANONYMOUS_ALLOWED": "true"})
        self.adapters: dict[str, TestAdapter] = {}
        self.bot = TeamsBot(self.runtime, load_teams_texts(), Admins(frozenset(admins)), app_id=None,
                            adapter=self._adapter(personal()))
        self.app = build_application(self.bot, MsalConnectionManager(**config))
        self.deliverer = None

    def _adapter(self, reference: ConversationReference) -> TestAdapter:
        """One TestAdapter per conversation (it stamps every activity with its one conversation)."""
        key = reference.conversation.id
        if key not in self.adapters:
            self.adapters[key] = TestAdapter(conversation=reference)
        return self.adapters[key]

    def messages_in(self, reference: ConversationReference) -> list[Activity]:
        """The messages the bot sent to one conversation, oldest first. Not the typing indicators
        the SDK sends by itself while a slow turn runs (a loaded machine makes some turns slow)."""
        return [a for a in self._adapter(reference).activity_queue if a.type == ActivityTypes.message]

    async def send(self, text: str | None = None, *, value: dict | None = None, user: str = USER,
                   name: str | None = "Anna Lind", where: ConversationReference | None = None) -> list[Activity]:
        where = where or personal(user)
        adapter = self._adapter(where)
        before = len(adapter.activity_queue)
        activity = Activity(type=ActivityTypes.message, text=text, value=value, locale="sv-SE",
                            from_property=ChannelAccount(id=f"29:{user}", name=name, aad_object_id=user))
        await adapter.process_activity(ClaimsIdentity({}), activity, self.app.on_turn)
        return [a for a in adapter.activity_queue[before:] if a.type == ActivityTypes.message]

    async def deliver(self) -> int:
        """One pass of the Teams outbox worker (in a thread, as in serve --teams)."""
        from bot.conversation.serving import OUTBOX_TARGETS
        from bot.outages.outbox import OutboxWorker

        loop = asyncio.get_running_loop()
        # Channel posts go through the channel's own adapter, so they land in its queue.
        deliverer = TeamsDeliverer(self._adapter(channel_root()), app_id=None, loop=loop, chats=self.bot.chats,
                                   channel_id=CHANNEL, service_url=SERVICE_URL)
        personal_deliverer = TeamsDeliverer(self.bot.adapter, app_id=None, loop=loop, chats=self.bot.chats,
                                            channel_id=CHANNEL, service_url=SERVICE_URL)

        class ByTarget:
            def deliver(self, notice):
                chosen = deliverer if notice.target.startswith("broadcast") else personal_deliverer
                return chosen.deliver(notice)

        worker = OutboxWorker(self.runtime.store, ByTarget(), self.runtime.clock,
                              scheduler=self.runtime.outages.schedule, targets=OUTBOX_TARGETS["teams"])
        return await asyncio.to_thread(worker.run_once)

    def channel_posts(self) -> list[Activity]:
        return self.messages_in(channel_root())


def channel_root() -> ConversationReference:
    return ConversationReference(
        channel_id="msteams", service_url=SERVICE_URL, agent=ChannelAccount(id="driftbot"),
        conversation=ConversationAccount(id=CHANNEL, conversation_type="channel", is_group=True))


def texts_of(activities: list[Activity]) -> str:
    return "\n".join(a.text or "" for a in activities)


def buttons(activity: Activity) -> list[dict]:
    return [action for attachment in activity.attachments or [] for action in attachment.content.get("actions", [])]
