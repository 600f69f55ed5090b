"""Slack redelivers events it thinks were not acknowledged (X-Slack-Retry-Num): answered once."""
from slackapp import dm, fake, posts, slack, slack_session, unique  # noqa: F401 (fixtures)


def test_a_retried_event_is_not_answered_twice(slack, fake):
    user = unique("U")
    fake.add_user(user, "Per Holm")
    event = dm(user, "tes funkar inte")
    first, event_id = slack.event(event)
    assert first.status == 200
    posts(fake, "D" + user)
    for attempt in (1, 2, 3):
        retry, _ = slack.event(event, event_id=event_id, retry=attempt)
        assert retry.status == 200  # acknowledged, so Slack stops retrying
    # A later message is answered: once it is, the retries have certainly been processed.
    slack.event(dm(user, "hjälp"))
    posted = posts(fake, "D" + user, count=2)
    assert posted[1].params["text"].startswith("Hej! Jag är driftbot")  # the next answer is the later message's
    assert len(posts(fake, "D" + user)) == 2


def test_a_retry_that_overtakes_the_original_is_answered_once(slack, fake):
    """The same message delivered twice with different event ids (e.g. after a replica restart) is one message."""
    user = unique("U")
    fake.add_user(user, "Per Holm")
    event = dm(user, "vem ringer jag?")
    slack.event(event)
    slack.event(event)  # a new event_id, same client_msg_id: the engine's duplicate check drops it
    # The later message only after the first answer: three events at once may be taken up by the
    # listener threads in any order, which is not what this test is about.
    posts(fake, "D" + user, count=1)
    slack.event(dm(user, "hjälp"))
    texts = [c.params["text"] for c in posts(fake, "D" + user, count=2)]
    assert texts[1].startswith("Hej! Jag är driftbot"), texts
    assert len(posts(fake, "D" + user)) == 2


def test_a_retried_event_without_a_message_id_is_dropped_by_its_event_id(slack, fake):
    """app_home_opened has no client_msg_id: only the event_id tells a retry apart."""
    user = unique("U")
    fake.add_user(user, "Per Holm")
    home = {"type": "app_home_opened", "user": user, "channel": "D" + user, "tab": "home", "event_ts": "1.000001"}
    _, event_id = slack.event(home)
    fake.wait_for("views.publish")
    slack.event(home, event_id=event_id, retry=1)
    slack.event(dm(user, "hjälp"))  # answered after the retry was handled
    posts(fake, "D" + user)
    assert [c.params["user_id"] for c in fake.calls_to("views.publish")].count(user) == 1
