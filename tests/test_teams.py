"""The Teams bot in-process (microsoft-agents-testing's TestAdapter and TestFlow) with a real SQLite
database: questions, the report conversation, cards, admin commands, channel notices and their edits."""
import asyncio

import pytest
from microsoft_agents.testing import TestFlow
from sqlalchemy import select

from bot.storage.tables import NoticeRow, OutagePostRow
from teamsbot import ADMIN, USER, TeamsHarness, buttons, channel_thread, personal, texts_of


@pytest.fixture
def teams(tmp_path):
    return TeamsHarness(f"sqlite:///{tmp_path}/teams.db")


@pytest.fixture
def teams_on_each_database(database_url):
    """The harness on SQLite and on PostgreSQL (when DRIFTBOT_TEST_POSTGRES_URL names a server)."""
    return TeamsHarness(database_url)


def run(coroutine):
    return asyncio.run(coroutine)


def test_a_question_is_answered_with_whom_to_contact_now(teams):
    def office_hours_answer(activity):
        assert "Användarstöd" in activity.text.split("\n")[0]

    async def flow():
        await TestFlow(teams.bot.adapter, teams.app.on_turn).send("vem ringer jag") \
            .assert_reply(office_hours_answer).start_test()

    run(flow())


def test_options_are_card_buttons_and_a_press_reaches_the_engine_as_a_choice(teams):
    [ask] = run(teams.send("lokal rutin och avvikelse"))
    choices = [b for b in buttons(ask) if b["data"]["driftbot"] == "option"]
    assert {b["data"]["value"] for b in choices} == {"local_routine", "deviation"}
    deviation = next(b for b in choices if b["data"]["value"] == "deviation")
    [answer] = run(teams.send(value=deviation["data"]))
    assert "avvikelse" in answer.text.lower()
    assert not buttons(answer) or all(b["data"]["driftbot"] != "option" for b in buttons(answer))


def test_a_full_report_in_the_personal_chat_is_stored_under_the_entra_id(teams):
    replies = run(teams.send("Jag vill felanmäla. Jag heter Omar Said på Hemtjänst Lambohov, Treserva går inte "
                             "att öppna för någon på enheten sedan kl 14", name="Omar Said"))
    summary = texts_of(replies)
    assert "Omar Said" in summary and "Hemtjänst Lambohov" in summary
    receipt = texts_of(run(teams.send("ja")))
    assert "nr 1" in receipt
    [report] = teams.runtime.store.reports()
    assert (report.source, report.user_id, report.reporter_name) == ("teams", USER, "Omar Said")
    assert report.system == "treserva" and report.unit == "Hemtjänst Lambohov"


def test_the_report_card_is_checked_by_the_form_table_and_filed_once(teams):
    [answer] = run(teams.send("tes funkar inte"))
    form_button = next(b for b in buttons(answer) if b["data"]["driftbot"] == "open_form")
    [card] = run(teams.send(value=form_button["data"]))
    content = card.attachments[0].content
    inputs = {e["id"]: e for e in content["body"] if e["type"].startswith("Input.")}
    assert inputs["reporter_name"]["value"] == "Anna Lind"             # the name from the activity
    assert inputs["description"]["maxLength"] == 3000                  # bot/form.py's limit
    submit = content["actions"][0]["data"]
    values = {"reporter_name": "Anna Lind", "unit": "Hemtjänst Ryd", "system": "tes", "scope": "unit",
              "description": "ok", "started_at": ""}
    [again] = run(teams.send(value={**submit, **values}))
    errors = [e["text"] for e in again.attachments[0].content["body"] if e.get("color") == "Attention"]
    assert any("Skriv lite mer" in e for e in errors)                  # too short, as in the Slack modal
    assert teams.runtime.store.reports() == []
    values["description"] = "Appen loggar ut alla, brukare 811218-9876 väntar"
    receipts = run(teams.send(value={**submit, **values}))
    assert len(receipts) == 1, [(a.text, a.attachments) for a in receipts]
    [receipt] = receipts
    assert "nr 1" in receipt.text and "personnummer" in receipt.text
    [twice] = run(teams.send(value={**submit, **values}))              # the same card pressed again
    assert "redan skickad" in twice.text
    [report] = teams.runtime.store.reports()
    assert "9876" not in report.description and report.source == "teams"


def test_a_report_started_in_a_channel_continues_in_the_personal_chat(teams):
    run(teams.send("hej"))                                             # the personal chat is known
    in_channel = run(teams.send("<at>driftbot</at> jag vill göra en felanmälan", where=channel_thread()))
    assert texts_of(in_channel) == "Jag tar felanmälan med dig i vår personliga chatt."
    privately = teams.messages_in(personal())[-1]
    assert privately.conversation.id == personal().conversation.id
    # The first question asked there; the name is the activity's, so it is the unit.
    assert "enhet" in privately.text.lower()
    answer = run(teams.send("Hemtjänst Ryd"))
    assert "system" in texts_of(answer).lower() or "vad fungerar inte" in texts_of(answer).lower()


def test_a_report_in_a_channel_without_a_personal_chat_is_not_taken_there(teams):
    replies = run(teams.send("<at>driftbot</at> jag vill göra en felanmälan", where=channel_thread(), user="u-new"))
    assert "personlig chatt" in texts_of(replies)
    assert "namn" not in texts_of(replies).lower()


def test_a_non_admin_is_refused_politely_and_nothing_changes(teams):
    [refusal] = run(teams.send("start tes Appen är nere"))
    assert "administratörer" in refusal.text
    assert teams.runtime.outages.list() == []


def test_an_admins_outage_is_posted_to_the_channel_and_edited_in_place(teams_on_each_database):
    teams = teams_on_each_database
    [done] = run(teams.send("start tes Appen är nere", user=ADMIN))
    assert "registrerat" in done.text
    assert run(teams.deliver()) == 1
    [post] = teams.channel_posts()
    assert "TES" in post.text and "Appen är nere" in post.text
    with teams.runtime.store.session() as s:
        [stored] = s.scalars(select(OutagePostRow)).all()
    assert post.id in stored.ref and stored.target == "broadcast:teams"
    outage_id = teams.runtime.outages.list()[0].id
    run(teams.send(f"uppdatera {outage_id} Leverantören felsöker", user=ADMIN))
    run(teams.deliver())
    [edited] = teams.channel_posts()                                   # still one post: edited, not reposted
    assert edited.id == post.id and "Leverantören felsöker" in edited.text


def test_user_text_in_a_channel_notice_is_escaped(teams):
    run(teams.send("start tes <at>Alla</at> [klicka](https://evil.example)", user=ADMIN))
    run(teams.deliver())
    [post] = teams.channel_posts()
    assert "<at>" not in post.text and "](" not in post.text


def test_the_all_clear_reaches_each_teams_reporter_in_their_personal_chat(teams):
    run(teams.send("Jag vill felanmäla. Jag heter Omar Said på Hemtjänst Ryd, TES går inte att logga in i "
                   "för någon på enheten sedan kl 9"))
    assert "nr 1" in texts_of(run(teams.send("ja")))
    run(teams.send("klart tes", user=ADMIN))
    before = len(teams.messages_in(personal()))
    run(teams.deliver())
    to_reporter = teams.messages_in(personal())[before:]
    assert len(to_reporter) == 1 and "efterregistrera" in to_reporter[0].text.lower()
    assert to_reporter[0].conversation.id == personal().conversation.id


def test_an_admins_status_lists_the_outages_numbers(teams):
    run(teams.send("start tes Test", user=ADMIN))
    replies = run(teams.send("status", user=ADMIN))
    assert "`#1`" in texts_of(replies)
    assert "`#1`" not in texts_of(run(teams.send("status")))


def test_each_channel_notice_is_queued_once_for_slack_and_once_for_teams(teams):
    run(teams.send("start tes Test", user=ADMIN))
    with teams.runtime.store.session() as s:
        targets = sorted(s.scalars(select(NoticeRow.target).where(NoticeRow.kind == "outage_declared")).all())
    assert targets == ["broadcast", "broadcast:teams"]


def test_no_message_text_is_logged_at_info(teams, caplog):
    import logging

    caplog.set_level(logging.INFO)
    run(teams.send("Jag heter Zebulon Quist, tes är nere på Hemtjänst Ryd"))
    assert caplog.records                                              # something was logged
    assert "Zebulon" not in caplog.text and "Quist" not in caplog.text


def test_the_slack_and_the_teams_process_each_deliver_their_own_copy_once(teams_on_each_database):
    teams = teams_on_each_database
    from bot.conversation.serving import OUTBOX_TARGETS
    from bot.outages.outbox import OutboxWorker

    class SlackRecorder:
        delivered = []

        def deliver(self, notice):
            self.delivered.append((notice.target, notice.kind))
            return f"C1:{len(self.delivered)}"

    run(teams.send("start tes Appen är nere", user=ADMIN))
    slack = OutboxWorker(teams.runtime.store, SlackRecorder(), teams.runtime.clock, targets=OUTBOX_TARGETS["slack"])
    assert slack.run_once() == 1 and SlackRecorder.delivered == [("broadcast", "outage_declared")]
    assert run(teams.deliver()) == 1 and len(teams.channel_posts()) == 1
    assert slack.run_once() == 0 and run(teams.deliver()) == 0          # nothing twice, nothing taken from the other


def test_installing_the_app_in_the_personal_scope_stores_the_chat_for_notices(teams):
    from microsoft_agents.activity import Activity, ChannelAccount
    from microsoft_agents.hosting.core import ClaimsIdentity

    adapter = teams._adapter(personal("u-installed"))
    installed = Activity(type="conversationUpdate", members_added=[ChannelAccount(id="28:driftbot")],
                         from_property=ChannelAccount(id="29:u-installed", aad_object_id="u-installed"))
    run(adapter.process_activity(ClaimsIdentity({}), installed, teams.app.on_turn))
    reference = teams.bot.chats.get("u-installed")
    assert reference is not None and reference.conversation.id == personal("u-installed").conversation.id
    assert teams.messages_in(personal("u-installed")) == []            # nothing said for an install
