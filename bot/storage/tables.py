"""The database schema (SQLAlchemy 2). Changes go through an Alembic migration."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, TypeDecorator
from sqlalchemy import text as sql_text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on SQLite and PostgreSQL alike.

    SQLite has no time zones; storing naive UTC everywhere keeps comparisons
    and ordering right on both.
    """
    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    pass


class ReportRow(Base):
    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    source: Mapped[str] = mapped_column(String(32), nullable=False)
    # user_id, reporter_name and description are the personal fields: erased (NULL) after
    # routine.yaml's retention.report_days (bot.retention), when erased_at is set.
    user_id: Mapped[str | None] = mapped_column(String(128), nullable=True, index=True)
    reporter_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    unit: Mapped[str] = mapped_column(String(200), nullable=False)
    system: Mapped[str] = mapped_column(String(32), nullable=False)
    scope: Mapped[str] = mapped_column(String(32), nullable=False)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    contact: Mapped[str] = mapped_column(String(32), nullable=False)
    lang: Mapped[str] = mapped_column(String(8), nullable=False, default="sv")
    incident_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("outages.id"), nullable=True, index=True)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class ConversationRow(Base):
    """A conversation's dialog state, so a restart mid-conversation resumes."""
    __tablename__ = "conversations"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    state: Mapped[dict] = mapped_column(JSON, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class ProcessedMessageRow(Base):
    """Platform message ids already handled: a redelivery files nothing twice."""
    __tablename__ = "processed_messages"

    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    message_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)


class OutageRow(Base):
    """An outage: unplanned (opened by a report or declared by an admin) or planned."""
    __tablename__ = "outages"
    __table_args__ = (
        # One open unplanned outage per system takes the reports, so two
        # replicas filing the first two reports at once cannot open two.
        # Outages split out of it ("a different fault") are exempt.
        Index("uq_outages_one_open_per_system", "system", unique=True,
              sqlite_where=sql_text("state IN ('suspected', 'confirmed') AND split_from IS NULL"),
              postgresql_where=sql_text("state IN ('suspected', 'confirmed') AND split_from IS NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    system: Mapped[str] = mapped_column(String(32), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)        # planned | unplanned
    state: Mapped[str] = mapped_column(String(16), nullable=False)       # scheduled | suspected | confirmed | resolved | cancelled
    text: Mapped[str] = mapped_column(Text, nullable=False, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    # Planned: the announced end. Unplanned: set when resolved.
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    # The channel message that is updated as reports join (platform-specific reference).
    notice_ref: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # Set when an admin moved a report out of another outage into this one.
    split_from: Mapped[int | None] = mapped_column(Integer, ForeignKey("outages.id"), nullable=True)


class NoticeRow(Base):
    """The outbox: a notice is written here first, then delivered by a worker."""
    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    outage_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("outages.id"), nullable=True, index=True)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    # Makes scheduling idempotent: one notice per (outage, kind, slot).
    dedupe_key: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    target: Mapped[str] = mapped_column(String(200), nullable=False)     # "broadcast", "support", "user:<source>:<user_id>"
    action: Mapped[str] = mapped_column(String(16), nullable=False, default="post")  # post | update
    payload: Mapped[dict] = mapped_column(JSON, nullable=False)
    state: Mapped[str] = mapped_column(String(16), nullable=False, default="pending", index=True)  # pending | sent | cancelled | expired | failed
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    result_ref: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # A notice past this time is no longer worth sending (a reminder superseded
    # by the next one, an advance notice of an outage that has begun).
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The lease of the worker delivering it: a crashed worker's claim runs out
    # and another worker takes the notice over.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    claim_token: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # A message to a person (an answer, a question, a receipt) belongs to a
    # conversation; within one, a row waits until every earlier one is sent.
    conversation: Mapped[str | None] = mapped_column(String(300), nullable=True, index=True)


class BroadcastChannelRow(Base):
    """A channel besides Slack's broadcast channel that gets every channel notice (e.g. "teams").

    Registered by that channel's serving process at start; from then on every
    channel notice is queued once per registered channel (target
    "broadcast:<channel>"), so each channel's process delivers its own copy.
    """
    __tablename__ = "broadcast_channels"

    channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class OutagePostRow(Base):
    """An outage's channel message in a channel other than Slack's (whose reference is
    outages.notice_ref): what a later edit of the notice needs to find it."""
    __tablename__ = "outage_posts"

    outage_id: Mapped[int] = mapped_column(Integer, ForeignKey("outages.id"), primary_key=True)
    target: Mapped[str] = mapped_column(String(64), primary_key=True)    # "broadcast:teams"
    ref: Mapped[str] = mapped_column(Text, nullable=False)               # the platform's reference (JSON for Teams)


class ConversationRefRow(Base):
    """How to reach a person proactively on a platform that needs a stored reference (Teams:
    the personal chat's conversation reference), by "<source>:<user id>"."""
    __tablename__ = "conversation_refs"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    ref: Mapped[dict] = mapped_column(JSON, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class AuditRow(Base):
    """Who did what to an outage: one row per admin or operator action, written in the action's
    own transaction (bot.audit). `actor` is the only thing about a person: "slack:U123",
    "teams:<Entra object id>", "cli:<os user>"."""
    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    actor: Mapped[str] = mapped_column(String(200), nullable=False)
    action: Mapped[str] = mapped_column(String(16), nullable=False)   # start | confirm | update | split | cancel | resolve | plan
    outage_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("outages.id"), nullable=True, index=True)
    detail: Mapped[str] = mapped_column(Text, nullable=False, default="")
