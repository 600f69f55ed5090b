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


@pytest.mark.parametrize("lang", ["sv", "en_US", None])
def test_one_country_loaded_alone_gives_the_same_calendar(lang):
    """bot.hours imports only Sweden's module (start-up time); the days and names must be
    exactly what holidays.country_holidays() gives."""
    import holidays

    from bot.hours import _calendar

    for year in (2025, 2026, 2027, 2030):
        expected = holidays.country_holidays("SE", years=year, categories=(holidays.PUBLIC, holidays.DE_FACTO),
                                             language=lang)
        assert dict(_calendar("SE", year, lang)) == dict(expected)


def test_only_the_configured_country_is_imported_and_then_not_even_that(tmp_path):
    """The first lookup imports Sweden's module alone; the year's days off are then kept in the
    cache folder, and the next process imports no part of `holidays` at all (start-up time)."""
    import os
    import subprocess
    import sys

    from helpers import ROOT

    code = ("import sys; from datetime import date; from bot.hours import holiday_name;"
            "print(holiday_name(date(2026, 12, 24), 'SE', 'sv'));"
            "print(sorted(m for m in sys.modules if m.startswith('holidays.countries')));"
            "print('holidays' in sys.modules)")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    first = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env)
    assert first.stdout.splitlines() == ["Julafton", "['holidays.countries.sweden']", "True"], first.stderr
    again = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env)
    assert again.stdout.splitlines() == ["Julafton", "[]", "False"], again.stderr


def test_a_broken_cache_file_is_computed_again(tmp_path, monkeypatch):
    from datetime import date

    from bot import hours

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    hours._days_off.cache_clear()
    assert hours.holiday_name(date(2026, 6, 19), "SE", "sv") == "Midsommarafton"
    for path in (tmp_path / "driftbot").glob("holidays-*.json"):
        path.write_text("{not json", encoding="utf-8")
    hours._days_off.cache_clear()
    assert hours.holiday_name(date(2026, 6, 19), "SE", "sv") == "Midsommarafton"
    hours._days_off.cache_clear()


def test_a_country_the_registry_does_not_know_is_refused_as_before():
    from bot.hours import _calendar

    with pytest.raises(NotImplementedError):
        _calendar("XX", 2026, None)
