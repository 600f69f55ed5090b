"""The outbox's Slack deliverer: posts to the channels and DMs, updates by reference, escapes, reports failures."""
from dataclasses import dataclass

import pytest

from bot.adapters.slack.client import make_client
from bot.adapters.slack.delivery import SlackDeliverer
from bot.outages.outbox import DeliveryError


@dataclass(frozen=True)
class Notice:
    id: int
    text: str
    target: str = "broadcast"
    action: str = "post"
    ref: str | None = None
    kind: str = "outage_declared"
    system: str | None = "tes"


@pytest.fixture
def deliverer(fake_slack):
    client = make_client(fake_slack.bot_token, fake_slack.base_url, rate_limit_retries=0)
    return SlackDeliverer(client, "CBROADCAST", "CSUPPORT")


def test_posts_to_the_broadcast_and_support_channels_and_returns_the_reference(deliverer, fake_slack):
    ref = deliverer.deliver(Notice(1, "🔴 Driftstopp i TES sedan 10:00."))
    (posted,) = fake_slack.message_records("CBROADCAST")
    assert ref == f"CBROADCAST:{posted['ts']}"
    assert posted["text"] == "🔴 Driftstopp i TES sedan 10:00."
    assert posted["blocks"][0]["type"] == "section"
    assert deliverer.deliver(Notice(2, "Ny felanmälan", target="support")).startswith("CSUPPORT:")


def test_a_user_target_goes_to_the_users_dm(deliverer, fake_slack):
    ref = deliverer.deliver(Notice(3, "TES fungerar igen.", target="user:slack:U42"))
    assert ref.startswith("DU42:")
    assert fake_slack.messages("DU42") == ["TES fungerar igen."]


def test_an_update_edits_the_message_it_refers_to(deliverer, fake_slack):
    ref = deliverer.deliver(Notice(4, "Driftstopp i TES? 1 rapport."))
    again = deliverer.deliver(Notice(5, "Driftstopp i TES? 3 rapporter från 2 enheter.", action="update", ref=ref))
    assert again == ref
    assert fake_slack.messages("CBROADCAST") == ["Driftstopp i TES? 3 rapporter från 2 enheter."]


def test_no_support_channel_means_not_posted(fake_slack):
    client = make_client(fake_slack.bot_token, fake_slack.base_url, rate_limit_retries=0)
    deliverer = SlackDeliverer(client, "CBROADCAST", None)
    assert deliverer.deliver(Notice(6, "x", target="support")) is None
    assert fake_slack.calls_to("chat.postMessage") == []


def test_user_text_in_a_notice_is_inert(deliverer, fake_slack):
    deliverer.deliver(Notice(7, "Berörda enheter: <!channel>, <@U123> och <http://evil.example|Hemtjänst Ryd>."))
    (posted,) = fake_slack.message_records("CBROADCAST")
    for text in (posted["text"], posted["blocks"][0]["text"]["text"]):
        assert "<!channel>" not in text and "<@U123>" not in text and "|Hemtjänst Ryd>" not in text
    assert posted["text"].startswith("Berörda enheter: &lt;!channel&gt;, &lt;@U123&gt; och &lt;")


def test_a_rate_limit_becomes_a_delivery_error_with_retry_after(deliverer, fake_slack):
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=7)
    with pytest.raises(DeliveryError) as exc:
        deliverer.deliver(Notice(8, "x"))
    assert exc.value.retry_after == 7
    assert fake_slack.messages("CBROADCAST") == []


def test_slack_errors_become_delivery_errors(deliverer, fake_slack):
    fake_slack.fail_next("chat.postMessage", status=200, error="not_in_channel")
    with pytest.raises(DeliveryError) as exc:
        deliverer.deliver(Notice(9, "x"))
    assert str(exc.value) == "slack not_in_channel" and exc.value.retry_after is None
    with pytest.raises(DeliveryError):
        deliverer.deliver(Notice(10, "x", action="update", ref="CBROADCAST:1.000000"))  # message_not_found


def test_the_outbox_worker_delivers_through_it(deliverer, fake_slack, tmp_path):
    """The real worker, the real deliverer, the real fake API: a queued notice is posted once and marked sent."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from bot.clock import FixedClock
    from bot.outages.outbox import NewNotice, OutboxWorker, queue
    from bot.storage import Store

    store = Store.connect(f"sqlite:///{tmp_path}/d.db")
    clock = FixedClock(datetime(2026, 11, 26, 10, 0, tzinfo=ZoneInfo("Europe/Stockholm")), ZoneInfo("Europe/Stockholm"))
    queue(store, NewNotice(kind="resolved", dedupe_key="t:1", due_at=clock.now(), target="broadcast",
                           text="✅ TES fungerar igen <!here>", system="tes"))
    worker = OutboxWorker(store, deliverer, clock, targets=("broadcast", "support", "user:slack:"))
    assert worker.run_once() == 1
    assert worker.run_once() == 0
    assert fake_slack.messages("CBROADCAST") == ["✅ TES fungerar igen &lt;!here&gt;"]


def test_server_errors_with_a_plain_text_body_become_delivery_errors(deliverer, fake_slack):
    fake_slack.fail_next("chat.postMessage", status=503, times=3)  # the first try and both retries
    with pytest.raises(DeliveryError) as exc:
        deliverer.deliver(Notice(11, "x"))
    assert str(exc.value).startswith("slack HTTP 503") and exc.value.retry_after is None
    assert [c.status for c in fake_slack.calls_to("chat.postMessage")] == [503, 503, 503]
