"""Conversations in-process, through the conversation layer (bot.conversation.turns), errbot-style.

    talk = Talk(db_url, at="2026-11-26T15:10", user="Anna Lind")
    talk.say("felanmälan")        # the replies to that message
    talk.replies[-1].awaiting     # what the bot asks for now

`Chat` is the same thing shaped like tests/chatdriver.py's subprocess (`driftbot chat
--json`): the same arguments, and each `say` gives the contract's turn object. A dialog
test reads as a conversation without starting a process per test; the subprocess stays
for the tests of the CLI contract itself.
"""
from __future__ import annotations

import getpass
from functools import lru_cache

from bot.clock import FixedClock, parse_at
from bot.conversation.turns import Conversations
from bot.engine import Engine
from bot.messages import Message, Reply, turn_json
from bot.outages.service import OutageService
from bot.storage import Store


# A report's answers as one person gives them, for the dialog tests to fill in what is asked.
ANSWERS = {
    "reporter_name": "Anna Lind",
    "unit": "hemtjanst ryd",
    "system": "TES",
    "scope": "hela enheten",
    "description": "Appen loggar ut alla hela tiden",
    "started_at": "för en halvtimme sen",
    "confirm": "ja",
}


@lru_cache(maxsize=1)
def _parts():
    """Content, classifier and the apologies' texts: loaded once per test process."""
    from bot.adapters.slack.texts import load_slack_texts
    from bot.content import load_content
    from bot.runtime import build_classifier

    content = load_content()
    return content, build_classifier(content), load_slack_texts()


class Talk:
    def __init__(self, db_url: str, at: str, *, user: str | None = None, unit: str | None = None,
                 lang: str | None = None, source: str = "terminal", user_id: str | None = None):
        content, classifier, texts = _parts()
        self.clock = FixedClock(parse_at(at, content.tz), content.tz)
        self.store = Store.connect(db_url)
        self.outages = OutageService(self.store, content, self.clock)
        self.engine = Engine(content, classifier, self.clock, store=self.store, outages=self.outages)
        self.conversations = Conversations(self.engine, lambda lang: texts.for_lang(lang).messages)
        self.user, self.unit, self.lang, self.source = user, unit, lang, source
        self.user_id = user_id or user or getpass.getuser()   # as the terminal chat names its user
        self.replies: list[Reply] = []

    def say(self, text: str, *, choice: str | None = None, in_private: bool = True) -> list[Reply]:
        message = Message(text=text, user_id=self.user_id, source=self.source, user_name=self.user,
                          unit=self.unit, lang=self.lang, choice=choice)
        turn = self.conversations.turn(message, in_private=in_private)
        assert not turn.failed, turn.apology
        self.replies = turn.replies
        return turn.replies


def _options(args: tuple[str, ...]) -> dict[str, str]:
    flags = {"--at": "at", "--user": "user", "--unit": "unit", "--lang": "lang"}
    out, items = {}, list(args)
    while items:
        flag = items.pop(0)
        out[flags[flag]] = items.pop(0)
    return out


class Chat:
    """chatdriver.Chat's interface (the same flags), in-process."""

    def __init__(self, db_url: str, *args: str):
        options = _options(args)
        self.talk = Talk(db_url, options.pop("at"), **options)
        self.turns: list[dict] = []

    def say(self, text: str) -> dict:
        turn = turn_json(self.talk.say(text))
        self.turns.append(turn)
        return turn

    def close(self) -> int:
        self.talk.store.engine.dispose()
        return 0

    def kill(self) -> None:
        """A process dying mid-conversation: nothing is said or saved beyond what each turn stored."""
        self.close()

    def __enter__(self) -> "Chat":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def exported(db_url: str) -> list[dict]:
    """`driftbot reports export --db URL`'s rows (the same function builds them), in-process."""
    from bot.cli import report_rows
    from bot.config import load_settings

    return list(report_rows(load_settings(database_url=db_url)))
