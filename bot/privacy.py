"""Detection and redaction of Swedish personal identity numbers.

Why this module exists: driftbot is used by municipal care staff, and the
health and social care data they handle must never be stored or broadcast
with a Swedish personal identity number in it. Everything that is persisted
or posted to a shared channel is expected to pass through
:func:`redact_personal_ids` (or be rejected via :func:`contains_personal_id`)
first.

Recognised forms (``C`` is the Luhn check digit, ``NNN`` the serial number):

* 10 digits: ``YYMMDD-NNNC``, ``YYMMDDNNNC``, ``YYMMDD NNNC`` and
  ``YYMMDD+NNNC`` (``+`` is the official separator for people aged 100+).
* 12 digits: ``YYYYMMDD-NNNC``, ``YYYYMMDDNNNC`` and ``YYYYMMDD NNNC``.

A *samordningsnummer* (co-ordination number) has the same shape with 60
added to the day of birth, so its day field is 61-91.

A candidate only counts as an identity number when

* it is not part of a longer run of digits (``(?<![0-9])``/``(?![0-9])``
  lookarounds, so e.g. a 14-digit reference number is never partially hit),
* its date exists (for 12-digit forms in exactly that year, leap years
  included; for 10-digit forms in at least one century the separator allows:
  19xx/20xx for ``-``, space or no separator, 18xx/19xx for ``+``),
* the century of a 12-digit form is 18, 19 or 20 (no other century can
  belong to a person who has been given a number), and
* written as a bare run of ten digits starting with 0 (the shape of a Swedish
  phone number), the Luhn check digit over the 10-digit form ``YYMMDDNNN``
  (weights 2, 1, 2, 1, ...) is correct. Written with a
  separator (``YYMMDD-NNNN``) the shape is enough: staff mistype check
  digits, and a mistyped number still identifies a person.

These are the official rules, not heuristics, so phone numbers written the
usual Swedish ways (``013-20 70 00``, ``070-123 45 67``, ``+46 13 20 70 00``)
never match: they do not have the ``YYMMDD[-+ ]NNNC`` shape. A ten-digit
number written without separators that happens to satisfy both the date and
the Luhn rule *is* redacted; that is deliberate, because for this data a
false positive (an over-redacted phone number) is far cheaper than a leaked
identity number.

Only the standard library is used, detection is a single pre-compiled regular
expression plus cheap integer validation per candidate (linear in the input),
and no function here raises for any ``str`` input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "PersonalIdKind",
    "PersonalIdMatch",
    "contains_personal_id",
    "find_personal_ids",
    "clean_text",
    "redact_personal_ids",
    "remove_invisible",
]

PersonalIdKind = Literal["personnummer", "samordningsnummer"]

# One compiled pattern for every accepted shape. ``re.ASCII`` is not needed
# because only explicit ``[0-9]`` classes are used: other Unicode digits are
# neither part of an id nor treated as "adjacent digits".
# The 12-digit alternative comes first; the two alternatives can never both
# match at the same start position (they need different digit-run lengths
# before the separator / end), so the order only documents intent.
_CANDIDATE_RE = re.compile(
    r"""
    (?<![0-9])
    (?:
        (?P<century>[0-9]{2})
        (?P<yy12>[0-9]{2})(?P<mm12>[0-9]{2})(?P<dd12>[0-9]{2})
        [-\u2013\u2212 \u00a0\u202f]?
        (?P<serial12>[0-9]{3})(?P<check12>[0-9])
    |
        (?P<yy>[0-9]{2})(?P<mm>[0-9]{2})(?P<dd>[0-9]{2})
        (?P<sep>[-+\u2013\u2212 \u00a0\u202f]?)
        (?P<serial>[0-9]{3})(?P<check>[0-9])
    )
    (?![0-9])
    """,
    re.VERBOSE,
)

_SAMORDNING_DAY_OFFSET = 60
# Centuries in which a 12-digit identity number can have been issued.
_VALID_CENTURIES = frozenset({18, 19, 20})
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@dataclass(frozen=True)
class PersonalIdMatch:
    """Location and kind of one identity number found in a text.

    Only offsets are kept, never the digits themselves, so a match object can
    be logged or passed around without leaking the number it points at.
    ``text[start:end]`` is the full number including any separator.
    """

    start: int
    end: int
    kind: PersonalIdKind


def _is_leap(year: int) -> bool:
    """Gregorian leap-year rule (needed because 1900 and 1800 were not leap)."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _date_exists(year: int, month: int, day: int) -> bool:
    """Return whether ``year-month-day`` is a real Gregorian date."""
    if not 1 <= month <= 12 or day < 1:
        return False
    if month == 2 and _is_leap(year):
        return day <= 29
    return day <= _DAYS_IN_MONTH[month - 1]


def _luhn_valid(ten_digits: str) -> bool:
    """Check the Luhn digit of the 10-digit form ``YYMMDDNNNC``.

    Weights 2, 1, 2, 1, ... apply to the first nine digits; a product of two
    digits contributes the sum of its digits (i.e. ``p - 9`` when ``p > 9``).
    """
    total = 0
    for index, char in enumerate(ten_digits[:9]):
        product = (ord(char) - 48) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return (10 - total % 10) % 10 == ord(ten_digits[9]) - 48


def _kind_and_day(day_field: int) -> tuple[PersonalIdKind, int]:
    """Split the day field into the id kind and the real day of birth."""
    if day_field > _SAMORDNING_DAY_OFFSET:
        return "samordningsnummer", day_field - _SAMORDNING_DAY_OFFSET
    return "personnummer", day_field


def _validate(match: re.Match[str]) -> PersonalIdKind | None:
    """Return the id kind if the regex candidate passes every rule, else None."""
    century = match.group("century")
    if century is not None:
        yy, mm, dd = match.group("yy12"), match.group("mm12"), match.group("dd12")
        serial, check = match.group("serial12"), match.group("check12")
        if int(century) not in _VALID_CENTURIES:
            return None
        kind, day = _kind_and_day(int(dd))
        if not _date_exists(int(century + yy), int(mm), day):
            return None
    else:
        yy, mm, dd = match.group("yy"), match.group("mm"), match.group("dd")
        serial, check = match.group("serial"), match.group("check")
        # "+" means the person is 100 or older, so the birth year is 18YY or
        # 19YY; otherwise it is 19YY or 20YY. The century only matters for
        # 29 February (e.g. 000229 exists as 2000-02-29 but not 1900-02-29).
        centuries = (1800, 1900) if match.group("sep") == "+" else (1900, 2000)
        kind, day = _kind_and_day(int(dd))
        month, year_in_century = int(mm), int(yy)
        if not any(_date_exists(c + year_in_century, month, day) for c in centuries):
            return None
    # Written with a separator, or as twelve digits from a real birth date ("194905061111"), the
    # shape alone says "personnummer": a mistyped check digit makes it no less a person's number, so
    # it is redacted too. A bare run of ten digits starting with 0 needs the Luhn digit, or phone
    # numbers ("0701234567" is also 23 January 2007) would be hit; one that does not start with 0
    # is no Swedish phone number, so a real date is enough ("4503122381", its check digit mistyped).
    separated = not match.group(0).isdigit()
    if not separated and century is None and yy.startswith("0") and not _luhn_valid(yy + mm + dd + serial + check):
        return None
    return kind


def find_personal_ids(text: str) -> list[PersonalIdMatch]:
    """Return every valid personnummer/samordningsnummer in ``text``.

    Why: callers need positions (not just a yes/no) to redact or to highlight
    what to remove before anything is stored or posted. Matches are returned
    in text order and never overlap. Never raises for ``str`` input.
    """
    found: list[PersonalIdMatch] = []
    for match in _CANDIDATE_RE.finditer(text):
        kind = _validate(match)
        if kind is not None:
            found.append(PersonalIdMatch(match.start(), match.end(), kind))
    return found


def redact_personal_ids(text: str, replacement: str) -> tuple[str, int]:
    """Replace every identity number in ``text`` with ``replacement``.

    Why: this is the gate before storage or broadcast; the count lets callers
    log or tell the user *that* something was removed without keeping *what*.
    ``replacement`` is supplied by the caller (it comes from the content
    files) so no user-facing wording lives in this module. Returns the
    redacted text and the number of replacements. Never raises for ``str``
    input.
    """
    matches = find_personal_ids(text)
    if not matches:
        return text, 0
    parts: list[str] = []
    position = 0
    for found in matches:
        parts.append(text[position:found.start])
        parts.append(replacement)
        position = found.end
    parts.append(text[position:])
    return "".join(parts), len(matches)


def contains_personal_id(text: str) -> bool:
    """Return whether ``text`` contains at least one identity number.

    Why: lets callers refuse to store a message outright instead of
    redacting it. Stops at the first valid match. Never raises for ``str``
    input.
    """
    return any(_validate(match) is not None for match in _CANDIDATE_RE.finditer(text))


# Characters that change how text is shown without being seen: bidi overrides and isolates
# (U+202A–202E, U+2066–2069, U+061C) can make "tes ok" read backwards or hide a link's real
# text; zero-width characters (U+200B–200F, U+2060–2064, U+FEFF, U+180E, U+00AD) can split a
# word so a filter does not see it. None belongs in a notice or a report.
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def remove_invisible(text: str) -> str:
    """Text without bidi overrides and zero-width characters."""
    return _INVISIBLE.sub("", text)


def clean_text(text: str, replacement: str) -> str:
    """What a service stores or sends to a channel: no personal identity numbers, nothing invisible."""
    return redact_personal_ids(remove_invisible(text), replacement)[0]
