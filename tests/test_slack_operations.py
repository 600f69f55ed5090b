"""Operations (issue 10 item 10): /readyz beside /healthz, /metrics in Prometheus' format,
structured (JSON) logs. The database-down side of /readyz is in test_slack_database_faults.py."""
import json
import re
import time

from helpers import run_cli
from slackapp import dm, fake, http, posts, slack, slack_session, unique, view_submission  # noqa: F401 (fixtures)

REPORT = {"reporter_name": "Anna Berg", "unit": "Hemtjänst Ryd", "system": "locks", "scope": "unit",
          "description": "Låsen svarar inte"}


def _metrics(slack) -> dict[str, float]:
    response = http("GET", f"http://127.0.0.1:{slack.port}/metrics")
    assert response.status == 200
    assert {k.lower(): v for k, v in response.headers.items()}["content-type"].startswith("text/plain")
    values = {}
    for line in response.body.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            values[name] = float(value)
    return values


def _grows(slack, before: dict, name: str, timeout: float = 10) -> float:
    """Wait until the metric `name` is above its value in `before` (the outbox counts in the background)."""
    deadline = time.monotonic() + timeout
    while True:
        now = _metrics(slack).get(name, 0.0)
        if now > before.get(name, 0.0) or time.monotonic() > deadline:
            return now - before.get(name, 0.0)
        time.sleep(0.1)


def test_readyz_says_the_database_answers(slack):
    response = http("GET", f"http://127.0.0.1:{slack.port}/readyz")
    assert response.status == 200 and response.json() == {"ok": True, "database": "ok"}
    assert slack.health().json() == {"ok": True}


def test_metrics_count_requests_acks_answers_and_replies(slack, fake):
    user = unique("U")
    fake.add_user(user, "Kim Ny")
    before = _metrics(slack)
    response, _ = slack.event(dm(user, "vem ringer jag?"))
    assert response.status == 200
    posts(fake, "D" + user)
    assert _grows(slack, before, 'driftbot_answers_total{intent="contact"}') == 1
    assert _grows(slack, before, 'driftbot_slack_acks_total{kind="event_callback",status="200"}') == 1
    assert _grows(slack, before, 'driftbot_http_requests_total{path="/slack/events",status="200"}') >= 1
    assert _grows(slack, before, 'driftbot_notices_queued_total{kind="reply",target="reply"}') >= 1
    assert _grows(slack, before, 'driftbot_notices_sent_total{kind="reply",target="reply"}') >= 1
    assert _grows(slack, before, 'driftbot_notice_delivery_seconds_count{target="reply"}') >= 1
    assert _grows(slack, before, 'driftbot_slack_ack_seconds_count{kind="event_callback"}') == 1
    after = _metrics(slack)
    assert after["driftbot_database_up"] == 1
    assert 'driftbot_outbox_pending{target="broadcast"}' in after
    assert after["process_resident_memory_bytes"] > 0
    # No label holds a user, a channel or what anyone wrote.
    body = http("GET", f"http://127.0.0.1:{slack.port}/metrics").body
    assert user not in body and "vem ringer" not in body


def test_metrics_count_reports_and_the_notices_they_cause(slack, fake):
    user = unique("U")
    fake.add_user(user, "Anna Berg")
    before = _metrics(slack)
    slack.command(user, "rapportera")
    opened = fake.wait_for("views.open")[-1]
    assert slack.interaction(view_submission(user, fake.view(opened.response["view"]["id"]), REPORT)).status == 200
    posts(fake, user)  # the receipt
    filed = sum(_grows(slack, before, f'driftbot_reports_total{{outage="{o}",source="slack"}}', timeout=0.5)
                for o in ("opened", "joined"))
    assert filed == 1
    assert _grows(slack, before, 'driftbot_notices_queued_total{kind="receipt",target="reply"}') == 1
    assert _grows(slack, before, 'driftbot_slack_acks_total{kind="view_submission",status="200"}') == 1


def test_metrics_count_failed_deliveries_and_reply_retries(slack, fake):
    user = unique("U")
    fake.add_user(user, "Kim Ny")
    before = _metrics(slack)
    fake.fail_next("chat.postMessage", status=500, times=4)  # more than the client's own retry
    slack.event(dm(user, "vem ringer jag?"))
    (delivered,) = [c for c in posts(fake, "D" + user, count=5, timeout=15) if c.ok]
    assert "Användarstöd" in delivered.params["text"]
    assert _grows(slack, before, "driftbot_reply_retries_total") >= 1
    assert _grows(slack, before, 'driftbot_notices_failed_total{kind="reply",target="reply"}') >= 1


def test_unknown_paths_are_counted_without_their_path(slack):
    before = _metrics(slack)
    assert http("GET", f"http://127.0.0.1:{slack.port}/secret-{unique('x')}").status == 404
    assert _grows(slack, before, 'driftbot_http_requests_total{path="other",status="404"}') == 1
    assert not any("secret-" in name for name in _metrics(slack))


def test_json_logs_are_one_object_a_line_without_message_bodies(tmp_path):
    result = run_cli("outage", "start", "tes", "--text", "Omar Said 19121212-1212 kan inte logga in",
                     "--db", f"sqlite:///{tmp_path}/j.db",
                     env={"DRIFTBOT_LOG_FORMAT": "json", "DRIFTBOT_LOG_LEVEL": "INFO"})
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]
    assert records and all({"at", "level", "logger", "message"} <= set(r) for r in records)
    assert any(r["logger"] == "bot.outages.service" and re.search(r"outage \d+ declared", r["message"])
               for r in records)
    assert "19121212" not in result.stderr and "Omar Said" not in result.stderr


def test_a_bad_log_format_is_one_line_naming_the_variable(tmp_path):
    result = run_cli("ask", "hej", env={"DRIFTBOT_LOG_FORMAT": "xml"})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "driftbot: configuration error: DRIFTBOT_LOG_FORMAT: Value error, must be text or json"]
