"""The contact rule: weekdays 08:00-16:00 Användarstöd, otherwise LKDATA."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.clock import parse_at
from bot.hours import contact_at

STHLM = ZoneInfo("Europe/Stockholm")


@pytest.mark.parametrize("at, contact, reason", [
    ("2026-11-26T07:59", "lkdata", "before_open"),          # Thursday
    ("2026-11-26T08:00", "anvandarstod", "office_hours"),
    ("2026-11-26T15:59", "anvandarstod", "office_hours"),
    ("2026-11-26T15:59:59", "anvandarstod", "office_hours"),
    ("2026-11-26T16:00", "lkdata", "after_close"),          # 16:00 itself is after hours
    ("2026-11-26T23:30", "lkdata", "after_close"),
    ("2026-11-28T10:00", "lkdata", "saturday"),
    ("2026-11-29T10:00", "lkdata", "sunday"),               # Sundays: not a "holiday" in the package we pin
    ("2026-12-24T10:00", "lkdata", "holiday"),              # julafton (de facto)
    ("2026-06-19T10:00", "lkdata", "holiday"),              # midsommarafton (de facto)
    ("2026-12-31T10:00", "lkdata", "holiday"),              # nyårsafton (de facto)
    ("2026-05-14T10:00", "lkdata", "holiday"),              # Kristi himmelsfärdsdag
    ("2026-05-15T10:00", "anvandarstod", "office_hours"),   # the day after: an ordinary Friday (klämdag)
    ("2027-01-06T10:00", "lkdata", "holiday"),              # trettondedag jul
])
def test_contact_rule_local_times(content, at, contact, reason):
    decision = contact_at(parse_at(at, STHLM), content.routine)
    assert (decision.contact, decision.reason) == (contact, reason)


@pytest.mark.parametrize("at, contact", [
    # The 2026 switch days are Sundays (tested below); the working days around
    # them check that UTC offsets are applied with the right DST rule.
    ("2026-03-30T06:30:00+00:00", "anvandarstod"),  # 08:30 CEST (UTC+2) on the Monday after the switch
    ("2026-03-30T05:59:00+00:00", "lkdata"),        # 07:59 CEST
    ("2026-03-30T14:00:00+00:00", "lkdata"),        # 16:00 CEST
    ("2026-03-27T07:00:00+00:00", "anvandarstod"),  # 08:00 CET (UTC+1), Friday before the switch
    ("2026-10-26T06:59:00+00:00", "lkdata"),        # 07:59 CET (UTC+1), Monday after the autumn switch
    ("2026-10-26T07:00:00+00:00", "anvandarstod"),  # 08:00 CET
    ("2026-10-23T05:59:00+00:00", "lkdata"),        # 07:59 CEST, Friday before it
    ("2026-10-23T06:00:00+00:00", "anvandarstod"),  # 08:00 CEST
])
def test_contact_rule_with_offsets_around_dst(content, at, contact):
    assert contact_at(parse_at(at, STHLM), content.routine).contact == contact


@pytest.mark.parametrize("at, expected_local", [
    ("2026-03-29T03:30", "2026-03-29T03:30:00+02:00"),   # after the spring jump
    ("2026-03-29T01:30", "2026-03-29T01:30:00+01:00"),   # before it
    ("2026-03-29T01:30:00+00:00", "2026-03-29T03:30:00+02:00"),
    ("2026-10-25T01:30:00+00:00", "2026-10-25T02:30:00+01:00"),  # the repeated hour, second time
    ("2026-10-25T00:30:00+00:00", "2026-10-25T02:30:00+02:00"),  # the repeated hour, first time
    ("2026-10-25T12:00", "2026-10-25T12:00:00+01:00"),
])
def test_dst_switch_days_convert(at, expected_local):
    assert parse_at(at, STHLM).isoformat() == expected_local


def test_dst_switch_days_are_sundays_for_the_rule(content):
    for at in ("2026-03-29T10:00", "2026-10-25T10:00", "2026-03-29T08:30:00+00:00", "2026-10-25T09:00:00+00:00"):
        decision = contact_at(parse_at(at, STHLM), content.routine)
        assert (decision.contact, decision.reason) == ("lkdata", "sunday")


def test_parse_at_rejects_garbage():
    with pytest.raises(ValueError, match="ISO 8601"):
        parse_at("igår", STHLM)


def test_holiday_on_a_weekend_is_named(content):
    # Nationaldagen 2026 is a Saturday: the holiday reason wins (it has a name).
    decision = contact_at(datetime(2026, 6, 6, 10, tzinfo=STHLM), content.routine)
    assert decision.reason == "holiday"
