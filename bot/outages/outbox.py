"""The durable outbox: notices are written to the database first, then delivered.

Queueing is part of the same transaction as the change that causes the notice
(a report filed, an outage resolved), so a notice exists exactly when its
cause does. A worker then claims due notices, hands each to a Deliverer (the
Slack adapter, the terminal) and records the outcome:

- Scheduling is idempotent: every notice has a dedupe_key (unique), and
  queueing uses INSERT ... ON CONFLICT DO NOTHING, so computing the timeline
  twice (two replicas, a rerun of `driftbot notices`) queues nothing twice.
- Claiming: on PostgreSQL `SELECT ... FOR UPDATE SKIP LOCKED`, so replicas
  never pick the same row; on SQLite (one writer at a time) a single UPDATE
  takes the row. Either way the claim is a lease (claimed_until): a worker
  that dies mid-delivery stops holding the notice when the lease runs out,
  and the next worker delivers it. Nothing is lost to a crash.
- A failed delivery records attempts, last_error and next_attempt_at
  (exponential backoff, or the deliverer's retry_after) and is retried; a
  notice is never dropped for failing, only for expiring (a login reminder
  superseded by the next one) or being cancelled (its outage resolved).

Messages to a person (an answer, a question the report dialog asks, a
receipt) take the same road, so that they survive a Slack outage of minutes:
the adapter queues them with a `conversation` and asks the worker to `send`
them at once; what Slack does not take now is retried with a short backoff
(or the Retry-After it sent) until delivered or until it is too old to help
(REPLY_TTL; it is then logged as undeliverable, without its text). Within a
conversation a message waits until every earlier one is sent, so they arrive
in order. Their text is removed from the row once it is sent or expired.

Delivery is at-least-once. In the window between the deliverer returning
(the message is posted) and the "sent" mark being committed, a crash or an
expired lease leaves the notice pending, and it is delivered again after the
lease: the channel may see that one message twice. (A lost database connection
at that moment does not: the outcome is kept in memory and recorded at the next
pass, while the claim still holds.) A call the platform carried out but never
answered (a timeout) is retried like any failure, and shows twice too.
For `update` notices this is harmless: an edit repeated with the same text
changes nothing. For a `post` it is a duplicate message; for the outage's
first channel message the second post's reference is the one recorded, so
later updates (affected units, number of reports) edit the second copy and
the first one stays as it was. Keeping the window short (the mark is one
small UPDATE right after delivery) and the lease longer than any delivery
(including the deliverer's own retries) makes this rare.
"""
from __future__ import annotations

import logging
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import IO, Callable, Protocol, Sequence

from sqlalchemy import and_, bindparam, exists, or_, select, update
from sqlalchemy.orm import Session, aliased

from bot import metrics
from bot.clock import Clock
from bot.storage.tables import NoticeRow, OutagePostRow, OutageRow

log = logging.getLogger(__name__)
_Earlier = aliased(NoticeRow)

NOTICE_KINDS = ("planned_advance", "planned_start", "planned_end", "outage_declared",
                "login_reminder", "ten_hours", "resolved", "cancelled")
# Messages to one person in a conversation (not channel notices).
PERSONAL_KINDS = ("reply", "receipt")
# Another channel's copy of a channel notice (bot.outages.channels).
_COPY_PREFIX = "broadcast:"
# An answer not delivered within this long no longer helps the person at the door.
REPLY_TTL = timedelta(minutes=15)


# -- what the outside world sees ----------------------------------------------------

@dataclass(frozen=True)
class OutgoingNotice:
    """A notice to deliver (or list): what, to whom, and which message to edit."""
    id: int
    kind: str
    system: str | None
    target: str            # "broadcast", "support" or "user:<source>:<user_id>"
    action: str            # "post" or "update"
    text: str
    due_at: datetime
    outage_id: int | None
    ref: str | None        # for "update": the platform reference of the message to edit
    # A message already rendered for its platform (a reply with buttons, in a thread), or None.
    message: dict | None = None
    conversation: str | None = None
    # The row's payload as stored (known to whoever claimed it): marking it sent needs no read.
    payload: dict | None = field(default=None, repr=False, compare=False)

    def as_json(self, tz=None) -> dict:
        due = self.due_at.astimezone(tz) if tz else self.due_at
        return {"kind": self.kind, "system": self.system, "due_at": due.isoformat(), "text": self.text,
                "target": self.target, "action": self.action, "outage_id": self.outage_id}


class DeliveryError(Exception):
    """A delivery failed; the notice is retried (after retry_after seconds when given)."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class Deliverer(Protocol):
    def deliver(self, notice: OutgoingNotice) -> str | None:
        """Post or update the message; return its platform reference.

        Raise DeliveryError on failure (with retry_after when the platform
        said how long to wait, as Slack's Retry-After does).
        """


@dataclass(frozen=True)
class NewNotice:
    """A notice to queue."""
    kind: str
    dedupe_key: str
    due_at: datetime
    target: str
    text: str
    system: str | None = None
    outage_id: int | None = None
    action: str = "post"
    expires_at: datetime | None = None
    lang: str | None = None
    # The outage's channel message: its reference is stored on the outage so
    # that later updates can edit it.
    sets_outage_ref: bool = False
    # Messages to a person: the conversation they keep their order in, and the
    # platform's rendering of the message (blocks, thread) when it has one.
    conversation: str | None = None
    message: dict | None = None


# -- queueing and listing ----------------------------------------------------------------

def _insert_ignoring_duplicates(session: Session):
    """INSERT ... ON CONFLICT DO NOTHING, in the session's dialect."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def enqueue(session: Session, notice: NewNotice) -> bool:
    """Queue a notice in the caller's transaction. False when its dedupe_key was already queued."""
    return insert_notice(session, notice) is not None


def insert_notice(session: Session, notice: NewNotice) -> int | None:
    """Queue a notice in the caller's transaction; its id, or None when its dedupe_key was already queued."""
    insert = _insert_ignoring_duplicates(session)
    payload = _payload(notice)
    statement = insert(NoticeRow).values(
        outage_id=notice.outage_id, kind=notice.kind, dedupe_key=notice.dedupe_key, due_at=notice.due_at,
        target=notice.target, action=notice.action, state="pending", attempts=0,
        expires_at=notice.expires_at, conversation=notice.conversation, payload=payload,
    ).on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(NoticeRow.id)
    # RETURNING rather than rowcount: the driver's rowcount is not reliable for ORM-level inserts.
    notice_id = session.execute(statement).scalar()
    if notice_id is not None:
        metrics.notice_queued(session, notice.kind, notice.target)
    return notice_id


def _payload(notice: NewNotice) -> dict:
    payload = {"text": notice.text, "system": notice.system, "lang": notice.lang,
               "sets_outage_ref": notice.sets_outage_ref}
    if notice.message is not None:
        payload["message"] = notice.message
    return payload


class _SendStatements:
    """What `OutboxWorker.send` and the mark of a person's message as sent run, built once per
    dialect (Core on a connection: they run for every message a person gets)."""

    def __init__(self, dialect: str):
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        notices = NoticeRow.__table__
        c = notices.c
        self.insert_claimed = (insert(notices).on_conflict_do_nothing(index_elements=["dedupe_key"])
                               .returning(c.id))
        earlier = notices.alias("earlier")
        self.waiting = select(exists().where(earlier.c.conversation == bindparam("conversation"),
                                             earlier.c.state == "pending", earlier.c.id < bindparam("first")))
        self.unclaim = (update(notices).where(c.id.in_(bindparam("ids", expanding=True)))
                        .values(claimed_until=None, claim_token=None, attempts=0))
        self.mark_sent = (update(notices).where(c.id == bindparam("notice_id"), c.claim_token == bindparam("token"))
                          .values(state="sent", sent_at=bindparam("at"), result_ref=bindparam("ref"),
                                  claimed_until=None, claim_token=None, payload=bindparam("new_payload")))


_send_statements: dict[str, _SendStatements] = {}


def _statements_for(store) -> _SendStatements:
    dialect = store.engine.dialect.name
    if dialect not in _send_statements:
        _send_statements[dialect] = _SendStatements(dialect)
    return _send_statements[dialect]


def personal_message(kind: str, conversation: str, target: str, text: str, at: datetime,
                     message: dict | None = None, lang: str | None = None) -> NewNotice:
    """A message to a person, due now, expiring after REPLY_TTL (see the module docstring)."""
    return NewNotice(kind=kind, dedupe_key=f"{kind}:{uuid.uuid4().hex}", due_at=at, target=target, text=text,
                     expires_at=at + REPLY_TTL, conversation=conversation, message=message, lang=lang)


def queue(store, notice: NewNotice) -> bool:
    """Queue a notice in a transaction of its own (e.g. a filed report for the support desk)."""
    with store.session.begin() as s:
        return enqueue(s, notice)


def _unclaimed(at: datetime):
    return or_(NoticeRow.claimed_until.is_(None), NoticeRow.claimed_until <= at)


def rewrite_pending(session: Session, notice_id: int, text: str, at: datetime) -> bool:
    """Change the text of a notice nobody is delivering yet. False when it is
    sent, cancelled or being delivered right now (then queue an update instead)."""
    row = session.get(NoticeRow, notice_id)
    if row is None:
        return False
    payload = {**row.payload, "text": text}
    result = session.execute(
        update(NoticeRow)
        .where(NoticeRow.id == notice_id, NoticeRow.state == "pending", _unclaimed(at))
        .values(payload=payload)
        .execution_options(synchronize_session=False))
    return result.rowcount == 1


def cancel_pending(session: Session, outage_id: int, kinds: Sequence[str] | None = None,
                   dedupe_keys: Sequence[str] | None = None) -> int:
    """Cancel an outage's notices that are not sent yet (all, or these kinds).

    A notice a worker is delivering at this moment cannot be called back; it
    may still go out just before the cancellation is committed.
    """
    condition = [NoticeRow.outage_id == outage_id, NoticeRow.state == "pending"]
    if kinds is not None:
        condition.append(NoticeRow.kind.in_(list(kinds)))
    if dedupe_keys is not None:
        condition.append(NoticeRow.dedupe_key.in_(list(dedupe_keys)))
    result = session.execute(update(NoticeRow).where(*condition).values(state="cancelled")
                             .execution_options(synchronize_session=False))
    return result.rowcount


def _outgoing(row: NoticeRow, ref: str | None) -> OutgoingNotice:
    payload = row.payload or {}
    return OutgoingNotice(id=row.id, kind=row.kind, system=payload.get("system"), target=row.target,
                          action=row.action, text=payload.get("text", ""), due_at=row.due_at,
                          outage_id=row.outage_id, ref=ref, message=payload.get("message"),
                          conversation=row.conversation, payload=dict(payload))


def _without_text(payload: dict | None) -> dict:
    """A person's message once it is delivered or given up: what it said is not kept."""
    return {k: v for k, v in (payload or {}).items() if k not in ("text", "message")}


def _due_condition(at: datetime):
    return and_(NoticeRow.state == "pending", NoticeRow.due_at <= at,
                or_(NoticeRow.expires_at.is_(None), NoticeRow.expires_at > at))


def due_notices(store, at: datetime) -> list[OutgoingNotice]:
    """Notices due at `at` and not sent (nor cancelled or expired), oldest first.

    A pure read: listing at a past or future --at changes nothing.
    """
    with store.session() as s:
        rows = s.execute(
            select(NoticeRow, OutageRow.notice_ref)
            .outerjoin(OutageRow, OutageRow.id == NoticeRow.outage_id)
            .where(_due_condition(at))
            .order_by(NoticeRow.due_at, NoticeRow.id)).all()
        return [_outgoing(row, ref if row.action == "update" else None) for row, ref in rows]


# -- the worker ------------------------------------------------------------------------------

def _matches(targets: Sequence[str]):
    """"broadcast" matches exactly; "user:slack:" (ending in a colon) matches a prefix."""
    conditions = []
    for target in targets:
        if target.endswith(":"):
            conditions.append(NoticeRow.target.startswith(target, autoescape=True))
        else:
            conditions.append(NoticeRow.target == target)
    return or_(*conditions)


@dataclass
class OutboxWorker:
    """Delivers due notices. Any number of workers may share one database.

    scheduler: called with the time at the start of every run, to queue the
        notices that fall due by the clock (login reminders); the outage
        service's `schedule`.
    targets: which notices this worker delivers (None: all), e.g.
        ("broadcast", "support", "user:slack:") for the Slack adapter and
        ("broadcast", "user:terminal:") for the terminal chat.
    lease: how long a claim holds. Must exceed the longest delivery, or a slow
        delivery may be taken over and sent twice.
    reply_lease: the same for a message to a person, who is waiting: a reply left
        claimed by a process that died is sent again this soon (the Slack adapter
        sets it from its client's timeout).
    """
    store: object
    deliverer: Deliverer
    clock: Clock
    scheduler: Callable[[datetime], object] | None = None
    targets: Sequence[str] | None = None
    lease: timedelta = timedelta(minutes=5)
    reply_lease: timedelta = timedelta(minutes=5)
    backoff_base: timedelta = timedelta(seconds=30)
    backoff_max: timedelta = timedelta(minutes=30)
    # A person is waiting for a reply: retried sooner, for at most REPLY_TTL.
    reply_backoff_base: timedelta = timedelta(seconds=1)
    reply_backoff_max: timedelta = timedelta(seconds=60)
    # None: retry for ever (a notice is never dropped for failing).
    max_attempts: int | None = None
    batch: int = 100
    name: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    # Outcomes not yet recorded because the database failed right after a delivery: recorded
    # at the next pass, so a blip neither repeats the message nor holds up its conversation.
    _unrecorded: list = field(default_factory=list, repr=False)
    _unrecorded_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # -- one pass -------------------------------------------------------------------

    def run_once(self, at: datetime | None = None) -> int:
        """Deliver what is due at `at` (default: now). Returns how many were delivered."""
        started = self.clock.now()
        at = at or started
        self._record_unrecorded()
        if self.scheduler is not None:
            self.scheduler(at)
        self._expire(at)
        delivered = 0
        for _ in range(self.batch):
            # Time moves on while we deliver; leases count from the real moment of claiming.
            now = at + (self.clock.now() - started)
            claimed = self._claim(now)
            if claimed is None:
                break
            notice, token = claimed
            if self._deliver(notice, token, now):
                delivered += 1
        return delivered

    def send(self, notices: Sequence[NewNotice]) -> bool:
        """Queue messages of one conversation and deliver them now, in order.

        They are committed first (so nothing is lost if Slack or this process
        fails next) and claimed in the same transaction, unless an earlier
        message of the conversation is still waiting: then the worker sends
        them after it. True when all were delivered now; whatever was not is
        left to the worker's retries. Raises only when the database fails.
        """
        if not notices:
            return True
        self._record_unrecorded()
        now = self.clock.now()
        token = f"{self.name}-{uuid.uuid4().hex}"
        sql = _statements_for(self.store)
        queued: list[tuple[int, NewNotice, dict]] = []
        with self.store.write() as connection:
            # The INSERT first, claimed: it takes SQLite's write lock, so the check below cannot go
            # stale; and within this transaction nobody sees the claim unless it stands.
            for notice in notices:
                payload = _payload(notice)
                lease = self.reply_lease if notice.kind in PERSONAL_KINDS else self.lease
                notice_id = connection.execute(sql.insert_claimed, {
                    "outage_id": notice.outage_id, "kind": notice.kind, "dedupe_key": notice.dedupe_key,
                    "due_at": notice.due_at, "target": notice.target, "action": notice.action, "state": "pending",
                    "attempts": 1, "expires_at": notice.expires_at, "conversation": notice.conversation,
                    "payload": payload, "claimed_until": now + lease, "claim_token": token}).scalar()
                if notice_id is not None:
                    queued.append((notice_id, notice, payload))
            if not queued:
                return True
            ids = [notice_id for notice_id, _, _ in queued]
            conversation = notices[0].conversation
            waiting = conversation is not None and connection.execute(
                sql.waiting, {"conversation": conversation, "first": min(ids)}).scalar()
            if waiting:
                connection.execute(sql.unclaim, {"ids": ids})
        for _, notice, _ in queued:
            metrics.notice_committed(notice.kind, notice.target)
        if waiting:
            log.info("messages %s wait for earlier ones in their conversation", ids)
            return False
        outgoing = [OutgoingNotice(id=notice_id, kind=n.kind, system=n.system, target=n.target, action=n.action,
                                   text=n.text, due_at=n.due_at, outage_id=n.outage_id, ref=None, message=n.message,
                                   conversation=n.conversation, payload=payload)
                    for notice_id, n, payload in sorted(queued, key=lambda q: q[0])]
        for index, notice in enumerate(outgoing):
            if not self._deliver(notice, token, self.clock.now()):
                rest = [n.id for n in outgoing[index + 1:]]
                self._recording(lambda: self._release(rest, token), "release")
                return False
        return True

    def _release(self, ids: list[int], token: str) -> None:
        """Give back claims not used (a message before them failed): the worker sends them in order."""
        if not ids:
            return
        with self.store.session.begin() as s:
            s.execute(update(NoticeRow)
                      .where(NoticeRow.id.in_(ids), NoticeRow.claim_token == token, NoticeRow.state == "pending")
                      .values(claimed_until=None, claim_token=None, attempts=NoticeRow.attempts - 1)
                      .execution_options(synchronize_session=False))

    def run_forever(self, stop_event: threading.Event, interval: float = 5.0) -> None:
        """Run until stop_event is set; a failing pass (database down) is logged and retried."""
        while not stop_event.is_set():
            try:
                self.run_once()
            except Exception:  # keep the worker alive: the next pass retries
                log.exception("outbox pass failed (worker %s)", self.name)
            stop_event.wait(interval)

    # -- steps ------------------------------------------------------------------------

    def _claimable(self, at: datetime):
        condition = [
            _due_condition(at),
            or_(NoticeRow.next_attempt_at.is_(None), NoticeRow.next_attempt_at <= at),
            _unclaimed(at),
            # An edit needs the message it edits: wait until the post is sent (Slack's reference is on
            # the outage; another channel's is in outage_posts, bot.outages.channels).
            or_(NoticeRow.action != "update",
                and_(~NoticeRow.target.startswith(_COPY_PREFIX),
                     exists().where(OutageRow.id == NoticeRow.outage_id, OutageRow.notice_ref.is_not(None))),
                and_(NoticeRow.target.startswith(_COPY_PREFIX),
                     exists().where(OutagePostRow.outage_id == NoticeRow.outage_id,
                                    OutagePostRow.target == NoticeRow.target))),
            # Within a conversation, in order: nothing overtakes an earlier message still waiting.
            or_(NoticeRow.conversation.is_(None),
                ~exists().where(_Earlier.conversation == NoticeRow.conversation, _Earlier.state == "pending",
                                _Earlier.id < NoticeRow.id)),
        ]
        if self.targets is not None:
            condition.append(_matches(self.targets))
        return and_(*condition)

    def _expire(self, at: datetime) -> None:
        with self.store.session.begin() as s:
            s.execute(update(NoticeRow)
                      .where(NoticeRow.state == "pending", NoticeRow.expires_at <= at, _unclaimed(at),
                             NoticeRow.kind.not_in(PERSONAL_KINDS))
                      .values(state="expired")
                      .execution_options(synchronize_session=False))
            # A person's message given up on: logged (never with its text), and its text dropped.
            for row in s.scalars(select(NoticeRow).where(
                    NoticeRow.state == "pending", NoticeRow.expires_at <= at, _unclaimed(at),
                    NoticeRow.kind.in_(PERSONAL_KINDS))).all():
                row.state, row.payload = "expired", _without_text(row.payload)
                metrics.notice_expired(row.kind, row.target)
                log.error("%s %s to %s undeliverable: not delivered within %s (%d attempts, last error: %s)",
                          row.kind, row.id, _target_kind(row.target), REPLY_TTL, row.attempts,
                          (row.last_error or "none").split(":", 1)[0],
                          extra={"notice_id": row.id, "kind": row.kind, "target": _target_kind(row.target),
                                 "attempt": row.attempts})

    def _lease_end(self, at: datetime):
        """The end of a claim made at `at`: a person's message has the shorter reply_lease.
        A column expression, so that SQLite's single-UPDATE claim can use it."""
        from sqlalchemy import case, literal

        stamp = NoticeRow.claimed_until.type  # UTC on both databases, as the column stores it
        return case((NoticeRow.kind.in_(PERSONAL_KINDS), literal(at + self.reply_lease, stamp)),
                    else_=literal(at + self.lease, stamp))

    def _claim(self, at: datetime) -> tuple[OutgoingNotice, str] | None:
        token = f"{self.name}-{uuid.uuid4().hex}"
        lease_end = self._lease_end(at)
        order = (NoticeRow.due_at, NoticeRow.id)
        with self.store.session.begin() as s:
            if self.store.is_postgres:
                # Replicas skip each other's rows instead of waiting or double-claiming.
                row = s.scalars(select(NoticeRow).where(self._claimable(at)).order_by(*order).limit(1)
                                .with_for_update(skip_locked=True, of=NoticeRow)).first()
                if row is None:
                    return None
                row.claimed_until = at + (self.reply_lease if row.kind in PERSONAL_KINDS else self.lease)
                row.claim_token, row.attempts = token, row.attempts + 1
                row_id = row.id
            else:
                # SQLite has one writer at a time: a single UPDATE claims atomically.
                # correlate(None): the subquery reads the whole table, not the row being updated.
                first = (select(NoticeRow.id).where(self._claimable(at)).order_by(*order).limit(1)
                         .correlate(None).scalar_subquery())
                result = s.execute(update(NoticeRow).where(NoticeRow.id == first)
                                   .values(claimed_until=lease_end, claim_token=token,
                                           attempts=NoticeRow.attempts + 1)
                                   .execution_options(synchronize_session=False))
                if result.rowcount != 1:
                    return None
                row = s.scalars(select(NoticeRow).where(NoticeRow.claim_token == token)).one()
                row_id = row.id
            ref = None
            if row.action == "update" and row.outage_id is not None:
                ref = _post_ref(s, row.outage_id, row.target)
            log.debug("claimed notice %s (%s) for worker %s", row_id, row.kind, self.name)
            return _outgoing(row, ref), token

    def _deliver(self, notice: OutgoingNotice, token: str, at: datetime) -> bool:
        try:
            ref = self.deliverer.deliver(notice)
        except Exception as exc:  # DeliveryError, or a bug in the adapter: retried either way
            retry_after = exc.retry_after if isinstance(exc, DeliveryError) else None
            self._recording(lambda exc=exc: self._failed(notice, token, at, exc, retry_after), "failure", notice.id)
            return False
        # The at-least-once window (see the module docstring) is from here to the commit below.
        # The message is out: whatever the database does now, the caller must not send it again.
        self._recording(lambda: self._sent(notice, token, at, ref), "delivery", notice.id)
        return True

    def _recording(self, record: Callable[[], object], what: str, notice_id: int | None = None) -> None:
        """Record an outcome now, or, when the database fails, at the next pass (while the claim
        holds; after that the notice is delivered again: the at-least-once window)."""
        try:
            record()
        except Exception as exc:
            log.error("the %s of notice %s could not be recorded (%s): recorded at the next pass",
                      what, notice_id, type(exc).__name__, extra={"notice_id": notice_id, "error": type(exc).__name__})
            with self._unrecorded_lock:
                self._unrecorded.append(record)

    def _record_unrecorded(self) -> None:
        with self._unrecorded_lock:
            waiting, self._unrecorded = self._unrecorded, []
        for index, record in enumerate(waiting):
            try:
                record()
            except Exception:  # still down: keep them, in order, for the next pass
                with self._unrecorded_lock:
                    self._unrecorded[:0] = waiting[index:]
                return

    def _sent(self, notice: OutgoingNotice, token: str, at: datetime, ref: str | None) -> None:
        if notice.kind in PERSONAL_KINDS and notice.payload is not None and not notice.payload.get("sets_outage_ref"):
            # A person's message (the payload known, no outage to point at it): one UPDATE.
            with self.store.write() as connection:
                result = connection.execute(_statements_for(self.store).mark_sent, {
                    "notice_id": notice.id, "token": token, "at": at, "ref": ref,
                    "new_payload": _without_text(notice.payload)})
            if result.rowcount != 1:
                log.warning("notice %s was delivered after its claim expired (worker %s)", notice.id, self.name)
                return
            metrics.notice_sent(notice.kind, notice.target, (self.clock.now() - notice.due_at).total_seconds())
            log.info("delivered notice %s (%s, %s to %s)", notice.id, notice.kind, notice.action,
                     _target_kind(notice.target), extra={"notice_id": notice.id, "kind": notice.kind,
                                                         "target": _target_kind(notice.target)})
            return
        with self.store.session.begin() as s:
            row = s.get(NoticeRow, notice.id)
            result = s.execute(update(NoticeRow)
                               .where(NoticeRow.id == notice.id, NoticeRow.claim_token == token)
                               .values(state="sent", sent_at=at, result_ref=ref,
                                       claimed_until=None, claim_token=None)
                               .execution_options(synchronize_session=False))
            if result.rowcount != 1:
                # Our lease ran out and another worker took the notice over: it may be sent twice.
                log.warning("notice %s was delivered after its claim expired (worker %s)", notice.id, self.name)
                return
            metrics.notice_sent(notice.kind, notice.target, (self.clock.now() - notice.due_at).total_seconds())
            if notice.kind in PERSONAL_KINDS:
                row.payload = _without_text(row.payload)
            if ref and notice.outage_id is not None and (row.payload or {}).get("sets_outage_ref"):
                if notice.target.startswith(_COPY_PREFIX):
                    post = s.get(OutagePostRow, (notice.outage_id, notice.target))
                    if post is None:
                        s.add(OutagePostRow(outage_id=notice.outage_id, target=notice.target, ref=ref))
                    else:  # a post sent again (the at-least-once window): edits go to the newer copy
                        post.ref = ref
                else:
                    s.execute(update(OutageRow).where(OutageRow.id == notice.outage_id).values(notice_ref=ref)
                              .execution_options(synchronize_session=False))
        log.info("delivered notice %s (%s, %s to %s)", notice.id, notice.kind, notice.action, _target_kind(notice.target),
                 extra={"notice_id": notice.id, "kind": notice.kind, "target": _target_kind(notice.target)})

    def _failed(self, notice: OutgoingNotice, token: str, at: datetime, exc: Exception,
                retry_after: float | None) -> None:
        with self.store.session.begin() as s:
            attempts = s.scalar(select(NoticeRow.attempts).where(NoticeRow.id == notice.id)) or 1
            base, cap = ((self.reply_backoff_base, self.reply_backoff_max) if notice.kind in PERSONAL_KINDS
                         else (self.backoff_base, self.backoff_max))
            if retry_after is not None:
                delay = timedelta(seconds=max(0.0, retry_after))
            else:
                delay = min(base * (2 ** (attempts - 1)), cap)
            give_up = self.max_attempts is not None and attempts >= self.max_attempts
            s.execute(update(NoticeRow)
                      .where(NoticeRow.id == notice.id, NoticeRow.claim_token == token)
                      .values(state="failed" if give_up else "pending", last_error=f"{type(exc).__name__}: {exc}"[:2000],
                              next_attempt_at=at + delay, claimed_until=None, claim_token=None)
                      .execution_options(synchronize_session=False))
        metrics.notice_failed(notice.kind, notice.target, retried_reply=notice.kind in PERSONAL_KINDS and not give_up)
        log.warning("notice %s (%s) failed, attempt %d%s: %s", notice.id, notice.kind, attempts,
                    " – giving up" if give_up else f", next in {delay}", type(exc).__name__,
                    extra={"notice_id": notice.id, "kind": notice.kind, "target": _target_kind(notice.target),
                           "attempt": attempts, "error": type(exc).__name__})


def _post_ref(s: Session, outage_id: int, target: str) -> str | None:
    """The reference of the outage's message in the target's channel (for an edit)."""
    if target.startswith(_COPY_PREFIX):
        return s.scalar(select(OutagePostRow.ref).where(OutagePostRow.outage_id == outage_id,
                                                         OutagePostRow.target == target))
    return s.scalar(select(OutageRow.notice_ref).where(OutageRow.id == outage_id))


def _target_kind(target: str) -> str:
    # User ids are personal data: log only what kind of target it was.
    return target.split(":", 1)[0]


# -- a deliverer for the terminal -----------------------------------------------------------

class TerminalDeliverer:
    """Prints notices as they fall due (the terminal chat).

    A terminal cannot edit what it printed, so an update is printed again,
    marked as an edit.
    """
    MARKS = {"broadcast": "📣", "support": "🛟", "user": "✉️", "update": "✏️"}

    def __init__(self, stream: IO[str]):
        self.stream = stream

    def deliver(self, notice: OutgoingNotice) -> str | None:
        mark = self.MARKS["update"] if notice.action == "update" else self.MARKS.get(_target_kind(notice.target), "📣")
        self.stream.write(f"{mark} {notice.text}\n\n")
        self.stream.flush()
        return notice.ref if notice.action == "update" and notice.ref else f"terminal:{notice.id}"
