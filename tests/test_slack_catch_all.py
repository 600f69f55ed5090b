"""Every kind of request Bolt can receive is acknowledged (200, no retries, no error shown to
the person), and nothing a person typed reaches the log, not even at DEBUG."""
import json
from urllib.parse import urlencode

import pytest

from slackapp import TEAM, impatient, impatient_session, unique  # noqa: F401 (fixtures)

SECRET = "hemlig-text-ur-formularet"


def _payloads() -> list[dict]:
    user = {"id": unique("U")}
    view = {"id": "V1", "callback_id": "some_old_modal", "type": "modal",
            "state": {"values": {"b": {"a": {"type": "plain_text_input", "value": SECRET}}}}}
    return [
        {"type": "view_closed", "team": {"id": TEAM}, "user": user, "view": view, "is_cleared": False},
        {"type": "block_suggestion", "team": {"id": TEAM}, "user": user, "action_id": "pick", "block_id": "b",
         "value": SECRET, "view": view},
        {"type": "dialog_submission", "team": {"id": TEAM}, "user": user, "callback_id": "old_dialog",
         "submission": {"x": SECRET}, "response_url": "", "state": ""},
        {"type": "dialog_cancellation", "team": {"id": TEAM}, "user": user, "callback_id": "old_dialog",
         "response_url": "", "state": SECRET},
        {"type": "message_action", "team": {"id": TEAM}, "user": user, "callback_id": "unknown_shortcut",
         "trigger_id": "t", "message": {"text": SECRET}, "channel": {"id": "C1"}, "response_url": ""},
    ]


@pytest.mark.parametrize("index", range(5), ids=["view_closed", "block_suggestion", "dialog_submission",
                                                 "dialog_cancellation", "message_shortcut"])
def test_every_interaction_kind_is_acknowledged(impatient, index):
    payload = _payloads()[index]
    response = impatient.interaction(payload)
    assert response.status == 200, response
    if payload["type"] == "block_suggestion":
        assert response.json() == {"options": []}


def test_an_unknown_slash_command_is_acknowledged(impatient):
    form = urlencode({"team_id": TEAM, "channel_id": "C1", "user_id": unique("U"), "command": "/annat",
                      "text": SECRET, "response_url": impatient.fake.base_url + unique("respond/"),
                      "trigger_id": unique("t.")})
    assert impatient.signed_post(form, "application/x-www-form-urlencoded").status == 200


def test_nothing_typed_reaches_the_log(impatient):
    for payload in _payloads():
        impatient.interaction(payload)
    impatient.health()
    assert not impatient.logged(SECRET, timeout=0.5)
    assert "Unhandled request" not in impatient.stderr
