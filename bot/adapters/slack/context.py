"""What every Slack listener needs, assembled once at start."""
from __future__ import annotations

import threading
import zlib
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from slack_sdk import WebClient

from bot.adapters.slack.delivery import SlackReplies
from bot.adapters.slack.outage_port import OutagePort
from bot.adapters.slack.texts import SlackCatalogue, SlackTexts
from bot.adapters.slack.users import UserDirectory
from bot.answers import AnswerRenderer
from bot.config import Settings
from bot.runtime import Runtime

# Turns of one conversation run one at a time (two quick messages must not
# both read the same dialog state). Striped locks: bounded memory, and two
# conversations rarely share a stripe.
LOCK_STRIPES = 64


class ConversationLocks:
    def __init__(self, stripes: int = LOCK_STRIPES):
        self._locks = [threading.Lock() for _ in range(stripes)]

    def __call__(self, key: str) -> threading.Lock:
        return self._locks[self._stripe(key)]

    def _stripe(self, key: str) -> int:
        return zlib.crc32(key.encode("utf-8")) % len(self._locks)

    @contextmanager
    def holding(self, *keys: str):
        """Several conversations' locks at once (moving state from one to another).

        Each stripe once, since two keys may share one and a Lock cannot be taken
        twice; in stripe order, so that two callers can never deadlock.
        """
        with ExitStack() as stack:
            for stripe in sorted({self._stripe(key) for key in keys}):
                stack.enter_context(self._locks[stripe])
            yield


@dataclass
class SlackContext:
    runtime: Runtime
    settings: Settings
    client: WebClient
    texts: SlackCatalogue
    users: UserDirectory
    outages: OutagePort
    bot_user_id: str = ""
    locks: ConversationLocks = field(default_factory=ConversationLocks)
    # Messages to people go through here (durable, in order); `serve` attaches the outbox worker.
    replies: SlackReplies | None = None

    def __post_init__(self) -> None:
        if self.replies is None:
            self.replies = SlackReplies(self.client)

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
        return user_id in self.settings.admins

    def user_lang(self, user_id: str) -> str:
        """The language for surfaces with no text to read it from: the user's Slack locale."""
        return self.texts.lang(self.users.profile(user_id).lang)

    def texts_for(self, lang: str | None) -> SlackTexts:
        return self.texts.for_lang(lang)

    def contact_now(self, lang: str) -> str:
        """The routine's sentence naming whom to contact at this moment."""
        return self.answers.contact_lines(self.now(), lang)[1]

    def last_unit(self, user_id: str) -> str | None:
        return self.store.last_unit("slack", user_id) if self.store is not None else None
