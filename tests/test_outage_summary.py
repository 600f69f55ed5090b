"""`driftbot outage summary ID`: duration, the 10-hour line, reports by unit and hour, the notices
sent, the admin actions; Markdown and JSON; a PNG plot with matplotlib and one line without it;
never a reporter's name, description or an actor's id."""
import json
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FixedClock
from bot.outages.outbox import OutboxWorker
from bot.outages.service import OutageService
from bot.storage import Store
from helpers import run_cli_in_process

TZ = ZoneInfo("Europe/Stockholm")
START = datetime(2026, 11, 26, 6, 10, tzinfo=TZ)
NAME, SECRET = "Maja Reporterdotter", "brukaren på Storgatan 5"


class Accepting:
    def deliver(self, notice):
        return f"C1:{notice.id}"


@pytest.fixture
def db(tmp_path, content):
    url = f"sqlite:///{tmp_path}/summary.db"
    store = Store.connect(url)
    clock = FixedClock(START, TZ)
    service = OutageService(store, content, clock)
    worker = OutboxWorker(store, Accepting(), clock, scheduler=service.schedule)
    for minutes, unit in ((0, "Hemtjänst Ryd"), (20, "Hemtjänst Ryd"), (70, "Hemtjänst Berga")):
        clock.set(START + timedelta(minutes=minutes))
        row = store.add_report(created_at=clock.now(), source="slack", user_id="U1", reporter_name=NAME, unit=unit,
                               system="tes", scope="unit", description=SECRET, contact="lkdata", lang="sv")
        service.report_filed(row.id, "tes", "sv")
        worker.run_once()
    clock.set(START + timedelta(minutes=90))
    service.confirm(1, actor="slack:UADMIN")
    worker.run_once()
    clock.set(START + timedelta(hours=11))
    service.resolve("tes", actor="cli:operator")
    worker.run_once()
    store.engine.dispose()
    return url


def test_the_summary_as_json(db):
    result = run_cli_in_process("outage", "summary", "1", "--format", "json", "--db", db, "--at", "2026-11-26T18:00")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["duration_minutes"], data["passed_ten_hours"], data["reports"]) == (660, True, 3)
    assert data["reports_by_unit"] == [
        {"hour": "2026-11-26T06:00:00+01:00", "unit": "Hemtjänst Ryd", "reports": 2},
        {"hour": "2026-11-26T07:00:00+01:00", "unit": "Hemtjänst Berga", "reports": 1}]
    kinds = [n["kind"] for n in data["notices"]]
    assert kinds[0] == "outage_declared" and "resolved" in kinds and data["direct_notices"] == 1
    assert [a["action"] for a in data["actions"]] == ["confirm", "resolve"]
    assert data["plot"] is None
    for text in (NAME, SECRET, "UADMIN", "cli:operator", "U1"):
        assert text not in result.stdout


def test_the_summary_in_markdown_with_a_plot(db, tmp_path):
    plot = tmp_path / "reports.png"
    result = run_cli_in_process("outage", "summary", "1", "--plot", str(plot), "--db", db, "--at", "2026-11-26T18:00")
    assert result.returncode == 0 and result.stderr == ""
    md = result.stdout
    assert md.startswith("# Driftstopp #1 i TES\n") and "Varaktighet: 11 h 0 min" in md
    assert "Driftstoppet varade mer än 10 timmar." in md
    assert "| 26 november 06:00 | Hemtjänst Ryd | 2 |" in md and "Bekräftat" in md
    assert f"]({plot})" in md and plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert NAME not in md and SECRET not in md and "UADMIN" not in md
    english = run_cli_in_process("outage", "summary", "1", "--lang", "en", "--db", db, "--at", "2026-11-26T18:00")
    assert english.stdout.startswith("# Outage #1 in TES\n") and "lasted more than 10 hours" in english.stdout


def test_without_matplotlib_the_summary_comes_without_the_plot_and_one_line_says_why(db, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)   # as if the plot extra were not installed
    plot = tmp_path / "reports.png"
    result = run_cli_in_process("outage", "summary", "1", "--plot", str(plot), "--db", db, "--at", "2026-11-26T18:00")
    assert result.returncode == 0 and result.stdout.startswith("# Driftstopp #1")
    assert result.stderr == "driftbot: no plot: matplotlib is not installed (pip install 'driftbot[plot]')\n"
    assert not plot.exists() and "![" not in result.stdout


def test_an_unknown_outage_is_one_line(db):
    result = run_cli_in_process("outage", "summary", "42", "--db", db)
    assert result.returncode == 1 and result.stderr == "driftbot: no outage 42\n"
