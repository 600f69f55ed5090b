"""/driftstopp: the menu, status, the report form, and the administrators' outage actions (and the refusal)."""
import json

from slackapp import ADMIN, BROADCAST, own_slack, posted_to, unique  # noqa: F401 (fixtures)


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
    before = _outages(slack)
    for text in ("start tes Appen går inte", "klart tes", "resolved tes",
                 "planera tes 2026-12-01T22:00 2026-12-02T02:00", "plan tes 2026-12-01T22:00 2026-12-02T02:00"):
        response, path = slack.command(user, text)
        assert response.status == 200
        refusal = _answer(slack, path)
        assert refusal["text"].startswith("Tyvärr, det kommandot kan bara driftbots administratörer använda.")
        assert refusal.get("response_type", "ephemeral") == "ephemeral"
    assert _outages(slack) == before
    assert fake.messages(BROADCAST) == []


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
    (planned,) = [o for o in _outages(slack) if o["kind"] == "planned"]
    assert planned["system"] == "treserva"


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
