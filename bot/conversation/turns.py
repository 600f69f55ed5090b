"""A turn of a conversation, the same on every channel.

A Message goes to the engine under its conversation's lock; the replies are
handed to the adapter to deliver while the lock is still held (so the next
turn's replies come after these); a failure becomes the apology the adapter
sends instead (the database's own sentence when it is the database).

One rule is for privacy: a report conversation never runs in a channel. The
dialog asks for the reporter's name and unit and repeats the description,
which the whole channel would read. The engine marks such replies `private`;
when a turn in a channel has one, the conversation's state moves to the
person's private chat (which the adapter opens), the replies go there, and the
channel gets one short note.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Callable, Protocol

from bot import metrics
from bot.conversation.locks import ConversationLocks
from bot.errors import is_storage_failure
from bot.messages import Message, Reply

log = logging.getLogger(__name__)


class ApologyTexts(Protocol):
    """A channel's two apologies (content/<channel>.<lang>.yaml `messages`), with {contact_now}."""
    error: str
    storage_unavailable: str


@dataclass(frozen=True)
class Turn:
    replies: list[Reply]
    # The private conversation a report moved to (the replies belong there), or None.
    moved_to: str | None = None
    # What to send instead of replies when the turn failed, or None.
    apology: str | None = None
    # The failure was that a report had to move to a private chat that could not be opened
    # (a channel may word that better than with the apology).
    private_unavailable: bool = False

    @property
    def failed(self) -> bool:
        return self.apology is not None


class Conversations:
    """Turns for one process, over one engine (and its store, when it has one)."""

    def __init__(self, engine, apologies: Callable[[str | None], ApologyTexts] | None,
                 locks: ConversationLocks | None = None):
        """`apologies`: a channel's apology texts by language; None where a failure should end the
        program instead (the terminal chat, whose command reports it as one line)."""
        self.engine = engine
        self.apologies = apologies
        self.locks = locks or ConversationLocks()

    @property
    def store(self):
        return self.engine.store

    def contact_now(self, lang: str) -> str:
        """The routine's sentence naming whom to contact at this moment."""
        return self.engine.answers.contact_lines(self.engine.clock.now(), lang)[1]

    def apology(self, lang: str | None, storage: bool = False) -> str:
        texts = self.apologies(lang)
        lang = getattr(texts, "lang", None) or lang or self.engine.content.default_lang
        return (texts.storage_unavailable if storage else texts.error).format(contact_now=self.contact_now(lang))

    def turn(self, message: Message, *, in_private: bool = True, lang: str | None = None,
             deliver: Callable[[list[Reply]], None] | None = None,
             open_private: Callable[[], str | None] | None = None) -> Turn:
        """One message through the engine.

        in_private: the message came from a private chat (a DM, a personal chat, the terminal).
        deliver: sends the replies where the message came from, under the conversation's lock.
        open_private: the person's private conversation id, opened when a report must move there
            (None when it cannot be opened: then the report does not go on).
        lang: the apology's language when the engine gave none (the person's profile).
        """
        key = message.conversation_key
        try:
            with self.locks(key):
                replies = self.engine.handle(message)
                for reply in replies:
                    metrics.answer(reply.intent)
                moves = not in_private and self.store is not None and any(r.private for r in replies)
                if not moves and deliver is not None:
                    deliver(replies)
        except Exception as exc:
            if self.apologies is None:
                raise
            storage = is_storage_failure(exc)
            if storage:
                log.error("a message from %s could not be handled: the database is unavailable (%s)",
                          message.user_id, type(exc).__name__)
            else:
                log.exception("the engine failed on a message from %s", message.user_id)
            return Turn([], apology=self.apology(lang, storage=storage))
        if moves:
            return self._move_to_private(message, replies, open_private, lang)
        return Turn(replies)

    def _move_to_private(self, message: Message, replies: list[Reply],
                         open_private: Callable[[], str | None] | None, lang: str | None) -> Turn:
        thread_key = message.conversation_key
        private = open_private() if open_private is not None else None
        if private is None:
            # The report cannot go on privately, so it does not go on: the thread stays a place for questions.
            with self.locks(thread_key):
                self.store.clear_state(thread_key)
            return Turn([], apology=self.apology(replies[-1].lang if replies else lang), private_unavailable=True)
        private_key = replace(message, conversation=private).conversation_key
        # The private chat's own state, if any, gives way: the report just asked for is what the user wants now.
        with self.locks.holding(thread_key, private_key):
            state = self.store.load_state(thread_key)
            if state:
                self.store.save_state(private_key, state, self.engine.clock.now())
                self.store.clear_state(thread_key)
        log.info("report conversation of %s moved from a channel to a private chat", message.user_id)
        return Turn(replies, moved_to=private)
