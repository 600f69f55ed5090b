"""Requests not signed with the app's signing secret, or signed too long ago, are refused with 401."""
import json
import time

from slackapp import dm, fake, slack, slack_session, unique  # noqa: F401 (fixtures)


def _event(user_id: str) -> str:
    return json.dumps({"type": "event_callback", "team_id": "T0001", "event_id": unique("Ev"),
                       "event": dm(user_id, "tes funkar inte")})


def test_forged_signature_is_rejected(slack, fake):
    user = unique("U")
    response = slack.signed_post(_event(user), "application/json", secret="not-the-secret")
    assert response.status == 401
    # Nothing reached the engine: no lookup, no answer.
    assert [c for c in fake.calls_to("users.info") if c.params["user"] == user] == []


def test_stale_signature_is_rejected(slack, fake):
    user = unique("U")
    response = slack.signed_post(_event(user), "application/json", timestamp=int(time.time()) - 6 * 60)
    assert response.status == 401
    assert [c for c in fake.calls_to("users.info") if c.params["user"] == user] == []


def test_missing_signature_is_rejected(slack):
    from slackapp import http

    response = http("POST", slack.url, _event(unique("U")).encode(), {"Content-Type": "application/json"})
    assert response.status == 401


def test_a_tampered_body_is_rejected(slack, fake):
    user = unique("U")
    good = slack.signed_post(json.dumps({"type": "url_verification", "challenge": "c"}), "application/json")
    assert good.status == 200
    # Signed for one body, sent with another.
    from slack_sdk.signature import SignatureVerifier
    from slackapp import SIGNING_SECRET, http

    ts = str(int(time.time()))
    signature = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=ts, body=_event(user))
    response = http("POST", slack.url, _event(user).replace("tes funkar inte", "<!channel>").encode(),
                    {"Content-Type": "application/json", "X-Slack-Request-Timestamp": ts,
                     "X-Slack-Signature": signature})
    assert response.status == 401
    assert [c for c in fake.calls_to("users.info") if c.params["user"] == user] == []
