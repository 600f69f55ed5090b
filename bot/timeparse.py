"""Read the answer to "när började felet?" (when did the fault start?).

Staff answer in free text, in Swedish (often without å/ä/ö) or English:
"kl 14", "halv 8", "för en halvtimme sen", "igår kväll", "i måndags kl 20",
"27/11", "vet inte", "2 hours ago" ... This module turns such an answer into
an aware datetime, or says that the user does not know, or gives up (None)
so the bot can ask again.

Two entry points:

* parse_start_time(text, now) reads a whole answer to the question. A bare
  number ("14") is accepted here, and so are "nu", "idag", "lunch" and the
  "don't know" phrases.
* find_start_time(text, now) looks for a time inside a longer message, such
  as the first message of a fault report. Digits count only with a time
  marker (kl, sedan, vid, at, since, ...), as HH:MM / HH.MM, or next to a day
  ("igår 22"), so phone numbers and unit numbers are not read as times.
  It never returns "unknown".

How the text is read:

* Everything is lower-cased and folded to ASCII first (å/ä -> a, ö -> o,
  curly quotes -> '), so every pattern below is written without å/ä/ö.
* A table of rules (_RULES) is tried in order; each is a compiled regex plus
  a function that turns a match into a datetime, or rejects it. The first
  rule with an acceptable match wins, so combined forms ("igår kl 22") come
  before their parts ("kl 22", "igår").
* The time-of-day rules share one interpreter (_interpret_parts) working on
  up to three named pieces: a DAY ("igår", "i måndags", "27/11"), a DAYPART
  ("i morse", "kväll") and a CLOCK ("kl 14", "halv 8", "2-tiden", "2pm").

Choices, where the answer is not obvious:

* A start time is never in the future. A clock time with no day that is later
  than now means yesterday ("kl 23" at 07:00 -> yesterday 23:00). An
  explicit "today" (idag, i morse, i eftermiddags, i kväll, today's date)
  with a later time is clamped to now. An explicit future date gives None.
* A bare hour from 1 to 12 ("kl 5", "sen 7", "vid sex", "runt tio") is read
  as people say it: whichever of the two readings is most recent ("kl 5" at
  17:05 is 17:00, at 07:00 it is 05:00; independent benchmark writers read
  them so every time). So are the forms that are 12-hour by nature - "halv 8",
  "kvart i 8", "vid 2-tiden", "tvåtiden", "half past 7" (at 21:00 "halv 8" is
  19:30; at 15:10 it is 07:30). Minutes or a leading zero ("6.40", "07") are
  the 24-hour clock. On an explicit earlier day ("igår halv 8") the daytime reading
  07:00-18:59 is taken. A day part settles it either way:
  "i kväll kl 8" is 20:00, "i natt vid 11" is 23:00.
* Day parts: i morse 07:00, i förmiddags 10:00, lunch 12:00,
  i eftermiddags 14:00, i kväll 19:00 (after midnight but before 05:00,
  "i kväll" is the evening that just passed), i natt = the most recent 02:00.
  On an explicit day, "natt" is 23:00 of that day ("igår natt").
* A day without a time ("igår", "i måndags", "27/11", "för två dagar sen")
  is 12:00 that day.
* "en stund sen" / "a while ago" is 15 minutes ago: short enough that the
  fault is still fresh, long enough not to pretend it was "just now".
* "nyss"/"alldeles nyss" are now, also inside a sentence; "nu", "just nu",
  "precis", "just now" are now only as a whole answer, because in a
  sentence ("Treserva funkar inte just nu") they describe the present state,
  not when it started.
* Relative amounts ("för en timme sen") are elapsed time, counted in UTC, so
  across a DST switch "an hour ago" is 60 real minutes ago. Clock times and
  days use the local wall clock ("kl 14" is 14:00 local that day).
* "några" / "a few" count as 3, "ett par" / "a couple" as 2.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Callable, Literal, NamedTuple

__all__ = ["StartTime", "parse_start_time", "find_start_time"]


@dataclass(frozen=True)
class StartTime:
    kind: Literal["time", "unknown"]  # "unknown" = the user said they don't know
    value: datetime | None  # aware datetime in now's tz when kind == "time"


def parse_start_time(text: str, now: datetime) -> StartTime | None:
    """Read a whole answer to "när började felet?".

    None when the text holds no time expression at all (and no "don't know").
    """
    _check_now(now)
    if not isinstance(text, str):
        return None
    norm = _normalize(text)
    if not norm:
        return None
    # A whole answer is short; only then try reading it as one expression
    # (which is what lets a bare "14" or "nu" through).
    if len(norm) <= _WHOLE_ANSWER_MAX:
        core = _trim_fillers(norm)
        if core:
            hit = _first_hit(core, now, whole=True)
            if hit is not None:
                return hit
    # "strax efter midnatt, 00.20": the minutes written out say it more exactly than the words around them
    # (unless a day is named with them, in words or digits: "i går kväll 21.30", "1.5 10.30").
    exact = _EXACT_CLOCK.findall(norm)
    if len(exact) == 1 and not _HAS_DAY.search(norm) and not any(ch.isdigit() for ch in norm.replace(exact[0], "")):
        hit = _first_hit(exact[0], now, whole=True)
        if hit is not None:
            return hit
    hit = _first_hit(norm, now, whole=False)
    if hit is not None:
        return hit
    if _ONLY_QUESTION_MARKS.fullmatch(norm) or _UNKNOWN.search(norm):
        return StartTime("unknown", None)
    # "sen vi började 7", "10 o'clock": asked when it started, the one number in the answer is the hour.
    # (Not "runt 20 brukare", "rum 12": a number of something; nor "imorgon kl 8", which the rules refused.)
    numbers = list(_LONE_NUMBER.finditer(norm))
    if len(numbers) == 1 and len(norm) <= _LONE_NUMBER_ANSWER_MAX and not (_HAS_DAY.search(norm)
                                                                            or _HAS_PART.search(norm)):
        m = numbers[0]
        if not _NOT_TIME_BEFORE.search(norm, max(0, m.start() - 12), m.start()) \
                and _LONE_NUMBER_END.fullmatch(norm, m.end()):
            return _first_hit(m.group(), now, whole=True)
    return None


_EXACT_CLOCK = re.compile(r"(?<![\d.:/-])\d{1,2}[.:]\d{2}(?![\d:/-]|[.,]\d)")   # (a comma after it ends a clause)
_LONE_NUMBER = re.compile(r"(?<![\d.:,/-])\d{1,2}(?![\d.:,/a-z-])")
_LONE_NUMBER_END = re.compile(r" ?(?:o ?'? ?clock|tiden)?[ .!?]*")
_LONE_NUMBER_ANSWER_MAX = 40


def find_start_time(text: str, now: datetime) -> StartTime | None:
    """Like parse_start_time, but finds a time expression inside a longer message.

    'Treserva går inte att öppna sedan kl 14' -> today 14:00. Returns None if
    there is none; never returns kind "unknown".
    """
    _check_now(now)
    if not isinstance(text, str):
        return None
    norm = _POSSESSIVE_DAY.sub(" ", _normalize(text))   # "yesterday's schedule" says no time
    if not norm.strip():
        return None
    return _first_hit(norm, now, whole=False)


_POSSESSIVE_DAY = re.compile(r"\b(?:yesterday|today|tonight|tomorrow)'s\b")


# --------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------

_WHOLE_ANSWER_MAX = 200

_CHAR_MAP = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u00b4": "'", "`": "'",
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
        "\u2014": "-", "\u2212": "-",
        "ø": "o", "æ": "a",  # Norwegian/Danish keyboards
    }
)
_COMBINING = re.compile(r"[\u0300-\u036f]+")
_SPACES = re.compile(r"\s+")
# "igårkväll", "idagmorse" are often written as one word; split them so the
# day and the day part are two pieces.
_GLUED_DAY = re.compile(
    r"\b(i ?gar|i ?dag|i ?forr?gar)(?=kvall|morse|morgo|natt|eftermiddag|formiddag|lunch|afton)"
)


def _normalize(text: str) -> str:
    # lower() before NFKD: lower-casing can itself produce combining marks.
    text = unicodedata.normalize("NFKD", text.lower())
    text = _COMBINING.sub("", text).translate(_CHAR_MAP)  # å ä ö é -> a a o e
    text = _SPACES.sub(" ", text).strip()
    text = _GLUED_DAY.sub(r"\1 ", text)
    return _minutes_past_said_after(_after_hour_word(text))


def _after_hour_word(text: str) -> str:
    """'strax efter sex' -> 'kring sex' (as 'efter 6' is read): an hour written as a word."""
    return _AFTER_HOUR_WORD.sub(r"kring \1", text)


def _minutes_past_said_after(text: str) -> str:
    """'kring atta, typ kvart over' -> 'kvart over atta': the minutes past, said after the hour."""
    return _MINUTES_AFTER.sub(lambda m: f"{m.group('minutes')} over {m.group('hour')}", text)


# Words around a whole answer that carry no time: "typ 14", "14 ungefär",
# "det började igår". Stripped before the whole-answer pass only, one piece at
# a time: a single repeated pattern here would backtrack exponentially on a
# run of punctuation ("kl 14 !!!!!!!!!!!!!!!!!!!!!!!! x").
_LEADING_FILLER = re.compile(
    r"[\W_]+|(?:(?:det |it )?(?:borjade|startade|hande|var|started|began|happened|was)"
    r"|kanske|typ|ungefar|nog|nagon gang|jag tror|tror jag|maybe|probably|i think|roughly"
    r"|approximately)\b"
)
_TRAILING_FILLER = re.compile(
    r"(?:[\W_]+|(?:(?<=\d)|\b)-?ish|\b(?:ungefar|typ|kanske|nog|tror jag|tror det|i think"
    r"|or so|eller sa|eller nat|nagon gang|nagonstans))$"
)


def _trim_fillers(text: str) -> str:
    while True:
        lead = _LEADING_FILLER.match(text)
        if lead and lead.end():
            text = text[lead.end():]
            continue
        trail = _TRAILING_FILLER.search(text)
        if trail and trail.start() < len(text):
            text = text[: trail.start()]
            continue
        return text


# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------


def _alternation(words) -> str:
    """Regex alternation, longest first so "tjugofem" wins over "tjugo"."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_SV_HOURS = {"ett": 1, "tva": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7,
             "atta": 8, "nio": 9, "tio": 10, "elva": 11, "tolv": 12}
_EN_HOURS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
             "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_SPOKEN_MINUTES = {"kvart": 15, "tjugofem": 25, "tjugo": 20, "fem": 5, "tio": 10,
                   "half": 30, "a quarter": 15, "quarter": 15, "twenty five": 25,
                   "twenty-five": 25, "twenty": 20, "ten": 10, "five": 5}

# Amounts in relative expressions ("för två timmar sen", "a few minutes ago").
_AMOUNTS = {
    "en": 1, "ett": 1, "ena": 1, "tva": 2, "tre": 3, "fyra": 4, "fem": 5,
    "sex": 6, "sju": 7, "atta": 8, "nio": 9, "tio": 10, "elva": 11, "tolv": 12,
    "femton": 15, "tjugo": 20, "tjugofem": 25, "trettio": 30, "fyrtio": 40,
    "fyrtiofem": 45, "femtio": 50, "ett par": 2, "ett par tre": 3, "nagra": 3,
    "en och en halv": 1.5, "ett och ett halvt": 1.5,
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
    "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "a couple of": 2, "a couple": 2, "couple of": 2, "a few": 3,
    "few": 3, "several": 3, "half an": 0.5, "half a": 0.5, "one and a half": 1.5,
    "1/2": 0.5, "1 1/2": 1.5,
}
# Units: length in seconds, or "day"/"week" (calendar days, landing at 12:00
# like "igår" does).
_UNITS: dict[str, int | str] = {}
for _words, _value in (
    ("sekunder sekund sek seconds second secs sec", 1),
    ("minuter minutrar minut minutes minute mins min m", 60),
    ("halvtimmar halvtimmen halvtimme halvtimma", 1800),
    ("timmar timmen timme timma tim hours hour hrs hr h", 3600),
    ("kvartar kvart quarters quarter", 900),
    ("dygn", 86400),
    ("dagar dag days day", "day"),
    ("veckor vecka weeks week", "week"),
):
    _UNITS.update(dict.fromkeys(_words.split(), _value))
_UNITS.update({"halv timme": 1800, "halv timma": 1800, "half hour": 1800,
               "half-hour": 1800, "quarter of an hour": 900})
_MAX_AGO = timedelta(days=400)  # anything older is not a live outage

_WEEKDAYS = {"mandag": 0, "tisdag": 1, "onsdag": 2, "torsdag": 3, "fredag": 4,
             "lordag": 5, "sondag": 6, "monday": 0, "tuesday": 1, "wednesday": 2,
             "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_SV_WEEKDAYS = _alternation(list(_WEEKDAYS)[:7])
_EN_WEEKDAYS = _alternation(list(_WEEKDAYS)[7:])
_MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "maj": 5, "jun": 6, "jul": 7,
           "aug": 8, "sep": 9, "okt": 10, "oct": 10, "nov": 11, "dec": 12}
# Month names by their first three letters. "mar" and English "may" are left
# out on purpose ("jag mår", "it may"); "mars" and "maj" stay.
_MONTH_NAMES = _alternation(
    "januari january jan februari february feb mars march april apr maj juni june jun "
    "juli july jul augusti august aug september sept sep oktober october okt oct "
    "november nov december dec".split()
)

# Day parts: where a bare day part lands, and the hours a clock time must fall
# in to belong to it ("i kväll kl 8" -> 20:00).
_PART_START = {"morning": 7, "forenoon": 10, "lunch": 12, "afternoon": 14,
               "evening": 19, "night": 2}
_PART_HOURS = {"morning": range(4, 11), "forenoon": range(8, 13), "lunch": range(11, 15),
               "afternoon": range(12, 19), "evening": range(17, 24),
               "night": (21, 22, 23, 0, 1, 2, 3, 4, 5)}
_PART_BY_PREFIX = (("formiddag", "forenoon"), ("mor", "morning"), ("lunch", "lunch"),
                   ("eftermiddag", "afternoon"), ("afternoon", "afternoon"),
                   ("kvall", "evening"), ("afton", "evening"), ("evening", "evening"),
                   ("tonight", "evening"), ("natt", "night"), ("night", "night"),
                   ("overnight", "night"))
# Day-part words that alone, inside a sentence, are too vague ("varje kväll",
# "tog lunch"): they need a preposition, a day or a clock time next to them.
_BARE_PART_WORDS = frozenset(
    "morgon morgonen morning formiddag formiddagen lunch lunchen eftermiddag "
    "eftermiddagen afternoon kvall kvallen afton aftonen evening natt natten night tonight".split()
)


# --------------------------------------------------------------------------
# Regex fragments (on normalised text: lower case, no å/ä/ö, single spaces)
# --------------------------------------------------------------------------

_WEAK_MARKER = (
    "sedan|sen|fran|vid|runt|kring|omkring|cirka|ca|mellan|at|since|around|about|from|between|approx"
)
_STRONG_MARKER = "klockan|klocka|kl|klo"
# A hedge after the marker: "sen typ 7", "since like 7", "sedan ungefär 7".
_HEDGE = "(?:typ|ungefar|ungefär|like|roughly|approximately|circa|cirka|ca|runt|omkring|kring|about|around)"
_SV_HOUR = _alternation(_SV_HOURS)
# "strax efter sex", "nån gång efter åtta, typ kvart över" (not "efter två timmar").
_AFTER_HOUR_WORD = re.compile(rf"\b(?:(?:strax|lite|precis|just) )?efter ({_SV_HOUR})\b(?! ?(?:tim|h\b|min|dag))")
_MINUTES_AFTER = re.compile(rf"\bkring (?P<hour>{_SV_HOUR}|\d{{1,2}})\b[ ,]+(?:(?:typ|ungefar|kanske|nog|ca) )?"
                            rf"(?P<minutes>kvart|tjugofem|tjugo|fem|tio|\d{{1,2}}) over\b(?! ?(?:{_SV_HOUR}|\d))")
_EN_HOUR = _alternation(_EN_HOURS)

# CLOCK: a time of day. The alternatives are ordered so that "2-tiden" and
# "2pm" are not cut short as a bare "2".
_CLOCK = (
    r"(?<![\w.:/-])"
    rf"(?:(?P<weak>{_WEAK_MARKER})(?![a-z])[.:]? ?(?:{_HEDGE} )?)?"
    rf"(?:(?P<strong>{_STRONG_MARKER})(?![a-z])[.:]? ?)?"
    r"(?:"
    # "halv 8", "kvart över 7", "kvart i 8", "fem i halv 8", "20 över 7"
    r"(?:(?P<c_min>kvart|tjugofem|tjugo|fem|tio|25|20|10|5) (?P<c_dir>over|i) (?:(?P<c_half2>halv) )?"
    rf"|(?P<c_half>halv) )(?P<c_h>\d{{1,2}}|{_SV_HOUR})"
    # "half past 7", "quarter to eight"
    r"|(?P<e_min>half|a quarter|quarter|twenty[ -]five|twenty|ten|five|25|20|10|5) (?P<e_dir>past|to) "
    rf"(?P<e_h>\d{{1,2}}|{_EN_HOUR})"
    # "2-tiden", "14 tiden", "tvåtiden", "ettiden", "halv tretiden"
    rf"|(?:(?P<t_half>halv) )?(?P<t_h>\d{{1,2}}|{_SV_HOUR})(?: ?- ?| )?t?iden"
    # "2pm", "2.30 p.m."
    r"|(?P<a_h>\d{1,2})(?:[.:](?P<a_m>\d{2}))? ?(?P<a_p>[ap])\.?m\b\.?"
    r"|(?P<noon>noon|midday)|(?P<midnight>midnatt|midnight)"
    # "vid sex", "since seven": an hour in words, only after a marker (vetted in _clock)
    rf"|(?P<w_h>{_SV_HOUR}|{_EN_HOUR})(?= |$)"
    # "14", "14.30", "14:30", "1430" (bare digits are vetted in _clock)
    r"|(?P<d_h>\d{1,4})(?:[.:](?P<d_m>\d{2}))?"
    r")(?!\w|[.:/,]\d)"
)

# DAY: a calendar day.
_DAY = (
    r"(?<![\w/.:-])(?:"
    # Tomorrow is never a start time; recognised only to be refused.
    r"(?P<future>i ?morgon(?![a-z])|i ?overmorgon|tomorrow)"
    r"|(?P<dby>i ?forr?(?: ?gar|gaar)|(?:the )?day before yesterday)"
    r"|(?P<today>i ?dag|today)"
    r"|(?P<yday>i ?gar|igaar|yesterday)"
    rf"|i ?(?P<wd>{_SV_WEEKDAYS})s"  # "i måndags" = last Monday
    rf"|(?:last|on|since) (?P<ewd>{_EN_WEEKDAYS})"
    r"|(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})"  # ISO 2026-11-27
    # 27/11, 27/11/2026 - but not a fraction ("3/4 av personalen", "1/2 timme")
    r"|(?P<dd>\d{1,2})/(?P<dmo>\d{1,2})(?:/(?P<dyr>\d{4}|\d{2}))?"
    r"(?![\d/])(?! ?(?:av|of|delar|tim|h\b|min))"
    rf"|(?:den )?(?P<dd2>\d{{1,2}})(?::?[ae])? (?P<mname>{_MONTH_NAMES})\b"
    r")"
)

# DAYPART: "i morse", "i eftermiddags", "på kvällen", "last night", "lunch".
_DAYPART = (
    r"(?<![a-z])(?P<dp>(?P<dp_pre>i ?|(?:pa|under|sedan|sen|fran|vid|runt|kring|efter|innan"
    r"|fore|mot|tidigt|early this|this|in the|during the|last|since|at|around|before|after"
    r"|from) )?"
    r"(?P<dp_word>mor(?:r?se|ges|gse|gonas)s?|morgon(?:en)?|morning"
    r"|formiddag(?:s|en)?|lunch(?:en)?(?: ?tid(?:en)?)?|lunchtime"
    r"|eftermiddag(?:s|en)?|afternoon|kvall(?:en)?|afton(?:en)?|evening|tonight"
    r"|natt(?:en)?|night|overnight))\b"
    # Not a team named for its hours: "natt-teamet", "the evening group", "kvällspersonalen" is one word anyway.
    r"(?!-\w| (?:team|teamet|group|grupp|gruppen|patrol|patrullen|crew|staff|personalen|laget|shift|skiftet)\b)"
)

# Words allowed between the pieces of a combination: "igår vid ungefär kl 22",
# "i söndags, runt 20", "yesterday at about 10pm".
_SEP = (
    r"[ ,]{0,3}(?:(?:vid|runt|kring|omkring|ca|cirka|ungefar|typ|strax|tidigt|sent|sen|efter"
    r"|fore|innan|pa|under|mot|och|at|around|about|in|the|on|early|late)[ ,]{1,3}){0,3}?"
)

# Relative amounts: "för 10 min sen", "sedan två timmar", "i en halvtimme",
# "2 hours ago", "for the last 20 minutes".
_RELATIVE = (
    r"(?<![\w.,/])"
    r"(?:(?P<pre>for the (?:last|past)|in the (?:last|past)|the (?:last|past)|for|sedan|sen|i|since) )?"
    r"(?:(?:ca\.?|cirka|ungefar|typ|nastan|drygt|knappt|over|runt|kring|about|around|almost"
    r"|nearly|roughly|like|some|approx\.?) )?"
    rf"(?P<num>\d{{1,6}}(?:[.,]\d{{1,2}})?|{_alternation(_AMOUNTS)}) ?"
    rf"(?P<unit>{_alternation(_UNITS)})(?!\w)"
    r"(?: (?P<post>sen|sedan|ago|tillbaka|back))?"
)

_A_WHILE = (
    r"(?<![\w])(?:(?:for|sedan) )?(?:en (?:liten |kort )?stund|a (?:little |short )?while)"
    r"(?P<ago> (?:sen|sedan|ago|tillbaka|back))?(?!\w)"
)

_JUST_NOW = (
    r"(?<![\w])(?:"
    r"(?P<recent>(?:alldeles|helt|precis|just) nyss|nyss|just a moment ago|a moment ago"
    r"|a few moments ago|moments ago)"
    r"|(?P<nowish>precis nu|nu precis|just nu|alldeles nu|precis|right now|just now|now|nu|just)"
    r")(?!\w)"
)

_ISO_DATETIME = (
    r"(?<![\w-])(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})[t ](?P<h>\d{1,2}):(?P<mi>\d{2})"
    r"(?::\d{2}(?:\.\d{1,9})?)?(?P<tz>z|[+-]\d{2}:?\d{2})?(?![\w:])"
)

_UNKNOWN = re.compile(
    r"(?<![\w])(?:vet (?:inte|ej|int|inge|nt)|vetinte|vetej|vete (?:tusan|katten|fan)"
    r"|(?:har )?ingen (?:aning|anig|koll|ide)|oklart|osakert?|okant|minns (?:inte|ej)"
    r"|kommer (?:inte|ej) ihag|kan inte saga|svart att saga"
    r"|don'?t know|do not know|dunno|idk|no idea|no clue|not sure|unsure|unknown"
    r"|(?:can'?t|cannot|don'?t|do not) remember|not certain)(?!\w)"
)
_ONLY_QUESTION_MARKS = re.compile(r"[?!. ]{0,20}\?[?!. ]{0,20}")

# What may follow a bare hour found inside a sentence ("sedan 14 har ingen
# kunnat logga in"). Anything else - "vid 2 tillfällen", "runt 20 brukare",
# "ca 20 70 00" - means the number is not a time.
_OK_AFTER_BARE_HOUR = frozenset(
    "och eller till typ ungefar ca cirka kanske tror har hade ar var gar gick funkar "
    "funkade fungerar fungerade kan kunde ligger lag kom kommer blev slutade borjade "
    "startade dog hande nar da sa men ish idag igar and or to until but when then it we "
    "they everything nothing nobody the today yesterday this oclock o'clock".split()
)
_NEXT_TOKEN = re.compile(r" ?([a-z']+|\S)?")
# Words before HH.MM that show it is not a time ("version 5.12", "rum 14.30").
_NOT_TIME_BEFORE = re.compile(r"(?:version|ver|v|nr|nummer|rum|tel|telefon|pris|summa)\.? ?$")
# Units after HH.MM that show it is an amount, not a time ("13.20 kr").
_AMOUNT_UNIT_AFTER = re.compile(
    r" ?(?:kr|kronor|sek|:-|%|procent|euro|eur|mb|gb|kb|kg|km|mil|st|stycken|ggr|ganger|mm|cm"
    r"|grader|°)(?![a-z])"
)


# Speed. Every rule's match contains at least one of these anchors, and no
# match is longer than _REACH characters. A long message is cut down to the
# stretches within _REACH of an anchor before the rules run, which keeps a
# 50,000-character paste of prose fast without changing what is found. Text
# dense with anchors (a log dump full of numbers) is examined only up to
# _SCAN_BUDGET characters of such stretches: that bounds the worst case, and
# no real answer or report comes near it.
_DAY_HINT = (
    r"i ?(?:dag|gar|forr?|overmorgon|morgon)|igaar|day|dags\b|yesterday|tomorrow"
    r"|\d ?[/-] ?\d|\d(?::?[ae])? [a-z]{3}"
)
_PART_HINT = (
    r"mor(?:r?se|ges|gse|gon|ning)|formiddag|lunch|eftermiddag|afternoon|kvall|afton"
    r"|evening|tonight|natt|night"
)
_ANCHOR = re.compile(
    r"\d+|(?<![a-z])(?:"  # digits anywhere; otherwise words, tried only at word starts
    r"i ?(?:dag|gar|forr?|overmorgon|morgon|mor|kvall|natt|eftermiddag|formiddag|afton)|igaar"
    r"|kl|klo|halv|kvart|over|fem|tio|tjugo|half|quarter|twenty|ten|five"
    r"|noon|midday|midnatt|midnight|nyss|nu|precis|just|now|moment|stund|while"
    r"|sek|sec|min|tim|hour|hr|[mh]\b|dygn|dag|day|veck|week|yesterday|tomorrow|today"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mor|formiddag|lunch|eftermiddag|afternoon|kvall|afton|evening|tonight|natt|night"
    r"|[a-z]*(?:iden|dags)\b"  # "tvåtiden", "i måndags"
    r")"
)
_HAS_DAY = re.compile(_DAY_HINT)
_HAS_PART = re.compile(_PART_HINT)
_REACH = 250
_WINDOWS_FROM = 1000  # shorter texts are scanned as they are
_SCAN_BUDGET = 4000


def _time_windows(text: str) -> str:
    """The parts of a long text near an anchor, joined by a separator that
    no pattern crosses, at most _SCAN_BUDGET characters."""
    spans: list[list[int]] = []
    total = 0
    for anchor in _ANCHOR.finditer(text):
        start, end = max(0, anchor.start() - _REACH), min(len(text), anchor.end() + _REACH)
        if spans and start <= spans[-1][1]:
            total += max(0, end - spans[-1][1])
            spans[-1][1] = max(end, spans[-1][1])
        else:
            spans.append([start, end])
            total += end - start
        if total >= _SCAN_BUDGET:
            break
    reduced = " \x00 ".join(text[start:end] for start, end in spans)
    if len(reduced) > _SCAN_BUDGET:
        cut = reduced.rfind(" ", 0, _SCAN_BUDGET)
        reduced = reduced[: cut if cut > 0 else _SCAN_BUDGET]
    return reduced


# --------------------------------------------------------------------------
# Interpreting matches
# --------------------------------------------------------------------------


class _Reject(Exception):
    """This match is not a start time ("vid 2 tillfällen"); later rules may
    still read the same words differently."""


class _Invalid(_Reject):
    """This match is a time expression, but an impossible or future one
    ("kl 25", "31/2", "i morgon", next week's date). Its words are then off
    limits to later rules, so "2026-12-01 10:00" does not become today 10:00."""


class _Clock(NamedTuple):
    minutes: tuple[int, ...]  # candidate minutes after midnight, preferred first
    twelve_hour: bool  # spoken 12-hour form: no reading is preferred


def _interpret_parts(m: re.Match, now: datetime, whole: bool) -> datetime | None:
    """Shared by every DAY / DAYPART / CLOCK rule and their combinations."""
    g = m.groupdict()
    day = _day(g, now)
    part, bare_part = _part(g)
    clock = _clock(m, g, whole, has_context=day is not None or part is not None)
    if clock is None and not whole:
        if bare_part and day is None:
            raise _Reject  # "tog lunch", "varje kväll"
        if g.get("today") and part is None:
            raise _Reject  # "funkar inte idag" says nothing about when it started
    return _resolve(now, day, part, clock)


def _day(g: dict, now: datetime) -> date | None:
    today = now.date()
    if g.get("future"):
        raise _Invalid
    if g.get("today"):
        return today
    if g.get("yday"):
        return today - timedelta(days=1)
    if g.get("dby"):
        return today - timedelta(days=2)
    weekday = g.get("wd") or g.get("ewd")
    if weekday:
        # "i måndags" said on a Monday means a week ago, never today.
        back = (today.weekday() - _WEEKDAYS[weekday]) % 7 or 7
        return today - timedelta(days=back)
    if g.get("iy"):
        return date(int(g["iy"]), int(g["im"]), int(g["id"]))  # future: _on_day rejects
    if g.get("dd") or g.get("dd2"):
        day_of_month = int(g["dd"] or g["dd2"])
        month = int(g["dmo"]) if g.get("dmo") else _MONTHS[g["mname"][:3]]
        if g.get("dyr"):
            year = int(g["dyr"])
            return date(year + 2000 if year < 100 else year, month, day_of_month)
        # No year: the most recent such date, so "27/12" in November is last year.
        candidate = date(today.year, month, day_of_month) if _valid(today.year, month, day_of_month) else None
        if candidate is None or candidate > today:
            candidate = date(today.year - 1, month, day_of_month)
        return candidate
    return None


def _valid(year: int, month: int, day_of_month: int) -> bool:
    try:
        date(year, month, day_of_month)
    except ValueError:
        return False
    return True


def _part(g: dict) -> tuple[str | None, bool]:
    """The day part named, and whether it was a bare word ("kvällen")."""
    word = g.get("dp_word")
    if not word:
        return None, False
    pre = (g.get("dp_pre") or "").strip()
    if word in ("morgon", "morgonen") and pre == "i":
        raise _Invalid  # "i morgon" is tomorrow
    part = next(p for prefix, p in _PART_BY_PREFIX if word.startswith(prefix))
    return part, not pre and word in _BARE_PART_WORDS


def _clock(m: re.Match, g: dict, whole: bool, has_context: bool) -> _Clock | None:
    if g.get("c_h"):  # "halv 8", "kvart i 8"
        offset = -30 if (g["c_half"] or g["c_half2"]) else 0
        if g["c_min"]:
            minutes = _SPOKEN_MINUTES.get(g["c_min"]) or int(g["c_min"])
            offset += minutes if g["c_dir"] == "over" else -minutes
        return _spoken(_hour_value(g["c_h"]), offset)
    if g.get("t_h"):  # "vid 2-tiden"
        return _spoken(_hour_value(g["t_h"]), -30 if g["t_half"] else 0)
    if g.get("e_h"):  # "half past 7"
        minutes = _SPOKEN_MINUTES.get(g["e_min"]) or int(g["e_min"])   # "10 past 11" as "ten past eleven"
        return _spoken(_hour_value(g["e_h"]), minutes if g["e_dir"] == "past" else -minutes)
    if g.get("a_h"):  # "2pm"
        hour, minute = int(g["a_h"]), int(g["a_m"] or 0)
        if not 1 <= hour <= 12 or minute > 59:
            raise _Invalid
        return _Clock(((hour % 12 + (12 if g["a_p"] == "p" else 0)) * 60 + minute,), False)
    if g.get("noon"):
        return _Clock((12 * 60,), False)
    if g.get("midnight"):
        return _Clock((0,), False)
    if g.get("w_h"):  # "i morse vid sex": a word is an hour only where a marker says so, or as the answer
        if not (g.get("weak") or g.get("strong") or whole):
            raise _Reject
        return _spoken(_hour_value(g["w_h"]), 0)   # spoken, so 12-hour: "runt tio" at 22:18 is 22:00
    if g.get("d_h"):
        return _digits(m, g, whole, has_context)
    return None


def _digits(m: re.Match, g: dict, whole: bool, has_context: bool) -> _Clock:
    """"14", "14.30", "kl 1430": 24-hour clock, vetted against phone numbers etc."""
    hours, minutes, strong = g["d_h"], g["d_m"], bool(g.get("strong"))
    if minutes is not None:  # HH.MM / HH:MM - a time on its own, unless an amount
        if len(hours) > 2:
            raise _Reject
        if not (strong or g.get("weak")) and (
            _AMOUNT_UNIT_AFTER.match(m.string, m.end("d_m"))
            or _NOT_TIME_BEFORE.search(m.string, max(0, m.start("d_h") - 12), m.start("d_h"))
        ):
            raise _Reject
        hour, minute = int(hours), int(minutes)
    elif len(hours) > 2:  # "1430" only after kl/klockan or sen/since, or as the whole answer
        if not (strong or g.get("weak") or whole):
            raise _Reject
        hour, minute = int(hours[:-2]), int(hours[-2:])
    else:  # a bare hour needs support: kl, a marker or a day next to it
        hour, minute = int(hours), 0
        if not (strong or whole):
            if not (g.get("weak") or has_context):
                raise _Reject
            end = m.end("d_h")
            if end == m.end() and not _plausible_after_hour(m.string, end):
                raise _Reject
    if hour == 24 and minute == 0:
        hour = 0
    if hour > 23 or minute > 59:
        raise _Invalid
    first = hour * 60 + minute
    if 1 <= hour <= 12:
        # "kl 5", "sen 7" as people write them: whichever half of the day is most recent ("kl 5" at
        # 17:05 is 17:00). Minutes or a leading zero ("6.40", "07") are the 24-hour clock: the other
        # half is used only if a day part asks.
        spoken = minutes is None and not hours.startswith("0") and len(hours) <= 2
        if hours.startswith("0"):
            return _Clock((first,), False)   # "01.30", "kl 08": the 24-hour clock, whatever the hour now
        return _Clock((first, ((hour + 12) % 24) * 60 + minute), spoken)
    return _Clock((first,), False)


def _plausible_after_hour(text: str, pos: int) -> bool:
    token = _NEXT_TOKEN.match(text, pos).group(1)
    if token is None or not (token[0].isalnum() or token in "%$€£°"):
        return True  # end of text or punctuation
    return token in _OK_AFTER_BARE_HOUR


def _hour_value(word: str) -> int:
    return _SV_HOURS.get(word) or _EN_HOURS.get(word) or int(word)


def _spoken(hour: int, offset: int) -> _Clock:
    """A spoken hour plus minutes: 1-12 is 12-hour ("halv 8"), 13-23 is exact."""
    if not 0 <= hour <= 24:
        raise _Invalid
    total = hour * 60 + offset
    if 1 <= hour <= 12:
        base = total % 720
        return _Clock((base, base + 720), True)
    return _Clock((total % 1440,), False)


def _resolve(now: datetime, day: date | None, part: str | None, clock: _Clock | None) -> datetime | None:
    today = now.date()
    if clock is not None:
        candidates = clock.minutes
        if part is not None:  # the day part picks the half of the day
            fitting = [c for c in candidates if c // 60 in _PART_HOURS[part]]
            candidates = fitting[:1] or candidates[:1]
        elif not clock.twelve_hour:
            # "6.40" is the 24-hour clock; yet "around 1.30" at 13:50 did not start twelve hours ago:
            # with no day said, a 24-hour reading more than 12 hours back gives way to the other.
            if day is None and len(candidates) > 1 and _ts(now) - _ts(_most_recent(now, candidates[0])) > 12 * 3600:
                candidates = candidates[1:2]
            else:
                candidates = candidates[:1]
        if day is not None:
            if len(candidates) > 1 and day != today:  # "igår halv 8": daytime
                candidates = [next((c for c in candidates if 7 <= c // 60 < 19), candidates[0])]
            return _on_day(now, day, candidates)
        if part in ("morning", "forenoon", "afternoon", "evening"):
            return _on_day(now, _part_day(part, now), candidates)
        return max((_most_recent(now, c) for c in candidates), key=_ts)
    if part is not None:
        if day is not None:
            return _on_day(now, day, [23 * 60 if part == "night" else _PART_START[part] * 60])
        if part in ("lunch", "night"):  # "vid lunch", "i natt": the most recent one
            return _most_recent(now, _PART_START[part] * 60)
        return _on_day(now, _part_day(part, now), [_PART_START[part] * 60])
    if day is not None:
        return _on_day(now, day, [12 * 60])
    return None


def _part_day(part: str, now: datetime) -> date:
    """The day "i morse", "i kväll" ... refer to: today, except that in the
    small hours "i kväll" is the evening that just ended."""
    if part == "evening" and now.hour < 5:
        return now.date() - timedelta(days=1)
    return now.date()


def _on_day(now: datetime, day: date, candidates) -> datetime:
    """The latest candidate on an explicit day that is not in the future;
    if they all are and the day is today, now."""
    if day > now.date():
        raise _Invalid  # a future date cannot be when the fault started
    times = [_wall(day, c, now) for c in candidates]
    past = [t for t in times if _ts(t) <= _ts(now)]
    if past:
        return max(past, key=_ts)
    return _minute(now)


def _most_recent(now: datetime, minute_of_day: int) -> datetime:
    """Today at that time, or yesterday if today's is still ahead."""
    candidate = _wall(now.date(), minute_of_day, now)
    if _ts(candidate) > _ts(now):
        candidate = _wall(now.date() - timedelta(days=1), minute_of_day, now)
    return candidate


def _wall(day: date, minute_of_day: int, now: datetime) -> datetime:
    """Local wall-clock time on a day, in now's time zone.

    Twice-occurring times (autumn DST) take the most recent occurrence that is
    not after now; skipped times (spring DST) move forward past the gap.
    """
    tz = now.tzinfo
    naive = datetime(day.year, day.month, day.day, *divmod(minute_of_day, 60))
    options = []
    for fold in (0, 1):
        aware = naive.replace(tzinfo=tz, fold=fold).astimezone(timezone.utc).astimezone(tz)
        if aware.replace(tzinfo=None) == naive:
            options.append(aware)
    if not options:  # inside the spring-forward gap
        return naive.replace(tzinfo=tz).astimezone(timezone.utc).astimezone(tz)
    past = [o for o in options if _ts(o) <= _ts(now)]
    return max(past, key=_ts) if past else min(options, key=_ts)


def _ago(now: datetime, seconds: float) -> datetime:
    """Elapsed time, counted in UTC so a DST switch does not add or lose an hour."""
    if seconds > _MAX_AGO.total_seconds():
        raise _Invalid
    then = now.astimezone(timezone.utc) - timedelta(seconds=seconds)
    return _minute(then.astimezone(now.tzinfo))


def _relative(m: re.Match, now: datetime, whole: bool) -> datetime:
    # "2 timmar" alone is only a start time as a whole answer; in a sentence it
    # needs "för/sedan/i ... (sen)" or "ago".
    if not (m["pre"] or m["post"] or whole):
        raise _Reject
    raw = m["num"]
    amount = _AMOUNTS[raw] if raw in _AMOUNTS else float(raw.replace(",", "."))
    unit = _UNITS[m["unit"]]
    if unit in ("day", "week"):
        days = amount * (7 if unit == "week" else 1)
        if days != int(days):
            return _ago(now, days * 86400)
        if days > _MAX_AGO.days:
            raise _Invalid
        return _on_day(now, now.date() - timedelta(days=int(days)), [12 * 60])
    return _ago(now, amount * unit)


def _a_while(m: re.Match, now: datetime, whole: bool) -> datetime:
    if not (m["ago"] or whole):
        raise _Reject
    return _ago(now, 15 * 60)  # "en stund sen": 15 minutes, see the module docstring


def _just_now(m: re.Match, now: datetime, whole: bool) -> datetime:
    if not (m["recent"] or whole):
        raise _Reject  # "funkar inte just nu" describes the present, not the start
    return _minute(now)


def _iso(m: re.Match, now: datetime, whole: bool) -> datetime:
    year, month, day_of_month = int(m["y"]), int(m["mo"]), int(m["d"])
    hour, minute = int(m["h"]), int(m["mi"])
    if hour > 23 or minute > 59:
        raise _Invalid
    if m["tz"]:  # an explicit offset: convert into now's zone
        if m["tz"] == "z":
            offset = timezone.utc
        else:
            sign = -1 if m["tz"][0] == "-" else 1
            digits = m["tz"][1:].replace(":", "")
            offset = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
        local = datetime(year, month, day_of_month, hour, minute, tzinfo=offset).astimezone(now.tzinfo)
        if _ts(local) > _ts(now) and local.date() > now.date():
            raise _Invalid
        return local
    return _on_day(now, date(year, month, day_of_month), [hour * 60 + minute])


def _ts(moment: datetime) -> float:
    # Compare via timestamps: datetimes sharing a tzinfo compare by wall clock
    # and ignore fold, which is wrong in the repeated autumn hour.
    return moment.timestamp()


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


# --------------------------------------------------------------------------
# The rule table, tried in order; the first acceptable match wins.
# --------------------------------------------------------------------------


class _Rule(NamedTuple):
    name: str
    pattern: re.Pattern
    interpret: Callable[[re.Match, datetime, bool], datetime | None]
    needs: frozenset[str]  # "day"/"part": skipped (for speed) if the text has no such word


def _rule(name: str, pattern: str, interpret, needs: str = "") -> _Rule:
    return _Rule(name, re.compile(pattern), interpret, frozenset(needs.split()))


_RULES = (
    # A full ISO timestamp first: it contains a date and a clock.
    _rule("iso datetime", _ISO_DATETIME, _iso),
    # Relative amounts before days: "för 1/2 timme" must not become 1 February,
    # "sedan 2 timmar" must not become 02:00.
    _rule("relative", _RELATIVE, _relative),
    _rule("a while ago", _A_WHILE, _a_while),
    # Combinations before their parts, so "igår kl 22" is not just "igår".
    _rule("day + clock", _DAY + _SEP + f"(?:{_DAYPART}{_SEP})?" + _CLOCK, _interpret_parts, "day"),
    _rule("clock + day", _CLOCK + _SEP + _DAY + f"(?:{_SEP}{_DAYPART})?", _interpret_parts, "day"),
    _rule("day part + clock", _DAYPART + _SEP + _CLOCK, _interpret_parts, "part"),
    _rule("clock + day part", _CLOCK + _SEP + _DAYPART, _interpret_parts, "part"),
    _rule("day + day part", _DAY + _SEP + _DAYPART, _interpret_parts, "day part"),
    # Single pieces.
    _rule("clock", _CLOCK, _interpret_parts),
    _rule("day part", _DAYPART, _interpret_parts, "part"),
    _rule("day", _DAY + r"(?!\w)", _interpret_parts, "day"),
    _rule("just now", _JUST_NOW, _just_now),
)


def _day_only(matched: str, moment: datetime, now: datetime) -> bool:
    """An earlier day with no hour or part of the day: read as that day at this clock time."""
    same_clock = (moment.hour, moment.minute) == (now.hour, now.minute)
    return same_clock and moment.date() != now.date() and not re.search(r"\d", matched) \
        and not _HAS_PART.search(matched)


def _first_hit(text: str, now: datetime, whole: bool) -> StartTime | None:
    if len(text) > _WINDOWS_FROM:
        text = _time_windows(text)
    present = {"day"} if _HAS_DAY.search(text) else set()
    if _HAS_PART.search(text):
        present.add("part")
    invalid = bytearray(len(text))  # 1 = part of an invalid time expression
    for rule in _RULES:
        if not rule.needs <= present:
            continue
        if whole:
            match = rule.pattern.fullmatch(text)
            matches = (match,) if match else ()
        else:
            matches = rule.pattern.finditer(text)
        for match in matches:
            start, end = match.span()
            if invalid.find(1, start, end) != -1:
                continue
            try:
                moment = rule.interpret(match, now, whole)
            except (_Invalid, ValueError, OverflowError):  # "kl 25", "31/2", year 0
                invalid[start:end] = b"\x01" * (end - start)
                continue
            except _Reject:
                continue
            if moment is not None and not whole and _day_only(match.group(0), moment, now):
                continue  # "TES shows yesterday's schedule": a day named in passing is no start time
            if moment is not None:
                if _ts(moment) > _ts(now):  # never in the future
                    moment = now
                return StartTime("time", _minute(moment.astimezone(now.tzinfo)))
    return None


def _check_now(now: datetime) -> None:
    if not isinstance(now, datetime) or now.utcoffset() is None:
        raise ValueError("now must be a timezone-aware datetime")
