"""The routine as data: load and validate everything under content/.

A municipality with another routine edits these files (or points
DRIFTBOT_CONTENT_DIR at its own copy), never the code. Every file is
validated with pydantic at start; a mistake stops the program with one line
naming the file and the field.
"""
from __future__ import annotations

import string
from datetime import time
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from bot.errors import ContentError  # noqa: F401  (re-exported: bot.content.ContentError)

from intents.ids import INTENT_IDS, IntentId
from intents.normalise import fold

ContactId = Literal["anvandarstod", "lkdata"]
SystemId = Literal["tes", "treserva", "locks", "infrastructure", "other"]
# The routine's fallbacks when a system is down (routine.yaml systems.*.reserve):
# conventional keys and the handheld (TES), the printed documents of the care
# staff web (genomförandewebben), the HSL documentation of licensed staff.
ReserveId = Literal["keys", "care_docs", "hsl_docs"]
RoleId = Literal["licensed", "care"]
Lang = str

BUILTIN_CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- routine.yaml --------------------------------------------------------

class SupportHours(_Strict):
    open: time
    close: time

    @model_validator(mode="after")
    def _ordered(self) -> "SupportHours":
        if self.close <= self.open:
            raise ValueError("close must be later than open")
        return self


# A name that texts refer to through a placeholder ({lkdata}, {portal}, ...);
# braces would break the templates it is put into.
Name = Annotated[str, Field(min_length=1, pattern=r"^[^{}]+$")]


class PortalContact(_Strict):
    name: Name
    channel: Name
    url: str = ""


class PhoneContact(_Strict):
    name: Name
    phone: Name = Field(min_length=3)


class Contacts(_Strict):
    anvandarstod: PortalContact
    lkdata: PhoneContact
    # Who answers the after-hours number, and who announces how long outages
    # are post-registered: per language, as they are written mid-sentence.
    on_call: dict[Lang, Name] = {}
    administrations: dict[Lang, Name] = {}


class Thresholds(_Strict):
    post_registration_hours: int = Field(gt=0)
    planned_notice_days: int = Field(gt=0)
    login_reminder_minutes: int = Field(gt=0)
    dialog_timeout_minutes: int = Field(gt=0)
    # An outage resolved this recently is still mentioned in answers ("fixed at 11:00: post-register now").
    recently_resolved_hours: int = Field(default=12, gt=0)


class Retention(_Strict):
    # After this many days a report's personal fields (name, description, who filed it) are
    # erased; the anonymous rest stays for statistics (bot.retention, `driftbot reports purge`).
    report_days: int = Field(default=90, gt=0, le=36500)


class System(_Strict):
    name: str = Field(min_length=1)
    aliases: list[str] = []
    # Which reserve routines apply while it is down (care_docs becomes hsl_docs for licensed staff).
    reserve: list[ReserveId] = []
    # A known outage of one of these explains this system's (the network is down, so TES is).
    explained_by: list[SystemId] = []
    # Words that name this system only when no other system is named; beside another system they
    # name `alone_aliases_beside` (routine.yaml: the computers are the site's IT alone, Treserva beside TES).
    alone_aliases: list[str] = []
    alone_aliases_beside: SystemId | None = None
    # Things a report names that belong to this system though no answer is about them (`other`: the
    # printer, Outlook): "treserva o outlook" is two faults, Treserva's and another.
    things: list[str] = []


class Routine(_Strict):
    source: str
    timezone: str
    support_hours: SupportHours
    holiday_country: str = Field(min_length=2, max_length=2)
    contacts: Contacts
    status_url: str = Field(pattern=r"^https?://")
    thresholds: Thresholds
    retention: Retention = Retention()
    systems: dict[SystemId, System]

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown IANA time zone {value!r}") from None
        return value

    @field_validator("systems")
    @classmethod
    def _all_systems(cls, value: dict) -> dict:
        missing = [s for s in ("tes", "treserva", "locks", "infrastructure", "other") if s not in value]
        if missing:
            raise ValueError(f"missing systems: {', '.join(missing)}")
        return value


class Units(_Strict):
    units: list[str] = []
    # The kinds of unit a name starts with ("Hemtjänst Ryd"): not what tells two units apart.
    kinds: list[str] = []
    # How staff shorten a kind ("ÄB Skäggetorp", "hemtj malmslätt"): read as the kind itself.
    kind_aliases: dict[str, list[str]] = {}
    aliases: dict[str, list[str]] = {}   # other names for a whole unit ("night patrol")
    # Names that are the unit only as the whole answer to "which unit?" ("natten"; in a sentence it is the night).
    answer_aliases: dict[str, list[str]] = {}
    # Words that make another unit of a configured one ("Nattpatrull Väst" is not Nattpatrullen).
    qualifiers: list[str] = []

    @model_validator(mode="after")
    def _aliases_of_kinds(self) -> "Units":
        unknown = [k for k in self.kind_aliases if k not in self.kinds]
        if unknown:
            raise ValueError(f"kind_aliases: not among kinds: {', '.join(unknown)}")
        for key in ("aliases", "answer_aliases"):
            unknown = [u for u in getattr(self, key) if u not in self.units]
            if unknown:
                raise ValueError(f"{key}: not among units: {', '.join(unknown)}")
        return self


# The names every text may use; they are filled in when the file is loaded,
# so renaming a contact in routine.yaml renames it everywhere.
NAME_PLACEHOLDERS = frozenset({"anvandarstod", "portal", "lkdata", "lkdata_phone", "on_call", "administrations"})


def contact_names(routine: Routine, lang: str) -> dict[str, str]:
    """{placeholder: name} for the texts of one language."""
    c = routine.contacts

    def per_lang(names: dict[str, str]) -> str:
        return names.get(lang) or next(iter(names.values()), "")

    return {"anvandarstod": c.anvandarstod.name, "portal": c.anvandarstod.channel, "lkdata": c.lkdata.name,
            "lkdata_phone": c.lkdata.phone, "on_call": per_lang(c.on_call),
            "administrations": per_lang(c.administrations)}


def _fill_names(data: Any, names: dict[str, str]) -> Any:
    if isinstance(data, str):
        for key, value in names.items():
            data = data.replace("{" + key + "}", value)
        return data
    if isinstance(data, dict):
        return {k: _fill_names(v, names) for k, v in data.items()}
    if isinstance(data, list):
        return [_fill_names(v, names) for v in data]
    return data


# --- situations.yaml: words that tell what the writer's situation is ------

class Claim(_Strict):
    """A question the routine answers one way (situations.yaml claims; its sentence in answers.*.yaml)."""
    words: list[str] = Field(min_length=1)   # word sets: all the words of one must be in the message
    any_question: bool = False               # not only a yes/no question
    unless: list[Literal["long_outage", "day_off"]] = []
    systems: list[SystemId] = []             # only about these (or no system named); empty: any
    intent: IntentId | None = None           # the answer after it when the classifier found none (else outage_now)


class SituationWords(_Strict):
    """Matched after folding and the spelling map, in every language at once."""
    roles: dict[RoleId, list[str]] = {}
    status_back: list[str] = []       # "is it fixed?" rather than "is it down?"
    status_over: list[str] = []       # "is the outage over?": back, though it names the outage
    status_down: list[str] = []
    problem: list[str] = []           # something does not work
    past: list[str] = []              # ... or did, and it is over
    ongoing: list[str] = []           # ... and still does
    hypothetical: list[str] = []      # first words of "what if ...?"
    yes_no: list[str] = []            # first words of a yes/no question
    day_off: list[str] = []
    long_outage: list[str] = []       # "all day", "since yesterday"
    hour_words: list[str] = []        # "12 timmar": a stated duration
    day_words: list[str] = []         # "2 dagar": a duration in days, 24 hours each
    more_than: list[str] = []         # "mer än 10 timmar"
    asks_known: list[str] = []        # "is it just me?"
    asks_cause: list[str] = []        # "why does it go down?"
    asks_where: list[str] = []        # first words of "where do I report?"
    wants_report: list[str] = []      # "jag vill felanmäla": take my report
    asks_open: list[str] = []         # "är portalen öppen?": whether a contact is open now
    asks_after: list[str] = []        # "och efteråt då?", "if it comes back during my shift?": what to do once it works
    tag_questions: list[str] = []     # "treserva e igång nu va?": a statement made a yes/no question
    all_hours: list[str] = []         # "är det samma hela dygnet?": whom to contact at every hour
    asks_details: list[str] = []      # "what do they want to know?"
    registration: list[str] = []      # speaking of registering times and visits
    contacts: dict[ContactId, list[str]] = {}  # words that name a contact
    planned: list[str] = []
    works: list[str] = []             # said of a system that works
    negations: list[str] = []
    neither: list[str] = []
    works_job: list[str] = []
    both_systems: list[str] = []      # TES and Treserva both
    power: list[str] = []             # a power cut: the whole reserve routine applies
    works_question: list[str] = []    # "funkar tes nu?": a yes/no question whether it works again
    reported: list[str] = []          # "jag har ringt in felet": already reported
    asks_call: list[str] = []         # "do I need to call?"
    portal: list[str] = []            # the support desk's self-service portal itself
    outside: dict[str, list[str]] = {}  # topics outside the routine, by id (answers.*.yaml situation.outside)
    asks_yes_no: list[str] = []       # first words of a yes/no question about what to do, in any clause
    clause_openers: list[str] = []    # "och", "but": skipped before those
    statement_words: list[str] = []   # "har kört …": a statement, not a question, without "?"
    periods: dict[Literal["after_hours", "office_hours"], list[str]] = {}  # a moment other than now
    now_words: list[str] = []         # "nu", "idag": the question is about now, whatever else it names
    contact_names: dict[ContactId, list[str]] = {}  # a contact by name only, as a question proposes it
    claims: dict[str, Claim] = {}     # yes/no questions the routine answers one way, in order
    outside_alone: list[str] = []     # outside topics answered with that alone
    outside_reportable: list[str] = []  # outside topics whose fault may still be reported (system "other")


# --- answers.<lang>.yaml ------------------------------------------------

# Placeholders each kind of text may use; the engine fills them.
ANSWER_PLACEHOLDERS = frozenset({
    "contact_now", "contact_later", "lkdata_phone", "status_url", "support_open",
    "support_close", "post_registration_hours", "planned_notice_days", "portal", "live_status",
})
CONTACT_PLACEHOLDERS = frozenset({"reason", "lkdata_phone", "portal", "support_open", "support_close"})
REASON_PLACEHOLDERS = frozenset({"support_open", "support_close", "holiday_name"})


def placeholders(text: str) -> set[str]:
    """The {names} a str.format template uses."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def _check_placeholders(text: str, allowed: frozenset[str]) -> str:
    try:
        used = placeholders(text)
    except ValueError as exc:
        raise ValueError(f"broken template: {exc}") from None
    unknown = used - allowed
    if unknown:
        raise ValueError(f"unknown placeholder(s) {sorted(unknown)}; allowed: {sorted(allowed)}")
    return text


def template(allowed: frozenset[str]):
    """A str field that is a str.format template using only `allowed` placeholders."""
    return Annotated[str, AfterValidator(lambda value: _check_placeholders(value, allowed))]


AnswerText = template(ANSWER_PLACEHOLDERS)
ContactText = template(CONTACT_PLACEHOLDERS)
ReasonText = template(REASON_PLACEHOLDERS)
# Sentences about a known outage may use what a notice may (bot/outages/render.py).
OUTAGE_PLACEHOLDERS = frozenset({
    "system", "date", "start", "end", "since", "duration", "reports", "units", "unit_list", "first_reported",
    "text", "status_url", "lkdata_phone", "portal", "post_registration_hours", "planned_notice_days",
    "login_reminder_minutes"})
OutageText = template(OUTAGE_PLACEHOLDERS)
FactText = template(ANSWER_PLACEHOLDERS - {"contact_now", "contact_later", "live_status"})
# A topic outside the routine may name the thing asked about ({named}: "Heroma", from situations.yaml).
OutsideText = template((ANSWER_PLACEHOLDERS - {"contact_now", "contact_later", "live_status"}) | {"named"})


class Answer(_Strict):
    title: str = Field(min_length=1)  # the label on a "did you mean" button
    now: AnswerText = Field(min_length=1)
    detail: AnswerText = ""


class ContactTexts(_Strict):
    anvandarstod: ContactText
    lkdata: ContactText


class Reasons(_Strict):
    office_hours: ReasonText
    before_open: ReasonText
    after_close: ReasonText
    saturday: ReasonText
    sunday: ReasonText
    holiday: ReasonText


class Texts(_Strict):
    contact_now: ContactTexts
    contact_later: ContactTexts
    reasons: Reasons
    live_status_none: str
    clarify: str
    empty_input: str
    offer_report: str
    chat_banner: str


class KnownOutageTexts(_Strict):
    """A known outage of the system the message is about, leading the answer."""
    open: OutageText               # already reported: no need to call again
    open_no_reports: OutageText
    add_report: str                # in a conversation: say ja to add your report
    planned: OutageText            # an announced planned outage in progress: no report needed
    upcoming: OutageText
    resolved: OutageText           # fixed a while ago
    resolved_still_broken: OutageText  # fixed, yet it does not work for the writer: a new fault


class StatusTexts(_Strict):
    """The status answer; the first words answer the question asked ("is it down?" / "is it back?")."""
    down_open: OutageText
    down_open_no_reports: OutageText
    down_planned: OutageText
    down_resolved: OutageText
    back_open: OutageText
    back_open_no_reports: OutageText
    back_planned: OutageText
    back_resolved: OutageText
    none_for: template(frozenset({"systems", "status_url"}))   # nothing known about the systems asked about
    report_hint: str = ""             # with none_for: "not working and nobody reported it? type report"
    no_call_needed: str = ""          # asked whether to call while the outage is known
    other_systems: str             # introduces outages of systems not asked about


class SituationTexts(_Strict):
    do: dict[ReserveId, FactText]      # the one thing to do now while it is down
    detail: dict[ReserveId, FactText]  # the routine's steps for it
    after: dict[ReserveId, FactText]   # once it works again
    after_long: FactText               # ... after an outage over the 10-hour line
    long_rule: FactText                # the 10-hour line, said beside the usual rule
    general: FactText                  # steps for every unplanned outage
    day_off: FactText
    licensed_hint: str                 # a Treserva answer to someone whose role is not known
    portal: FactText                   # the portal itself does not work
    # "är portalen öppen?": the first word answers it (is the named contact the one for now?)
    contact_open: dict[Literal["open_now", "closed_now"], FactText] = {}
    claims: dict[str, FactText] = {}   # by claim id of situations.yaml
    # "ringer man lkdata på kvällen?": the yes or no, then the rule for that moment's contact.
    contact_at: dict[Literal["yes", "no"], FactText] = {}
    contact_rule: dict[ContactId, FactText] = {}
    known: KnownOutageTexts
    status: StatusTexts
    outside: dict[str, OutsideText] = {}  # by topic id of situations.yaml
    contact_note: dict[ContactId, FactText] = {}  # after the contact that applies now
    greeting: str
    acknowledged: str
    thanks: str
    thanks_working: str                # "tack, nu funkar det"
    nothing_to_cancel: str

    @model_validator(mode="after")
    def _every_reserve(self) -> "SituationTexts":
        for name in ("do", "detail", "after"):
            missing = [r for r in ("keys", "care_docs", "hsl_docs") if r not in getattr(self, name)]
            if missing:
                raise ValueError(f"{name}: missing {', '.join(missing)}")
        return self


class AnswersFile(_Strict):
    lang: str = Field(pattern=r"^[a-z]{2}$")
    intents: dict[IntentId, Answer]
    texts: Texts
    situation: SituationTexts

    @field_validator("intents")
    @classmethod
    def _every_intent(cls, value: dict) -> dict:
        missing = [i for i in INTENT_IDS if i not in value]
        if missing:
            raise ValueError(f"missing answers for intents: {', '.join(missing)}")
        return value


# --- dialog.<lang>.yaml: the report conversation ------------------------

ReportField = Literal["reporter_name", "unit", "system", "scope", "description", "started_at"]
from bot.form import NAMES as REPORT_FIELDS  # noqa: E402  (the form table is the one list of fields)
ScopeId = Literal["single_user", "unit", "multiple_units", "unknown"]


class DialogWords(_Strict):
    affirm: list[str]
    affirm_emoji: list[str] = []      # "👍" alone (folding drops emoji, so they are matched as typed)
    deny: list[str]
    cancel: list[str]
    change: dict[ReportField, list[str]]
    name_markers: list[str]
    unit_markers: list[str] = []
    work_markers: list[str] = []      # "jobbar på", "I work at": a unit's name follows, configured or not
    unit_suffixes: list[str] = []     # "-teamet", "-centrum", "dagverksamhet": words that end a unit's name
    question_words: list[str] = []
    scope: dict[ScopeId, list[str]]
    # Single words that answer "how many are affected?" when no phrase above does ("alla", "vi", "me").
    scope_signals: dict[ScopeId, list[str]] = {}
    whole: list[str] = []             # "hela", "the whole": before a unit's name, the whole unit is affected
    everyone: list[str] = []          # "alla", "everyone": a clause of this alone says the whole unit
    cancel_anywhere: list[str] = []
    skip: list[str] = []              # "skip", "hoppa över": no answer to an optional question
    agreeing: list[str] = []          # words of a yes said at length ("yes that is right", "yep send it")
    agreeing_strong: list[str] = []   # of those, the ones that agree without a "yes" ("looks good", "send it")
    articles: list[str] = []          # "the", "den": between "not" and the system it negates
    polite: list[str] = []
    correction: list[str] = []        # first words of a correction ("vänta", "förlåt", "förresten")
    or_words: list[str] = []          # "eller", "or": before a correction ("tes, eller nej, treserva")
    correction_adjectives: list[str] = []  # correction words that also describe ("fel brukare"): only before a stop
    also: list[str] = []              # "heller", "too": another system beside the first
    same: list[str] = []              # "säger samma", "same here": another unit named has it too
    joins: list[str] = []             # "och", "and": two systems named side by side, two faults
    means: list[str] = []             # "menar jag", "I mean": a correction, wherever it stands
    slips: list[str] = []             # "skrev fel", "my bad": what else the message says replaces the old
    write_verbs: list[str] = []       # "skriv Jesper Lind som namn": a value said with the field's word after it
    spelling_notes: list[str] = []    # "utan", "with": "lind utan h" spells the name, the note is no part of it
    add_verbs: list[str] = []         # "lägg till", "add": another system, at any question
    change_verbs: list[str] = []      # "ändra", "change": before a field's name, asks to change it
    instead: list[str] = []           # "inte", "not": "Ekholmen, inte Berga" names the old value after it
    links: list[str] = []             # "är", "is", "till": between a field's name and its new value
    # Words that say only "it does not work": a description of nothing but these (beside systems,
    # scope, time and the reporter) is asked for again ("TES funkar inte för oss alla").
    generic: list[str] = []
    titles: list[str] = []            # written before a name: "Enhetschef Göran Persson"
    fillers: list[str] = []           # after a name: "Hana Suzuki btw"
    openers: list[str] = []           # before a description: "hjälp", "help", "akut"
    clause_joins: list[str] = []      # "men", "but": a new clause, which may be a question
    start_words: list[str] = []       # "började", "started": a time said with them is the start, digits or not
    place_prepositions: list[str] = []  # "på", "from": before a place that names one unit ("på sturefors")


class DialogTexts(_Strict):
    lang: str = Field(pattern=r"^[a-z]{2}$")
    start: str
    ask: dict[ReportField, str]
    invalid: dict[ReportField, str]
    too_long: str                     # {max}: an answer over the form table's limit
    unit_unknown: str
    unit_choose: str
    ask_surname: str = ""             # {first}: only a first name was written ("Aylin här")
    systems: dict[SystemId, str]
    scopes: dict[ScopeId, str]
    fields: dict[ReportField, str]
    started_unknown: str
    # Before the summary, when the name or unit was answered with nonsense twice: asked once more.
    ask_once_more: str = ""
    summary: str
    confirm: str
    confirm_yes: str
    confirm_cancel: str
    offer_button: str
    what_to_change: str
    cancelled: str
    expired: str
    resume: str
    privacy_redacted: str
    redaction_marker: str
    receipt: str
    support_summary: str
    script_title: str
    script: str
    script_no_start: str = ""         # the script when the start is not known ("Felet började okänt" is no Swedish)
    time_format: str
    offer_accepted_words: list[str]
    different_fault_words: list[str] = []
    split_done: str = ""
    words: DialogWords

    @model_validator(mode="after")
    def _complete(self) -> "DialogTexts":
        for name in ("ask", "invalid", "fields"):
            missing = [f for f in REPORT_FIELDS if f not in getattr(self, name)]
            if missing:
                raise ValueError(f"{name}: missing {', '.join(missing)}")
        _check_placeholders(self.script, frozenset(REPORT_FIELDS))
        _check_placeholders(self.script_no_start, frozenset(REPORT_FIELDS))
        _check_placeholders(self.unit_unknown, frozenset({"unit"}))
        _check_placeholders(self.too_long, frozenset({"max"}))
        _check_placeholders(self.expired, frozenset({"minutes"}))
        _check_placeholders(self.receipt, frozenset({"id"}))
        _check_placeholders(self.support_summary, frozenset({*REPORT_FIELDS, "id", "created_at", "contact"}))
        return self


# --- phrasings.<lang>.yaml and spelling.yaml ----------------------------

class Phrasings(BaseModel):
    model_config = ConfigDict(frozen=True)
    by_intent: dict[IntentId, list[str]]

    @field_validator("by_intent")
    @classmethod
    def _every_intent(cls, value: dict) -> dict:
        missing = [i for i in INTENT_IDS if not value.get(i)]
        if missing:
            raise ValueError(f"no phrasings for intents: {', '.join(missing)}")
        return value


class Spelling(_Strict):
    # word as typed (after lowercasing and å/ä/ö folding) -> what it means
    words: dict[str, str] = {}


# --- social.yaml: greetings, thanks, fillers -----------------------------

class SocialKind(_Strict):
    strip: bool   # removed from a longer message before it is classified
    words: list[Annotated[str, Field(min_length=1)]] = Field(min_length=1)


class Social(_Strict):
    # The order matters: a message of only social words is named after the first kind it contains.
    kinds: dict[Annotated[str, Field(pattern=r"^[a-z_]+$")], SocialKind] = {}

    @field_validator("kinds")
    @classmethod
    def _each_entry_once(cls, kinds: dict[str, SocialKind]) -> dict[str, SocialKind]:
        seen: dict[str, str] = {}
        for kind, entry in kinds.items():
            for word in entry.words:
                key = fold(word)
                if not key:
                    raise ValueError(f"{kind}: {word!r} has no letters or digits")
                if key in seen:
                    raise ValueError(f"{word!r} is listed under both {seen[key]} and {kind}")
                seen[key] = kind
        return kinds


def load_common_words(path: Path) -> frozenset[str]:
    """common_words.txt: one folded word a line, '#' starts a comment. Plain text
    rather than YAML, and checked with string methods rather than fold(), because
    it is long: read on every start, it must take a millisecond, not fifty."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return frozenset()
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(f"content file {path}: cannot read: {exc}") from None
    words = set()
    for number, line in enumerate(lines, 1):
        word = line.partition("#")[0].strip()
        if not word:
            continue
        # Folded: lowercase a-z and digits only (å/ä -> a, ö -> o), as the classifier compares words.
        if not (word.isascii() and word.isalnum() and word.islower()):
            raise ContentError(f"content file {path} line {number}: {word!r} is not one folded word "
                               f"(lowercase, å/ä -> a, ö -> o): {fold(word)!r}")
        words.add(word)
    return frozenset(words)


# --- the whole ------------------------------------------------------------

class Content(BaseModel):
    """Everything under content/, validated."""
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    directory: Path
    routine: Routine
    units: list[str]
    unit_kinds: list[str] = []
    unit_kind_aliases: dict[str, list[str]] = {}
    unit_aliases: dict[str, list[str]] = {}
    unit_answer_aliases: dict[str, list[str]] = {}
    unit_qualifiers: list[str] = []
    answers: dict[Lang, AnswersFile]
    dialog: dict[Lang, DialogTexts]
    phrasings: dict[Lang, dict[str, list[str]]]
    spelling: dict[str, str]
    situations: SituationWords = SituationWords()

    def names(self, lang: str) -> dict[str, str]:
        return contact_names(self.routine, lang)
    social: Social = Social()
    common_words: frozenset[str] = Field(frozenset(), repr=False)  # thousands of words

    @property
    def languages(self) -> list[str]:
        return list(self.answers)

    @property
    def default_lang(self) -> str:
        return "sv" if "sv" in self.answers else next(iter(self.answers))

    def answers_for(self, lang: str) -> AnswersFile:
        return self.answers.get(lang) or self.answers[self.default_lang]

    def dialog_for(self, lang: str) -> DialogTexts:
        return self.dialog.get(lang) or self.dialog[self.default_lang]

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.routine.timezone)


def _read_yaml(path: Path) -> Any:
    # (Imported here: a warm start reads the content from its cache and never parses YAML.)
    import yaml

    # libyaml's parser when the wheel has it: several times faster at start.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=loader)  # noqa: S506 - a safe loader
    except FileNotFoundError:
        raise ContentError(f"content file missing: {path}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ContentError(f"content file {path}{where}: {problem}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(f"content file {path}: cannot read: {exc}") from None


def _validate(model: type[BaseModel], data: Any, path: Path, wrap: str | None = None) -> Any:
    if wrap is not None:
        data = {wrap: data}
    if not isinstance(data, dict):
        raise ContentError(f"content file {path}: expected a mapping at the top level")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = [str(p) for p in err["loc"] if p != wrap]
        field = ".".join(loc) or "(top level)"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise ContentError(f"content file {path}: field {field}: {err['msg']}{more}") from None


def load_lang_file(path: Path, model: type[BaseModel], routine: Routine | None = None):
    """Read and validate a per-language file `<kind>.<lang>.yaml`; its `lang` must match the name.

    With the routine, the contacts' names ({lkdata}, {portal}, ...) are filled in first."""
    expected = path.name.split(".")[1]
    data = _read_yaml(path)
    if routine is not None:
        data = _fill_names(data, contact_names(routine, expected))
    parsed = _validate(model, data, path)
    if parsed.lang != expected:
        raise ContentError(f"content file {path}: field lang: is {parsed.lang!r}, the file name says {expected!r}")
    return parsed


# The per-language files, <kind>.<lang>.yaml.
LANG_FILE_KINDS = ("answers", "dialog", "phrasings", "notices")


# Loaded folders, by path and the files' modification times: a command checks all content at start
# and then builds from it, and that must not read and validate every file twice.
_LOADED: dict[tuple, Content] = {}


def load_content(directory: Path | str | None = None) -> Content:
    """Load and validate the content folder (the built-in one by default)."""
    root = Path(directory) if directory else BUILTIN_CONTENT_DIR
    if not root.is_dir():
        raise ContentError(f"content folder not found: {root}")
    key = folder_key(root)
    if key not in _LOADED:
        _LOADED.clear()  # one folder at a time is all a process uses
        _LOADED[key] = _cached(key) or _store(key, _load_content(root))
    return _LOADED[key]


# Validated content is also kept on disk beside the classifier's cache: reading and validating
# fifteen YAML files is most of what `driftbot ask` does before it can answer. The key is the
# folder, its files' times and sizes, and this module's own source, so an edit of either reloads.
_CACHE_FILES_KEPT = 8


def folder_key(root: Path) -> tuple:
    """What a content folder's cached forms are keyed by: its files' names, times and sizes."""
    return (str(root.resolve()), *sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in root.iterdir()))


def cache_file(kind: str, key: tuple, *sources: Path, suffix: str = ".pickle") -> Path:
    """The file in the user's cache folder for `key` and the source files that make its meaning
    (this module's own always), so that editing either content or code finds no stale file."""
    import hashlib
    import os

    digest = hashlib.sha256(repr(key).encode())
    for source in (Path(__file__), *sources):
        digest.update(source.read_bytes())
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "driftbot" / f"{kind}-{digest.hexdigest()[:32]}{suffix}"


def _cache_file(key: tuple) -> Path:
    import intents.normalise  # (content holds folded words: a change of folding is a change of content)

    return cache_file("content", key, Path(intents.normalise.__file__))


def _cached(key: tuple) -> Content | None:
    import pickle

    try:
        content = pickle.loads(_cache_file(key).read_bytes())  # noqa: S301 - our own cache, like the classifier's
    except Exception:  # missing, unreadable or from another version: load the files instead
        return None
    return content if isinstance(content, Content) else None


def _store(key: tuple, content: Content) -> Content:
    import pickle
    import tempfile

    path = _cache_file(key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".content-", delete=False) as tmp:
            tmp.write(pickle.dumps(content, protocol=pickle.HIGHEST_PROTOCOL))
        Path(tmp.name).replace(path)
        old = sorted(path.parent.glob("content-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in old[_CACHE_FILES_KEPT:]:
            stale.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only home: no cache, nothing lost
    return content


def _load_content(root: Path) -> Content:
    routine = _validate(Routine, _read_yaml(root / "routine.yaml"), root / "routine.yaml")
    units_path = root / "units.yaml"
    units_file = _validate(Units, _read_yaml(units_path), units_path)
    units, unit_kinds, unit_kind_aliases = units_file.units, units_file.kinds, units_file.kind_aliases
    unit_aliases = units_file.aliases
    unit_answer_aliases = units_file.answer_aliases
    unit_qualifiers = units_file.qualifiers
    # A language is in the content when any of its files is: then it needs all of them, or a
    # half-translated folder would pass until someone writes in that language.
    for lang in sorted({p.name.split(".")[1] for kind in LANG_FILE_KINDS for p in root.glob(f"{kind}.*.yaml")}):
        for kind in ("answers", "dialog", "phrasings"):
            if not (root / f"{kind}.{lang}.yaml").exists():
                raise ContentError(f"content file missing: {root / f'{kind}.{lang}.yaml'} "
                                   f"(the folder has other files for {lang!r})")

    answers: dict[str, AnswersFile] = {}
    for path in sorted(root.glob("answers.*.yaml")):
        parsed = load_lang_file(path, AnswersFile, routine)
        answers[parsed.lang] = parsed
    if not answers:
        raise ContentError(f"content folder {root}: no answers.<lang>.yaml file")

    dialog: dict[str, DialogTexts] = {}
    for lang in answers:
        dialog[lang] = load_lang_file(root / f"dialog.{lang}.yaml", DialogTexts, routine)

    phrasings: dict[str, dict[str, list[str]]] = {}
    for lang in answers:
        path = root / f"phrasings.{lang}.yaml"
        parsed = _validate(Phrasings, _read_yaml(path), path, wrap="by_intent")
        phrasings[lang] = {intent: [str(p) for p in texts] for intent, texts in parsed.by_intent.items()}

    spelling_path = root / "spelling.yaml"
    spelling = _validate(Spelling, _read_yaml(spelling_path), spelling_path).words if spelling_path.exists() else {}

    situations_path = root / "situations.yaml"
    situations = (_validate(SituationWords, _read_yaml(situations_path), situations_path)
                  if situations_path.exists() else SituationWords())
    for lang, parsed in answers.items():
        unknown = set(parsed.situation.outside) - set(situations.outside)
        if unknown:
            raise ContentError(f"content file {root / f'answers.{lang}.yaml'}: field situation.outside: "
                               f"topics not in situations.yaml: {', '.join(sorted(unknown))}")
        unsaid = set(situations.claims) - set(parsed.situation.claims)
        if unsaid:
            raise ContentError(f"content file {root / f'answers.{lang}.yaml'}: field situation.claims: "
                               f"no sentence for the claims of situations.yaml: {', '.join(sorted(unsaid))}")

    social_path = root / "social.yaml"
    social = _validate(Social, _read_yaml(social_path), social_path) if social_path.exists() else Social()
    common_words = load_common_words(root / "common_words.txt")

    return Content(directory=root, routine=routine, units=units, unit_kinds=unit_kinds,
                   unit_kind_aliases=unit_kind_aliases, unit_aliases=unit_aliases, unit_answer_aliases=unit_answer_aliases, unit_qualifiers=unit_qualifiers, answers=answers, dialog=dialog,
                   phrasings=phrasings, spelling=spelling, social=social, common_words=common_words,
                   situations=situations)

