"""Notice texts are content: validated at start, every text renders, and the
routine's numbers come from routine.yaml."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import yaml

from bot.clock import FixedClock
from bot.content import BUILTIN_CONTENT_DIR, ContentError, load_content
from bot.outages.outbox import NOTICE_KINDS
from bot.outages.render import NoticeRenderer, OutageFacts
from bot.outages.service import OutageService
from bot.outages.texts import load_notice_texts
from bot.outages.timeline import Timeline
from bot.storage import Store
from helpers import edit_yaml, run_cli

TZ = ZoneInfo("Europe/Stockholm")
SYSTEMS = ("tes", "treserva", "locks", "infrastructure", "other")




@pytest.mark.parametrize("file, change, field", [
    ("notices.sv.yaml", lambda d: d["notices"]["resolved"].pop("default"), "notices.resolved.default"),
    ("notices.sv.yaml", lambda d: d["notices"]["login_reminder"].update(tes="Ring {telefon}"), "notices.login_reminder.tes"),
    ("notices.en.yaml", lambda d: d["format"]["months"].pop(), "format.months"),
    ("notices.en.yaml", lambda d: d["reporter"].pop("joined"), "reporter.joined"),
    ("notices.sv.yaml", lambda d: d["notices"]["ten_hours"].update(journal="x"), "notices.ten_hours.journal"),
    ("notices.en.yaml", lambda d: d.update(lang="sv"), "lang"),
])
def test_a_broken_notices_file_names_file_and_field(content_copy, file, change, field):
    edit_yaml(content_copy / file, change)
    with pytest.raises(ContentError) as err:
        load_notice_texts(load_content(content_copy))
    message = str(err.value)
    assert file in message and field in message and "\n" not in message


def test_a_missing_notices_file_is_named(content_copy):
    (content_copy / "notices.en.yaml").unlink()
    with pytest.raises(ContentError) as err:
        load_notice_texts(load_content(content_copy))
    assert "notices.en.yaml" in str(err.value)


def test_a_broken_notices_file_through_the_cli_is_one_line(content_copy, tmp_path):
    (content_copy / "notices.sv.yaml").write_text("lang: sv\nnotices: [oops\n", encoding="utf-8")
    result = run_cli("notices", "--at", "2026-12-01T08:00", "--db", f"sqlite:///{tmp_path}/x.db",
                     env={"DRIFTBOT_CONTENT_DIR": str(content_copy)})
    assert result.returncode == 2
    assert "notices.sv.yaml" in result.stderr and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_notice_renders_for_every_system(content, lang):
    renderer = NoticeRenderer(content, load_notice_texts(content), TZ, Timeline.from_thresholds(content.routine.thresholds))
    start = datetime(2026, 12, 1, 8, 0, tzinfo=TZ)
    for system in SYSTEMS:
        for kind_of_outage, state in (("planned", "scheduled"), ("unplanned", "suspected"), ("unplanned", "confirmed")):
            for hours in (3, 12):
                facts = OutageFacts(id=1, system=system, kind=kind_of_outage, state=state, starts_at=start,
                                    ends_at=start + timedelta(hours=hours), text="Info från admin", reports=3,
                                    units=("Ryd", "Berga"), first_reported_at=start)
                at = start + timedelta(hours=hours)
                for kind in NOTICE_KINDS:
                    text = renderer.notice(kind, facts, lang, at)
                    if kind == "ten_hours" and system != "tes":
                        assert text is None  # the 10-hour line is about TES registration
                        continue
                    assert text and "{" not in text and "}" not in text, (system, kind)
                for key in ("opened", "joined", "joined_planned"):
                    assert "{" not in renderer.reporter(key, facts, lang, at)
                for key in ("open", "open_no_reports", "planned_ongoing", "planned_upcoming"):
                    assert "{" not in renderer.status(key, facts, lang, at)


def test_the_routines_numbers_are_not_written_into_the_texts():
    for lang in ("sv", "en"):
        raw = (BUILTIN_CONTENT_DIR / f"notices.{lang}.yaml").read_text(encoding="utf-8")
        for fact in ("10 timmar", "10 hours", "013-20 70 00", "linkoping.se", "7 dagar", "7 days"):
            assert fact not in raw, (lang, fact)


def test_another_routine_changes_the_timeline_and_the_texts(content_copy, tmp_path):
    def change(d):
        d["thresholds"].update(post_registration_hours=8, login_reminder_minutes=30, planned_notice_days=3)
        d["status_url"] = "https://example.org/drift"
    edit_yaml(content_copy / "routine.yaml", change)
    content = load_content(content_copy)
    store = Store.connect(f"sqlite:///{tmp_path}/x.db")
    start = datetime(2026, 12, 1, 8, 0, tzinfo=TZ)
    service = OutageService(store, content, FixedClock(start, TZ))
    service.start("tes")
    service.plan("treserva", datetime(2026, 12, 10, 18, 0, tzinfo=TZ), datetime(2026, 12, 10, 20, 0, tzinfo=TZ))

    by_kind = {n.kind: n for n in service.due_notices(start + timedelta(hours=8, minutes=10))}
    assert by_kind["ten_hours"].due_at == start + timedelta(hours=8)
    assert "8 timmar" in by_kind["ten_hours"].text
    assert by_kind["login_reminder"].due_at == start + timedelta(hours=8)  # every 30 minutes
    assert "https://example.org/drift" in by_kind["outage_declared"].text
    advance = [n for n in service.due_notices(datetime(2026, 12, 7, 18, 0, tzinfo=TZ)) if n.kind == "planned_advance"]
    assert [n.due_at for n in advance] == [datetime(2026, 12, 7, 18, 0, tzinfo=TZ)]
    store.engine.dispose()
