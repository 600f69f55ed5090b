"""Filing a report is one transaction: the report, its outage link and the notices it causes
(the channel's announcement, the support desk's copy) commit together or not at all."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, text

from bot.clock import FixedClock
from bot.outages.service import OutageService
from bot.reports import Report, ReportService
from bot.storage import Store
from bot.storage.tables import NoticeRow, OutageRow, ProcessedMessageRow, ReportRow

TZ = ZoneInfo("Europe/Stockholm")
REPORT = Report(reporter_name="Anna Berg", unit="Hemtjänst Ryd", system="tes", scope="unit",
                description="TES loggar ut hela tiden")


@pytest.fixture
def store(database_url):
    store = Store.connect(database_url)
    yield store
    store.engine.dispose()


def _count(store, table) -> int:
    with store.session() as s:
        return s.scalar(select(func.count()).select_from(table))


def _break_notices(store) -> None:
    """A real database fault at the last step of filing: every insert into the outbox fails."""
    with store.engine.begin() as conn:
        if store.is_postgres:
            conn.execute(text("CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN "
                              "RAISE EXCEPTION 'disk full'; END $$ LANGUAGE plpgsql"))
            conn.execute(text("CREATE TRIGGER refuse BEFORE INSERT ON notices FOR EACH ROW EXECUTE FUNCTION refuse()"))
        else:
            conn.execute(text("CREATE TRIGGER refuse BEFORE INSERT ON notices BEGIN SELECT RAISE(ABORT, 'disk full'); END"))


def _mend_notices(store) -> None:
    with store.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER refuse ON notices" if store.is_postgres else "DROP TRIGGER refuse"))


def test_a_report_whose_notices_cannot_be_queued_is_not_stored_either(store, content):
    clock = FixedClock(datetime(2026, 11, 26, 10, 0, tzinfo=TZ), TZ)
    service = ReportService(store, content, clock, OutageService(store, content, clock), support_summaries=True)
    _break_notices(store)
    with pytest.raises(Exception, match="disk full"):
        service.file(REPORT, "slack", "U1", "sv", once=("slack-view", "V1"))
    # Nothing half-done: no report without its outage, no outage without its announcement,
    # and the form's claim is not taken, so submitting it again can succeed.
    assert [_count(store, t) for t in (ReportRow, OutageRow, NoticeRow, ProcessedMessageRow)] == [0, 0, 0, 0]
    _mend_notices(store)
    filed = service.file(REPORT, "slack", "U1", "sv", once=("slack-view", "V1"))
    assert filed is not None and filed.incident_id is not None
    with store.session() as s:
        kinds = sorted(s.scalars(select(NoticeRow.kind)))
    assert kinds == ["outage_declared", "report_filed", "ten_hours"]
    assert service.file(REPORT, "slack", "U1", "sv", once=("slack-view", "V1")) is None  # filed once
    assert _count(store, ReportRow) == 1
