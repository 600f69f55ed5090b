"""The whole report conversation over DMs: typed answers, option buttons, the receipt, the stored report."""
import json

from helpers import run_cli
from slackapp import buttons, dm, fake, last_post, posts, press, say, slack, slack_session, unique  # noqa: F401


def _press(slack, user: str, message: dict, label: str, expect_posts: int) -> dict:
    assert press(slack, user, message, label).status == 200
    return last_post(slack.fake, "D" + user, expect_posts)


def test_a_report_from_first_message_to_receipt(slack, fake):
    user = unique("U")
    fake.add_user(user, "Anna Berg", locale="sv-SE")

    asked = say(slack, user, "jag vill göra en felanmälan", 1)
    # The name came from Slack's profile, so the first question is the unit.
    assert "Vilken enhet" in asked["text"]

    asked = say(slack, user, "Hemtjänst Berga", 2)
    assert "Vilket system" in asked["text"]
    labels = [b["text"]["text"] for b in buttons(asked)]
    assert labels == ["TES", "Treserva", "Digitala lås", "Nätverk/IT-miljö", "Annat"]

    asked = _press(slack, user, asked, "TES", 3)
    assert "Hur många berörs" in asked["text"]
    # The pressed question lost its buttons and shows what was chosen.
    (updated,) = fake.wait_for("chat.update")
    assert "Du valde: TES" in json.dumps(updated.json("blocks"), ensure_ascii=False)
    assert not [b for b in updated.json("blocks") if b["type"] == "actions"]

    asked = _press(slack, user, asked, "Bara jag", 4)
    assert "Beskriv kort" in asked["text"]

    asked = say(slack, user, "appen loggar ut mig <!channel> <@U0BOSS> <http://evil.example|klicka>", 5)
    assert "När började" in asked["text"]

    summary = say(slack, user, "kl 7", 6)
    assert "Så här ser felanmälan ut" in summary["text"]
    # The user's words are repeated, inert.
    for text in (summary["text"], json.dumps(summary["blocks"])):
        assert "<!channel>" not in text and "<@U0BOSS>" not in text and "|klicka>" not in text
    assert "&lt;!channel&gt;" in summary["text"] and "&lt;@U0BOSS&gt;" in summary["text"]

    receipt = _press(slack, user, summary, "Ja, skicka", 7)
    assert "Felanmälan nr" in receipt["text"] and "är sparad" in receipt["text"]
    assert "Kontakta Användarstöd" in receipt["text"]
    # The script to read out is a block quote; the user's text inside it is still escaped.
    section = receipt["blocks"][0]["text"]["text"]
    assert "\n> Jag heter Anna Berg och arbetar på Hemtjänst Berga." in section
    assert "<!channel>" not in section

    exported = run_cli("reports", "export", "--db", slack.db_url)
    assert exported.returncode == 0, exported.stderr
    (report,) = [r for r in json.loads(exported.stdout) if r["reporter_name"] == "Anna Berg"
                 and r["description"].startswith("appen loggar ut mig")]
    assert report["source"] == "slack" and report["unit"] == "Hemtjänst Berga"
    assert report["system"] == "tes" and report["scope"] == "single_user"
    assert report["started_at"].startswith("2026-11-26T07:00")
    assert report["contact"] == "anvandarstod"


def test_cancel_mid_report_stores_nothing(slack, fake):
    user = unique("U")
    fake.add_user(user, "Omar Said")
    say(slack, user, "rapportera fel", 1)
    done = say(slack, user, "avbryt", 2)
    assert "avbruten" in done["text"]


def test_a_personal_identity_number_is_removed_and_the_user_told(slack, fake):
    user = unique("U")
    fake.add_user(user, "Omar Said")
    say(slack, user, "rapportera fel", 1)
    slack.event(dm(user, "Hemtjänst Ryd, brukare 19121212-1212 kommer inte in"))
    posts(fake, "D" + user, count=3)
    posted = " ".join(m["text"] for m in fake.message_records("D" + user))
    assert "19121212-1212" not in posted
    assert "personnummer" in posted
