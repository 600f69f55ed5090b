"""/driftstopp: the menu, status, the report form, and the administrators' outage actions (and the refusal)."""
import json
import re
import time
from types import SimpleNamespace

import pytest

from helpers import json_lines, run_cli
from slackapp import (  # noqa: F401 (fixtures)
    ADMIN,
    AT,
    BROADCAST,
    own_slack,
    posted_to,
    posts,
    stored_reports,
    unique,
    view_submission,
)


def _answer(slack, path: str) -> dict:
    (call,) = slack.fake.wait_for(path)
    return call.params


def _ask(slack, text: str, locale: str = "sv-SE") -> dict:
    """/driftstopp TEXT from a new user; the ephemeral answer."""
    user = unique("U")
    slack.fake.add_user(user, "Ali Demir", locale=locale)
    response, path = slack.command(user, text)
    assert response.status == 200 and response.body == ""  # acknowledged at once, answered after
    return _answer(slack, path)


def _outages(slack) -> list[dict]:
    """The outages the server stored, read from its database (a CLI round trip would cost seconds)."""
    from sqlalchemy import select

    from bot.storage import Store
    from bot.storage.tables import OutageRow

    store = Store.connect(slack.db_url)
    try:
        with store.session() as s:
            return [{"system": r.system, "kind": r.kind, "state": r.state} for r in s.scalars(select(OutageRow))]
    finally:
        store.engine.dispose()


def test_alone_it_shows_the_menu(own_slack):
    menu = _ask(own_slack, "")
    assert menu["text"] == "Vad vill du göra?"
    labels = [e["text"]["text"] for b in menu["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert labels == ["Rapportera fel", "Pågår ett driftstopp?", "Vem ringer jag?"]
    assert "/driftstopp rapportera" in json.dumps(menu["blocks"], ensure_ascii=False)
    assert "För administratörer" not in json.dumps(menu["blocks"], ensure_ascii=False)


def test_the_menu_speaks_the_users_language(own_slack):
    assert _ask(own_slack, "help", locale="en-US")["text"] == "What would you like to do?"


def test_status(own_slack):
    status = _ask(own_slack, "status")
    assert "linkoping.se/anvandarstod" in status["text"]
    assert status["text"].startswith(("Jag känner inte till", "Ja:", "Planerat"))


def test_rapportera_opens_the_form(own_slack):
    slack, fake = own_slack, own_slack.fake
    user = unique("U")
    fake.add_user(user, "Ali Demir")
    slack.command(user, "rapportera")
    (opened,) = fake.wait_for("views.open")
    assert opened.params["trigger_id"].startswith("trigger.")
    assert opened.json("view")["callback_id"] == "driftbot_report"
    slack.command(user, "report")
    assert len(fake.wait_for("views.open", count=2)) == 2


def test_admin_commands_are_refused_politely_to_others(own_slack):
    slack, fake = own_slack, own_slack.fake
    user = unique("U")
    fake.add_user(user, "Ali Demir")
    before, notices = _outages(slack), fake.messages(BROADCAST)
    for text in ("start tes Appen går inte", "klart tes", "resolved tes",
                 "planera tes 2026-12-01T22:00 2026-12-02T02:00", "plan tes 2026-12-01T22:00 2026-12-02T02:00",
                 "bekräfta 1", "confirm 1", "uppdatera 1 Ny text", "update 1 New text", "dela 1", "split 1",
                 "avbryt 1", "cancel 1"):
        response, path = slack.command(user, text)
        assert response.status == 200
        refusal = _answer(slack, path)
        assert refusal["text"].startswith("Tyvärr, det kommandot kan bara driftbots administratörer använda."), text
        assert refusal.get("response_type", "ephemeral") == "ephemeral"
    assert _outages(slack) == before
    assert fake.messages(BROADCAST) == notices


def test_admin_start_broadcasts_at_once_and_klart_resolves(own_slack):
    slack, fake = own_slack, own_slack.fake
    fake.add_user(ADMIN, "Admin Adminsson")
    text = "start tes Ingen kommer in 19121212-1212 <!channel> <@U0BOSS> <http://evil.example|läs här>"
    response, path = slack.command(ADMIN, text)
    assert response.status == 200
    assert "registrerat" in _answer(slack, path)["text"]
    notice = posted_to(fake, BROADCAST, "Driftstopp i TES")
    # The administrator's words are in the notice, inert.
    assert "Ingen kommer in" in notice["text"]
    for text in (notice["text"], json.dumps(notice["blocks"])):
        assert "<!channel>" not in text and "<@U0BOSS>" not in text and "|läs här>" not in text
    assert "&lt;!channel&gt;" in notice["text"] and "&lt;@U0BOSS&gt;" in notice["text"]
    assert "19121212-1212" not in notice["text"] and "[personnummer borttaget]" in notice["text"]
    (tes,) = [o for o in _outages(slack) if o["system"] == "tes" and o["state"] == "confirmed"]
    assert tes["kind"] == "unplanned"

    _, path = slack.command(ADMIN, "klart TES")
    assert "klart" in _answer(slack, path)["text"]
    posted_to(fake, BROADCAST, "TES fungerar igen")
    assert not [o for o in _outages(slack) if o["system"] == "tes" and o["state"] in ("suspected", "confirmed")]

    _, path = slack.command(ADMIN, "klart locks")
    assert _answer(slack, path)["text"] == "Det finns inget pågående driftstopp i Digitala lås."


def test_admin_plan_schedules_and_announces_ahead(own_slack):
    slack, fake = own_slack, own_slack.fake
    fake.add_user(ADMIN, "Admin Adminsson")
    _, path = slack.command(ADMIN, "planera treserva 2026-12-02T22:00 2026-12-03T02:00 Versionsuppgradering")
    assert _answer(slack, path)["text"].startswith(
        "Det planerade driftstoppet i Treserva 2026-12-02 22:00–2026-12-03 02:00")
    # Less than the notice period ahead: the advance notice goes out now.
    posted_to(fake, BROADCAST, "Planerat driftstopp i Treserva")
    (planned,) = [o for o in _outages(slack) if o["kind"] == "planned" and o["system"] == "treserva"]
    assert planned["state"] == "scheduled"


def test_admin_mistakes_get_usage_lines(own_slack):
    slack, fake = own_slack, own_slack.fake
    fake.add_user(ADMIN, "Admin Adminsson")
    cases = {
        "start": "Så här: `/driftstopp start SYSTEM TEXT`",
        "start kaffemaskinen trasig": "Okänt system `kaffemaskinen`",
        "planera tes": "Så här: `/driftstopp planera",
        "planera tes 2026-12-02T22:00 sen": "Jag förstår inte tiden `sen`",
        "planera tes 2026-12-02T22:00 2026-12-02T21:00": "Slutet måste vara efter starten.",
    }
    for text, expected in cases.items():
        _, path = slack.command(ADMIN, text)
        assert _answer(slack, path)["text"].startswith(expected), text


def test_an_unknown_subcommand_is_echoed_inert_with_the_menu(own_slack):
    answer = _ask(own_slack, "<!here>")
    assert answer["text"].startswith("Jag känner inte igen `&lt;!here&gt;`")
    assert "<!here>" not in json.dumps(answer["blocks"])
    assert any(b["type"] == "actions" for b in answer["blocks"])


def test_what_follows_the_command_is_not_logged_unless_it_is_a_subcommand(own_slack):
    _ask(own_slack, "brukaren Storgatan 12 fick ingen insulin")
    assert own_slack.logged("/driftstopp (unknown) from")
    _ask(own_slack, "status")
    assert own_slack.logged("/driftstopp status from")
    assert "brukaren" not in own_slack.stderr and "Storgatan" not in own_slack.stderr


def test_menu_buttons_answer_status_and_contact(own_slack):
    slack, fake = own_slack, own_slack.fake
    user = unique("U")
    fake.add_user(user, "Ali Demir")
    reply_path = unique("respond/")
    payload = {"type": "block_actions", "user": {"id": user}, "team": {"id": "T0001"}, "api_app_id": "ABOT",
               "trigger_id": unique("trigger."), "response_url": fake.base_url + reply_path,
               "container": {"type": "message", "message_ts": "1.2", "is_ephemeral": True, "channel_id": "CGENERAL"},
               "channel": {"id": "CGENERAL"},
               "actions": [{"type": "button", "action_id": "driftbot_menu_contact", "value": "sv",
                            "text": {"type": "plain_text", "text": "Vem ringer jag?"}, "action_ts": "1.3"}]}
    assert slack.interaction(payload).status == 200
    assert _answer(slack, reply_path)["text"].startswith("*Kontakta Användarstöd")


# -- the rest of the lifecycle: bekräfta, uppdatera, dela, avbryt ------------------------------

def _admin(slack, text: str) -> str:
    """/driftstopp TEXT from the administrator; the ephemeral answer's text."""
    slack.fake.add_user(ADMIN, "Admin Adminsson")
    response, path = slack.command(ADMIN, text)
    assert response.status == 200
    answer = _answer(slack, path)
    assert answer.get("response_type", "ephemeral") == "ephemeral"
    return answer["text"]


def _views(slack) -> dict:
    """The server's outages by number, as its outage service sees them at the server's --at."""
    from zoneinfo import ZoneInfo

    from bot.clock import FixedClock, parse_at
    from bot.content import load_content
    from bot.outages.service import OutageService
    from bot.storage import Store

    content = load_content()
    tz = ZoneInfo(content.routine.timezone)
    at = parse_at(AT, tz)
    store = Store.connect(slack.db_url)
    try:
        return {view.id: view for view in OutageService(store, content, FixedClock(at, tz)).list(at)}
    finally:
        store.engine.dispose()


def _open_outage(slack, system: str) -> int:
    (outage,) = [v for v in _views(slack).values()
                 if v.system == system and v.state in ("suspected", "confirmed") and v.split_from is None]
    return outage.id


def _report(slack, system: str, unit: str) -> int:
    """A fault report filed through the form by a new user (/driftstopp rapportera, then submit); its number."""
    fake = slack.fake
    user = unique("U")
    fake.add_user(user, "Anna Berg")
    opened = len(fake.calls_to("views.open"))
    slack.command(user, "rapportera")
    call = fake.wait_for("views.open", count=opened + 1)[-1]
    view = fake.view(call.response["view"]["id"])
    values = {"reporter_name": "Anna Berg", "unit": unit, "system": system, "scope": "unit",
              "description": "Det fungerar inte"}
    assert slack.interaction(view_submission(user, view, values)).status == 200
    posts(fake, user)  # the receipt: the report is filed and linked
    (report,) = stored_reports(slack, user)
    return report.id


def _message_now(fake, ts: str, containing: str, timeout: float = 10) -> dict:
    """The broadcast message `ts`, once an edit (chat.update through the outbox) made it contain `containing`."""
    deadline = time.monotonic() + timeout
    while True:
        (message,) = [m for m in fake.message_records(BROADCAST) if m["ts"] == ts]
        if containing in message["text"]:
            return message
        if time.monotonic() > deadline:
            raise AssertionError(f"message {ts} never came to contain {containing!r}: {message['text']!r}")
        time.sleep(0.05)


def _home(slack, user: str) -> str:
    fake = slack.fake
    published = len(fake.calls_to("views.publish"))
    slack.event({"type": "app_home_opened", "user": user, "channel": "D" + user, "tab": "home",
                 "event_ts": "1700000000.000100"})
    call = fake.wait_for("views.publish", count=published + 1)[-1]
    assert call.params["user_id"] == user
    return json.dumps(call.json("view")["blocks"], ensure_ascii=False)


def test_admin_confirms_updates_and_cancels_a_reported_outage(own_slack):
    slack, fake = own_slack, own_slack.fake
    _report(slack, "locks", "Hemtjänst Ryd")
    notice = posted_to(fake, BROADCAST, "Fel på de digitala låsen?")
    outage = _open_outage(slack, "locks")
    assert _views(slack)[outage].state == "suspected"

    # The administrator's status (and only theirs) lists the outage with its number.
    status = _admin(slack, "status")
    assert f"`#{outage}` *Digitala lås* misstänkt sedan 10:00, rapporter: 1." in status
    assert "`#" not in _ask(slack, "status")["text"]

    assert _admin(slack, f"bekräfta {outage}") == f"Driftstopp #{outage} i Digitala lås är bekräftat. Kanalen får veta det."
    assert _views(slack)[outage].state == "confirmed"
    # The channel's notice is edited, not posted again.
    _message_now(fake, notice["ts"], "🔴 Driftstopp för de digitala låsen sedan 10:00.")

    text = "Leverantören felsöker 19121212-1212 <!channel> <@U0BOSS>"
    reply = _admin(slack, f"uppdatera #{outage} {text}")
    assert reply.startswith(f"Driftstopp #{outage} i Digitala lås har fått ny text: Leverantören felsöker")
    assert "[personnummer borttaget]" in reply and "19121212-1212" not in reply
    assert "&lt;!channel&gt; &lt;@U0BOSS&gt;" in reply and "<!channel>" not in reply
    assert "19121212-1212" not in _views(slack)[outage].text
    edited = _message_now(fake, notice["ts"], "Mer information: Leverantören felsöker [personnummer borttaget]")
    for shown in (edited["text"], json.dumps(edited["blocks"])):
        assert "<!channel>" not in shown and "<@U0BOSS>" not in shown and "19121212-1212" not in shown
    assert [m for m in fake.messages(BROADCAST) if "digitala lås" in m] == [edited["text"]]

    assert _admin(slack, f"avbryt {outage}").startswith(f"Driftstopp #{outage} i Digitala lås är inställt.")
    posted_to(fake, BROADCAST, "Digitala lås fungerar: driftstoppet som rapporterades")
    # The operator's view of the same database agrees.
    listed = run_cli("outage", "list", "--json", "--db", slack.db_url, "--at", AT)
    assert listed.returncode == 0, listed.stderr
    (row,) = [o for o in json_lines(listed.stdout) if o["id"] == outage]
    assert (row["system"], row["state"], row["reports"]) == ("locks", "cancelled", 1)

    not_open = f"Det går inte med driftstopp #{outage}: det är redan avslutat eller inställt"
    assert _admin(slack, f"avbryt {outage}").startswith(not_open)
    assert _admin(slack, f"confirm {outage}").startswith(not_open)
    assert _admin(slack, f"update {outage} Ny text").startswith(not_open)


def test_admin_splits_a_report_out_and_confirms_it_as_its_own_outage(own_slack):
    slack, fake = own_slack, own_slack.fake
    _report(slack, "infrastructure", "Hemtjänst Berga")
    notice = posted_to(fake, BROADCAST, "Driftstopp i Nätverk/IT-miljö?")
    second = _report(slack, "infrastructure", "Hemtjänst Lambohov")
    _message_now(fake, notice["ts"], "(2 rapporter från 2 enheter)")
    old = _open_outage(slack, "infrastructure")

    reply = _admin(slack, f"dela {second}")
    (new,) = [v.id for v in _views(slack).values() if v.split_from == old]
    assert reply.startswith(f"Felanmälan nr {second} är nu ett eget driftstopp, #{new} i Nätverk/IT-miljö "
                            f"(avskilt från #{old}).")
    assert f"`/driftstopp bekräfta {new}`" in reply
    views = _views(slack)
    assert (views[old].reports, views[new].reports, views[new].state) == (1, 1, "suspected")
    # The old outage's notice is edited to its one remaining report; the new one is not announced.
    edited = _message_now(fake, notice["ts"], "Hemtjänst Berga (1 rapport från 1 enhet)")
    assert "Lambohov" not in edited["text"]

    # Administrators see the split-out outage on the Home tab, with both numbers; others see neither.
    admin_home = _home(slack, ADMIN)
    assert f"`#{new}` *Nätverk/IT-miljö* misstänkt sedan 10:00, rapporter: 1. Avskild från `#{old}`." in admin_home
    assert f"`#{old}` *Nätverk/IT-miljö* misstänkt" in admin_home
    user = unique("U")
    fake.add_user(user, "Anna Berg")
    home = _home(slack, user)
    assert home.count("*Nätverk/IT-miljö*") == 1 and "`#" not in home

    assert _admin(slack, f"bekräfta {new}").startswith(f"Driftstopp #{new} i Nätverk/IT-miljö är bekräftat.")
    posted_to(fake, BROADCAST, "🔴 Driftstopp i Nätverk/IT-miljö sedan")

    for outage in (old, new):
        assert _admin(slack, f"cancel {outage}").startswith(f"Driftstopp #{outage} i Nätverk/IT-miljö är inställt.")
    assert {_views(slack)[o].state for o in (old, new)} == {"cancelled"}
    # Both were announced (the old one by its first report, the new one by the confirmation).
    deadline = time.monotonic() + 10
    while len([m for m in fake.messages(BROADCAST) if m.startswith("ℹ️ Nätverk/IT-miljö fungerar")]) < 2:
        assert time.monotonic() < deadline, fake.messages(BROADCAST)
        time.sleep(0.05)


def test_admin_updates_and_cancels_a_planned_outage(own_slack):
    slack, fake = own_slack, own_slack.fake
    _admin(slack, "planera tes 2026-12-01T08:00 2026-12-01T12:00 Uppgradering")
    posted_to(fake, BROADCAST, "Planerat driftstopp i TES 1 december kl. 08:00–12:00.")
    (planned,) = [v.id for v in _views(slack).values() if v.kind == "planned" and v.system == "tes"]
    assert f"`#{planned}` *TES* 2026-12-01 08:00–2026-12-01 12:00. Uppgradering" in _admin(slack, "status")

    assert _admin(slack, f"update {planned} Uppgradering till version 9") == \
        f"Driftstopp #{planned} i TES har fått ny text: Uppgradering till version 9"
    assert _views(slack)[planned].text == "Uppgradering till version 9"

    assert _admin(slack, f"avbryt {planned}").startswith(f"Driftstopp #{planned} i TES är inställt.")
    # Its advance notice went out, so the channel is told it is off.
    posted_to(fake, BROADCAST, "Det planerade driftstoppet i TES 1 december kl. 08:00–12:00 är inställt.")
    assert _views(slack)[planned].state == "cancelled"


def test_admin_mistakes_with_numbers_get_the_mapped_refusal(own_slack):
    slack = own_slack
    before = _outages(slack)
    cases = {
        "bekräfta": "Så här: `/driftstopp bekräfta NR`",
        "uppdatera 12": "Så här: `/driftstopp uppdatera NR TEXT`",
        "dela": "Så här: `/driftstopp dela RAPPORTNR`",
        "cancel": "Så här: `/driftstopp avbryt NR`",
        "bekräfta 999999": "Det finns inget driftstopp nr 999999.",
        "confirm #999999": "Det finns inget driftstopp nr 999999.",
        "uppdatera 999999 Ny text": "Det finns inget driftstopp nr 999999.",
        "avbryt 999999": "Det finns inget driftstopp nr 999999.",
        "dela 999999": "Det finns ingen felanmälan nr 999999.",
        "avbryt tre": "`tre` är inget nummer.",
        "split 12345678901": "`12345678901` är inget nummer.",
        "avbryt <!here>": "`&lt;!here&gt;` är inget nummer.",
    }
    for text, expected in cases.items():
        assert _admin(slack, text).startswith(expected), text
    # A report of "other" opens no outage, so there is nothing to split it from.
    other = _report(slack, "other", "Hemtjänst Ryd")
    assert _admin(slack, f"dela {other}") == \
        f"Felanmälan nr {other} hör inte till något driftstopp, så det finns inget att dela."
    assert _outages(slack) == before


def test_the_admin_menu_lists_every_subcommand(own_slack):
    slack, fake = own_slack, own_slack.fake
    fake.add_user(ADMIN, "Admin Adminsson")
    _, path = slack.command(ADMIN, "")
    usage = json.dumps(_answer(slack, path)["blocks"], ensure_ascii=False)
    for word in ("start", "klart", "planera", "bekräfta NR", "uppdatera NR TEXT", "dela RAPPORTNR", "avbryt NR"):
        assert re.search(rf"`/driftstopp {word}", usage), word


def test_the_slack_app_needs_a_runtime_with_the_outage_service():
    from bot.conversation.admin import AdminActions

    with pytest.raises(ValueError, match="with a store"):
        AdminActions.of(SimpleNamespace(outages=None))
