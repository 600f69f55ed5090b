"""Privacy on every path, not per adapter: the outage and report services redact personal
identity numbers (so the operator's CLI is covered), a Slack profile name is redacted before it
is stored, no message body reaches the log even at DEBUG, and bidi overrides and zero-width
characters never reach a channel."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from helpers import json_lines, run_cli
from slackapp import ADMIN, BROADCAST, dm, impatient, impatient_session, last_post, posted_to, unique  # noqa: F401

PNR = "19121212-1212"   # a valid personnummer (Skatteverket's test number)
TZ = ZoneInfo("Europe/Stockholm")


def test_the_operators_cli_never_stores_or_broadcasts_a_personnummer(tmp_path, content):
    db = f"sqlite:///{tmp_path}/d.db"
    at = "2026-11-26T10:00"
    started = run_cli("outage", "start", "tes", "--text", f"Ring Kim om {PNR}", "--db", db, "--at", at)
    assert started.returncode == 0, started.stderr
    # plan and update go through the same service: checked in process, on the same database.
    from bot.clock import FixedClock
    from bot.outages.service import OutageService
    from bot.storage import Store

    store = Store.connect(db)
    service = OutageService(store, content, FixedClock(datetime(2026, 11, 26, 10, 0, tzinfo=TZ), TZ))
    planned = service.plan("treserva", datetime(2026, 12, 1, 8, 0, tzinfo=TZ), datetime(2026, 12, 1, 9, 0, tzinfo=TZ),
                           text=f"Frågor: {PNR.replace('-', '')}")
    (declared,) = [v for v in service.list() if v.system == "tes"]
    updated = service.update(declared.id, f"Nu gäller {PNR}")
    store.engine.dispose()
    assert PNR not in updated.text and PNR.replace("-", "") not in planned.text
    listed = run_cli("notices", "--json", "--db", db, "--at", "2026-12-01T08:30")
    outages = run_cli("outage", "list", "--json", "--db", db, "--at", at)
    for output in (listed.stdout, outages.stdout):
        assert output.strip() and PNR not in output and PNR.replace("-", "") not in output
    assert any("[personnummer borttaget]" in n["text"] for n in json_lines(listed.stdout))


def test_a_profile_name_holding_a_personnummer_is_redacted_before_it_is_stored(impatient):
    from bot.storage import Store
    from bot.storage.tables import ConversationRow

    fake = impatient.fake
    user = unique("U")
    fake.add_user(user, f"Kim Berg {PNR}")
    impatient.event(dm(user, "jag vill göra en felanmälan"))
    question = last_post(fake, "D" + user, 1)
    assert PNR not in question["text"]
    store = Store.connect(impatient.db_url)
    try:
        with store.session() as s:
            states = [row.state for row in s.scalars(select(ConversationRow).where(ConversationRow.key.contains(user)))]
    finally:
        store.engine.dispose()
    assert states and PNR not in str(states)
    assert "Kim Berg" in str(states)   # the name kept, the number gone


def test_no_message_text_in_the_log_at_debug(impatient):
    fake = impatient.fake
    user = unique("U")
    fake.add_user(user, "Kim Ny")
    impatient.event(dm(user, "hemlighetsfull nyckelfråga om Ekvägen 12"))
    answer = last_post(fake, "D" + user, 1)
    log = impatient.stderr
    assert " DEBUG " in log  # the server does log at DEBUG
    assert "hemlighetsfull" not in log and "Ekvägen" not in log
    assert answer["text"].split("\n")[0][:40] not in log  # nor the answer sent back


def test_bidi_overrides_and_zero_width_characters_never_reach_the_channel(impatient):
    fake = impatient.fake
    fake.add_user(ADMIN, "Ada Admin")
    sneaky = "Larm\u202e gnirts\u202c i Ryd, ring 0\u200b13-20\u2066 70 00"
    response, _ = impatient.command(ADMIN, f"start infrastructure {sneaky}")
    assert response.status == 200
    notice = posted_to(fake, BROADCAST, "Larm")
    for char in ("\u202e", "\u202c", "\u200b", "\u2066"):
        assert char not in notice["text"] and char not in str(notice.get("blocks"))
    assert "Larm gnirts i Ryd, ring 013-20 70 00" in notice["text"]
    impatient.command(ADMIN, "klart infrastructure")
