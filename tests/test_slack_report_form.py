"""The report form (a modal): opened from /driftstopp, the Home tab, a button and the shortcut;
validated with field errors; filed once, with the receipt and the privacy rule."""
import json

from slackapp import (  # noqa: F401 (fixtures)
    buttons,
    dm,
    fake,
    posts,
    press,
    slack,
    slack_session,
    stored_reports,
    unique,
    view_submission,
)

VALID = {"reporter_name": "Anna Berg", "unit": "Hemtjänst Ryd", "system": "treserva", "scope": "unit",
         "description": "Genomförandewebben laddar inte", "started_at": "kl 7"}


def _open_form(slack, fake, user: str, count: int = 1) -> dict:
    slack.command(user, "rapportera")
    opened = fake.wait_for("views.open", count=count)[-1]
    return fake.view(opened.response["view"]["id"])


def _input(view: dict, block_id: str) -> dict:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def test_the_form_is_prefilled_and_lists_systems_and_scopes(slack, fake):
    user = unique("U")
    fake.add_user(user, "Anna Berg")
    view = _open_form(slack, fake, user)
    assert view["title"]["text"] == "Rapportera fel" and view["submit"]["text"] == "Skicka"
    assert _input(view, "reporter_name")["element"]["initial_value"] == "Anna Berg"
    assert "initial_value" not in _input(view, "unit")["element"]  # no earlier report
    systems = [o["value"] for o in _input(view, "system")["element"]["options"]]
    assert systems == ["tes", "treserva", "locks", "infrastructure", "other"]
    scopes = [o["value"] for o in _input(view, "scope")["element"]["options"]]
    assert scopes == ["single_user", "unit", "multiple_units", "unknown"]
    assert _input(view, "started_at")["optional"] is True


def test_a_valid_form_is_filed_once_with_a_receipt(slack, fake):
    user = unique("U")
    fake.add_user(user, "Anna Berg")
    view = _open_form(slack, fake, user)
    response = slack.interaction(view_submission(user, view, VALID))
    assert response.status == 200 and response.body == ""  # the modal closes
    (receipt,) = posts(fake, user)  # the reporter's DM
    assert "Felanmälan nr" in receipt.params["text"] and "Kontakta Användarstöd" in receipt.params["text"]
    assert "> Jag heter Anna Berg och arbetar på Hemtjänst Ryd." in receipt.json("blocks")[0]["text"]["text"]
    # Slack delivering the same submission again files nothing more.
    assert slack.interaction(view_submission(user, view, VALID)).status == 200
    # The next form remembers the unit; its report (answered after the repeat) is the second one.
    again = _open_form(slack, fake, user, count=2)
    assert _input(again, "unit")["element"]["initial_value"] == "Hemtjänst Ryd"
    other = {**VALID, "description": "Nu går inte TES heller", "system": "tes"}
    slack.interaction(view_submission(user, again, other))
    assert len(posts(fake, user, count=2)) == 2
    first, second = stored_reports(slack, user)
    assert (first.source, first.reporter_name, first.unit, first.system, first.scope) == \
        ("slack", "Anna Berg", "Hemtjänst Ryd", "treserva", "unit")
    assert first.started_at.isoformat().startswith("2026-11-26T06:00")  # 07:00 local, stored in UTC
    assert second.system == "tes"


def test_invalid_fields_come_back_as_field_errors(slack, fake):
    user = unique("U")
    fake.add_user(user, "Anna Berg")
    view = _open_form(slack, fake, user)
    values = {**VALID, "description": "", "started_at": "när korna kommer hem", "system": None,
              "unit": "x" * 201}
    response = slack.interaction(view_submission(user, view, values))
    assert response.status == 200
    body = response.json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {"description", "started_at", "system", "unit"}
    assert body["errors"]["description"] == "Fyll i det här fältet."
    assert body["errors"]["unit"] == "Högst 200 tecken."
    assert body["errors"]["started_at"].startswith("Jag förstår inte tiden.")
    assert stored_reports(slack, user) == []
    assert [c for c in fake.calls_to("chat.postMessage") if c.params["channel"] == user] == []


def test_a_personal_identity_number_is_removed_and_the_reporter_told(slack, fake):
    user = unique("U")
    fake.add_user(user, "Anna Berg")
    view = _open_form(slack, fake, user)
    values = {**VALID, "description": "Brukare 19121212-1212 får inga besök registrerade <!channel>"}
    assert slack.interaction(view_submission(user, view, values)).status == 200
    (receipt,) = posts(fake, user)
    assert "19121212-1212" not in receipt.params["text"]
    assert "Jag tog bort ett personnummer" in receipt.params["text"]
    assert "<!channel>" not in receipt.params["text"] and "&lt;!channel&gt;" in receipt.params["text"]
    (report,) = stored_reports(slack, user)
    assert "19121212-1212" not in report.description and "[personnummer borttaget]" in report.description


def test_an_english_form_from_the_button_under_an_english_answer(slack, fake):
    user = unique("U")
    fake.add_user(user, "Sam Lee", locale="sv-SE")
    slack.event(dm(user, "TES is down, what do I do?"))
    posts(fake, "D" + user)
    answer = fake.message_records("D" + user)[-1]
    (button,) = [b for b in buttons(answer) if b["action_id"] == "driftbot_open_report"]
    assert button["value"] == "report:en" and button["text"]["text"] == "Open the form"
    press(slack, user, answer, "Open the form")
    (opened,) = fake.wait_for("views.open")
    view = opened.json("view")
    assert view["title"]["text"] == "Report a fault"
    # Its errors are English too.
    stored = fake.view(opened.response["view"]["id"])
    errors = slack.interaction(view_submission(user, stored, {**VALID, "description": ""})).json()["errors"]
    assert errors == {"description": "Please fill in this field."}


def test_the_global_shortcut_opens_the_form(slack, fake):
    user = unique("U")
    fake.add_user(user, "Sam Lee", locale="en-US")
    payload = {"type": "shortcut", "callback_id": "driftbot_report_shortcut", "user": {"id": user},
               "team": {"id": "T0001"}, "api_app_id": "ABOT", "trigger_id": unique("trigger."), "action_ts": "1.2"}
    assert slack.interaction(payload).status == 200
    (opened,) = fake.wait_for("views.open")
    assert opened.json("view")["title"]["text"] == "Report a fault"
    assert json.loads(opened.json("view")["private_metadata"])["origin"] == "shortcut"


def test_an_expired_trigger_is_answered_with_a_way_forward(slack, fake):
    user = unique("U")
    fake.add_user(user, "Anna Berg")
    fake.on("views.open", {"ok": False, "error": "expired_trigger_id"})
    try:
        _, path = slack.command(user, "rapportera")
        (answer,) = fake.wait_for(path)
        assert answer.params["text"].startswith("Formuläret kunde inte öppnas.")
    finally:
        fake.on("views.open", None)
