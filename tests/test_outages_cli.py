"""The outage timeline through the CLI (`driftbot outage ...`, `driftbot notices`), each scenario
on its own SQLite file, with --at standing in for the clock. The commands run through the CLI's
main() in this process (the same parsing, commands and output); the failures' exit codes and
one-line errors, and the admin actions end to end, run as a real process."""
import pytest

from helpers import json_lines, run_cli, run_cli_in_process


@pytest.fixture
def db(tmp_path):
    return f"sqlite:///{tmp_path}/driftbot.db"


def ok(*args: str) -> str:
    result = run_cli_in_process(*args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def notices(db: str, at: str) -> list[dict]:
    return json_lines(ok("notices", "--json", "--at", at, "--db", db))


def kinds(db: str, at: str) -> list[str]:
    return [n["kind"] for n in notices(db, at)]


def one(db: str, at: str, kind: str) -> dict:
    found = [n for n in notices(db, at) if n["kind"] == kind]
    assert len(found) == 1, found
    return found[0]


# -- a planned outage -----------------------------------------------------------------

def test_planned_outage_notices_fall_due_on_the_routines_timeline(db):
    # Planned on 20 November for 10 December 18:00–22:00: announced 7 days ahead (3 December 18:00).
    ok("outage", "plan", "tes", "2026-12-10T18:00", "2026-12-10T22:00", "--at", "2026-11-20T10:00", "--db", db)

    assert "planned_advance" not in kinds(db, "2026-12-02T12:00")
    advance = one(db, "2026-12-04T08:00", "planned_advance")
    assert advance["system"] == "tes"
    assert advance["due_at"] == "2026-12-03T18:00:00+01:00"
    assert "10 december" in advance["text"] and "18:00–22:00" in advance["text"]

    assert "planned_start" not in kinds(db, "2026-12-10T17:30")
    start = one(db, "2026-12-10T18:30", "planned_start")
    assert "konventionella nycklar" in start["text"]
    # Once the outage has begun the advance notice is no longer worth sending.
    assert "planned_advance" not in kinds(db, "2026-12-10T18:30")

    assert "planned_end" not in kinds(db, "2026-12-10T21:30")
    end = one(db, "2026-12-10T22:30", "planned_end")
    assert end["due_at"] == "2026-12-10T22:00:00+01:00"
    assert "planned_start" not in kinds(db, "2026-12-10T22:30")


def test_a_planned_outage_announced_late_is_announced_at_once(db):
    ok("outage", "plan", "tes", "2026-12-10T18:00", "2026-12-10T22:00", "--at", "2026-12-08T09:15", "--db", db)
    advance = one(db, "2026-12-08T09:15", "planned_advance")
    assert advance["due_at"] == "2026-12-08T09:15:00+01:00"


def test_outage_list_shows_the_planned_outage(db):
    ok("outage", "plan", "treserva", "2026-12-10T18:00", "2026-12-10T22:00", "--text", "Versionsuppgradering",
       "--at", "2026-11-20T10:00", "--db", db)
    listed = json_lines(ok("outage", "list", "--json", "--at", "2026-12-10T19:00", "--db", db))
    assert [(o["system"], o["kind"], o["status"]) for o in listed] == [("treserva", "planned", "ongoing")]
    assert listed[0]["text"] == "Versionsuppgradering"
    assert listed[0]["starts_at"] == "2026-12-10T18:00:00+01:00"
    human = ok("outage", "list", "--at", "2026-12-10T19:00", "--db", db)
    assert "treserva" in human and "ongoing" in human


# -- an unplanned TES outage from 08:00 -----------------------------------------------

def test_unplanned_outage_reminds_to_log_in_and_passes_the_ten_hour_line(db):
    ok("outage", "start", "tes", "--at", "2026-12-01T08:00", "--db", db)

    assert "outage_declared" in kinds(db, "2026-12-01T08:00")
    reminder = one(db, "2026-12-01T10:30", "login_reminder")
    assert "logga in" in reminder["text"]
    assert "ten_hours" not in kinds(db, "2026-12-01T17:30")
    ten = one(db, "2026-12-01T18:30", "ten_hours")
    assert ten["due_at"] == "2026-12-01T18:00:00+01:00"
    assert "Socialförvaltningen" in ten["text"]


def test_nothing_more_after_the_outage_is_resolved(db):
    ok("outage", "start", "tes", "--at", "2026-12-01T08:00", "--db", db)
    assert "login_reminder" in kinds(db, "2026-12-01T10:30")
    ok("outage", "resolve", "tes", "--at", "2026-12-01T11:00", "--db", db)

    later = kinds(db, "2026-12-01T18:30")
    assert "ten_hours" not in later and "login_reminder" not in later and "outage_declared" not in later
    assert later == ["resolved"]


def test_resolved_within_ten_hours_says_post_register_in_the_tes_app(db):
    ok("outage", "start", "tes", "--at", "2026-12-01T08:00", "--db", db)
    ok("outage", "resolve", "tes", "--at", "2026-12-01T11:00", "--db", db)
    text = one(db, "2026-12-01T11:00", "resolved")["text"]
    assert "Efterregistrera" in text and "TES-appen" in text and "TES Webb" in text
    assert "Socialförvaltningen" not in text


def test_resolved_after_eleven_and_a_half_hours_says_the_administrations_announce_how(db):
    ok("outage", "start", "tes", "--at", "2026-12-01T08:00", "--db", db)
    ok("outage", "resolve", "tes", "--at", "2026-12-01T19:30", "--db", db)
    text = one(db, "2026-12-01T19:30", "resolved")["text"]
    assert "Socialförvaltningen och Vård- och omsorgsförvaltningen meddelar hur efterregistrering" in text
    assert "11 h 30 min" in text
    assert "TES-appen –" not in text  # not the "post-register yourself" instruction


def test_treserva_resolution_says_to_enter_the_manual_journal_notes(db):
    ok("outage", "start", "treserva", "--text", "Servern startas om", "--at", "2026-12-01T08:00", "--db", db)
    # Treserva has no ten-hour notice: that line is about TES time registration.
    assert "ten_hours" not in kinds(db, "2026-12-01T19:00")
    ok("outage", "resolve", "treserva", "--at", "2026-12-01T19:30", "--db", db)
    resolved = one(db, "2026-12-01T19:30", "resolved")
    assert resolved["system"] == "treserva"
    assert "manuella journalanteckningarna" in resolved["text"]


# -- errors ------------------------------------------------------------------------------

def test_a_bad_at_is_one_line_and_exit_2(db):
    result = run_cli("notices", "--at", "igår", "--db", db)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "--at" in result.stderr and "Traceback" not in result.stderr


def test_a_planned_outage_must_end_after_it_starts(db):
    result = run_cli("outage", "plan", "tes", "2026-12-10T22:00", "2026-12-10T18:00", "--at", "2026-11-20T10:00", "--db", db)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_resolving_when_nothing_is_open_fails_clearly(db):
    result = run_cli("outage", "resolve", "tes", "--at", "2026-12-01T11:00", "--db", db)
    assert result.returncode == 1
    assert "no open outage" in result.stderr and "Traceback" not in result.stderr


def test_notices_without_json_are_readable(db):
    ok("outage", "start", "locks", "--at", "2026-12-01T08:00", "--db", db)
    out = ok("notices", "--at", "2026-12-01T08:05", "--db", db)
    assert "outage_declared locks" in out and "konventionella nycklar" in out
    assert not out.startswith("{")


def test_admin_confirm_update_split_and_cancel_through_the_cli(tmp_path):
    db = f"sqlite:///{tmp_path}/admin.db"
    started = run_cli("outage", "start", "tes", "--text", "Leverantören felsöker", "--db", db,
                      "--at", "2026-11-26T08:00")
    assert started.returncode == 0, started.stderr
    outage_id = started.stdout.split()[0].lstrip("#")
    confirmed = run_cli("outage", "confirm", outage_id, "--db", db, "--at", "2026-11-26T08:05")
    assert confirmed.returncode == 0 and "confirmed" in confirmed.stdout
    updated = run_cli("outage", "update", outage_id, "Servern startas om", "--db", db, "--at", "2026-11-26T08:10")
    assert updated.returncode == 0 and "Servern startas om" in updated.stdout
    missing = run_cli("outage", "split", "999", "--db", db, "--at", "2026-11-26T08:12")
    assert missing.returncode == 1 and "999" in missing.stderr and "Traceback" not in missing.stderr
    cancelled = run_cli("outage", "cancel", outage_id, "--db", db, "--at", "2026-11-26T08:15")
    assert cancelled.returncode == 0 and "cancelled" in cancelled.stdout
    listed = json_lines(run_cli("outage", "list", "--json", "--db", db, "--at", "2026-11-26T08:20").stdout)
    assert listed[0]["text"] == "Servern startas om"
    due = run_cli("notices", "--db", db, "--at", "2026-11-26T10:30").stdout
    assert "login_reminder" not in due             # nothing more is sent for a cancelled outage
