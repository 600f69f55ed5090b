"""The channel-neutral engine with a real store: clarification, duplicates, privacy."""
import pytest

from bot.clock import FixedClock, parse_at
from bot.engine import Engine
from bot.messages import Message
from bot.storage import Store


class Bot:
    """push a message, get the replies: a dialog test reads as a conversation."""

    def __init__(self, content, classifier, db_url, at="2026-11-26T10:00"):
        self.clock = FixedClock(parse_at(at, content.tz), content.tz)
        self.engine = Engine(content, classifier, self.clock, store=Store.connect(db_url))

    def say(self, text, user="U1", **extra):
        return self.engine.handle(Message(text=text, user_id=user, source="test", **extra))


@pytest.fixture
def bot(content, classifier, tmp_path):
    return Bot(content, classifier, f"sqlite:///{tmp_path}/e.db")


# Two parts of the routine, nothing about a situation: the one case "did you mean?" is for.
TWO_WAY = "lokal rutin och avvikelse"


def test_close_intents_ask_which_one_then_answer_the_pick(bot):
    [ask] = bot.say(TWO_WAY)
    assert ask.intent is None and len(ask.options) == 2
    assert {o.value for o in ask.options} == {"local_routine", "deviation"}
    [answer] = bot.say("2")
    assert answer.intent == ask.options[1].value


def test_a_button_press_picks_the_option(bot):
    [ask] = bot.say(TWO_WAY)
    [answer] = bot.say(ask.options[0].label, choice=ask.options[0].value)
    assert answer.intent == ask.options[0].value


def test_a_new_question_instead_of_a_pick_is_answered(bot):
    bot.say(TWO_WAY)
    [answer] = bot.say("vem ringer jag")
    assert answer.intent == "contact"


def test_the_same_message_delivered_twice_is_answered_once(bot):
    assert bot.say("vem ringer jag", message_id="m-1")
    assert bot.say("vem ringer jag", message_id="m-1") == []


def test_conversations_are_per_user(bot):
    bot.say("felanmälan", user="U1")
    [other] = bot.say("vem ringer jag", user="U2")
    assert other.intent == "contact"
    [mine] = bot.say("Anna Lind", user="U1")
    assert mine.awaiting == "unit"


def test_personnummer_in_a_question_is_removed_and_explained(bot):
    replies = bot.say("brukare 811218-9876 kommer inte in, tes funkar inte")
    assert "personnummer" in replies[0].text
    assert all("9876" not in r.text for r in replies)
    assert replies[1].intent == "outage_now"


def test_a_bare_yes_with_nothing_pending_gets_a_prompt_not_a_guess(bot):
    [reply] = bot.say("ja")
    assert reply.intent == "help"
    assert reply.awaiting is None


def test_a_word_shared_by_both_languages_keeps_the_conversations_language(bot):
    [first] = bot.say("when is the helpdesk open?")
    assert first.lang == "en"
    [status] = bot.say("status")
    assert status.intent == "status" and status.lang == "en"
    bot.say("vem ringer jag", user="U2")
    [swedish] = bot.say("status", user="U2")
    assert swedish.lang == "sv"
