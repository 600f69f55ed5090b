"""Durable storage: reports, dialog state, processed message ids, outages, outbox.

SQLite file by default (WAL, so the chat, the server and the outbox worker can
share it); PostgreSQL when several replicas run. The schema is created and
upgraded by Alembic at connect time.
"""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager, nullcontext
from datetime import datetime, timedelta
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, bindparam, create_engine, delete, event, select
from sqlalchemy.engine import make_url
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


# Connections a process may hold by default: a command's one thread, or `serve`'s listener
# threads, its outbox worker and a few more (serve passes its own number of workers).
POOL_SIZE = 10
POOL_OVERFLOW = 10


def make_engine(url: str, pool_size: int | None = None) -> Engine:
    """`pool_size`: the threads that use the database at once (serve: its listener workers and
    a few more), so that none waits for a pooled connection while the database is idle."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    pool = {"pool_size": pool_size or POOL_SIZE, "max_overflow": POOL_OVERFLOW, "pool_timeout": 10}
    options: dict = {}
    if url.startswith("postgresql"):
        # A server that does not answer is a failure in seconds, not a hung request.
        options = {"connect_args": {"connect_timeout": 5}, **pool}
    elif url.startswith("sqlite") and _sqlite_file(url):
        # SQLAlchemy's default for a SQLite file is 5 connections (+10): fewer than serve's threads.
        options = pool
    try:
        # pool_pre_ping: a connection the server dropped (a restart, a failover) is replaced, not used.
        # (Pinging only connections idle for a while was measured faster under a burst, but a
        # connection cut while in the pool then failed its next use once: tests/test_slack_database_faults.py.)
        # hide_parameters: a database error's text would otherwise quote the bound values (names,
        # descriptions), wherever it is logged or shown.
        engine = create_engine(url, future=True, pool_pre_ping=True, hide_parameters=True, **options)
    except Exception as exc:  # bad URL, missing driver
        raise StorageError(f"not a database URL SQLAlchemy can use ({url.split('://')[0]}://...): "
                           f"{' '.join(str(exc).split())}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_file(url: str) -> bool:
    """A SQLite URL naming a file (an in-memory database has a pool of its own kind)."""
    try:
        database = make_url(url).database
    except Exception:  # create_engine reports the bad URL
        return False
    return bool(database) and database != ":memory:" and not database.startswith("file::memory:")


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


class Sessions:
    """`store.session()` a session for reading; `store.session.begin()` a write transaction.

    On SQLite the write transactions of this process take turns on one lock. SQLite has one
    writer at a time, and a connection that finds the file locked sleeps in its busy handler
    (1, 2, 5 … up to 100 ms a nap) before it looks again, so under a burst the writers
    convoy: each waits for naps, not for the write before it. Worse, a transaction that read
    first cannot take the write lock at all once another has committed since (SQLITE_BUSY at
    once, the whole transaction retried). A lock in the process hands the turn to the next
    writer as soon as the last one commits. Other processes (a CLI command beside `serve`) still
    meet the busy handler. PostgreSQL has row locks and needs none of this.
    """

    def __init__(self, engine: Engine):
        self._maker: sessionmaker[Session] = sessionmaker(engine, expire_on_commit=False)
        self._write_lock = threading.RLock() if engine.dialect.name == "sqlite" else None

    def __call__(self, **kwargs) -> Session:
        return self._maker(**kwargs)

    @contextmanager
    def begin(self):
        with self.write_turn():
            with self._maker.begin() as session:
                yield session

    def write_turn(self):
        """This process's turn to write (SQLite); nothing to wait for on PostgreSQL."""
        return self._write_lock if self._write_lock is not None else nullcontext()


class Health:
    """What this process last saw of the database, without asking it: down after a connection
    failed, up again after any statement succeeded. Read before Slack's acknowledgement
    (bot.adapters.slack.dedupe), where a round trip would cost the time the ack must not take."""

    def __init__(self, engine: Engine):
        self.down_since: float | None = None
        event.listen(engine, "handle_error", self._on_error)
        event.listen(engine, "after_cursor_execute", self._on_success)

    @property
    def down(self) -> bool:
        return self.down_since is not None

    def failed(self) -> None:
        if self.down_since is None:
            self.down_since = time.monotonic()

    def _on_error(self, context) -> None:
        from sqlalchemy.exc import InterfaceError, OperationalError

        if context.is_disconnect or isinstance(context.sqlalchemy_exception, (OperationalError, InterfaceError)):
            self.failed()

    def _on_success(self, *_args) -> None:
        self.down_since = None


class _Statements:
    """The statements of a message's turn, built once: SQLAlchemy Core on a connection, not the
    ORM's unit of work. Under a burst these run for every message, and building a statement and
    loading ORM objects cost several times what the database does (benchmarks/sql_per_turn.py)."""

    def __init__(self, dialect: str):
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        messages, conversations, reports = (ProcessedMessageRow.__table__, ConversationRow.__table__,
                                            ReportRow.__table__)
        self.claim = (insert(messages).values(source=bindparam("source"), message_id=bindparam("message_id"),
                                              seen_at=bindparam("at"))
                      .on_conflict_do_nothing().returning(messages.c.message_id))
        self.prune = delete(messages).where(messages.c.seen_at < bindparam("before"))
        self.load_state = select(conversations.c.state).where(conversations.c.key == bindparam("key"))
        upsert = insert(conversations).values(key=bindparam("key"), state=bindparam("state"),
                                              updated_at=bindparam("at"))
        self.save_state = upsert.on_conflict_do_update(
            index_elements=[conversations.c.key],
            set_={"state": upsert.excluded.state, "updated_at": upsert.excluded.updated_at})
        self.clear_state = delete(conversations).where(conversations.c.key == bindparam("key"))
        self.last_unit = (select(reports.c.unit)
                          .where(reports.c.source == bindparam("source"), reports.c.user_id == bindparam("user_id"))
                          .order_by(reports.c.id.desc()).limit(1))


class Store:
    def __init__(self, engine: Engine):
        self.engine = engine
        self._deliveries = 0
        self._deliveries_lock = threading.Lock()
        self.session = Sessions(engine)
        self.health = Health(engine)
        self._sql = _Statements(engine.dialect.name)

    @classmethod
    def connect(cls, url: str, pool_size: int | None = None) -> "Store":
        engine = make_engine(url, pool_size)
        migrate(engine)
        return cls(engine)

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def write(self):
        """A Core connection in a write transaction (committed at the end), in this process's
        turn to write (Sessions): for the statements every message runs."""
        with self.session.write_turn():
            with self.engine.begin() as connection:
                yield connection

    # -- duplicate deliveries ----------------------------------------------

    def first_delivery(self, source: str, message_id: str, at: datetime) -> bool:
        """True the first time a platform message id is seen, False after.
        `at` (the clock's time) stamps the row for pruning."""
        with self.write() as connection:
            return self._claim(connection, source, message_id, at)

    def _claim(self, connection, source: str, message_id: str, at: datetime) -> bool:
        """INSERT ... ON CONFLICT DO NOTHING: a repeat leaves the transaction usable."""
        first = connection.execute(self._sql.claim, {"source": source, "message_id": message_id,
                                                     "at": at}).first() is not None
        if first:
            with self._deliveries_lock:
                self._deliveries += 1
                prune = self._deliveries % PRUNE_EVERY == 0
            if prune:
                # Platforms redeliver within minutes; a week of ids is plenty and keeps the table small.
                connection.execute(self._sql.prune, {"before": at - KEEP_MESSAGE_IDS})
        return first

    # -- dialog state ---------------------------------------------------------

    def begin_turn(self, key: str, source: str, message_id: str | None, at: datetime) -> tuple[bool, dict | None]:
        """A message's claim and its conversation's state, in one transaction: (first delivery?,
        the state). A repeated message gets (False, None) and must be dropped."""
        with self.write() as connection:
            if message_id and not self._claim(connection, source, message_id, at):
                return False, None
            state = connection.execute(self._sql.load_state, {"key": key}).scalar()
            return True, (dict(state) if state is not None else None)

    def load_state(self, key: str) -> dict | None:
        with self.engine.connect() as connection:
            state = connection.execute(self._sql.load_state, {"key": key}).scalar()
            return dict(state) if state is not None else None

    def save_state(self, key: str, state: dict, at: datetime) -> None:
        with self.write() as connection:
            connection.execute(self._sql.save_state, {"key": key, "state": state, "at": at})

    def clear_state(self, key: str) -> None:
        with self.write() as connection:
            connection.execute(self._sql.clear_state, {"key": key})

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

    def iter_reports(self, *columns, batch: int = 1000):
        """Every report's `columns` (rows of plain values, not ORM objects), in id order, fetched
        `batch` at a time: a server-side cursor on PostgreSQL, SQLite's stepping cursor, so memory
        stays flat however many there are (`reports export` of 100 000)."""
        columns = columns or tuple(ReportRow.__table__.columns)
        with self.engine.connect() as connection:
            result = connection.execution_options(yield_per=batch).execute(
                select(*columns).order_by(ReportRow.id))
            for row in result:
                yield row

    def last_unit(self, source: str, user_id: str) -> str | None:
        with self.engine.connect() as connection:
            return connection.execute(self._sql.last_unit, {"source": source, "user_id": user_id}).scalar()
