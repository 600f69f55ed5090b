"""OutageService with the real store (SQLite and PostgreSQL): grouping reports,
the one channel message, live status, resolution, split and cancel."""
import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.clock import FixedClock
from bot.outages.outbox import OutboxWorker
from bot.outages.service import OutageError, OutageService
from bot.storage import Store
from bot.storage.tables import NoticeRow, OutageRow, ReportRow

TZ = ZoneInfo("Europe/Stockholm")
UNITS = ["Hemtjänst Ryd", "Hemtjänst Berga", "Hemtjänst Skäggetorp", "Lambohov äldreboende"]


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=TZ)


class RecordingDeliverer:
    """Remembers every delivery; returns a message reference like Slack's "channel:ts"."""

    def __init__(self):
        self.delivered = []
        self._lock = threading.Lock()

    def deliver(self, notice):
        with self._lock:
            self.delivered.append(notice)
            return notice.ref if notice.action == "update" else f"C1:{notice.id}"

    def kinds(self):
        return [(n.kind, n.action, n.target) for n in self.delivered]


@pytest.fixture
def setup(database_url, content):
    store = Store.connect(database_url)
    clock = FixedClock(local(2026, 12, 1, 7, 42), TZ)
    service = OutageService(store, content, clock)
    deliverer = RecordingDeliverer()
    worker = OutboxWorker(store, deliverer, clock, scheduler=service.schedule)
    yield store, clock, service, deliverer, worker
    store.engine.dispose()


def file_report(store, clock, *, user="U1", unit=UNITS[0], system="tes", lang="sv", source="slack"):
    return store.add_report(created_at=clock.now(), source=source, user_id=user, reporter_name="Anna",
                            unit=unit, system=system, scope="unit", description="TES loggar ut",
                            contact="lkdata", lang=lang)


def report(service, store, clock, **kw):
    row = file_report(store, clock, **kw)
    return row, service.report_filed(row.id, row.system, row.lang)


# -- grouping ------------------------------------------------------------------------------

def test_ten_reports_from_four_units_make_one_channel_message_that_is_updated(setup):
    store, clock, service, deliverer, worker = setup
    links = []
    for i in range(10):
        links.append(report(service, store, clock, user=f"U{i}", unit=UNITS[i % 4])[1])
        # The worker runs now and then while the reports come in.
        if i in (0, 4, 9):
            worker.run_once(clock.now())
        clock.set(clock.now() + timedelta(minutes=1))

    assert len({link.outage_id for link in links}) == 1
    assert [link.joined_existing for link in links] == [False] + [True] * 9

    posts = [n for n in deliverer.delivered if n.action == "post"]
    updates = [n for n in deliverer.delivered if n.action == "update"]
    assert [(n.kind, n.target) for n in posts] == [("outage_declared", "broadcast")]
    # Reports 2–5 and 6–10 each arrive between two worker passes: one edit each, not nine.
    assert len(updates) == 2
    assert {n.ref for n in updates} == {f"C1:{posts[0].id}"}
    assert "10 rapporter från 4 enheter" in updates[-1].text
    assert all(unit in updates[-1].text for unit in UNITS)
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(ReportRow).where(ReportRow.incident_id == links[0].outage_id)) == 10
        assert s.scalar(select(func.count()).select_from(OutageRow)) == 1


def test_the_reporter_hears_when_it_was_first_reported_and_how_to_say_it_is_another_fault(setup):
    store, clock, service, _, _ = setup
    _, first = report(service, store, clock, user="U1")
    clock.set(local(2026, 12, 1, 8, 5))
    _, second = report(service, store, clock, user="U2", unit=UNITS[1])
    assert not first.joined_existing and "först" in first.message
    assert second.joined_existing
    assert second.first_reported_at == local(2026, 12, 1, 7, 42)
    assert second.message.startswith("TES-störningen rapporterades 07:42, du är tillagd.")
    assert "annat fel" in second.message
    _, english = report(service, store, clock, user="U3", lang="en")
    assert english.message.startswith("The TES outage was reported at 07:42; you have been added.")


def test_a_message_still_unsent_is_rewritten_instead_of_edited(setup):
    store, clock, service, deliverer, worker = setup
    for i in range(3):
        report(service, store, clock, user=f"U{i}", unit=UNITS[i])
    worker.run_once(clock.now())
    assert [n.action for n in deliverer.delivered] == ["post"]
    assert "3 rapporter från 3 enheter" in deliverer.delivered[0].text


def test_reports_of_another_system_open_their_own_outage(setup):
    store, clock, service, _, _ = setup
    _, tes = report(service, store, clock, system="tes")
    _, treserva = report(service, store, clock, system="treserva", user="U2")
    assert tes.outage_id != treserva.outage_id and not treserva.joined_existing


def test_filing_the_same_report_twice_links_it_once(setup):
    store, clock, service, _, _ = setup
    row, link = report(service, store, clock)
    again = service.report_filed(row.id, "tes", "sv")
    assert again.outage_id == link.outage_id and again.joined_existing is False
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(NoticeRow)) == 2  # declared + ten_hours


def test_two_first_reports_at_once_open_one_outage(database_url, content):
    """Two replicas (separate connections) file the first TES reports at the same moment."""
    stores = [Store.connect(database_url), Store.connect(database_url)]
    clock = FixedClock(local(2026, 12, 1, 7, 42), TZ)
    rows = [file_report(stores[0], clock, user=f"U{i}", unit=UNITS[i]) for i in range(2)]
    services = [OutageService(store, content, clock) for store in stores]
    barrier = threading.Barrier(2)
    links, errors = [None, None], []

    def file(i):
        try:
            barrier.wait(timeout=30)
            links[i] = services[i].report_filed(rows[i].id, "tes", "sv")
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=file, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert links[0].outage_id == links[1].outage_id
    assert sorted(link.joined_existing for link in links) == [False, True]
    with stores[0].session() as s:
        assert s.scalar(select(func.count()).select_from(OutageRow)) == 1
        assert s.scalar(select(func.count()).select_from(NoticeRow).where(
            NoticeRow.kind == "outage_declared", NoticeRow.action == "post")) == 1
    for store in stores:
        store.engine.dispose()


# -- live status ---------------------------------------------------------------------------

def test_live_status_counts_reports_and_units(setup):
    store, clock, service, _, _ = setup
    assert service.live_status("sv") is None
    for i in range(5):
        report(service, store, clock, user=f"U{i}", unit=UNITS[i % 3])
    assert service.live_status("sv") == "Ja: driftstopp i TES sedan 07:42, 5 rapporter från 3 enheter."
    assert service.live_status("en") == "Yes: TES outage since 07:42, 5 reports from 3 units."
    clock.set(local(2026, 12, 1, 9, 0))
    service.resolve("tes")
    assert service.live_status("sv") is None


def test_live_status_of_declared_and_planned_outages(setup):
    store, clock, service, _, _ = setup
    service.plan("treserva", local(2026, 12, 4, 18, 0), local(2026, 12, 4, 20, 0))
    service.plan("tes", local(2026, 12, 20, 18, 0), local(2026, 12, 20, 20, 0))  # too far ahead to mention
    service.start("locks")
    assert service.live_status("sv") == ("Ja: driftstopp i Digitala lås sedan 07:42. "
                                         "Planerat driftstopp i Treserva 4 december kl. 18:00–20:00.")
    clock.set(local(2026, 12, 4, 19, 0))
    service.resolve("locks")
    assert service.live_status("sv") == "Ja: planerat driftstopp i Treserva kl. 18:00–20:00."


# -- resolution ---------------------------------------------------------------------------------

def test_every_reporter_gets_the_resolved_notice_directly(setup):
    store, clock, service, deliverer, worker = setup
    report(service, store, clock, user="U1")
    report(service, store, clock, user="U1", unit=UNITS[1])  # the same person twice: one message
    report(service, store, clock, user="U2", lang="en", source="terminal")
    clock.set(local(2026, 12, 1, 9, 30))
    service.resolve("tes")
    worker.run_once(clock.now())
    resolved = {n.target: n.text for n in deliverer.delivered if n.kind == "resolved"}
    assert set(resolved) == {"broadcast", "user:slack:U1", "user:terminal:U2"}
    assert resolved["user:slack:U1"].startswith("✅ TES fungerar igen (driftstopp 07:42–09:30, 1 h 48 min)")
    assert resolved["user:terminal:U2"].startswith("✅ TES works again")


def test_nothing_pending_is_sent_for_a_resolved_outage(setup):
    store, clock, service, deliverer, worker = setup
    service.start("tes", at=local(2026, 12, 1, 8, 0))
    clock.set(local(2026, 12, 1, 10, 30))
    assert "login_reminder" in [n.kind for n in service.due_notices()]
    clock.set(local(2026, 12, 1, 11, 0))
    service.resolve("tes")
    clock.set(local(2026, 12, 1, 19, 0))
    worker.run_once(clock.now())
    assert deliverer.kinds() == [("resolved", "post", "broadcast")]
    assert worker.run_once(local(2026, 12, 2, 8, 0)) == 0


def test_a_planned_outage_ended_early_sends_its_end_notice_now(setup):
    store, clock, service, deliverer, worker = setup
    service.plan("tes", local(2026, 12, 1, 18, 0), local(2026, 12, 1, 22, 0))
    clock.set(local(2026, 12, 1, 18, 10))
    row, link = report(service, store, clock, user="U7")
    assert link.joined_existing and "planerat driftstopp" in link.message
    clock.set(local(2026, 12, 1, 19, 0))
    view = service.resolve("tes")
    assert view.state == "resolved" and view.ends_at == local(2026, 12, 1, 19, 0)
    worker.run_once(clock.now())
    assert ("planned_end", "post", "broadcast") in deliverer.kinds()
    assert ("planned_end", "post", "user:slack:U7") in deliverer.kinds()
    assert worker.run_once(local(2026, 12, 1, 22, 30)) == 0


def test_resolving_twice_is_refused(setup):
    _, clock, service, _, _ = setup
    service.start("tes")
    service.resolve("tes")
    with pytest.raises(OutageError) as err:
        service.resolve("tes")
    assert err.value.code == "no_open_outage"


# -- admin: confirm, split, cancel ------------------------------------------------------------

def test_confirming_a_reported_outage_edits_its_message(setup):
    store, clock, service, deliverer, worker = setup
    _, link = report(service, store, clock)
    worker.run_once(clock.now())
    assert deliverer.delivered[0].text.startswith("⚠️ Driftstopp i TES?")
    service.confirm(link.outage_id)
    worker.run_once(clock.now())
    edit = deliverer.delivered[-1]
    assert edit.action == "update" and edit.text.startswith("🔴 Driftstopp i TES sedan 07:42.")


def test_declaring_while_reports_are_open_confirms_the_same_outage(setup):
    store, clock, service, _, _ = setup
    _, link = report(service, store, clock)
    view = service.start("tes", text="Leverantören felsöker")
    assert view.id == link.outage_id and view.state == "confirmed" and view.reports == 1


def test_split_moves_a_report_into_its_own_quiet_outage(setup):
    store, clock, service, deliverer, worker = setup
    rows = [report(service, store, clock, user=f"U{i}", unit=UNITS[i])[0] for i in range(3)]
    worker.run_once(clock.now())
    new = service.split(rows[2].id)
    assert new.split_from is not None and new.reports == 1 and new.state == "suspected"
    worker.run_once(clock.now())
    assert [n.action for n in deliverer.delivered] == ["post", "update"]
    assert "2 rapporter från 2 enheter" in deliverer.delivered[-1].text
    # A new report still joins the main outage, not the split one.
    _, link = report(service, store, clock, user="U9")
    assert link.outage_id == new.split_from
    # Resolving TES resolves the main outage; the split one stays open.
    service.resolve("tes")
    statuses = {v.id: v.state for v in service.list()}
    assert statuses == {new.split_from: "resolved", new.id: "suspected"}


def test_cancelling_an_announced_planned_outage_tells_the_channel(setup):
    store, clock, service, deliverer, worker = setup
    announced = service.plan("tes", local(2026, 12, 3, 18, 0), local(2026, 12, 3, 20, 0))
    quiet = service.plan("treserva", local(2026, 12, 20, 18, 0), local(2026, 12, 20, 20, 0))
    worker.run_once(clock.now())  # the first one is within 7 days: announced now
    assert deliverer.kinds() == [("planned_advance", "post", "broadcast")]
    service.cancel(announced.id)
    service.cancel(quiet.id)
    worker.run_once(local(2026, 12, 21, 0, 0))
    assert [k for k, _, _ in deliverer.kinds()] == ["planned_advance", "cancelled"]
    assert "inställt" in deliverer.delivered[-1].text


def test_scheduling_twice_queues_nothing_twice(setup):
    store, clock, service, _, _ = setup
    service.start("tes", at=local(2026, 12, 1, 8, 0))
    at = local(2026, 12, 1, 10, 30)
    first = service.due_notices(at)
    second = service.due_notices(at)
    assert [n.id for n in first] == [n.id for n in second]
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(NoticeRow).where(NoticeRow.kind == "login_reminder")) == 1


def test_updating_the_text_edits_what_the_channel_saw_and_rewrites_what_it_has_not(setup):
    store, clock, service, deliverer, worker = setup
    unplanned = service.start("tes")
    planned = service.plan("treserva", local(2026, 12, 20, 18, 0), local(2026, 12, 20, 20, 0))
    worker.run_once(clock.now())
    service.update(unplanned.id, "Leverantören felsöker")
    service.update(planned.id, "Versionsuppgradering")
    worker.run_once(clock.now())
    assert deliverer.delivered[-1].action == "update" and "Leverantören felsöker" in deliverer.delivered[-1].text
    advance = [n for n in service.due_notices(local(2026, 12, 14, 12, 0)) if n.kind == "planned_advance"]
    assert len(advance) == 1 and "Versionsuppgradering" in advance[0].text


def test_two_admin_edits_in_the_same_second_both_reach_the_channel(setup):
    store, clock, service, deliverer, worker = setup
    view = service.start("tes", "Leverantören felsöker", at=clock.now())
    worker.run_once(clock.now())
    service.update(view.id, "Servern startas om", at=clock.now())
    worker.run_once(clock.now())
    service.update(view.id, "Klart inom en timme", at=clock.now())   # the same instant: a fixed clock
    worker.run_once(clock.now())
    edits = [n for n in deliverer.delivered if n.action == "update"]
    assert len(edits) == 2
    assert "Klart inom en timme" in edits[-1].text
