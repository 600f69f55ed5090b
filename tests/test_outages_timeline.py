"""The routine's timeline as arithmetic: edges and daylight-saving time."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.outages.timeline import Timeline

TZ = ZoneInfo("Europe/Stockholm")
ROUTINE = Timeline(planned_notice=timedelta(days=7), login_reminder=timedelta(minutes=60),
                   post_registration=timedelta(hours=10))


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=TZ)


def test_exactly_ten_hours_is_still_up_to_ten_hours():
    start = local(2026, 12, 1, 8, 0)
    assert not ROUTINE.lasted_long(start, start + timedelta(hours=10))
    assert ROUTINE.lasted_long(start, start + timedelta(hours=10, minutes=1))


def test_the_ten_hour_line_counts_real_hours_across_the_autumn_clock_change():
    # 25 October 2026: 03:00 summer time becomes 02:00 winter time, so 02:xx happens twice.
    start = local(2026, 10, 25, 0, 0)
    due = ROUTINE.long_outage_due(start).astimezone(TZ)
    assert (due.hour, due.minute) == (9, 0)
    assert ROUTINE.lasted_long(start, local(2026, 10, 25, 9, 30))  # 10.5 real hours, 9.5 on the wall clock


def test_the_advance_notice_keeps_the_wall_clock_hour_across_the_clock_change():
    due = ROUTINE.planned_advance_due(local(2026, 10, 30, 18, 0), local(2026, 10, 1, 9, 0), TZ)
    assert due == local(2026, 10, 23, 18, 0) and due.utcoffset() == timedelta(hours=2)


def test_planned_late_is_announced_at_once_and_planned_too_late_not_at_all():
    start = local(2026, 12, 10, 18, 0)
    assert ROUTINE.planned_advance_due(start, local(2026, 12, 8, 9, 15), TZ) == local(2026, 12, 8, 9, 15)
    assert ROUTINE.planned_advance_due(start, start, TZ) is None


def test_reminder_slots():
    start = local(2026, 12, 1, 8, 0)
    assert ROUTINE.reminder_slot(start, local(2026, 12, 1, 8, 59)) == 0
    assert ROUTINE.reminder_slot(start, local(2026, 12, 1, 9, 0)) == 1
    assert ROUTINE.reminder_slot(start, local(2026, 12, 1, 10, 30)) == 2
    assert ROUTINE.reminder_slot(start, local(2026, 12, 1, 7, 0)) == 0
    assert ROUTINE.reminder_due(start, 2).astimezone(TZ) == local(2026, 12, 1, 10, 0)
