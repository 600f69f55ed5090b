"""A direct message is answered in the DM, from the routine, with the name looked up once."""
from slackapp import dm, fake, last_post, own_slack, posts, press, slack, slack_session, unique  # noqa: F401 (fixtures)


def test_a_dm_is_answered_with_the_routine(own_slack):
    # A server of its own: other files' tests on the shared one report TES outages, and the answer to a
    # TES question then rightly leads with the known outage instead of whom to contact.
    slack, fake = own_slack, own_slack.fake
    user = unique("U")
    fake.add_user(user, "Anna Berg", locale="sv-SE")
    response, _ = slack.event(dm(user, "tes funkar inte"))
    assert response.status == 200 and response.body == ""
    (answer,) = posts(fake, "D" + user)
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
    # Two ways to report, in one row, each label saying which: the conversation (the engine's
    # option, its value unchanged) and the form.
    (row,) = [b for b in blocks if b["type"] == "actions"]
    assert [(e["text"]["text"], e["value"]) for e in row["elements"]] == [
        ("Rapportera i chatten", "report"), ("Öppna formuläret", "report:sv")]
    assert "1. Rapportera i chatten" in text  # the plain fallback names the choice the same way
    info = fake.calls_to("users.info")
    assert len(info) == 1 and info[0].params["user"] == user and info[0].params["include_locale"] in ("true", "1", True)


def test_report_in_the_chat_starts_the_report_conversation(slack, fake):
    user = unique("U")
    fake.add_user(user, "Anna Berg")
    slack.event(dm(user, "tes funkar inte"))
    answer = last_post(fake, "D" + user, 1)
    assert press(slack, user, answer, "Rapportera i chatten").status == 200
    asked = last_post(fake, "D" + user, 2)
    assert "Vilken enhet" in asked["text"]
    # The answer keeps its text; its buttons give way to what was chosen.
    assert fake.message_records("D" + user)[0]["blocks"][-1]["elements"][0]["text"] == "Du valde: Rapportera i chatten"


def test_an_english_question_gets_an_english_answer(slack, fake):
    user = unique("U")
    fake.add_user(user, "Sam Lee", locale="en-GB")
    slack.event(dm(user, "when is the helpdesk open?"))
    (answer,) = posts(fake, "D" + user)
    assert answer.params["text"].startswith("*Contact Användarstöd (user support)")


def test_the_name_lookup_is_cached(slack, fake):
    user = unique("U")
    fake.add_user(user, "Anna Berg")
    slack.event(dm(user, "hej"))
    posts(fake, "D" + user)
    slack.event(dm(user, "vem ringer jag?"))
    posts(fake, "D" + user, count=2)
    assert len(fake.calls_to("users.info")) == 1


def test_an_unknown_user_is_still_answered(slack, fake):
    user = unique("U")  # users.info says user_not_found
    slack.event(dm(user, "vem ska jag kontakta"))
    (answer,) = posts(fake, "D" + user)
    assert "Användarstöd" in answer.params["text"]


def test_message_text_is_not_logged_at_info(slack, fake):
    """The shared server logs at INFO: what people write must not be in its log."""
    user = unique("U")
    fake.add_user(user, "Anna Berg")
    secret = "brukaren på Storgatan 12 fick ingen insulin"
    slack.event(dm(user, secret))
    posts(fake, "D" + user)
    assert slack.logged(f"from {user}")  # the message was logged, without its text
    assert "Storgatan" not in slack.stderr and "insulin" not in slack.stderr


def test_many_people_writing_at_once_are_all_acknowledged_and_answered(slack, fake):
    """The start of an outage: everyone writes at the same moment. No connection may be refused."""
    import threading

    users = [unique("U") for _ in range(40)]
    for user in users:
        fake.add_user(user, "Kollega")
    statuses: list[int] = []

    def write(user: str) -> None:
        response, _ = slack.event(dm(user, "tes funkar inte"))
        statuses.append(response.status)

    threads = [threading.Thread(target=write, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * len(users)
    for user in users:
        assert len(posts(fake, "D" + user, timeout=15)) == 1


def test_a_screenshot_is_answered_with_what_the_bot_reads(slack, fake):
    """A DM with a file (Slack's file_share) is a person's message, not an edit to ignore."""
    user = unique("U")
    fake.add_user(user, "Anna Berg", locale="sv-SE")
    slack.event(dm(user, "", subtype="file_share", files=[{"id": "F1", "name": "skarm.png"}]))
    (note,) = posts(fake, "D" + user)
    assert note.params["text"].startswith("Jag kan inte läsa bilder eller filer")
    slack.event(dm(user, "låset öppnar inte, se bilden", subtype="file_share", files=[{"id": "F2"}]))
    texts = [p.params["text"] for p in posts(fake, "D" + user, count=3)]
    assert texts[1].startswith("Jag kan inte läsa bilder") and "konventionella nycklar" in texts[2]


def test_a_thread_reply_also_sent_to_the_channel_is_answered(slack, fake):
    user = unique("U")
    fake.add_user(user, "Anna Berg", locale="sv-SE")
    slack.event(dm(user, "vem ringer jag?", subtype="thread_broadcast", thread_ts="1700000000.000100"))
    (answer,) = posts(fake, "D" + user)
    assert "Användarstöd" in answer.params["text"]
