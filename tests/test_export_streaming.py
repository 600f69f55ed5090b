"""`reports export` streams its rows and still prints what it printed before: the same JSON as
one json.dump(list, indent=2), an empty list as [], the CSV with its header."""
import json
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.storage import Store
from helpers import run_cli_in_process

T0 = datetime(2026, 11, 26, 15, 10, tzinfo=ZoneInfo("Europe/Stockholm"))


def test_the_streamed_json_is_what_one_dump_of_the_list_was(tmp_path):
    db = f"sqlite:///{tmp_path}/e.db"
    assert run_cli_in_process("reports", "export", "--db", db).stdout == "[]\n"
    store = Store.connect(db)
    for unit in ("Hemtjänst Ryd", "Nattpatrullen", 'Enhet "7"\nrad två'):
        store.add_report(created_at=T0, source="slack", user_id="U1", reporter_name="Anna Lind", unit=unit,
                         system="tes", scope="unit", description="TES loggar ut\noss", contact="lkdata", lang="sv")
    out = run_cli_in_process("reports", "export", "--db", db).stdout
    rows = json.loads(out)
    assert out == json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    assert [r["id"] for r in rows] == [1, 2, 3] and rows[0]["created_at"] == "2026-11-26T15:10:00+01:00"
    csv = run_cli_in_process("reports", "export", "--format", "csv", "--db", db).stdout
    assert csv.splitlines()[0] == "id,created_at,reporter_name,unit,system,scope,description,started_at,contact,incident_id,source"
