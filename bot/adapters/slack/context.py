"""What every Slack listener needs, assembled once at start."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from slack_sdk import WebClient

from bot.adapters.slack.answering import AnsweringSlots
from bot.adapters.slack.delivery import SlackReplies
from bot.adapters.slack.texts import SlackCatalogue, SlackTexts
from bot.adapters.slack.users import UserDirectory
from bot.answers import AnswerRenderer
from bot.config import Settings
from bot.conversation.admin import AdminActions, Admins
from bot.conversation.turns import Conversations
from bot.runtime import Runtime


@dataclass
class SlackContext:
    runtime: Runtime
    settings: Settings
    client: WebClient
    texts: SlackCatalogue
    users: UserDirectory
    outages: AdminActions
    bot_user_id: str = ""
    # Messages to people go through here (durable, in order); `serve` attaches the outbox worker.
    replies: SlackReplies | None = None
    conversations: Conversations | None = None
    admins: Admins = field(default_factory=lambda: Admins(frozenset()))
    # How many turns compute at once (bot.adapters.slack.answering).
    answering: AnsweringSlots = field(default_factory=AnsweringSlots)

    def __post_init__(self) -> None:
        if self.replies is None:
            self.replies = SlackReplies(self.client)
        if self.conversations is None:
            self.conversations = Conversations(self.runtime.engine, lambda lang: self.texts_for(lang).messages)
        if not self.admins.ids:
            self.admins = Admins(self.settings.admins)

    @property
    def locks(self):
        return self.conversations.locks

    @property
    def content(self):
        return self.runtime.content

    @property
    def store(self):
        return self.runtime.store

    @property
    def engine(self):
        return self.runtime.engine

    @property
    def answers(self) -> AnswerRenderer:
        return self.runtime.engine.answers

    def now(self) -> datetime:
        return self.runtime.clock.now()

    def is_admin(self, user_id: str) -> bool:
        return user_id in self.admins

    def user_lang(self, user_id: str) -> str:
        """The language for surfaces with no text to read it from: the user's Slack locale."""
        return self.texts.lang(self.users.profile(user_id).lang)

    def texts_for(self, lang: str | None) -> SlackTexts:
        return self.texts.for_lang(lang)

    def contact_now(self, lang: str) -> str:
        """The routine's sentence naming whom to contact at this moment."""
        return self.conversations.contact_now(lang)

    def last_unit(self, user_id: str) -> str | None:
        return self.store.last_unit("slack", user_id) if self.store is not None else None
