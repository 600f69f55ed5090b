"""Tests of the fake Slack Web API itself, driven by a real slack_sdk.WebClient over HTTP."""

import json
import threading
import time
import urllib.request
from urllib.parse import urlencode

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler, ServerErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.models.blocks import ActionsBlock, ButtonElement, HeaderBlock, SectionBlock
from slack_sdk.models.views import View

from fakeslack import FakeSlack


@pytest.fixture
def client(fake_slack):
    return WebClient(token=fake_slack.bot_token, base_url=fake_slack.base_url, timeout=5)


def raw_post(fake, method, body: bytes, content_type: str, headers=None):
    req = urllib.request.Request(
        fake.base_url + method, data=body, method="POST", headers={"Content-Type": content_type, **(headers or {})}
    )
    with urllib.request.urlopen(req, timeout=5) as resp:
        return resp.status, json.loads(resp.read())


def test_base_url_and_context_manager():
    with FakeSlack() as fake:
        assert fake.base_url.startswith("http://127.0.0.1:")
        assert fake.base_url.endswith("/api/")
        assert fake.port > 0
        WebClient(token=fake.bot_token, base_url=fake.base_url).auth_test()
    # stopped: port closed, stop() is idempotent
    fake.stop()


def test_auth_test(fake_slack, client):
    resp = client.auth_test()
    assert resp["ok"] is True
    assert resp["team_id"] == "T0001"
    assert resp["user"] == "driftbot"
    assert resp["user_id"] == "UBOT"
    assert resp["bot_id"] == "BBOT"
    assert resp["url"].startswith("https://")
    (call,) = fake_slack.calls_to("auth.test")
    assert call.headers["Authorization"] == "Bearer xoxb-test-token"
    assert call.token == "xoxb-test-token"
    assert call.status == 200 and call.ok


def test_post_message_with_blocks_is_recorded_and_decoded(fake_slack, client):
    blocks = [
        HeaderBlock(text="Treserva är nere"),
        SectionBlock(text="Gör så här under avbrottet:", block_id="steps"),
        ActionsBlock(elements=[ButtonElement(text="Klart", action_id="done", value="1")]),
    ]
    resp = client.chat_postMessage(channel="C123", text="Treserva är nere", blocks=blocks)
    assert resp["ok"] and resp["channel"] == "C123"
    assert resp["message"]["text"] == "Treserva är nere"
    assert resp["message"]["user"] == "UBOT" and resp["message"]["bot_id"] == "BBOT"
    assert resp["message"]["ts"] == resp["ts"]

    (call,) = fake_slack.calls_to("chat.postMessage")
    assert call.params["channel"] == "C123"
    assert call.params["text"] == "Treserva är nere"
    assert call.headers["Content-Type"].startswith("application/json")
    decoded = call.json("blocks")
    assert [b["type"] for b in decoded] == ["header", "section", "actions"]
    assert decoded[1]["block_id"] == "steps"
    assert decoded[2]["elements"][0]["action_id"] == "done"
    assert resp["message"]["blocks"] == decoded
    assert call.json("missing") is None


def test_ts_monotonic_and_slack_shaped(client):
    stamps = [client.chat_postMessage(channel="C1", text=str(i))["ts"] for i in range(3)]
    for ts in stamps:
        sec, micro = ts.split(".")
        assert len(sec) == 10 and len(micro) == 6
    assert stamps == sorted(stamps, key=float) and len(set(stamps)) == 3


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")
def test_post_message_missing_args(client):
    with pytest.raises(SlackApiError) as exc:
        client.chat_postMessage(channel="C1")
    assert exc.value.response["error"] == "no_text"
    with pytest.raises(SlackApiError) as exc:
        client.api_call("chat.postMessage", json={"text": "hej"})
    assert exc.value.response["error"] == "channel_not_found"


def test_form_encoded_blocks_stay_strings_but_json_decodes(fake_slack):
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*hej*"}}]
    body = urlencode({"token": fake_slack.bot_token, "channel": "C9", "blocks": json.dumps(blocks)}).encode()
    status, payload = raw_post(fake_slack, "chat.postMessage", body, "application/x-www-form-urlencoded")
    assert status == 200 and payload["ok"], payload
    (call,) = fake_slack.calls_to("chat.postMessage")
    assert isinstance(call.params["blocks"], str)
    assert call.json("blocks") == blocks
    assert call.token == fake_slack.bot_token
    assert fake_slack.messages("C9") == [""]


def test_token_in_json_body_is_not_accepted(fake_slack):
    body = json.dumps({"token": fake_slack.bot_token, "channel": "C1", "text": "x"}).encode()
    _, payload = raw_post(fake_slack, "chat.postMessage", body, "application/json; charset=utf-8")
    assert payload == {"ok": False, "error": "not_authed"}


def test_bad_token_is_invalid_auth(fake_slack):
    bad = WebClient(token="xoxb-wrong", base_url=fake_slack.base_url)
    with pytest.raises(SlackApiError) as exc:
        bad.chat_postMessage(channel="C1", text="x")
    assert exc.value.response.status_code == 200
    assert exc.value.response["error"] == "invalid_auth"
    with pytest.raises(SlackApiError) as exc:
        WebClient(base_url=fake_slack.base_url).auth_test()
    assert exc.value.response["error"] == "not_authed"
    assert fake_slack.messages() == []
    assert [c.error for c in fake_slack.calls] == ["invalid_auth", "not_authed"]


def test_token_types(fake_slack, client):
    with pytest.raises(SlackApiError) as exc:
        client.apps_connections_open(app_token=fake_slack.bot_token)
    assert exc.value.response["error"] == "not_allowed_token_type"
    resp = client.apps_connections_open(app_token=fake_slack.app_token)
    assert resp["url"].startswith("wss://")
    app_client = WebClient(token=fake_slack.app_token, base_url=fake_slack.base_url)
    with pytest.raises(SlackApiError) as exc:
        app_client.chat_postMessage(channel="C1", text="x")
    assert exc.value.response["error"] == "not_allowed_token_type"


def test_users_info_registry(fake_slack, client):
    fake_slack.add_user("U1", "Anna Berg", display_name="anna")
    resp = client.users_info(user="U1", include_locale=True)
    user = resp["user"]
    assert user["id"] == "U1" and user["real_name"] == "Anna Berg" and user["is_bot"] is False
    assert user["locale"] == "sv-SE"
    assert user["profile"] == {**user["profile"], "real_name": "Anna Berg", "display_name": "anna"}
    # Like Slack: locale only with include_locale=true
    assert "locale" not in client.users_info(user="U1")["user"]
    with pytest.raises(SlackApiError) as exc:
        client.users_info(user="U404")
    assert exc.value.response["error"] == "user_not_found"


def test_conversations_open_and_dm_posting(fake_slack, client):
    resp = client.conversations_open(users="U1")
    assert resp["channel"]["id"] == "DU1"
    posted = client.chat_postMessage(channel="U1", text="hej")
    assert posted["channel"] == "DU1"
    assert fake_slack.messages("DU1") == ["hej"] == fake_slack.messages("U1")
    with pytest.raises(SlackApiError) as exc:
        client.api_call("conversations.open", params={})
    assert exc.value.response["error"] == "users_list_not_supplied"
    # conversations.open is sent form-encoded by WebClient
    assert fake_slack.calls_to("conversations.open")[0].headers["Content-Type"] == "application/x-www-form-urlencoded"


def test_update_replaces_text_in_messages(fake_slack, client):
    first = client.chat_postMessage(channel="C1", text="Söker rutin…")
    client.chat_postMessage(channel="C2", text="annan kanal")
    client.chat_postMessage(channel="C1", text="andra")
    upd = client.chat_update(channel="C1", ts=first["ts"], text="Rutin: ring jouren")
    assert upd["ok"] and upd["ts"] == first["ts"] and upd["text"] == "Rutin: ring jouren"
    assert fake_slack.messages("C1") == ["Rutin: ring jouren", "andra"]
    assert fake_slack.messages() == ["Rutin: ring jouren", "annan kanal", "andra"]
    assert fake_slack.message_records("C1")[0]["edited"] is True
    with pytest.raises(SlackApiError) as exc:
        client.chat_update(channel="C1", ts="1.000000", text="x")
    assert exc.value.response["error"] == "message_not_found"
    client.chat_delete(channel="C1", ts=first["ts"])
    assert fake_slack.messages("C1") == ["andra"]


def test_post_ephemeral(fake_slack, client):
    resp = client.chat_postEphemeral(channel="C1", user="U1", text="bara för dig")
    assert resp["ok"] and "." in resp["message_ts"]
    assert fake_slack.ephemerals("U1")[0]["text"] == "bara för dig"
    assert fake_slack.messages() == []


def test_views_open_publish_update(fake_slack, client):
    modal = View(type="modal", callback_id="report", title="Rapportera", blocks=[SectionBlock(text="Hej")])
    opened = client.views_open(trigger_id="123.456.abc", view=modal)["view"]
    assert opened["id"].startswith("V") and opened["callback_id"] == "report"
    assert opened["blocks"][0]["type"] == "section" and opened["hash"]
    assert fake_slack.calls_to("views.open")[0].json("view")["callback_id"] == "report"

    updated = client.views_update(view_id=opened["id"], hash=opened["hash"], view={**modal.to_dict(), "callback_id": "r2"})
    assert updated["view"]["id"] == opened["id"] and updated["view"]["callback_id"] == "r2"
    assert fake_slack.view(opened["id"])["callback_id"] == "r2"
    with pytest.raises(SlackApiError) as exc:  # stale hash
        client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal)
    assert exc.value.response["error"] == "hash_conflict"
    with pytest.raises(SlackApiError) as exc:
        client.views_update(view_id="VNOPE", view=modal)
    assert exc.value.response["error"] == "not_found"
    with pytest.raises(SlackApiError) as exc:
        client.views_open(trigger_id="t", view={"type": "home", "blocks": []})
    assert exc.value.response["error"] == "invalid_arguments"

    home = client.views_publish(user_id="U1", view={"type": "home", "blocks": [{"type": "divider"}]})["view"]
    assert home["type"] == "home"
    assert fake_slack.home_view("U1")["blocks"] == [{"type": "divider"}]


def test_block_limits(client):
    with pytest.raises(SlackApiError) as exc:
        client.chat_postMessage(channel="C1", text="x", blocks=[{"type": "divider"}] * 51)
    assert exc.value.response["error"] == "invalid_blocks"
    with pytest.raises(SlackApiError) as exc:
        client.chat_postMessage(channel="C1", text="x", blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": "a" * 3001}}])
    assert exc.value.response["error"] == "invalid_blocks"


def test_unknown_method_is_ok(client):
    assert client.api_call("reactions.add", params={"channel": "C1", "name": "eyes", "timestamp": "1.2"})["ok"]


def test_fail_next_429_with_rate_limit_retry_handler(fake_slack, client):
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=1))
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=1)
    started = time.monotonic()
    resp = client.chat_postMessage(channel="C1", text="hej")
    elapsed = time.monotonic() - started
    assert resp["ok"]
    assert elapsed >= 0.95
    first, second = fake_slack.calls_to("chat.postMessage")
    assert first.status == 429 and first.injected and first.error == "ratelimited"
    assert second.status == 200 and second.ok
    assert second.at - first.at >= 0.95
    assert fake_slack.messages("C1") == ["hej"]  # the failed call had no side effect


def test_429_without_retry_handler_raises(fake_slack, client):
    fake_slack.fail_next("chat.postMessage", retry_after=7)
    with pytest.raises(SlackApiError) as exc:
        client.chat_postMessage(channel="C1", text="hej")
    assert exc.value.response.status_code == 429
    assert exc.value.response.headers["Retry-After"] == "7"
    assert exc.value.response["error"] == "ratelimited"


def test_fail_next_500_then_success_with_server_error_retry_handler(fake_slack, client):
    client.retry_handlers.append(
        ServerErrorRetryHandler(max_retry_count=1, interval_calculator=FixedValueRetryIntervalCalculator(0.05))
    )
    fake_slack.fail_next("views.publish", status=500)
    resp = client.views_publish(user_id="U1", view={"type": "home", "blocks": []})
    assert resp["ok"]
    assert [c.status for c in fake_slack.calls_to("views.publish")] == [500, 200]
    assert fake_slack.calls_to("views.publish")[0].response is None


def test_fail_next_times_and_ok_false_error(fake_slack, client):
    fake_slack.fail_next("users.info", status=503, times=2)
    fake_slack.fail_next("users.info", status=200, error="fatal_error")
    fake_slack.add_user("U1", "Anna")
    for expected in (503, 503):
        with pytest.raises(SlackApiError) as exc:
            client.users_info(user="U1")
        assert exc.value.response.status_code == expected
    with pytest.raises(SlackApiError) as exc:
        client.users_info(user="U1")
    assert exc.value.response.status_code == 200 and exc.value.response["error"] == "fatal_error"
    assert client.users_info(user="U1")["ok"]
    assert [c.status for c in fake_slack.calls_to("users.info")] == [503, 503, 200, 200]


def test_wait_for_blocks_until_calls_arrive(fake_slack, client):
    threading.Timer(0.2, lambda: client.chat_postMessage(channel="C1", text="sen")).start()
    (call,) = fake_slack.wait_for("chat.postMessage", timeout=3)
    assert call.params["text"] == "sen"


def test_wait_for_ok_only(fake_slack, client):
    fake_slack.fail_next("chat.postMessage", status=200, error="internal_error")
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="C1", text="x")
    assert len(fake_slack.wait_for("chat.postMessage", timeout=0.1)) == 1
    with pytest.raises(AssertionError):
        fake_slack.wait_for("chat.postMessage", timeout=0.1, ok_only=True)


def test_wait_for_timeout_raises_assertion_error_listing_calls(fake_slack, client):
    client.auth_test()
    started = time.monotonic()
    with pytest.raises(AssertionError) as exc:
        fake_slack.wait_for("chat.postMessage", count=1, timeout=0.2)
    assert 0.15 <= time.monotonic() - started < 2
    assert "chat.postMessage" in str(exc.value) and "auth.test" in str(exc.value)


def test_reset_and_on_override(fake_slack, client):
    client.chat_postMessage(channel="C1", text="x")
    fake_slack.fail_next("auth.test")
    fake_slack.reset()
    assert fake_slack.calls == [] and fake_slack.messages() == []
    assert client.auth_test()["ok"]  # pending fault was dropped
    fake_slack.on("views.open", {"ok": False, "error": "expired_trigger_id"})
    with pytest.raises(SlackApiError) as exc:
        client.views_open(trigger_id="t", view={"type": "modal", "title": {"type": "plain_text", "text": "x"}})
    assert exc.value.response["error"] == "expired_trigger_id"
    fake_slack.on("auth.test", lambda call: {"ok": True, "user_id": "U" + call.headers["X-Probe"]})
    assert client.api_call("auth.test", headers={"X-Probe": "42"})["user_id"] == "U42"
    fake_slack.on("views.open", None)
    assert client.views_open(trigger_id="t", view={"type": "modal", "title": {"type": "plain_text", "text": "x"}})["ok"]


def test_reset_keeps_counting_ids(fake_slack, client):
    """Tests sharing one fake (and one app that remembers ids) never see an id twice."""
    modal = {"type": "modal", "title": {"type": "plain_text", "text": "x"}}
    ts = client.chat_postMessage(channel="C1", text="x")["ts"]
    view_id = client.views_open(trigger_id="t", view=modal)["view"]["id"]
    fake_slack.reset()
    assert client.chat_postMessage(channel="C1", text="y")["ts"] > ts
    assert client.views_open(trigger_id="t", view=modal)["view"]["id"] > view_id


def test_concurrent_calls_are_all_recorded(fake_slack, client):
    threads = [threading.Thread(target=client.chat_postMessage, kwargs={"channel": "C1", "text": str(i)}) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(fake_slack.wait_for("chat.postMessage", count=10, timeout=2)) == 10
    assert sorted(fake_slack.messages("C1"), key=int) == [str(i) for i in range(10)]
    assert len({r["ts"] for r in fake_slack.message_records("C1")}) == 10
