"""A direct message is answered in the DM, from the routine, with the name looked up once."""
from slackapp import buttons, dm, fake, slack, slack_session, unique  # noqa: F401 (fixtures)


def test_a_dm_is_answered_with_the_routine(slack, fake):
    user = unique("U")
    fake.add_user(user, "Anna Berg", locale="sv-SE")
    response, _ = slack.event(dm(user, "tes funkar inte"))
    assert response.status == 200 and response.body == ""
    (answer,) = fake.wait_for("chat.postMessage")
    assert answer.params["channel"] == "D" + user
    assert "thread_ts" not in answer.params
    text = answer.params["text"]
    # Office hours (the server's clock is frozen on a Thursday at 10:00): Användarstöd first.
    assert text.startswith("*Kontakta Användarstöd")
    assert "konventionella nycklar" in text
    blocks = answer.json("blocks")
    assert blocks[0]["type"] == "section" and blocks[0]["text"]["text"].startswith("*Kontakta Användarstöd")
    # The status page is a link one tap away.
    assert "<https://www.linkoping.se/anvandarstod>" in blocks[0]["text"]["text"]
    labels = [b["text"]["text"] for b in buttons(answer.params | {"blocks": blocks})]
    assert "Rapportera fel" in labels
    info = fake.calls_to("users.info")
    assert len(info) == 1 and info[0].params["user"] == user and info[0].params["include_locale"] in ("true", "1", True)


def test_an_english_question_gets_an_english_answer(slack, fake):
    user = unique("U")
    fake.add_user(user, "Sam Lee", locale="en-GB")
    slack.event(dm(user, "when is the helpdesk open?"))
    (answer,) = fake.wait_for("chat.postMessage")
    assert answer.params["text"].startswith("*Contact Användarstöd (user support)")


def test_the_name_lookup_is_cached(slack, fake):
    user = unique("U")
    fake.add_user(user, "Anna Berg")
    slack.event(dm(user, "hej"))
    fake.wait_for("chat.postMessage")
    slack.event(dm(user, "vem ringer jag?"))
    fake.wait_for("chat.postMessage", count=2)
    assert len(fake.calls_to("users.info")) == 1


def test_an_unknown_user_is_still_answered(slack, fake):
    user = unique("U")  # users.info says user_not_found
    slack.event(dm(user, "vem ska jag kontakta"))
    (answer,) = fake.wait_for("chat.postMessage")
    assert "Användarstöd" in answer.params["text"]
