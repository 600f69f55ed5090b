"""Whom the routine says to contact at a given moment.

Weekdays inside the support hours: Användarstöd. Otherwise (before or after
the hours, weekends, public holidays and the de facto days off julafton,
midsommarafton and nyårsafton): LKDATA. The end of the window is exclusive:
at 16:00 sharp the office is closed.
"""
from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

import holidays
from holidays.registry import COUNTRIES, IMPORT_LOCK

from bot.content import Routine

Reason = Literal["office_hours", "before_open", "after_close", "saturday", "sunday", "holiday"]

# The holidays package names languages by locale; driftbot speaks in short codes.
_HOLIDAY_LANGUAGE = {"sv": "sv", "en": "en_US"}


@dataclass(frozen=True)
class ContactDecision:
    contact: Literal["anvandarstod", "lkdata"]
    reason: Reason
    holiday: date | None = None  # the day off, when reason == "holiday"


@lru_cache(maxsize=8)
def _country_class(country: str) -> type[holidays.HolidayBase] | None:
    """The holidays class of one country (an ISO code such as "SE"), with only its own
    module imported. `holidays.country_holidays()`, like any `import
    holidays.countries.<name>`, first runs holidays/countries/__init__.py, which imports
    all ~250 countries: a tenth of a second of every `driftbot ask`. The package's own
    registry names the module, which is loaded from its file under its usual name, so
    a later ordinary import reuses it. None when the registry does not know the code."""
    for module_name, (class_name, *codes) in COUNTRIES.items():
        if country in codes:
            break
    else:
        return None
    full_name = f"holidays.countries.{module_name}"
    with IMPORT_LOCK:  # the package's own lock for its lazy imports: the Slack app answers in threads
        if full_name not in sys.modules:
            package = importlib.util.find_spec("holidays.countries")  # imports `holidays`, not the package
            spec = importlib.util.spec_from_file_location(
                full_name, Path(package.submodule_search_locations[0]) / f"{module_name}.py")
            module = importlib.util.module_from_spec(spec)
            sys.modules[full_name] = module
            try:
                spec.loader.exec_module(module)
            except BaseException:
                del sys.modules[full_name]
                raise
    return getattr(sys.modules[full_name], class_name)


@lru_cache(maxsize=64)
def _calendar(country: str, year: int, language: str | None):
    # PUBLIC + DE_FACTO: julafton, midsommarafton and nyårsafton are days off in practice.
    categories = (holidays.PUBLIC, holidays.DE_FACTO)
    country_class = _country_class(country)
    if country_class is None:  # not in the registry: let holidays say so ("Country XX not available")
        return holidays.country_holidays(country, years=year, categories=categories, language=language)
    return country_class(years=year, categories=categories, language=language)


def holiday_name(day: date, country: str, lang: str | None = None) -> str | None:
    """The name of a public or de facto holiday on `day`, or None on an ordinary day."""
    return _calendar(country, day.year, _HOLIDAY_LANGUAGE.get(lang or "", None)).get(day)


def contact_at(at: datetime, routine: Routine) -> ContactDecision:
    """Apply the routine's contact rule to a local time."""
    local = at.astimezone(ZoneInfo(routine.timezone))  # ZoneInfo caches instances
    day = local.date()
    if holiday_name(day, routine.holiday_country) is not None:
        return ContactDecision("lkdata", "holiday", day)
    if local.weekday() == 5:
        return ContactDecision("lkdata", "saturday")
    if local.weekday() == 6:
        return ContactDecision("lkdata", "sunday")
    clock = local.time().replace(tzinfo=None)
    if clock < routine.support_hours.open:
        return ContactDecision("lkdata", "before_open")
    if clock >= routine.support_hours.close:
        return ContactDecision("lkdata", "after_close")
    return ContactDecision("anvandarstod", "office_hours")
