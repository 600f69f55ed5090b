"""Whom the routine says to contact at a given moment.

Weekdays inside the support hours: Användarstöd. Otherwise (before or after
the hours, weekends, public holidays and the de facto days off julafton,
midsommarafton and nyårsafton): LKDATA. The end of the window is exclusive:
at 16:00 sharp the office is closed.
"""
from __future__ import annotations

import importlib.util
import json
import sys
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from bot.content import Routine, cache_file

Reason = Literal["office_hours", "before_open", "after_close", "saturday", "sunday", "holiday"]

# The holidays package names languages by locale; driftbot speaks in short codes.
_HOLIDAY_LANGUAGE = {"sv": "sv", "en": "en_US"}


@dataclass(frozen=True)
class ContactDecision:
    contact: Literal["anvandarstod", "lkdata"]
    reason: Reason
    holiday: date | None = None  # the day off, when reason == "holiday"


@lru_cache(maxsize=8)
def _country_class(country: str):
    """The holidays class of one country (an ISO code such as "SE"), with only its own
    module imported. `holidays.country_holidays()`, like any `import
    holidays.countries.<name>`, first runs holidays/countries/__init__.py, which imports
    all ~250 countries: a tenth of a second of every `driftbot ask`. The package's own
    registry names the module, which is loaded from its file under its usual name, so
    a later ordinary import reuses it. None when the registry does not know the code."""
    from holidays.registry import COUNTRIES, IMPORT_LOCK

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
    import holidays

    # PUBLIC + DE_FACTO: julafton, midsommarafton and nyårsafton are days off in practice.
    categories = (holidays.PUBLIC, holidays.DE_FACTO)
    country_class = _country_class(country)
    if country_class is None:  # not in the registry: let holidays say so ("Country XX not available")
        return holidays.country_holidays(country, years=year, categories=categories, language=language)
    return country_class(years=year, categories=categories, language=language)


def holiday_name(day: date, country: str, lang: str | None = None) -> str | None:
    """The name of a public or de facto holiday on `day`, or None on an ordinary day."""
    return _days_off(country, day.year, _HOLIDAY_LANGUAGE.get(lang or "", None)).get(day.isoformat())


@lru_cache(maxsize=64)
def _days_off(country: str, year: int, language: str | None) -> dict[str, str]:
    """A year's days off by ISO date, from a file in the cache folder when there is one: importing
    `holidays` and building a calendar was a tenth of `driftbot ask`'s start-up. The file's name
    covers this module and the installed `holidays` release, so an update computes it again."""
    path = cache_file("holidays", (country, year, language), *_holidays_sources(), suffix=".json")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    days = {day.isoformat(): name for day, name in _calendar(country, year, language).items()}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{id(days)}.tmp")
        tmp.write_text(json.dumps(days, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a read-only home: computed each time, nothing lost
    return days


@lru_cache(maxsize=1)
def _holidays_sources() -> tuple[Path, ...]:
    """This module and the `holidays` package's version file (found without importing the package)."""
    spec = importlib.util.find_spec("holidays")
    version = Path(spec.origin).parent / "version.py" if spec and spec.origin else None
    return (Path(__file__), *([version] if version and version.exists() else []))


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
