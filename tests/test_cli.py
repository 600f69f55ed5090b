"""The command line as scripts use it (shared/cli-contract.md), run as real subprocesses."""
import json

import pytest

from helpers import json_lines, run_cli

from intents import INTENT_IDS

LONG = ("tes funkar inte " * 3200)[:50_000]


def test_classify_reads_lines_and_keeps_order():
    result = run_cli("classify", input="tes funkar inte\n\nvem ringer jag efter fyra\nwhen is the helpdesk open?\n")
    assert result.returncode == 0, result.stderr
    rows = json_lines(result.stdout)
    assert [r["text"] for r in rows] == ["tes funkar inte", "", "vem ringer jag efter fyra", "when is the helpdesk open?"]
    assert rows[0]["intent"] == "outage_now"
    assert rows[1]["intent"] in ("help", "out_of_scope")
    assert rows[2]["intent"] == "contact"
    assert rows[3]["intent"] == "contact"
    for row in rows:
        assert row["intent"] in INTENT_IDS
        assert 0.0 <= row["confidence"] <= 1.0
        for alt in row["alternatives"]:
            assert alt["intent"] in INTENT_IDS and alt["intent"] != row["intent"]
            assert 0.0 <= alt["confidence"] <= row["confidence"]


def test_intents_examples_prints_the_phrasings():
    result = run_cli("intents", "examples")
    assert result.returncode == 0, result.stderr
    rows = json_lines(result.stdout)
    assert len(rows) > 15 * 20
    assert {r["intent"] for r in rows} == set(INTENT_IDS)
    assert all(r["text"] for r in rows)


def test_ask_json_office_hours_and_night():
    day = json.loads(run_cli("ask", "--json", "--at", "2026-11-26T10:00", "vem ska jag kontakta").stdout)
    night = json.loads(run_cli("ask", "--json", "--at", "2026-11-26T22:00", "vem ska jag kontakta").stdout)
    assert day["intent"] == night["intent"] == "contact"
    assert day["contact"] == "anvandarstod" and night["contact"] == "lkdata"
    assert day["lang"] == "sv"
    # Only the contact that applies now: the other one is noise for someone at a locked door.
    assert "Användarstöd" in day["answer"] and "013-20 70 00" not in day["answer"]
    assert "013-20 70 00" in night["answer"] and "Självbetjäningsportalen" not in night["answer"]
    assert "efter kl. 16" in night["answer"] or "16:00" in night["answer"]


def test_ask_contact_is_null_for_intents_that_name_no_contact():
    out = json.loads(run_cli("ask", "--json", "--at", "2026-11-26T10:00", "hur efterregistrerar jag mina besök").stdout)
    assert out["intent"] == "post_registration"
    assert out["contact"] is None


def test_ask_english_follows_the_question():
    out = json.loads(run_cli("ask", "--json", "--at", "2026-11-28T10:00", "who do I call when TES is down?").stdout)
    assert out["lang"] == "en"
    assert out["contact"] == "lkdata"
    assert "Saturday" in out["answer"]


def test_ask_lang_flag_overrides():
    out = json.loads(run_cli("ask", "--json", "--lang", "en", "--at", "2026-12-24T10:00", "vem ringer jag").stdout)
    assert out["lang"] == "en"
    assert out["contact"] == "lkdata"
    assert "Christmas Eve" in out["answer"]


def test_ask_holiday_reason_in_swedish():
    out = json.loads(run_cli("ask", "--json", "--at", "2026-06-19T11:00", "numret till jouren").stdout)
    assert out["contact"] == "lkdata"
    assert "midsommarafton" in out["answer"]


def test_ask_plain_prints_the_answer():
    result = run_cli("ask", "--at", "2026-11-26T10:00", "hej")
    assert result.returncode == 0
    assert "driftbot" in result.stdout


def test_bad_at_is_one_clear_line():
    result = run_cli("ask", "--at", "imorgon", "hej")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "--at" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("variable, value", [
    ("DRIFTBOT_TIMEZONE", "Mars/Olympus"),
    ("DRIFTBOT_DATABASE_URL", "not a url"),
    ("DRIFTBOT_CONTENT_DIR", "/nonexistent/content"),
])
def test_malformed_environment_names_the_variable(variable, value):
    result = run_cli("ask", "hej", env={variable: value})
    assert result.returncode == 2
    assert variable in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_empty_input_to_every_command(tmp_path):
    assert json_lines(run_cli("classify", input="\n").stdout)[0]["intent"] in ("help", "out_of_scope")
    assert run_cli("classify", input="").stdout == ""
    ask = json.loads(run_cli("ask", "--json", "").stdout)
    assert ask["intent"] == "help" and ask["answer"]
    chat = run_cli("chat", "--json", "--db", f"sqlite:///{tmp_path}/c.db", input="\n")
    assert chat.returncode == 0, chat.stderr
    assert json_lines(chat.stdout)[0]["intent"] == "help"


def test_very_long_input_to_every_command(tmp_path):
    classify = run_cli("classify", input=LONG + "\n")
    assert classify.returncode == 0
    assert json_lines(classify.stdout)[0]["intent"] in INTENT_IDS
    ask = run_cli("ask", "--json", LONG)
    assert ask.returncode == 0
    assert json.loads(ask.stdout)["intent"] in INTENT_IDS
    chat = run_cli("chat", "--json", "--db", f"sqlite:///{tmp_path}/c.db", input=LONG + "\n")
    assert chat.returncode == 0, chat.stderr
    turn = json_lines(chat.stdout)[0]
    assert turn["text"]
    # Nothing of the 50 000 characters is echoed back wholesale.
    assert len(turn["text"]) < 5000


def test_chat_scripted_clarify_and_choose(tmp_path):
    db = f"sqlite:///{tmp_path}/c.db"
    result = run_cli("chat", "--json", "--db", db, "--at", "2026-11-26T10:00",
                     input="hej\nvem ringer jag\nwhen is the helpdesk open\n")
    assert result.returncode == 0, result.stderr
    turns = json_lines(result.stdout)
    assert [t["intent"] for t in turns] == ["help", "contact", "contact"]
    assert all(t["awaiting"] is None for t in turns)
    assert all(set(t) >= {"text", "intent", "awaiting", "options"} for t in turns)


def test_python_dash_m_bot_and_console_script_agree():
    import subprocess
    import sys
    from pathlib import Path

    exe = Path(sys.executable).parent / "driftbot"   # installed beside the interpreter by pip
    assert exe.exists(), "the console script is not installed: pip install -e ."
    a = subprocess.run([str(exe), "ask", "--json", "--at", "2026-11-26T10:00", "hej"], capture_output=True, text=True)
    b = run_cli("ask", "--json", "--at", "2026-11-26T10:00", "hej")
    assert json.loads(a.stdout) == json.loads(b.stdout)


def test_unreachable_database_is_one_line():
    result = run_cli("chat", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/x?connect_timeout=2", input="hej\n")
    assert result.returncode == 2
    assert "cannot prepare the database" in result.stderr and "Traceback" not in result.stderr


def test_ask_with_db_knows_the_live_outages_and_without_it_knows_none(tmp_path):
    db = f"sqlite:///{tmp_path}/live.db"
    started = run_cli("outage", "start", "tes", "--db", db, "--at", "2026-12-02T06:40")
    assert started.returncode == 0, started.stderr
    question = ("ask", "--json", "--at", "2026-12-02T07:40", "appen är död, vad gör jag?")
    live = json.loads(run_cli(*question, "--db", db).stdout)
    assert "redan ett känt driftstopp sedan 06:40" in live["answer"]
    assert live["contact"] == "lkdata"  # still the contact that applies now, for scripts
    blind = json.loads(run_cli(*question).stdout)
    assert "känt driftstopp" not in blind["answer"] and "013-20 70 00" in blind["answer"]


def test_ask_loads_only_what_one_answer_needs(classifier):
    """Start-up time (benchmarks/intents.py measures it): with the classifier cache warm,
    answering one question imports neither numpy (training only), pydantic-settings
    (asyncio), the report dialog nor every country of the holidays package."""
    import os
    import subprocess
    import sys

    from helpers import ROOT

    code = ("import sys; from bot.cli import main; main(['ask', '--json', 'tes funkar inte']);"
            "print(sorted(m for m in ('numpy', 'pydantic_settings', 'asyncio', 'bot.dialog', 'bot.timeparse',"
            " 'holidays.countries', 'sqlalchemy') if m in sys.modules))")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DRIFTBOT_", "SLACK_"))}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    answer, loaded = result.stdout.splitlines()
    assert json.loads(answer)["intent"] == "outage_now"
    assert loaded == "[]"
