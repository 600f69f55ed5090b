"""Operational metrics for `driftbot serve`, exposed at GET /metrics (Prometheus text format).

The counters are process-wide and cost nothing until `enable()` is called (by `serve`): the
other commands never import prometheus_client. Call sites use the functions below, which
name what happened, never a metric object. No label holds anything a person wrote: paths are
the known ones, intents the content's ids, targets their kind ("broadcast", "support",
"user", "reply").

    driftbot_http_requests_total{path,status}        every HTTP request the front answered
    driftbot_slack_acks_total{kind,status}           Slack requests answered (the ack), by payload type
    driftbot_slack_ack_seconds{kind}                 from the request read to the ack written
    driftbot_answers_total{intent}                   replies in conversations, by intent ("none": a question of the dialog)
    driftbot_reports_total{source,outage}            reports filed ("opened", "joined" or "none")
    driftbot_notices_queued_total{kind,target}       outbox rows committed (notices and replies to people)
    driftbot_notices_sent_total{kind,target}         delivered
    driftbot_notices_failed_total{kind,target}       delivery attempts that failed (retried)
    driftbot_notices_expired_total{kind,target}      replies given up after REPLY_TTL
    driftbot_notice_delivery_seconds{target}         from due (queued, for a reply) to delivered
    driftbot_reply_retries_total                     retries scheduled for messages to people
    driftbot_outbox_pending{target}                  rows waiting now (read from the database at scrape)
    driftbot_database_up                             1 when the last database statement worked (bot.storage.Health)

plus prometheus_client's process metrics (resident memory, CPU, open files).
"""
from __future__ import annotations

import threading

_lock = threading.Lock()
_m = None          # the metric objects, once enabled
_store = None      # for the scrape-time gauges

KNOWN_PATHS = ("/slack/events", "/healthz", "/readyz", "/metrics")


def enabled() -> bool:
    return _m is not None


def enable(store=None) -> None:
    """Create the metrics (once per process) and read the outbox and health from `store` at scrape."""
    global _m, _store
    with _lock:
        _store = store
        if _m is not None:
            return
        from prometheus_client import REGISTRY, Counter, Histogram

        class Metrics:
            requests = Counter("driftbot_http_requests", "HTTP requests answered", ["path", "status"])
            acks = Counter("driftbot_slack_acks", "Slack requests acknowledged", ["kind", "status"])
            ack_seconds = Histogram("driftbot_slack_ack_seconds", "Time from the request read to the ack written",
                                    ["kind"], buckets=(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5))
            answers = Counter("driftbot_answers", "Replies in conversations, by intent", ["intent"])
            reports = Counter("driftbot_reports", "Fault reports filed", ["source", "outage"])
            queued = Counter("driftbot_notices_queued", "Outbox rows committed", ["kind", "target"])
            sent = Counter("driftbot_notices_sent", "Outbox rows delivered", ["kind", "target"])
            failed = Counter("driftbot_notices_failed", "Delivery attempts that failed", ["kind", "target"])
            expired = Counter("driftbot_notices_expired", "Replies given up as too old to help", ["kind", "target"])
            delivery = Histogram("driftbot_notice_delivery_seconds", "From due to delivered", ["target"],
                                 buckets=(.05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300, 900))
            reply_retries = Counter("driftbot_reply_retries", "Retries scheduled for messages to people")

        REGISTRY.register(_Gauges())
        _listen_for_commits()
        _m = Metrics


# -- what happened -----------------------------------------------------------------------------

def http_request(path: str, status: int) -> None:
    if _m is not None:
        _m.requests.labels(path if path in KNOWN_PATHS else "other", str(status)).inc()


def slack_ack(kind: str, status: int, seconds: float) -> None:
    if _m is not None:
        _m.acks.labels(kind, str(status)).inc()
        _m.ack_seconds.labels(kind).observe(seconds)


def answer(intent: str | None) -> None:
    if _m is not None:
        _m.answers.labels(intent or "none").inc()


def report(source: str, outage: str) -> None:
    if _m is not None:
        _m.reports.labels(source, outage).inc()


def notice_queued(session, kind: str, target: str) -> None:
    """Counted when `session` commits (a rolled-back notice was never queued)."""
    if _m is not None:
        session.info.setdefault("driftbot_queued", []).append((kind, target_kind(target)))


def notice_committed(kind: str, target: str) -> None:
    """An outbox row queued on a Core connection, counted once its transaction committed."""
    if _m is not None:
        _m.queued.labels(kind, target_kind(target)).inc()


def notice_sent(kind: str, target: str, seconds: float | None) -> None:
    if _m is not None:
        _m.sent.labels(kind, target_kind(target)).inc()
        if seconds is not None:
            _m.delivery.labels(target_kind(target)).observe(max(0.0, seconds))


def notice_failed(kind: str, target: str, retried_reply: bool) -> None:
    if _m is not None:
        _m.failed.labels(kind, target_kind(target)).inc()
        if retried_reply:
            _m.reply_retries.inc()


def notice_expired(kind: str, target: str) -> None:
    if _m is not None:
        _m.expired.labels(kind, target_kind(target)).inc()


def target_kind(target: str) -> str:
    # User ids and channels are not labels: only what kind of target it was.
    return target.split(":", 1)[0]


def exposition() -> tuple[bytes, str]:
    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


# -- plumbing ------------------------------------------------------------------------------------

def _listen_for_commits() -> None:
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    def committed(session) -> None:
        for kind, target in session.info.pop("driftbot_queued", ()):
            _m.queued.labels(kind, target).inc()

    def rolled_back(session) -> None:
        session.info.pop("driftbot_queued", None)

    event.listen(Session, "after_commit", committed)
    event.listen(Session, "after_rollback", rolled_back)


class _Gauges:
    """Read at scrape: the outbox backlog and the database's health. A scrape while the
    database is down still answers (driftbot_database_up 0, no backlog figure)."""

    def collect(self):
        from prometheus_client.core import GaugeMetricFamily

        store = _store
        if store is None:
            return
        up = GaugeMetricFamily("driftbot_database_up", "1 when the last database statement worked")
        up.add_metric([], 0 if store.health.down else 1)
        yield up
        if store.health.down:
            return
        try:
            pending = _pending(store)
        except Exception:  # the database went away since: nothing to say about the backlog
            return
        backlog = GaugeMetricFamily("driftbot_outbox_pending", "Outbox rows waiting to be delivered", labels=["target"])
        for target, count in sorted(pending.items()):
            backlog.add_metric([target], count)
        yield backlog

    def describe(self):
        return []


def _pending(store) -> dict[str, int]:
    from sqlalchemy import func, select

    from bot.storage.tables import NoticeRow

    counts: dict[str, int] = {kind: 0 for kind in ("broadcast", "support", "user", "reply")}
    with store.session() as s:
        for target, count in s.execute(select(NoticeRow.target, func.count()).where(NoticeRow.state == "pending")
                                       .group_by(NoticeRow.target)).all():
            kind = target_kind(target)
            counts[kind] = counts.get(kind, 0) + count
    return counts
