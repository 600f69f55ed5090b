"""Durable storage: reports, dialog state, processed message ids, outages, outbox.

SQLite file by default (WAL, so the chat, the server and the outbox worker can
share it); PostgreSQL when several replicas run. The schema is created and
upgraded by Alembic at connect time.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, delete, event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.errors import StorageError  # noqa: F401 - re-exported
from bot.storage.tables import ConversationRow, ProcessedMessageRow, ReportRow

KEEP_MESSAGE_IDS = timedelta(days=7)
PRUNE_EVERY = 500
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(url: str) -> Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    options: dict = {}
    if url.startswith("postgresql"):
        # A server that does not answer is a failure in seconds, not a hung request; the pool
        # covers the Slack listener threads, the HTTP threads and the outbox worker.
        options = {"connect_args": {"connect_timeout": 5}, "pool_size": 10, "max_overflow": 20, "pool_timeout": 10}
    try:
        # pool_pre_ping: a connection the server dropped (a restart, a failover) is replaced, not used.
        engine = create_engine(url, future=True, pool_pre_ping=True, **options)
    except Exception as exc:  # bad URL, missing driver
        raise StorageError(f"not a database URL SQLAlchemy can use ({url.split('://')[0]}://...): "
                           f"{' '.join(str(exc).split())}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (idempotent)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except Exception as exc:
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
        raise StorageError(f"cannot prepare the database "
                           f"{engine.url.render_as_string(hide_password=True)}: {reason}") from None


def claim_message(session: Session, source: str, message_id: str, at: datetime) -> bool:
    """In the caller's transaction: True the first time a platform id is seen, False after.

    INSERT ... ON CONFLICT DO NOTHING, so a repeat does not spoil the
    transaction it is part of (a form filed once: the claim and the report commit together).
    """
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = (insert(ProcessedMessageRow).values(source=source, message_id=message_id, seen_at=at)
                 .on_conflict_do_nothing().returning(ProcessedMessageRow.message_id))
    return session.execute(statement).scalar() is not None


class Store:
    def __init__(self, engine: Engine):
        self.engine = engine
        self._deliveries = 0
        self.session: sessionmaker[Session] = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def connect(cls, url: str) -> "Store":
        engine = make_engine(url)
        migrate(engine)
        return cls(engine)

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    # -- duplicate deliveries ----------------------------------------------

    def first_delivery(self, source: str, message_id: str, at: datetime) -> bool:
        """True the first time a platform message id is seen, False after.
        `at` (the clock's time) stamps the row for pruning."""
        try:
            with self.session.begin() as s:
                s.add(ProcessedMessageRow(source=source, message_id=message_id, seen_at=at))
        except IntegrityError:
            return False
        self._deliveries += 1
        if self._deliveries % PRUNE_EVERY == 0:
            # Platforms redeliver within minutes; a week of ids is plenty and keeps the table small.
            with self.session.begin() as s:
                s.execute(delete(ProcessedMessageRow).where(ProcessedMessageRow.seen_at < at - KEEP_MESSAGE_IDS))
        return True

    # -- dialog state ---------------------------------------------------------

    def load_state(self, key: str) -> dict | None:
        with self.session() as s:
            row = s.get(ConversationRow, key)
            return dict(row.state) if row else None

    def save_state(self, key: str, state: dict, at: datetime) -> None:
        with self.session.begin() as s:
            row = s.get(ConversationRow, key)
            if row is None:
                s.add(ConversationRow(key=key, state=state, updated_at=at))
            else:
                row.state, row.updated_at = state, at

    def clear_state(self, key: str) -> None:
        with self.session.begin() as s:
            s.execute(delete(ConversationRow).where(ConversationRow.key == key))

    # -- reports ----------------------------------------------------------------

    def add_report(self, **fields) -> ReportRow:
        with self.session.begin() as s:
            row = ReportRow(**fields)
            s.add(row)
            s.flush()
            return row

    def reports(self) -> list[ReportRow]:
        with self.session() as s:
            return list(s.scalars(select(ReportRow).order_by(ReportRow.id)))

    def last_unit(self, source: str, user_id: str) -> str | None:
        with self.session() as s:
            return s.scalar(select(ReportRow.unit).where(ReportRow.source == source, ReportRow.user_id == user_id)
                            .order_by(ReportRow.id.desc()).limit(1))
