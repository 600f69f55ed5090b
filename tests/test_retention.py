"""Retention: a report older than the limit loses its personal fields (name, description, who filed
it) and nothing else; the limit from routine.yaml or DRIFTBOT_REPORT_RETENTION_DAYS; a dry run
changes nothing; `serve`'s daily turn; a reporter's extract (`reports of NAME`)."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.retention import DailyPurge, purge
from bot.storage import Store
from bot.storage.tables import ConversationRow, ProcessedMessageRow, ReportRow
from helpers import json_lines, run_cli_in_process

STHLM = ZoneInfo("Europe/Stockholm")
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=STHLM)
KEPT = ("id", "created_at", "unit", "system", "scope", "started_at", "contact", "incident_id", "source")


def _report(store, days_ago: float, name: str = "Anna Lind", **over) -> int:
    created = NOW - timedelta(days=days_ago)
    fields = dict(created_at=created, source="slack", user_id="U1", reporter_name=name, unit="Hemtjänst Ryd",
                  system="tes", scope="unit", description="TES loggar ut oss, brukare Karl på Storgatan",
                  started_at=created - timedelta(minutes=30), contact="anvandarstod", lang="sv")
    fields.update(over)
    return store.add_report(**fields).id


def _export(db: str) -> dict[int, dict]:
    import json

    result = run_cli_in_process("reports", "export", "--db", db)
    assert result.returncode == 0, result.stderr
    return {r["id"]: r for r in json.loads(result.stdout)}


def test_an_old_report_loses_its_personal_fields_and_nothing_else(database_url):
    store = Store.connect(database_url)
    old = _report(store, 91)
    young = _report(store, 89)
    store.engine.dispose()
    before = _export(database_url)

    dry = run_cli_in_process("reports", "purge", "--dry-run", "--json", "--db", database_url, "--at", NOW.isoformat())
    assert json_lines(dry.stdout)[0]["reports"] == 1 and json_lines(dry.stdout)[0]["dry_run"] is True
    assert _export(database_url) == before

    done = run_cli_in_process("reports", "purge", "--db", database_url, "--at", NOW.isoformat())
    assert done.returncode == 0 and "erased the name, description and user id of 1 report(s)" in done.stdout
    after = _export(database_url)
    assert after[old]["reporter_name"] is None and after[old]["description"] is None
    assert {k: after[old][k] for k in KEPT} == {k: before[old][k] for k in KEPT}
    assert after[young] == before[young]
    store = Store.connect(database_url)
    with store.session() as s:
        row = s.get(ReportRow, old)
        assert row.user_id is None and row.erased_at is not None
    # Again: nothing more to erase.
    assert purge(store, NOW, 90).reports == 0


def test_the_limit_comes_from_the_routine_or_the_environment(tmp_path, monkeypatch):
    db = f"sqlite:///{tmp_path}/r.db"
    store = Store.connect(db)
    _report(store, 40)
    _report(store, 100)
    at = NOW.isoformat()
    counts = lambda *extra: json_lines(run_cli_in_process("reports", "purge", "--dry-run", "--json", "--db", db,  # noqa: E731
                                                          "--at", at, *extra).stdout)[0]["reports"]
    assert counts() == 1                                  # routine.yaml: 90 days
    assert counts("--older-than", "30") == 2
    monkeypatch.setenv("DRIFTBOT_REPORT_RETENTION_DAYS", "30")
    assert counts() == 2
    monkeypatch.setenv("DRIFTBOT_REPORT_RETENTION_DAYS", "tre veckor")
    bad = run_cli_in_process("reports", "purge", "--db", db)
    assert bad.returncode == 2 and bad.stderr.startswith("driftbot: configuration error: DRIFTBOT_REPORT_RETENTION_DAYS:")


def test_serve_purges_at_its_first_pass_and_then_once_a_day(tmp_path):
    store = Store.connect(f"sqlite:///{tmp_path}/d.db")
    daily = DailyPurge(store, 90)
    _report(store, 95)
    with store.session.begin() as s:
        s.add(ConversationRow(key="slack:D1", state={"kind": "report", "fields": {"reporter_name": "Anna"}},
                              updated_at=NOW - timedelta(days=2)))
        s.add(ProcessedMessageRow(source="slack", message_id="Ev1", seen_at=NOW - timedelta(days=8)))
    daily(NOW)
    late = _report(store, 91)
    daily(NOW + timedelta(hours=23))                        # not yet a day: untouched
    with store.session() as s:
        assert s.get(ReportRow, late).reporter_name == "Anna Lind"
        assert s.scalars(select(ConversationRow)).all() == [] and s.scalars(select(ProcessedMessageRow)).all() == []
    daily(NOW + timedelta(hours=24))
    with store.session() as s:
        assert s.get(ReportRow, late).reporter_name is None


def test_a_reporters_extract_lists_her_reports_with_every_stored_field(tmp_path):
    import json

    db = f"sqlite:///{tmp_path}/x.db"
    store = Store.connect(db)
    mine = _report(store, 2)
    _report(store, 1, name="Per Ek")
    _report(store, 1, name="anna  LIND", user_id="U7")
    result = run_cli_in_process("reports", "of", "Anna Lind", "--json", "--db", db)
    found = json.loads(result.stdout)
    assert [r["id"] for r in found] == [mine, mine + 2]
    assert found[0]["description"].startswith("TES loggar ut") and found[0]["user_id"] == "U1"
    assert found[0]["created_at"].endswith("+01:00") and found[0]["erased_at"] is None
    assert json.loads(run_cli_in_process("reports", "of", "Nobody", "--json", "--db", db).stdout) == []


def test_a_report_stored_before_the_migration_survives_it(tmp_path):
    """Migration 0005 rebuilds the reports table on SQLite (the columns become nullable)."""
    from alembic import command
    from alembic.config import Config

    from bot.storage import MIGRATIONS, make_engine

    url = f"sqlite:///{tmp_path}/m.db"
    engine = make_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
        connection.exec_driver_sql(
            "INSERT INTO outages (id, system, kind, state, text, starts_at, created_at) "
            "VALUES (1, 'tes', 'unplanned', 'resolved', '', '2026-11-01 08:00:00', '2026-11-01 08:00:00')")
        connection.exec_driver_sql(
            "INSERT INTO reports (created_at, source, user_id, reporter_name, unit, system, scope, description, "
            "contact, lang, incident_id) VALUES ('2026-11-01 08:00:00', 'slack', 'U1', 'Anna Lind', 'Hemtjänst Ryd', "
            "'tes', 'unit', 'TES', 'anvandarstod', 'sv', 1)")
    engine.dispose()
    store = Store.connect(url)
    (row,) = store.reports()
    assert (row.reporter_name, row.incident_id, row.erased_at) == ("Anna Lind", 1, None)
    assert purge(store, NOW, 1).reports == 1


def test_a_serving_process_purges_in_its_outbox_worker(tmp_path):
    """`serve` and `serve --teams` share bot.conversation.serving: its outbox pass runs the purge."""
    import time

    from bot.config import load_settings
    from bot.conversation.serving import Serving
    from bot.runtime import build

    runtime = build(load_settings(database_url=f"sqlite:///{tmp_path}/s.db"), at=NOW, with_store=True)
    old = _report(runtime.store, 120)

    class Nothing:
        def deliver(self, notice):
            return "ok"

    serving = Serving(runtime, frozen=True)
    serving.start_outbox(Nothing(), "slack", 0.05, reply_lease=timedelta(minutes=1))
    try:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            with runtime.store.session() as s:
                if s.get(ReportRow, old).reporter_name is None:
                    break
            time.sleep(0.05)
        with runtime.store.session() as s:
            assert s.get(ReportRow, old).reporter_name is None
    finally:
        serving.close()
