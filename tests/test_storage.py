"""Storage on a real SQLite file and a real PostgreSQL server (the same tests)."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import inspect

from bot.storage import Store, StorageError, make_engine, migrate

STHLM = ZoneInfo("Europe/Stockholm")
T0 = datetime(2026, 11, 26, 15, 10, tzinfo=STHLM)


def report_fields(**over):
    fields = dict(created_at=T0, source="slack", user_id="U1", reporter_name="Anna Lind", unit="Hemtjänst Ryd",
                  system="tes", scope="unit", description="TES loggar ut", started_at=T0 - timedelta(minutes=30),
                  contact="anvandarstod", lang="sv")
    fields.update(over)
    return fields


def test_schema_is_created_and_migrating_twice_is_harmless(database_url):
    store = Store.connect(database_url)
    migrate(store.engine)
    tables = set(inspect(store.engine).get_table_names())
    assert {"reports", "conversations", "processed_messages", "outages", "notices", "alembic_version"} <= tables


def test_reports_round_trip_with_time_zones(database_url):
    store = Store.connect(database_url)
    first = store.add_report(**report_fields())
    store.add_report(**report_fields(user_id="U2", unit="Nattpatrullen", started_at=None))
    rows = store.reports()
    assert [r.id for r in rows] == [first.id, first.id + 1]
    assert rows[0].created_at == T0                       # an aware instant, same moment
    assert rows[0].created_at.tzinfo is not None
    assert rows[0].started_at == T0 - timedelta(minutes=30)
    assert rows[1].started_at is None
    assert rows[0].unit == "Hemtjänst Ryd"               # å/ä/ö survive


def test_last_unit_is_the_users_latest(database_url):
    store = Store.connect(database_url)
    store.add_report(**report_fields(unit="Hemtjänst Ryd"))
    store.add_report(**report_fields(unit="Hemtjänst Berga"))
    store.add_report(**report_fields(user_id="U9", unit="Nattpatrullen"))
    assert store.last_unit("slack", "U1") == "Hemtjänst Berga"
    assert store.last_unit("terminal", "U1") is None


def test_dialog_state_survives_a_new_connection(database_url):
    store = Store.connect(database_url)
    state = {"kind": "report", "lang": "sv", "fields": {"unit": "Hemtjänst Ryd"}, "awaiting": "system"}
    store.save_state("slack:D1", state, T0)
    store.engine.dispose()
    again = Store.connect(database_url)
    assert again.load_state("slack:D1") == state
    again.save_state("slack:D1", {**state, "awaiting": "scope"}, T0)
    assert again.load_state("slack:D1")["awaiting"] == "scope"
    again.clear_state("slack:D1")
    assert again.load_state("slack:D1") is None


def test_the_same_message_id_counts_once(database_url):
    store = Store.connect(database_url)
    assert store.first_delivery("slack", "Ev123", T0) is True
    assert store.first_delivery("slack", "Ev123", T0) is False
    assert store.first_delivery("terminal", "Ev123", T0) is True      # ids are per source


def test_naive_datetimes_are_refused(database_url):
    store = Store.connect(database_url)
    with pytest.raises(Exception, match="naive"):
        store.add_report(**report_fields(created_at=datetime(2026, 1, 1, 12)))


def test_unreachable_database_is_one_clear_error():
    engine = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    with pytest.raises(StorageError, match="cannot prepare the database"):
        migrate(engine)


def test_sqlite_uses_wal(tmp_path):
    store = Store.connect(f"sqlite:///{tmp_path}/w.db")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
