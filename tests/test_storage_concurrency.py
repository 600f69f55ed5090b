"""Storage under `serve`'s threads: a pool for every worker, SQLite's writers taking turns,
and the database's health known without asking it (read before Slack's ack)."""
import threading
from datetime import datetime, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.storage import POOL_SIZE, Store, make_engine

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)


def test_the_pool_holds_as_many_connections_as_asked(database_url):
    assert make_engine(database_url).pool.size() == POOL_SIZE
    assert make_engine(database_url, pool_size=37).pool.size() == 37


def test_serve_gives_every_listener_thread_a_connection():
    from bot.adapters.slack.app import POOL_SIZE as SERVE_POOL, WORKERS

    assert SERVE_POOL > WORKERS  # and some for the outbox worker and the health checks


def test_sqlite_writers_of_one_process_take_turns(tmp_path):
    """Transactions that read and then write: on SQLite, without turns, the second writer is
    refused at once ("database is locked"), whatever the busy timeout. All of them land."""
    store = Store.connect(f"sqlite:///{tmp_path}/c.db", pool_size=16)
    with store.session.begin() as s:
        s.execute(text("CREATE TABLE counter (n INTEGER)"))
        s.execute(text("INSERT INTO counter VALUES (0)"))
    failures: list[Exception] = []
    start = threading.Barrier(12)

    def work():
        start.wait()
        for _ in range(25):
            try:
                with store.session.begin() as s:
                    n = s.execute(text("SELECT n FROM counter")).scalar()
                    s.execute(text("UPDATE counter SET n = :n"), {"n": n + 1})
            except Exception as exc:  # noqa: BLE001 - every failure is the finding
                failures.append(exc)

    threads = [threading.Thread(target=work) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert failures == []
    with store.session() as s:
        assert s.execute(text("SELECT n FROM counter")).scalar() == 12 * 25


def test_reading_does_not_wait_for_a_writer(tmp_path):
    store = Store.connect(f"sqlite:///{tmp_path}/r.db")
    writing, done = threading.Event(), threading.Event()

    def writer():
        with store.session.begin() as s:
            s.execute(text("CREATE TABLE t (x INTEGER)"))
            writing.set()
            done.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    assert writing.wait(10)
    read = []
    reader = threading.Thread(target=lambda: read.append(store.reports()))
    reader.start()
    reader.join(5)
    finished = not reader.is_alive()
    done.set()
    thread.join(10)
    assert finished and read == [[]]


def test_health_follows_what_the_database_last_did(postgres_url):
    from faultproxy import FaultProxy

    url = make_url(postgres_url)
    with FaultProxy(url.host, url.port) as proxy:
        store = Store.connect(url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False))
        assert store.first_delivery("slack", "Ev1", T0) and not store.health.down
        proxy.down()
        with pytest.raises(Exception):
            store.first_delivery("slack", "Ev2", T0)
        assert store.health.down          # learnt from the failure, nobody asked
        proxy.up()
        assert store.first_delivery("slack", "Ev2", T0)
        assert not store.health.down      # and from the next statement that worked
        store.engine.dispose()
