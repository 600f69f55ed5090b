"""The App Home tab: what the bot does, whom to contact now, known outages, the report button."""
import json
import re

from slackapp import ADMIN, own_slack, unique  # noqa: F401 (fixtures)


def _home(slack, user: str) -> dict:
    slack.event({"type": "app_home_opened", "user": user, "channel": "D" + user, "tab": "home",
                 "event_ts": "1700000000.000100"})
    call = slack.fake.wait_for("views.publish", count=len(slack.fake.calls_to("views.publish")) + 1)[-1]
    assert call.params["user_id"] == user
    return call.json("view")


def _text(view: dict) -> str:
    return json.dumps(view["blocks"], ensure_ascii=False)


def test_home_shows_help_contact_now_and_the_report_button(own_slack):
    user = unique("U")
    own_slack.fake.add_user(user, "Anna Berg", locale="sv-SE")
    view = _home(own_slack, user)
    assert view["type"] == "home"
    assert view["blocks"][0]["type"] == "header"
    assert view["blocks"][0]["text"]["text"] == "driftbot – hjälp vid driftstopp"
    text = _text(view)
    assert "hjälper dig när TES eller Treserva inte fungerar" in text  # the help answer's lead
    # Thursday 10:00: Användarstöd now, LKDATA for later.
    assert text.index("*Kontakta Användarstöd") < text.index("ring LKDATA på 013-20 70 00")
    assert "Jag känner inte till något pågående driftstopp" in text
    assert "Inga planerade driftstopp" in text
    (button,) = [e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert button["action_id"] == "driftbot_open_report" and button["value"] == "report:sv"


def test_home_speaks_english_to_an_english_locale(own_slack):
    user = unique("U")
    own_slack.fake.add_user(user, "Sam Lee", locale="en-GB")
    text = _text(_home(own_slack, user))
    assert "driftbot – help during outages" in text and "*Contact Användarstöd" in text


def test_home_lists_current_and_planned_outages(own_slack):
    slack, fake = own_slack, own_slack.fake
    fake.add_user(ADMIN, "Admin Adminsson")
    user = unique("U")
    fake.add_user(user, "Anna Berg")
    # The administrator's confirmation comes after the outage is stored.
    _, started = slack.command(ADMIN, "start locks Låsen i Ryd svarar inte <!here>")
    _, planned = slack.command(ADMIN, "planera treserva 2026-12-10T22:00 2026-12-11T02:00 Uppgradering")
    fake.wait_for(started)
    fake.wait_for(planned)
    text = _text(_home(slack, user))
    assert "*Digitala lås* sedan 10:00. Låsen i Ryd svarar inte &lt;!here&gt;" in text
    assert "*Treserva* 2026-12-10 22:00–2026-12-11 02:00. Uppgradering" in text
    assert "<!here>" not in text and "`#" not in text
    # An administrator sees each outage's number (for /driftstopp bekräfta, uppdatera, avbryt) and its state.
    admin = _text(_home(slack, ADMIN))
    assert re.search(r"• `#\d+` \*Digitala lås\* bekräftat sedan 10:00, rapporter: 0\. "
                     r"Låsen i Ryd svarar inte &lt;!here&gt;", admin)
    assert re.search(r"• `#\d+` \*Treserva\* 2026-12-10 22:00–2026-12-11 02:00\. Uppgradering", admin)
    assert "<!here>" not in admin


def test_the_home_button_opens_the_form(own_slack):
    slack, fake = own_slack, own_slack.fake
    user = unique("U")
    fake.add_user(user, "Anna Berg")
    view = _home(slack, user)
    (button,) = [e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]
    payload = {"type": "block_actions", "user": {"id": user}, "team": {"id": "T0001"}, "api_app_id": "ABOT",
               "trigger_id": unique("trigger."), "container": {"type": "view", "view_id": "VHOME"},
               "view": {"id": "VHOME", "type": "home"},
               "actions": [{"type": "button", "action_id": button["action_id"], "value": button["value"],
                            "block_id": "driftbot_home_report", "text": button["text"], "action_ts": "1.2"}]}
    assert slack.interaction(payload).status == 200
    opened = fake.wait_for("views.open", count=len(fake.calls_to("views.open")) or 1)[-1]
    view = opened.json("view")
    assert view["callback_id"] == "driftbot_report"
    assert json.loads(view["private_metadata"]) == {"lang": "sv", "origin": "home"}
