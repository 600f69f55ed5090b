"""Slack's URL check when the Request URL is saved, and the health endpoint, over real HTTP."""
import json

from slackapp import slack, slack_session  # noqa: F401 (fixtures)


def test_url_verification_echoes_the_challenge(slack):
    body = json.dumps({"token": "legacy", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
                       "type": "url_verification"})
    response = slack.signed_post(body, "application/json")
    assert response.status == 200
    assert response.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}


def test_healthz(slack):
    response = slack.health()
    assert response.status == 200 and response.json() == {"ok": True}


def test_unknown_paths_are_404(slack):
    from slackapp import http

    assert http("GET", f"http://127.0.0.1:{slack.port}/").status == 404
    assert http("POST", f"http://127.0.0.1:{slack.port}/other", b"{}").status == 404
