"""A 429 from chat.postMessage is retried after Retry-After; a 5xx is retried with backoff."""
from slackapp import dm, fake, posts, slack, slack_session, unique  # noqa: F401 (fixtures)


def test_a_rate_limited_answer_is_retried_after_retry_after(slack, fake):
    user = unique("U")
    fake.add_user(user, "Kim Ny")
    fake.fail_next("chat.postMessage", status=429, retry_after=1)
    slack.event(dm(user, "tes funkar inte"))
    first, second = posts(fake, "D" + user, count=2, timeout=10)
    assert first.status == 429 and first.injected
    assert second.ok and second.params["channel"] == "D" + user
    assert second.at - first.at >= 0.95  # it waited as told
    assert len(fake.messages("D" + user)) == 1


def test_server_errors_are_retried(slack, fake):
    user = unique("U")
    fake.add_user(user, "Kim Ny")
    fake.fail_next("chat.postMessage", status=503)
    slack.event(dm(user, "tes funkar inte"))
    calls = posts(fake, "D" + user, count=2, timeout=10)
    assert [c.status for c in calls] == [503, 200]
    assert len(fake.messages("D" + user)) == 1
