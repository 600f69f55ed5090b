"""A mention in a channel is answered in a thread under it; the thread is the conversation."""
from slackapp import button_click, buttons, fake, mention, posts, slack, slack_session, unique  # noqa: F401 (fixtures)


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


def test_a_report_started_in_a_thread_continues_there(slack, fake):
    user, channel = unique("U"), unique("C")
    fake.add_user(user, "Lena Ek")
    first = mention(user, channel, "jag vill felanmäla", bot_user_id=fake.bot_user_id)
    slack.event(first)
    posts(fake, channel)
    slack.event(mention(user, channel, "Hemtjänst Ryd", bot_user_id=fake.bot_user_id, thread_ts=first["ts"]))
    second = posts(fake, channel, count=2)[1]
    assert second.params["thread_ts"] == first["ts"]
    assert "Vilket system" in second.params["text"]
    # A button pressed in the thread answers in the same thread and conversation.
    message = fake.message_records(channel)[-1]
    tes = next(b for b in buttons(message) if b["text"]["text"] == "TES")
    slack.interaction(button_click(user, message, {"type": "button", "action_id": tes["action_id"],
                                                   "value": tes["value"], "text": tes["text"]}))
    third = posts(fake, channel, count=3)[2]
    assert third.params["thread_ts"] == first["ts"] and "Hur många" in third.params["text"]
