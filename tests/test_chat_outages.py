"""Reports meet the outage lifecycle in the terminal chat: joining, splitting, notices."""

from chatdriver import Chat
from conversing import exported
from helpers import run_cli, run_cli_in_process

REPORT = ["felanmälan", "{unit}", "TES", "hela enheten", "appen loggar ut", "kl 8", "ja"]


def file_report(db, at, name, unit, extra=()):
    """One colleague files a report (--user makes each a different user)."""
    script = "\n".join(line.format(unit=unit) for line in [*REPORT, *extra]) + "\n"
    result = run_cli_in_process("chat", "--db", db, "--at", at, "--user", name, input=script)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_second_report_joins_the_open_outage_and_the_channel_notice_is_updated(tmp_path):
    db = f"sqlite:///{tmp_path}/o.db"
    first = file_report(db, "2026-11-26T08:30", "Anna Lind", "Hemtjänst Ryd")
    assert "📣" in first and "Driftstopp i TES" in first          # the channel notice, printed as it falls due
    second = file_report(db, "2026-11-26T08:45", "Bo Ek", "Hemtjänst Berga")
    assert "rapporterades 08:30" in second                         # the reporter is told it joined
    assert "✏️" in second and "2 rapporter från 2 enheter" in second
    assert "📣" not in second                                       # an update, not a second notice
    reports = exported(db)
    assert reports[0]["incident_id"] == reports[1]["incident_id"] is not None


def test_different_fault_splits_the_report_off(tmp_path):
    db = f"sqlite:///{tmp_path}/o.db"
    file_report(db, "2026-11-26T08:30", "Anna Lind", "Hemtjänst Ryd")
    out = file_report(db, "2026-11-26T08:45", "Bo Ek", "Hemtjänst Berga", extra=["annat fel"])
    assert "eget ärende" in out
    reports = exported(db)
    assert reports[0]["incident_id"] != reports[1]["incident_id"]


def test_status_answers_from_the_open_outage(tmp_path):
    db = f"sqlite:///{tmp_path}/o.db"
    file_report(db, "2026-11-26T07:42", "Anna Lind", "Hemtjänst Ryd")
    with Chat(db, "--at", "2026-11-26T09:00") as chat:
        turn = chat.say("är det fixat nu?")
    assert turn["intent"] == "status"
    assert "TES" in turn["text"] and "07:42" in turn["text"]


def test_json_chat_keeps_one_object_per_turn_while_notices_are_due(tmp_path):
    db = f"sqlite:///{tmp_path}/o.db"
    with Chat(db, "--at", "2026-11-26T08:30") as chat:
        turn = chat.say("felanmälan")
        while turn["awaiting"]:
            turn = chat.say({"reporter_name": "Anna", "unit": "Hemtjänst Ryd", "system": "TES",
                             "scope": "bara jag", "description": "död app", "started_at": "kl 8",
                             "confirm": "ja"}[turn["awaiting"]])
        after = chat.say("vem ringer jag")
    assert after["intent"] == "contact"
    assert len(chat.turns) == 9


def test_with_a_support_channel_every_report_is_queued_for_the_support_desk(tmp_path):
    from bot.outages.outbox import OutboxWorker
    from bot.runtime import build
    from bot.config import load_settings
    from bot.messages import Message

    db = f"sqlite:///{tmp_path}/s.db"
    settings = load_settings(database_url=db, support_channel="CSUPPORT")
    rt = build(settings, at="2026-11-26T22:05", with_store=True)
    script = ["felanmälan", "Anna Lind", "Hemtjänst Ryd", "Treserva", "bara jag",
              "Kan inte öppna <!channel> journalen", "för 10 min sen", "ja"]
    for text in script:
        rt.engine.handle(Message(text=text, user_id="U1", source="test"))

    class Recorder:
        def __init__(self):
            self.notices = []

        def deliver(self, notice):
            self.notices.append(notice)
            return f"ref-{notice.id}"

    recorder = Recorder()
    OutboxWorker(rt.store, recorder, rt.clock, targets=("support",)).run_once(rt.clock.now())
    [summary] = recorder.notices
    assert summary.target == "support" and summary.kind == "report_filed"
    assert "Anna Lind" in summary.text and "Hemtjänst Ryd" in summary.text and "Treserva" in summary.text
    assert "LKDATA" in summary.text                      # 22:05: the reporter was sent to LKDATA
    assert "26/11 kl. 21:55" in summary.text
    # The contract's notices command lists channel notices only.
    listed = run_cli("notices", "--json", "--db", db, "--at", "2026-11-26T22:06")
    assert "report_filed" not in listed.stdout


def test_without_a_support_channel_nothing_is_queued_for_it(tmp_path):
    from bot.config import load_settings
    from bot.messages import Message
    from bot.runtime import build
    from bot.storage.tables import NoticeRow
    from sqlalchemy import select

    settings = load_settings(database_url=f"sqlite:///{tmp_path}/s.db")
    rt = build(settings, at="2026-11-26T10:05", with_store=True)
    for text in ["felanmälan", "Anna", "Hemtjänst Ryd", "TES", "bara jag", "död app", "vet inte", "ja"]:
        rt.engine.handle(Message(text=text, user_id="U1", source="test"))
    with rt.store.session() as s:
        targets = [row.target for row in s.scalars(select(NoticeRow))]
    assert "support" not in targets and targets        # the outage notices are there, the copy is not


def test_a_report_about_something_else_opens_no_outage(tmp_path):
    db = f"sqlite:///{tmp_path}/o.db"
    script = "\n".join(["felanmälan", "Hemtjänst Ryd", "annat", "bara jag", "skrivaren i tes-rummet", "vet inte",
                        "ja"]) + "\n"
    out = run_cli("chat", "--db", db, "--at", "2026-11-26T09:00", "--user", "Anna Lind", input=script).stdout
    assert "nr 1" in out and "📣" not in out
    assert run_cli("outage", "list", "--db", db, "--at", "2026-11-26T09:05").stdout.strip() == ""
    assert exported(db)[0]["incident_id"] is None
