"""A mention in a channel is answered in a thread under it; the thread is the conversation.

A report is the exception: it continues in the user's DM, out of the channel's sight."""
import json

from bot.conversation.locks import ConversationLocks
from slackapp import (  # noqa: F401 (fixtures)
    buttons,
    fake,
    last_post,
    mention,
    posts,
    press,
    say,
    slack,
    slack_session,
    stored_reports,
    unique,
)


def test_a_mention_is_answered_in_a_thread(slack, fake):
    user, channel = unique("U"), unique("C")
    fake.add_user(user, "Lena Ek")
    event = mention(user, channel, "vem ringer jag om tes är nere?", bot_user_id=fake.bot_user_id)
    slack.event(event)
    (answer,) = posts(fake, channel)
    assert answer.params["channel"] == channel
    assert answer.params["thread_ts"] == event["ts"]
    assert "Användarstöd" in answer.params["text"]
    # The mention itself is not part of the question.
    assert fake.bot_user_id not in answer.params["text"]


def test_a_mention_inside_a_thread_stays_in_that_thread(slack, fake):
    user, channel = unique("U"), unique("C")
    fake.add_user(user, "Lena Ek")
    slack.event(mention(user, channel, "hjälp", bot_user_id=fake.bot_user_id, thread_ts="1700000000.000100"))
    (answer,) = posts(fake, channel)
    assert answer.params["thread_ts"] == "1700000000.000100"


NOTE = "Jag tar felanmälan med dig i ett direktmeddelande."


def _channel_text(fake, channel: str) -> str:
    """Everything the bot posted in a channel, fallback and blocks."""
    return json.dumps(fake.message_records(channel), ensure_ascii=False)


def test_a_report_started_by_a_mention_continues_in_the_dm(slack, fake):
    """The channel must not see the reporter's name, unit or description: the report goes to the DM."""
    user, channel = unique("U"), unique("C")
    fake.add_user(user, "Lena Ek")
    first = mention(user, channel, "jag vill göra en felanmälan", bot_user_id=fake.bot_user_id)
    slack.event(first)
    asked = last_post(fake, "D" + user, 1)
    assert "Vilken enhet" in asked["text"] and "thread_ts" not in asked
    (opened,) = fake.calls_to("conversations.open")
    assert opened.params["users"] == user
    (note,) = posts(fake, channel)
    assert note.params["thread_ts"] == first["ts"] and note.params["text"] == NOTE

    # The rest of the conversation is the DM's, buttons and all.
    asked = say(slack, user, "Hemtjänst Ryd", 2)
    assert "Vilket system" in asked["text"]
    assert press(slack, user, asked, "TES").status == 200
    asked = last_post(fake, "D" + user, 3)
    assert press(slack, user, asked, "Bara jag").status == 200
    last_post(fake, "D" + user, 4)
    say(slack, user, "appen loggar ut mig", 5)
    summary = say(slack, user, "kl 7", 6)
    assert press(slack, user, summary, "Ja, skicka").status == 200
    receipt = last_post(fake, "D" + user, 7)
    assert "Felanmälan nr" in receipt["text"]
    (report,) = stored_reports(slack, user)
    assert (report.reporter_name, report.unit, report.system, report.description) == \
        ("Lena Ek", "Hemtjänst Ryd", "tes", "appen loggar ut mig")

    # In the channel: the note, and nothing else.
    assert [m["text"] for m in fake.message_records(channel)] == [NOTE]
    assert [c for c in fake.calls if c.params.get("channel") == channel and c.method != "chat.postMessage"] == []
    shown = _channel_text(fake, channel)
    assert "Lena" not in shown and "Hemtjänst Ryd" not in shown and "loggar ut" not in shown


def test_report_in_the_chat_pressed_in_a_thread_continues_in_the_dm(slack, fake):
    user, channel = unique("U"), unique("C")
    fake.add_user(user, "Lena Ek")
    first = mention(user, channel, "tes funkar inte", bot_user_id=fake.bot_user_id)
    slack.event(first)
    answer = last_post(fake, channel, 1)
    assert answer["thread_ts"] == first["ts"]
    assert [b["text"]["text"] for b in buttons(answer)] == ["Rapportera i chatten", "Öppna formuläret"]
    assert press(slack, user, answer, "Rapportera i chatten").status == 200
    last_post(fake, "D" + user, 1)
    note = posts(fake, channel, count=2)[1]
    assert note.params["thread_ts"] == first["ts"] and note.params["text"] == NOTE
    # A new question in the thread is answered there, as before: the report left nothing behind in it.
    slack.event(mention(user, channel, "vem ringer jag?", bot_user_id=fake.bot_user_id, thread_ts=first["ts"]))
    assert "Användarstöd" in posts(fake, channel, count=3)[2].params["text"]
    assert len(posts(fake, "D" + user)) == 1


def test_without_a_dm_the_report_is_not_continued_in_the_channel(slack, fake):
    user, channel = unique("U"), unique("C")
    fake.add_user(user, "Lena Ek")
    fake.fail_next("conversations.open", status=200, error="cannot_dm_bot")
    first = mention(user, channel, "jag vill göra en felanmälan", bot_user_id=fake.bot_user_id)
    slack.event(first)
    (apology,) = posts(fake, channel)
    assert apology.params["thread_ts"] == first["ts"] and apology.params["text"].startswith("Något gick fel hos mig")
    # The thread holds no report: the next mention there is a plain question again.
    slack.event(mention(user, channel, "vem ringer jag?", bot_user_id=fake.bot_user_id, thread_ts=first["ts"]))
    assert "Användarstöd" in posts(fake, channel, count=2)[1].params["text"]
    assert "Lena" not in _channel_text(fake, channel)


def test_moving_locks_both_conversations_even_when_they_share_a_stripe():
    locks = ConversationLocks(stripes=1)
    with locks.holding("slack:C1:1700000000.000100", "slack:DU1"):
        assert locks("slack:DU1").locked()
    assert not locks("slack:DU1").locked()
