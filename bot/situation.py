"""What a message tells about the writer's situation, beside its intent.

The intent says what kind of question it is; the right answer also depends on
which system it is about (TES, Treserva, the locks, power or network), who
asks (licensed staff document by another reserve routine), whether a status
question asks "is it down?" or "is it back?", how long the outage has lasted
and whether the writer is off work. Every word comes from content
(routine.yaml's systems, situations.yaml), matched after the classifier's own
folding and spelling map, so "genomforandewebben", "tresrva" and "ssk" count.
Channel-neutral: the engine reads a Situation from every message; the report
dialog reads its systems from the same reader.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from bot.content import Content
from intents.normalise import Normaliser, fold
from intents.social import SocialWords

# A single-word alias this long may be misspelt ("tresrva", "genomforandewebb") ...
FUZZY_MIN_LEN = 7
# ... and must match a word of the message this well (rapidfuzz ratio, 0-100).
FUZZY_CUTOFF = 84
_NUMBER = re.compile(r"^\d{1,3}$")
_NUMBER_WITH_UNIT = re.compile(r"^(\d{1,3})([a-z]+)$")  # "14h", "9tim"
# "kl 16.05", "15:59", "10 pm": the moment a question about whom to contact is about.
_CLOCK = re.compile(r"(?<![\d/])([01]?\d|2[0-3])[:.]([0-5]\d)(?![\d.:])")
_AM_PM = re.compile(r"(?<![\d:.])(1[0-2]|0?[1-9])\s*([ap])\.?m\b", re.IGNORECASE)
# Where a new clause (and maybe a new question) begins.
_FIRST_STOP = re.compile(r"[.?!]+(?=\s|$)")  # the end of the first sentence
_CLAUSE_BREAK = re.compile(r"[.,!?;:]+(?:\s|$)|\s[-–]\s|\n")
# A sentence ends here: "can't log in Treserva. Others are fine" says nothing of Treserva working.
_SENTENCE_END = re.compile(r"[.!?]+(?:\s+|$)|\n+")
# A capitalised first name and surname ("/Elin Ström", "Per Blixt här"): a person, whose surname may be a
# system's word ("ström" is power), read out before the systems are looked for.
_PERSON = re.compile(r"\b([A-ZÅÄÖ][a-zåäöéü]+(?:-[A-ZÅÄÖ][a-zåäöéü]+)?) ([A-ZÅÄÖ][a-zåäöéü]+)\b(\s+(?i:här|here)\b)?")
_PERSON_BEFORE = re.compile(r"(?:/|\bmvh|\bhälsningar|\bheter|\bär|\bis|\bi'?m|\bfrån|\bfrom)\s*$", re.IGNORECASE)
_PERSON_AFTER = re.compile(r"[,.!]?\s*$")
_CONTRACTION = re.compile(r"\b(won|can|don|doesn|isn|wasn|didn|aren|couldn|wouldn|shouldn|haven|hasn) t\b")


@dataclass(frozen=True)
class Situation:
    systems: tuple[str, ...] = ()          # in the order the message names them; "other" never
    role: str | None = None                # "licensed" | "care" | None (not shown)
    asks_back: bool = False                # "is it fixed / back?" rather than "is it down?"
    problem: bool = False                  # says something does not work
    past: bool = False                     # speaks of it as over ("var nere i morse") or as a case ("om ...")
    yes_no: bool = False                   # a yes/no question ("är TES nere?")
    ongoing: bool = False                  # "fortfarande nere", "still no"
    hours: float | None = None             # a stated duration, in hours
    long_outage: bool = False              # over the post-registration line, as stated
    day_off: bool = False
    planned: bool = False
    portal: bool = False                   # about the support portal itself
    portal_broken: bool = False            # a clause says the portal fails ("portalen går inte att öppna")
    outside: str | None = None             # a topic outside the routine (situations.yaml outside)
    outside_word: str | None = None        # the content's words that named it ("heroma"), never free text
    asks_known: bool = False               # "is it known? is it just me?"
    asks_cause: bool = False               # "why does it go down?"
    contacts: tuple[str, ...] = ()         # contacts the message names (lkdata, anvandarstod)
    asks_where: bool = False               # "vart anmäler jag?": where or whom, not "take my report"
    wants_report: bool = False             # "jag vill felanmäla": take my report here
    asks_open: bool = False                # "är portalen öppen?": whether a contact is open now
    asks_after: bool = False               # "och efteråt då?": what to do once it works again
    all_hours: bool = False                # "är det samma hela dygnet?": both contacts, by the hour
    asks_details: bool = False             # "what do they want to know when I call?"
    registration: bool = False             # speaks of registering times and visits
    asks_yes_no: bool = False              # some clause asks yes or no ("tes ner. måste jag ha med mobilen?")
    question: bool = False                 # a question mark anywhere ("power back on in the area?")
    claim: str | None = None               # a question the routine answers one way (situations.yaml claims)
    named_contacts: tuple[str, ...] = ()   # contacts named by name, as a question proposes them
    period: str | None = None              # "after_hours" | "office_hours": the moment a contact question is about
    asked_time: tuple[int, int] | None = None  # ... or the clock time it names ("kl 16.05")
    asks_call: bool = False                # speaks of calling someone
    reported: bool = False                 # already reported ("jag har ringt in felet")
    power: bool = False                    # a power cut: everything at the site is out
    thanks: bool = False                   # thanks someone ("tack, nu funkar det")
    words: tuple[str, ...] = field(default=(), repr=False)

    @property
    def broken_now(self) -> bool:
        return self.problem and not self.past


class SituationReader:
    def __init__(self, content: Content):
        self._cached_read = lru_cache(maxsize=256)(self._read)
        self.normaliser = Normaliser(content.spelling)
        # Greetings and thanks (content/social.yaml) around a question: "hej! ligger tes nere?" starts with "ligger".
        self._social = SocialWords({k: {"strip": e.strip, "words": list(e.words)} for k, e in content.social.kinds.items()},
                                   self.normaliser)
        # Real words are never a misspelt alias: those the spelling map knows ("tfn" -> "telefon" is not
        # "telefonen") and the common Swedish and English words ("nycklar" is not "nyckeln").
        self._known_words = {w for k, v in content.spelling.items() for w in self.normaliser.tokens(f"{k} {v}")}
        self._known_words |= set(content.common_words)
        words = content.situations
        self.long_hours = content.routine.thresholds.post_registration_hours
        self._systems = [(system_id, self._phrases([s.name, *s.aliases]))
                         for system_id, s in content.routine.systems.items() if system_id != "other"]
        # (system named when alone, system named beside another, the words): routine.yaml's alone_aliases.
        self._alone = [(system_id, s.alone_aliases_beside, self._phrases(s.alone_aliases))
                       for system_id, s in content.routine.systems.items() if s.alone_aliases]
        # (The alone words are another thing than the system's own name: "strömmen gick, inga datorer funkar".)
        self._every_system = self._systems + [(None, phrases) for *_, phrases in self._alone]
        self._system_words = {w for _, phrases in self._every_system for phrase in phrases for w in phrase}
        self._roles = [(role, self._phrases(ws)) for role, ws in words.roles.items()]
        self._back = self._phrases(words.status_back)
        # A "works" word then a "back" one, right after a system's name: "tes funkar igen", "TES works again now".
        self._works_back = self._phrases([f"{w} {b}" for w in words.works for b in words.status_back]
                                         + [b for b in words.status_back if set(b.split()) & set(words.works)])
        self._over = self._phrases(words.status_over)
        self._problem = self._phrases(words.problem)
        self._past = self._phrases(words.past)
        self._hypothetical = self._phrases(words.hypothetical)
        self._ongoing = self._phrases(words.ongoing)
        self._yes_no = self._phrases(words.yes_no)
        self._status_down = self._phrases(words.status_down)
        self._day_off = self._phrases(words.day_off)
        self._long = self._phrases(words.long_outage)
        self._hour_words = {w for p in self._phrases(words.hour_words) for w in p}
        self._day_words = {w for p in self._phrases(words.day_words) for w in p}
        self._planned = self._phrases(words.planned)
        self._both = self._phrases(words.both_systems)
        self._power = self._phrases(words.power)
        self._works_question = self._phrases(words.works_question)
        self._reported = self._phrases(words.reported)
        self._asks_call = self._phrases(words.asks_call)
        self._works = {p[0] for p in self._phrases(words.works) if len(p) == 1}
        # (also as written: "arent" is how "aren't" is read, though the spelling map spells "arent" out)
        self._neither = {fold(w) for w in words.neither}
        self._works_job = {fold(w) for w in words.works_job}
        self._negations = {p[0] for p in self._phrases(words.negations) if len(p) == 1} | {
            w for w in map(fold, words.negations) if " " not in w}
        self._portal = self._phrases(words.portal)
        self._outside = [(topic, self._phrases(ws)) for topic, ws in words.outside.items()]
        self._more_than = self._phrases(words.more_than)
        self._asks_known = self._phrases(words.asks_known)
        self._asks_cause = self._phrases(words.asks_cause)
        self._asks_where = self._phrases(words.asks_where)
        self._wants_report = self._phrases(words.wants_report)
        self._asks_open = self._phrases(words.asks_open)
        self._all_hours = self._phrases(words.all_hours)
        tags = sorted((re.escape(w) for w in words.tag_questions), key=len, reverse=True)
        self._tag_question = re.compile(rf"\b(?:{'|'.join(tags)})\s*\?", re.IGNORECASE) if tags else None
        self._asks_after = self._phrases(words.asks_after)
        self._asks_details = self._phrases(words.asks_details)
        self._registration = self._phrases(words.registration)

        # A contact is named by its own name or number too, as routine.yaml spells them.
        names = content.names(content.default_lang)
        own = {"lkdata": [names["lkdata"], names["lkdata_phone"]], "anvandarstod": [names["anvandarstod"], names["portal"]]}
        self._contacts = [(contact, self._phrases([*words.contacts.get(contact, []), *own[contact]]))
                          for contact in ("lkdata", "anvandarstod")]
        # "013-207000", "013 20 70 00": a phone number is recognised by its digits alone.
        self._phone_digits = {c: "".join(ch for ch in n if ch.isdigit())
                              for c, n in (("lkdata", names["lkdata_phone"]),)}
        primary = [s for s in ("tes", "treserva") if s in content.routine.systems]
        self._both_systems = tuple(primary)

        self._asks_yes_no = self._phrases(words.asks_yes_no)
        self._clause_openers = {w for p in self._phrases(words.clause_openers) for w in p}
        self._statement_words = {w for p in self._phrases(words.statement_words) for w in p}
        # After hours first: "Good Friday, but a weekday" is after hours.
        self._periods = [(period, self._phrases(words.periods[period]))
                         for period in ("after_hours", "office_hours") if period in words.periods]
        self._now_words = self._phrases(words.now_words)
        # Periods that say "now" in their own words ("kväll idag"): the period, not now.
        now_folded = {fold(w) for w in words.now_words}
        self._now_periods = self._phrases([p for ps in words.periods.values() for p in ps
                                           if set(fold(p).split()) & now_folded])
        self._contact_names = [(contact, self._phrases([*words.contact_names.get(contact, []), *own[contact]]))
                               for contact in ("lkdata", "anvandarstod")]
        self._claims = [(claim_id, [self._claim_words(w) for w in claim.words], claim)
                        for claim_id, claim in words.claims.items()]

    def _claim_words(self, text: str) -> list[tuple[str, str]]:
        """'lämna handenhet*' -> [("lamna", "exact"), ("handenhet", "prefix")], folded as messages are."""
        out = []
        for part in text.split():
            mode = "contains" if part.startswith("*") and part.endswith("*") and len(part) > 2 else \
                "prefix" if part.endswith("*") else "exact"
            out += [(token, mode) for token in self.tokens(part.strip("*"))]
        return out

    def _phrases(self, texts: list[str]) -> "Phrases":
        return Phrases({tuple(self.tokens(t)) for t in texts})

    def tokens(self, text: str) -> list[str]:
        # Folding turns "won't" into "won t": join them again, so "won't load" and "wont load" are one phrase.
        return _CONTRACTION.sub(r"\1t", " ".join(self.normaliser.tokens(text))).split()

    def read(self, text: str) -> Situation:
        """What the message says of the situation (cached per reader: a turn may ask more than once,
        and a Situation is frozen)."""
        return self._cached_read(text)

    def without_people(self, text: str) -> str:
        """The text with a signed or introduced person left out where a surname is a system's word."""
        return _PERSON.sub(self._person_out, text) if _PERSON.search(text) else text

    def _read(self, text: str) -> Situation:
        text = self.without_people(text)
        tokens = self.tokens(text)
        if not tokens:
            return Situation()
        split = self._social.split(tokens)
        # The question as asked, without the politeness before it (for "does it start with ...").
        opening = tokens[next((i for i, keep in enumerate(split.keep) if keep), len(tokens)):]
        # "tes nere?" asks as "är tes nere?" does: a few words, a "down" (or "back") word and a question mark.
        yes_no = (_starts(opening, self._yes_no) and not _stated_first(text)) or bool(
            self._tag_question and self._tag_question.search(text)) or (
            len(opening) <= 4 and text.rstrip().endswith("?") and (_has(opening, self._status_down)
                                                                   or _has(opening, self._back)))
        # (Sentence ends matter only to a "works" word: the text is tokenised again only then.)
        ends = self._sentence_ends(text, tokens) if self._works & set(tokens) else frozenset()
        systems = self._find_systems(tokens, asking=yes_no, ends=ends)
        if _has(tokens, self._both):
            systems = _merge(systems, self._both_systems)
        # The longest role phrase wins: "assistant nurse" is care staff, though "nurse" is licensed.
        length, role = max(((_longest(tokens, phrases), r) for r, phrases in self._roles), default=(0, None))
        role = role if length else None
        problem = _has_loose(tokens, self._problem)
        # ("I'm off the next 3 days": days said of a day off are no outage's length.)
        day_off = _has(tokens, self._day_off)
        hours = _stated_hours(tokens, self._hour_words, set() if day_off else self._day_words)
        more = hours is not None and _has(tokens, self._more_than)
        long_outage = _has(tokens, self._long) or (hours is not None and (hours > self.long_hours
                                                                           or (more and hours >= self.long_hours)))
        past = (_has_loose(tokens, self._past) or _starts(opening, self._hypothetical)) and not _has(tokens, self._ongoing)
        # "funkar inte igen" says it is broken (again), not asking whether it is back; "är TES uppe nu?
        # det var nere i natt" asks, and "funkar tes nu?" too.
        asks_back = (_has(tokens, self._back) or (yes_no and _has(opening[:4], self._works_question))) \
            and (not problem or (past and yes_no)) or _has(tokens, self._over)  # (not "TES was down ... I'm back at work now")
        # The topic outside the routine, and the words that named it ("heroma"), for the answer to say.
        outside = next(((t, " ".join(found)) for t, phrases in self._outside
                        for found in [_found(tokens, phrases)] if found), None)
        situation = Situation(
            systems=systems, role=role, asks_back=asks_back,
            problem=problem,
            past=past,
            ongoing=_has(tokens, self._ongoing),
            yes_no=yes_no, hours=hours, long_outage=long_outage,
            day_off=day_off, planned=_has(tokens, self._planned),
            portal=_has(tokens, self._portal),
            portal_broken=self._portal_broken(text),
            outside=outside[0] if outside else None,
            outside_word=outside[1] if outside else None,
            # ("Bara jag som inte kommer in i Treserva." tells, "bara jag?" asks.)
            asks_known=_has(tokens, self._asks_known) and (yes_no or "?" in text), asks_cause=_has(tokens, self._asks_cause),
            contacts=self._named_contacts(tokens, text),
            asks_where=_has(tokens, self._asks_where),
            asks_open=_has(tokens, self._asks_open), all_hours=_has(tokens, self._all_hours),
            asks_after=_has(tokens, self._asks_after),
            wants_report=(_has(tokens, self._wants_report) and not _has(tokens, self._asks_where)
                          and not _has(tokens, self._asks_details)),
            asks_details=_has(tokens, self._asks_details), registration=_has(tokens, self._registration),
            power=_has(tokens, self._power), reported=_has(tokens, self._reported),
            asks_call=_has(tokens, self._asks_call), thanks="thanks" in split.kinds, question="?" in text,
            words=tuple(tokens))
        return self._with_questions(situation, text, tokens)

    def _person_out(self, match: re.Match) -> str:
        """'Elin Ström' as a person: left out when the surname is a system's word and the first name is none."""
        first, last = fold(match.group(1)), fold(match.group(2))
        before, after = match.string[:match.start()], match.string[match.end():]
        # Only where a name stands: signed ("/Elin Ström", "mvh ..."), introduced ("jag heter ...",
        # "det är ..."), before "här", or last; "Ingen Ström i Ryd" is no one.
        placed = match.group(3) or _PERSON_BEFORE.search(before) or _PERSON_AFTER.match(after)
        if placed and last in self._system_words and first not in self._system_words:
            return " "
        return match.group(0)

    def _with_questions(self, situation: Situation, text: str, tokens: list[str]) -> Situation:
        """What a yes/no question proposes: a claim of the routine, a contact at some moment."""
        asks = situation.yes_no or self._some_clause_asks(text)
        systems = set(situation.systems)
        claim = next((claim_id for claim_id, word_sets, c in self._claims
                      if (asks or c.any_question) and not any(getattr(situation, u) for u in c.unless)
                      and (not c.systems or not systems or systems & set(c.systems))
                      and any(_all_in(tokens, ws) for ws in word_sets)), None)
        # "kan jag använda portalen idag, dan före julafton?" is about now, whatever days it names.
        now = _has(tokens, self._now_words) and not _has(tokens, self._now_periods)
        period = None if now else next((p for p, phrases in self._periods if _has(tokens, phrases)), None)
        return replace(situation, asks_yes_no=asks, claim=claim, period=period,
                       asked_time=None if now else _clock_time(text),
                       named_contacts=tuple(c for c, phrases in self._contact_names if _has(tokens, phrases)))

    def _some_clause_asks(self, text: str) -> bool:
        """A clause opening like a yes/no question and ending in "?" (or ending the message, and not
        a statement such as "kan inte öppna genomförandeplanen")."""
        parts = _CLAUSE_BREAK.split(text.strip())
        ends = _CLAUSE_BREAK.findall(text.strip())
        for index, clause in enumerate(parts):
            words = self.tokens(clause)
            split = self._social.split(words) if words else None
            words = words[next((i for i, keep in enumerate(split.keep) if keep), len(words)):] if split else []
            while words and words[0] in self._clause_openers:
                words = words[1:]
            if not words or not (_starts(words, self._yes_no) or _starts(words, self._asks_yes_no)):
                continue
            asked = index < len(ends) and "?" in ends[index]
            last = index == len(parts) - 1 or all(not p.strip() for p in parts[index + 1:])
            if asked or (last and not (len(words) > 1 and words[1] in self._negations | self._statement_words)):
                return True
        return False

    def _portal_broken(self, text: str) -> bool:
        """The portal and a problem in one clause: "självbetjäningsportalen går inte att öppna, hur ska jag
        då felanmäla tes?" (not "skriver ärende i portalen nu, treserva nere")."""
        for clause in _CLAUSE_BREAK.split(text):
            tokens = self.tokens(clause)
            if _has(tokens, self._portal) and _has_loose(tokens, self._problem):
                return True
        return False

    def named_at(self, text: str) -> tuple[list[str], dict[str, int]]:
        """The message's words and where each system is first named among them."""
        tokens = self.tokens(text)
        return tokens, self._positions(tokens)

    def systems_in(self, text: str) -> tuple[str, ...]:
        return self.read(text).systems

    def _named_contacts(self, tokens: list[str], text: str) -> tuple[str, ...]:
        digits = "".join(ch for ch in text if ch.isdigit())
        return tuple(c for c, phrases in self._contacts
                     if _has(tokens, phrases) or (self._phone_digits.get(c) and self._phone_digits[c] in digits))

    def _sentence_ends(self, text: str, tokens: list[str]) -> frozenset[int]:
        """The token positions that start a new sentence (none if the sentences do not add up)."""
        ends, at = set(), 0
        for sentence in _SENTENCE_END.split(text):
            at += len(self.tokens(sentence))
            ends.add(at)
        return frozenset(ends) if at == len(tokens) else frozenset()

    def _find_systems(self, tokens: list[str], asking: bool = False, ends: frozenset[int] = frozenset()) \
            -> tuple[str, ...]:
        """The systems named, in order; not one said to work ("tes funkar dock"), unless that is asked."""
        found, back = {}, {}
        for system_id, pos in self._positions(tokens).items():
            end = min((e for e in ends if e > pos), default=len(tokens))
            if asking or not self._said_to_work(tokens[:end], pos, system_id):
                found[system_id] = pos
            elif _has(tokens[pos + 1:min(end, pos + 6)], self._works_back):
                back[system_id] = pos
        # "tes funkar igen, vad gör jag nu": the system said to be back is what the message is about,
        # unless another is ("treserva funkar nu, så bara tes").
        found = found or back
        return tuple(sorted(found, key=found.get))

    def _positions(self, tokens: list[str]) -> dict[str, int]:
        """Where each system is first named (misspelt names too), by system id."""
        found: dict[str, int] = {}
        for system_id, phrases in self._systems:
            pos = self._named_at(tokens, phrases)
            if pos is not None:
                found[system_id] = pos
        for system_id, beside, phrases in self._alone:   # "datorn": the site's IT alone, Treserva beside TES
            pos = self._named_at(tokens, phrases)
            # (Nothing more beside the site's IT itself: "datorerna och wifi funkar inte".)
            named = system_id if not found else beside if set(found) - {system_id} else None
            if pos is not None and named and named not in found:
                found[named] = pos
        return found

    def _named_at(self, tokens: list[str], phrases) -> int | None:
        """Where one of the phrases is first written, or misspelt."""
        pos = _first(tokens, phrases)
        return _fuzzy_first(tokens, phrases, self._known_words) if pos is None else pos

    def _said_to_work(self, tokens: list[str], pos: int, system_id: str) -> bool:
        """'tes på telefonen funkar dock': a "works" word within three words after the name, not negated."""
        after = tokens[pos + 1:pos + 5]
        if self._neither & set(tokens[max(0, pos - 4):pos]):
            return False
        hit = next((i for i, t in enumerate(after) if t in self._works), None)
        if hit is not None and after[hit + 1:hit + 2] and after[hit + 1] in self._works_job:
            return False  # "Treserva, working in hemtjänst": the writer's job, not the system
        # "treserva. Others computers work fine": another system named before the "works" word is what works
        # ("TES, appen funkar annars" is TES again).
        if hit is not None and any(_first(after[:hit], phrases) is not None for other, phrases in self._every_system
                                   if other != system_id):
            return False
        # The negation may fall after the window: "TES-appen och genomförandewebben funkar inte".
        return hit is not None and not self._negations & set(tokens[pos + 2 + hit:pos + 4 + hit]) \
            and not self._negations & set(after[:hit])


class Phrases(list):
    """Phrases (tuples of words), longest first, indexed by their first word: every message is
    read against a few thousand phrases, and trying each at every position was a tenth of a busy
    server's time (benchmarks/burst.py)."""

    def __init__(self, phrases):
        super().__init__(sorted((p for p in phrases if p), key=len, reverse=True))
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in self:
            self.by_first.setdefault(phrase[0], []).append(phrase)


def _first(tokens: list[str], phrases: Phrases) -> int | None:
    """Where the earliest of the phrases begins in the tokens, or None."""
    for i, token in enumerate(tokens):
        for phrase in phrases.by_first.get(token, ()):
            if tuple(tokens[i:i + len(phrase)]) == phrase:
                return i
    return None


def _fuzzy_first(tokens: list[str], phrases: list[tuple[str, ...]], known: set[str]) -> int | None:
    candidates = [(i, t) for i, t in enumerate(tokens)
                  if len(t) >= FUZZY_MIN_LEN - 1 and t not in known and not t.isdigit()]
    if not candidates:
        return None
    from rapidfuzz import fuzz  # only when a word may be a misspelt name: `driftbot ask` starts faster

    for i, token in candidates:
        for phrase in phrases:
            if len(phrase) == 1 and len(phrase[0]) >= FUZZY_MIN_LEN and fuzz.ratio(token, phrase[0]) >= FUZZY_CUTOFF:
                return i
    return None


def _longest(tokens: list[str], phrases: Phrases) -> int:
    """The number of words in the longest of the phrases found in the tokens (0: none)."""
    return max((len(phrase) for i, token in enumerate(tokens) for phrase in phrases.by_first.get(token, ())
                if tuple(tokens[i:i + len(phrase)]) == phrase), default=0)


def _starts(tokens: list[str], phrases: Phrases) -> bool:
    return bool(tokens) and any(tuple(tokens[:len(p)]) == p for p in phrases.by_first.get(tokens[0], ()))


def _found(tokens: list[str], phrases: Phrases) -> tuple[str, ...] | None:
    """The earliest of the phrases in the tokens, or None."""
    for i, token in enumerate(tokens):
        for phrase in phrases.by_first.get(token, ()):
            if tuple(tokens[i:i + len(phrase)]) == phrase:
                return phrase
    return None


def _has(tokens: list[str], phrases: Phrases) -> bool:
    return _first(tokens, phrases) is not None


def _has_loose(tokens: list[str], phrases: Phrases) -> bool:
    """Like _has, with one word allowed between a phrase's words ("funkar fortfarande inte", "går ju inte")."""
    for start, token in enumerate(tokens):
        for phrase in phrases.by_first.get(token, ()):
            pos, ok = start, True
            for word in phrase[1:]:
                window = tokens[pos + 1:pos + 3]
                if word not in window:
                    ok = False
                    break
                pos += 1 + window.index(word)
            if ok:
                return True
    return False


def _all_in(tokens: list[str], words: list[tuple[str, str]]) -> bool:
    """Every (word, mode) of a claim's word set is in the tokens (mode: exact, prefix, contains)."""
    def found(word: str, mode: str) -> bool:
        if mode == "exact":
            return word in tokens
        if mode == "prefix":
            return any(t.startswith(word) for t in tokens)
        return any(word in t for t in tokens)
    return all(found(w, m) for w, m in words)


def _clock_time(text: str) -> tuple[int, int] | None:
    match = _CLOCK.search(text)
    if match:
        return int(match.group(1)), int(match.group(2))
    match = _AM_PM.search(text)
    if match:
        hour = int(match.group(1)) % 12 + (12 if match.group(2).lower() == "p" else 0)
        return hour, 0
    return None


def _stated_first(text: str) -> bool:
    """'har anmält driftstopp i tes. vad mer ska jag göra?': the opening sentence ends in a full stop and
    a question follows, so the verb first ("har") states what was done rather than asking."""
    match = _FIRST_STOP.search(text.strip())
    return bool(match) and match.group()[0] == "." and "?" in text.strip()[match.end():]


def _merge(first: tuple[str, ...], more: tuple[str, ...]) -> tuple[str, ...]:
    return first + tuple(s for s in more if s not in first)


def _stated_hours(tokens: list[str], hour_words: set[str], day_words: set[str] = frozenset()) -> float | None:
    """'i 12 timmar', '11h', '14tim', 'over 10 hours', '2 dagar': the largest stated number of hours."""
    per_unit = {**{w: 1 for w in hour_words}, **{w: 24 for w in day_words}}
    hours = [int(tokens[i]) * per_unit[tokens[i + 1]] for i in range(len(tokens) - 1)
             if _NUMBER.match(tokens[i]) and tokens[i + 1] in per_unit]
    hours += [int(m.group(1)) * per_unit[m.group(2)] for m in map(_NUMBER_WITH_UNIT.match, tokens)
              if m and m.group(2) in per_unit]
    return float(max(hours)) if hours else None
