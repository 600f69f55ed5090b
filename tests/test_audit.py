"""The audit trail: an admin action through Slack, Teams and the CLI each appears in `driftbot audit`
with who did it; a refused action leaves nothing; nothing personal beyond the actor's id."""
import asyncio
import getpass
import json

from helpers import json_lines, run_cli, run_cli_in_process
from slackapp import ADMIN as SLACK_ADMIN, slack, slack_session, unique  # noqa: F401 (fixtures)
from teamsbot import ADMIN as TEAMS_ADMIN, TeamsHarness

AT = "2026-11-26T10:00"


def _audit(db_url: str, *extra: str) -> list[dict]:
    result = run_cli_in_process("audit", "--json", "--db", db_url, *extra)
    assert result.returncode == 0, result.stderr
    return json_lines(result.stdout)


def test_a_cli_action_is_recorded_with_the_os_user_and_a_refusal_is_not(tmp_path):
    db = f"sqlite:///{tmp_path}/audit.db"
    assert run_cli_in_process("outage", "start", "tes", "--text", "Appen nere 19121212-1212", "--db", db,
                              "--at", AT).returncode == 0
    assert run_cli_in_process("outage", "update", "1", "Leverantören felsöker", "--db", db,
                              "--at", "2026-11-26T10:05").returncode == 0
    assert run_cli_in_process("outage", "resolve", "tes", "--db", db, "--at", "2026-11-26T11:00").returncode == 0
    assert run_cli_in_process("outage", "resolve", "tes", "--db", db, "--at", "2026-11-26T11:01").returncode == 1
    entries = _audit(db)
    assert [(e["action"], e["outage_id"]) for e in entries] == [("start", 1), ("update", 1), ("resolve", 1)]
    assert {e["actor"] for e in entries} == {f"cli:{getpass.getuser()}"}
    assert entries[0] == {"at": "2026-11-26T10:00:00+01:00", "actor": f"cli:{getpass.getuser()}",
                          "action": "start", "outage_id": 1,
                          "detail": 'system=tes state=confirmed text="Appen nere [personnummer borttaget]"'}
    assert "19121212" not in json.dumps(entries)
    assert [e["action"] for e in _audit(db, "--since", "2026-11-26T10:01")] == ["update", "resolve"]


def test_the_audit_command_as_a_process(tmp_path):
    """The contract end to end: a real process, and a bad --since is one line naming the flag."""
    db = f"sqlite:///{tmp_path}/audit.db"
    run_cli_in_process("outage", "plan", "treserva", "2026-12-02T22:00", "2026-12-03T02:00", "--db", db, "--at", AT)
    done = run_cli("audit", "--db", db)
    assert done.returncode == 0 and " plan #1 system=treserva " in done.stdout
    bad = run_cli("audit", "--db", db, "--since", "igår")
    assert bad.returncode == 2 and bad.stderr.startswith("driftbot: --since:") and len(bad.stderr.splitlines()) == 1


def test_a_teams_admin_command_is_recorded_under_the_entra_object_id(tmp_path):
    db = f"sqlite:///{tmp_path}/teams.db"
    teams = TeamsHarness(db)
    asyncio.run(teams.send("start tes Appen är nere", user=TEAMS_ADMIN))
    asyncio.run(teams.send("avbryt 1", user=TEAMS_ADMIN))
    asyncio.run(teams.send("start tes Inte admin", user="00000000-0000-0000-0000-0000000000b2"))
    entries = _audit(db)
    assert [(e["actor"], e["action"], e["outage_id"]) for e in entries] == [
        (f"teams:{TEAMS_ADMIN}", "start", 1), (f"teams:{TEAMS_ADMIN}", "cancel", 1)]


def test_a_slack_slash_command_is_recorded_under_the_user_id(slack):
    slack.fake.add_user(SLACK_ADMIN, "Admin Adminsson")
    marker = unique("Revision")
    # A planned outage far ahead, then called off: nothing the shared server's other tests would see.
    _, path = slack.command(SLACK_ADMIN, f"planera other 2027-06-01T22:00 2027-06-02T02:00 {marker}")
    slack.fake.wait_for(path)
    (planned,) = [e for e in _audit(slack.db_url) if marker in e["detail"]]
    assert (planned["actor"], planned["action"]) == (f"slack:{SLACK_ADMIN}", "plan")
    _, path = slack.command(SLACK_ADMIN, f"avbryt {planned['outage_id']}")
    slack.fake.wait_for(path, count=1)
    cancelled = [e for e in _audit(slack.db_url) if e["outage_id"] == planned["outage_id"]]
    assert [(e["actor"], e["action"]) for e in cancelled] == [(f"slack:{SLACK_ADMIN}", "plan"),
                                                              (f"slack:{SLACK_ADMIN}", "cancel")]
