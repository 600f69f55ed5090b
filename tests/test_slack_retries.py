"""Slack redelivers events it thinks were not acknowledged (X-Slack-Retry-Num): answered once."""
from slackapp import dm, fake, slack, slack_session, unique  # noqa: F401 (fixtures)


def test_a_retried_event_is_not_answered_twice(slack, fake):
    user = unique("U")
    fake.add_user(user, "Per Holm")
    event = dm(user, "tes funkar inte")
    first, event_id = slack.event(event)
    assert first.status == 200
    fake.wait_for("chat.postMessage")
    for attempt in (1, 2, 3):
        retry, _ = slack.event(event, event_id=event_id, retry=attempt)
        assert retry.status == 200  # acknowledged, so Slack stops retrying
    # A later message is answered: once it is, the retries have certainly been processed.
    slack.event(dm(user, "vem ringer jag?"))
    posted = fake.wait_for("chat.postMessage", count=2)
    fake.wait_for("chat.postMessage", count=2)
    assert len(fake.calls_to("chat.postMessage")) == 2
    assert "Användarstöd" in posted[1].params["text"]


def test_a_retry_that_overtakes_the_original_is_answered_once(slack, fake):
    """The same message delivered twice with different event ids (e.g. after a replica restart) is one message."""
    user = unique("U")
    fake.add_user(user, "Per Holm")
    event = dm(user, "vem ringer jag?")
    slack.event(event)
    slack.event(event)  # a new event_id, same client_msg_id: the engine's duplicate check drops it
    slack.event(dm(user, "hej"))
    fake.wait_for("chat.postMessage", count=2)
    texts = [c.params["text"] for c in fake.calls_to("chat.postMessage")]
    assert len(texts) == 2, texts
