"""Read report fields out of what staff write.

Two modes: an *answer* to the question the bot just asked ("ryd", "2",
"för en halvtimme sen"), and *extraction* from a free message ("Jag heter
Omar Said på Hemtjänst Lambohov, Treserva går inte att öppna för någon på
enheten sedan kl 14"), where only confident finds count. The words come from
content (dialog.<lang>.yaml, routine.yaml, units.yaml), merged over the
languages because staff mix them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from rapidfuzz import fuzz

from bot.content import Content
from bot.form import BY_NAME
from bot.timeparse import StartTime, find_start_time, parse_start_time
from intents.normalise import fold

# A unit named in a free message must match this well (rapidfuzz, 0-100) ...
UNIT_IN_TEXT_CUTOFF = 92
# ... and an answer to "which unit?" this well.
UNIT_ANSWER_CUTOFF = 85
MAX_UNIT_CHOICES = 4
DESCRIPTION_LIMIT = BY_NAME["description"].max_length
_NAME_STOP = re.compile(r"\s*(?:,|\.|;|!|\?|\bpå\b|\bfrån\b|\boch\b|\bsom\b|\bo\b(?!['’])|\bvill\b|\bwant\b|\bi\b|\bfrom\b|\bat\b|\band\b|\bjobbar\b|\bjobba\b|\barbetar\b|\barbeta\b|\bwork)", re.IGNORECASE)
_CLAUSES = re.compile(r"(?<=[,.;!?])\s+")
_CAPITALISED = re.compile(r"\b[A-ZÅÄÖ][^\W\d_]+(?:[ -][A-ZÅÄÖ][^\W\d_]+){1,2}\b")
_TIDY_CLAUSES = re.compile(r"(?<=[,.;!?:])\s+")
_NAME_OK = re.compile(r"^[^\W\d_]+(?:[ '\-][^\W\d_]+){0,4}$")
_APOSTROPHE = re.compile(r"(\w)['’](\w)")
# A name signed at the end of a message.
# A capitalised name's word, hyphenated or not ("Anna-Karin").
_NW = r"[A-ZÅÄÖ][^\W\d_]+(?:-[A-ZÅÄÖ][^\W\d_]+)?"
_SIGNATURE = re.compile(rf"(?:^|\s)(?:/|//|-|mvh|hälsningar|/mvh)\s*({_NW}(?: {_NW}){{0,3}})[\s.!]*$",
                        re.IGNORECASE)
_INTRO = re.compile(rf"\b(?:[Dd]et är|[Dd]et e|[Hh]är är|[Tt]his is|[Ii]t's|[Ii]t is)\s+({_NW} {_NW})")
# The same written in lower case, as most staff type: two words, then where they work ("det är lisa berg på
# hemtjänst ekholmen"); the rest must name a unit, so "det är stort strul på ryd" names nobody.
_INTRO_LOWER = re.compile(r"\b(?:det är|det e|här är|this is|it's|it is)\s+([^\W\d_]{2,}(?:-[^\W\d_]+)? [^\W\d_]{2,}(?:-[^\W\d_]+)?)"
                          r",? (?:på|från|from|at|in|i)\s+(.*)", re.IGNORECASE)
_HERE = re.compile(rf"(?:^|[,.!:;]\s*)(?:\W*(?i:hej|hejsan|hallå|hi|hello|hey)\W+)?({_NW}(?: {_NW}){{1,2}}) (?:här|here)\b")
# A first name alone, with where they are right after it: "Malin här på Hemtjänst X", "det är Amir på Nattpatrullen".
_FIRST_NAME_AT = re.compile(r"(?:(?:^|[,.!:;]\s*)(?:\W*(?i:hej|hejsan|hallå|hi|hello|hey)\W+)?([A-ZÅÄÖ][^\W\d_]+) (?:här|here)"
                            r"|\b(?:[Dd]et är|[Dd]et e|[Tt]his is|[Ii]t's|[Ii]t is) ([A-ZÅÄÖ][^\W\d_]+))"
                            r",? (?:på|från|from|at|in)\s")
_INVERTED = re.compile(r"\b([A-ZÅÄÖ][^\W\d_]+(?:[ -][A-ZÅÄÖ][^\W\d_]+){1,2}) (?:heter jag|heter ja|is my name)\b")
# A name in a list of facts: two or three capitalised words ("Per Ek", "Ann-Britt Ek", "Peter O'Neil").
_LISTED_NAME = re.compile(r"^[A-ZÅÄÖ][^\W\d_]+(?:['’-][A-ZÅÄÖ]?[^\W\d_]+)?(?: [A-ZÅÄÖ][^\W\d_]+(?:['’-][A-ZÅÄÖ]?[^\W\d_]+)?){1,2}$")
_LIST_SPLIT = re.compile(r"[,;:!?]+|\.+(?:\s|$)|(?:^|\s)/+\s*|\s-\s")
# Emoji, punctuation and a signature's slash around a name.
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
# Markers that also say what something is ("this is ridiculous", "it's broken").
_WEAK_NAME_MARKERS = frozenset({"this is", "its", "it s", "i am", "im", "i m", "jag e"})
# "it's maria from ryd": where they work, right after the name.
_FROM_AFTER_NAME = re.compile(r"\s+(?:from|at|på|i|in|on)\b", re.IGNORECASE)
_HELD_DOWN = re.compile(r"([^\W\d_])\1{3,}")
_SYMBOLS = re.compile(r"[^\w\s'’.,-]")   # emoji and other symbols, which no name holds
_WORDS_AND_HYPHENS = re.compile(r"[^\W_]+(?:-[^\W_]+)*")  # "e-post" stays one word
_COMMA_TIME = re.compile(r"^\s*(\d{1,2}),(\d{2})\s*$")
# A keyboard smash: five consonants in a row, or a long word without a vowel.
# Words beside the fields' own that make an opening message a description when it names no fault.
DESCRIBES_MIN_WORDS = 3
_SMASH = re.compile(r"[bcdfghjklmnpqrstvwxz]{6}|^[^aeiouy]{4,}$")
# A syllable said over and over: "blabla", "lalala" (six letters or more: "Lulu" and "Mimi" are names).
_STAMMER = re.compile(r"(?=\w{6})(\w{2,3})\1+")
# Five keys in a row on a keyboard ("asdfgh", "qwerty"): no name has them.
_KEY_ROWS = ("qwertyuiopå", "asdfghjklöä", "zxcvbnm")
_KEY_RUN = re.compile("|".join(row[i:i + 5] for row in _KEY_ROWS for i in range(len(row) - 4)))


@dataclass(frozen=True)
class UnitMatch:
    units: tuple[str, ...]   # one: found; several: ask which; none: unknown


class FieldReader:
    def __init__(self, content: Content, situations=None):
        from bot.situation import SituationReader

        self.content = content
        # The situation reader finds the systems (aliases, typos, "tes funkar dock"): one reader for both.
        self.situations = situations or SituationReader(content)
        self.units = list(content.units)
        self._folded_units = [fold(u) for u in self.units]
        self._unit_kinds = {fold(k) for k in content.unit_kinds}
        # Every word of a unit's name or a kind's short form: not in a person's name.
        self._kind_words = {w for aliases in content.unit_kind_aliases.values() for a in aliases
                            for w in fold(a).split() if len(w) > 3} | {w for u in content.units for w in fold(u).split()}
        # "äb skäggetorp", "home care Ryd", "night patrol": read as the kind's or the unit's own name.
        renames = {fold(a): fold(kind) for kind, aliases in content.unit_kind_aliases.items() for a in aliases}
        renames |= {fold(a): fold(unit) for unit, aliases in content.unit_aliases.items() for a in aliases}
        self._answer_aliases = {fold(a): unit for unit, aliases in content.unit_answer_aliases.items() for a in aliases}
        self._unit_renames_words = {w for a in renames for w in a.split()}   # "hemtj", "night", "patrol"
        self._unit_renames = [(re.compile(rf"(?<!\S){re.escape(a)}(?!\S)"), name)
                              for a, name in sorted(renames.items(), key=lambda x: len(x[0]), reverse=True) if a]
        # The words that tell units apart ("berga", "ekholmen"), for "vi och Berga också".
        # (A unit named by its kind alone, "Hemsjukvården", is told apart by that word.)
        self._unit_places = {w for u in self._folded_units for w in u.split()
                             if w not in self._unit_kinds or all(x in self._unit_kinds for x in u.split())}
        # A place that names one unit only ("på sturefors": Hemtjänst Sturefors; not "på berga", which
        # is a Hemtjänst and an Äldreboende), and each unit written place first ("Malmslätt home care").
        by_place: dict[str, list[str]] = {}
        for unit, folded_unit in zip(self.units, self._folded_units):
            for w in folded_unit.split():
                if w not in self._unit_kinds:
                    by_place.setdefault(w, []).append(unit)
        self._unique_places = {w: units[0] for w, units in by_place.items() if len(units) == 1}
        self._place_first = {" ".join(u.split()[1:] + u.split()[:1]): unit
                             for unit, u in zip(self.units, self._folded_units)
                             if len(u.split()) == 2 and u.split()[0] in self._unit_kinds}
        # The place in the genitive: "innerstadens hemtjänst", "ryds äldreboende".
        self._place_first |= {f"{place}{'' if place.endswith('s') else 's'} {kind}": unit
                              for words, unit in list(self._place_first.items()) for place, kind in [words.split()]}
        self._system_aliases: dict[str, list[str]] = {}
        for system_id, system in content.routine.systems.items():
            self._system_aliases[system_id] = sorted({fold(a) for a in [system.name, *system.aliases] if fold(a)},
                                                    key=len, reverse=True)
        self._other_things = sorted({fold(t) for s in content.routine.systems.values() for t in s.things if fold(t)},
                                    key=len, reverse=True)
        dialogs = list(content.dialog.values())
        self._labels_system = {fold(d.systems[s]): s for d in dialogs for s in d.systems}
        self._labels_scope = {fold(d.scopes[s]): s for d in dialogs for s in d.scopes}
        self._scope_words = [(fold(w), scope) for d in dialogs for scope, ws in d.words.scope.items() for w in ws]
        # Several units first ("typ hela stan, alla har samma": more than the unit), then the longest phrase.
        self._scope_words.sort(key=lambda p: (p[1] == "multiple_units", len(p[0])), reverse=True)
        starts = sorted({fold(w) for d in dialogs for w in d.words.start_words if fold(w)}, key=len, reverse=True)
        self._start_words = re.compile(" (?:" + "|".join(map(re.escape, starts)) + ") ") if starts else None
        # "hela nattpatrullen", "the whole night team": the whole unit, by any name of a unit or its kind.
        unit_names = {fold(n) for n in [*content.units, *content.unit_kinds]} | set(renames) | set(self._answer_aliases)
        wholes = {fold(w) for d in dialogs for w in d.words.whole if fold(w)}
        self._whole_unit = re.compile(
            " (?:" + "|".join(map(re.escape, sorted(wholes, key=len, reverse=True))) + ") (?:"
            + "|".join(map(re.escape, sorted(filter(None, unit_names), key=len, reverse=True))) + ") ") \
            if wholes and unit_names else None
        self._everyone = {fold(w) for d in dialogs for w in d.words.everyone}
        districts = {u.split()[1] for u in self._folded_units if len(u.split()) == 2 and u.split()[0] in self._unit_kinds}
        self._whole_place = re.compile(" (?:" + "|".join(map(re.escape, sorted(wholes, key=len, reverse=True)))
                                       + ") (?:" + "|".join(map(re.escape, sorted(districts))) + ") ") \
            if wholes and districts else None
        self.skip_words = {fold(w) for d in dialogs for w in d.words.skip}
        self._agreeing = {w for d in dialogs for phrase in [*d.words.agreeing, *d.words.affirm] for w in fold(phrase).split()}
        self._agreeing_strong = {fold(w) for d in dialogs for w in d.words.agreeing_strong}
        self._articles = {fold(w) for d in dialogs for w in d.words.articles}
        self._qualifiers = {fold(w) for w in content.unit_qualifiers} - {w for u in self._folded_units for w in u.split()}
        self._instead_words = {fold(w) for d in dialogs for w in d.words.instead if " " not in w}
        self._social_words = {fold(w) for kind in content.social.kinds.values() for w in kind.words}
        joins = sorted({w for d in dialogs for w in d.words.joins if " " not in w}, key=len, reverse=True)
        self._second_change = re.compile(r"\s*(?:,|\s(?:" + "|".join(map(re.escape, joins)) + r")\s)\s*", re.IGNORECASE)
        markers = sorted({w for d in dialogs for w in d.words.work_markers}, key=len, reverse=True)
        self._work_markers = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, markers)) + r")\s+", re.IGNORECASE) \
            if markers else None
        self._unit_suffixes = tuple(fold(w) for d in dialogs for w in d.words.unit_suffixes)
        self._scope_signals = [(scope, {fold(w) for d in dialogs for w in d.words.scope_signals.get(scope, [])})
                               for scope in ("multiple_units", "unknown", "unit", "single_user")]
        # The extent's own words ("hela", "gruppen", "alla"), never part of a unit's name.
        self._scope_only_words = {w for scope, words in self._scope_signals for w in words} - set(
            w for u in self._folded_units for w in u.split())
        self._place_prepositions = {fold(w) for d in dialogs for w in d.words.place_prepositions}
        self._unit_markers = sorted({fold(m) for d in dialogs for m in d.words.unit_markers}, key=len, reverse=True)
        # Single words before a place alone: the unit markers' ("på") and the prepositions'.
        self._place_markers = {m for m in self._unit_markers if " " not in m} | self._place_prepositions
        self._name_markers = sorted({fold(_APOSTROPHE.sub(r"\1\2", m)) for d in dialogs for m in d.words.name_markers},
                                    key=len, reverse=True)
        self.question_words = {fold(w) for d in dialogs for w in d.words.question_words}
        self.affirm = {fold(w) for d in dialogs for w in d.words.affirm}
        self.affirm_emoji = {e for d in dialogs for e in d.words.affirm_emoji}
        self.deny = {fold(w) for d in dialogs for w in d.words.deny}
        self.cancel = {fold(w) for d in dialogs for w in d.words.cancel}
        self.cancel_anywhere = {fold(w) for d in dialogs for w in d.words.cancel_anywhere}
        self.polite = {w for d in dialogs for p in d.words.polite for w in fold(p).split()}
        self.correction_words = {fold(w) for d in dialogs for w in d.words.correction}
        self.also_words = {fold(w) for d in dialogs for w in d.words.also}
        self.same_words = {fold(w) for d in dialogs for w in [*d.words.also, *d.words.same, *d.words.joins]}
        self.neither_words = {fold(w) for w in content.situations.neither}   # "varken vi eller dom"
        self._shares = {fold(w) for d in dialogs for w in [*d.words.also, *d.words.same]}
        # A unit's whole name as staff write it ("larmgruppen", "the night patrol"): for the scope.
        self._unit_phrases = [(re.compile(rf"(?<!\S){re.escape(u)}(?!\S)"), unit)
                              for u, unit in zip(self._folded_units, self.units)]
        self.join_words = {fold(w) for d in dialogs for w in d.words.joins}   # (not "med": "öppna lås med TES")
        self.negation_words = set(content.situations.negations) | {fold(w) for d in dialogs for w in d.words.instead}
        self._slips = {fold(w) for d in dialogs for w in d.words.slips}
        notes = sorted({re.escape(w) for d in dialogs for w in d.words.spelling_notes}, key=len, reverse=True)
        # "lind utan h", "Lind with an h": a letter said with the name, not part of it
        self._spelling_note = re.compile(rf"\s+(?:{'|'.join(notes)})\s+(?:\w+\s+)?\w\b\W*$", re.I) if notes else None
        self._means = sorted({fold(w) for d in dialogs for w in d.words.means}, key=len, reverse=True)
        self._add_verbs = sorted({fold(w) for d in dialogs for w in d.words.add_verbs}, key=len, reverse=True)
        self.offer_accepted = {fold(w) for d in dialogs for w in d.offer_accepted_words}
        self.different_fault = {fold(w) for d in dialogs for w in d.different_fault_words}
        self.change_verbs = {fold(w) for d in dialogs for w in d.words.change_verbs}
        self._write_verbs = {fold(w) for d in dialogs for w in d.words.write_verbs}   # "skriv Jesper Lind som namn"
        self.change_links = {fold(w) for d in dialogs for w in d.words.links}
        joins = sorted({fold(w) for d in dialogs for w in d.words.clause_joins}, key=len, reverse=True)
        self._clause_split = re.compile(r"[,.;!]" + "".join(rf"|\b{re.escape(w)}\b" for w in joins))
        self._but = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in joins) + r")\b") if joins else None
        self._generic = {fold(w) for d in dialogs for w in d.words.generic}
        self._function_words = set(self._generic)   # before the systems and scopes join them below
        self._plain_words = set(self._generic)   # "Hej Anna" is no name; "Kim Ström" is one ...
        self._system_words = {w for aliases in self._system_aliases.values() for a in aliases for w in a.split()}
        # ("datorerna", answered to the name question, is the site's IT, not a name)
        self._system_words |= {w for s in content.routine.systems.values() for a in s.alone_aliases for w in fold(a).split()}
        # Never a name, nor a surname after a first name ("I'm Anders Treserva ...", "Omar Ryd").
        self._no_name_words = self._system_words | self._plain_words | self._unit_places | self._unit_kinds
        # How a unit starts when written after a name: its kind, a kind's short form, its own first word.
        self._unit_start_words = self._unit_kinds | self._kind_words | self._unit_renames_words | {
            u.split()[0] for u in self._folded_units}
        self._titles = {fold(w) for d in dialogs for w in d.words.titles}
        # Single words that open a message without saying anything: greetings (social.yaml), "hjälp".
        greeting = content.social.kinds.get("greeting")
        self._openers = {fold(w) for w in (greeting.words if greeting else []) if " " not in w}
        self._openers |= {fold(w) for d in dialogs for w in d.words.openers}
        self._fillers = {fold(w) for d in dialogs for w in d.words.fillers}
        self._trailing = self.correction_words | self.polite | {fold(w) for d in dialogs for w in d.words.fillers}
        self._generic |= self._system_words   # ... but "Appen Kraschar" is not
        self._generic |= {w for words, _ in self._scope_words for w in words.split()}
        # Words that tell no more of a fault than the fields do (for `describes`).
        self._not_describing = (self._generic | self._kind_words | self.polite | self._openers | self._fillers
                                | self._no_name_words)
        # "Ekholmen, inte Berga": the new value ends at a comma or the word that brings in the old one.
        instead = sorted({w for d in dialogs for w in d.words.instead}, key=len, reverse=True)
        self._instead = re.compile(r",|\s(?:" + "|".join(map(re.escape, instead)) + r")\s", re.IGNORECASE) \
            if instead else re.compile(",")
        # A correction in the middle of an answer, after punctuation: "berga.. nej förlåt, ekholmen".
        # ("visar fel brukare, wrong person's journal opens": "fel" and "wrong" before a word describe;
        # only before a stop do they correct, "Berga, fel. Ekholmen".)
        adjectives = {fold(w) for d in dialogs for w in d.words.correction_adjectives}
        midway = sorted({w for d in dialogs for w in [*d.words.correction, *d.words.deny]
                         if " " not in w and fold(w) not in adjectives}, key=len, reverse=True)
        midway += [rf"{re.escape(w)}(?=\s*[,.:!;]|\s*$)" for w in sorted(adjectives, key=len, reverse=True)]
        midway = [w if "(?=" in w else re.escape(w) for w in midway]
        # "tes, eller nej det är treserva": an "or" may stand before the correction.
        ors = "|".join(re.escape(w) for d in dialogs for w in [*d.words.or_words, *d.words.joins] if " " not in w)
        before = rf"(?:(?:{ors})\s+)?" if ors else ""
        self._midway = re.compile(r"[.,!;…]+\s*" + before + "(?:" + "|".join(midway) + r")(?:\s+(?:"
                                  + "|".join(midway) + r"))*\b[\s,.:!]*", re.IGNORECASE)
        # In a description a bare "no" is the fault ("power cut, no computers"): only a correction word counts.
        fixes = sorted({w for d in dialogs for w in d.words.correction if " " not in w and fold(w) not in adjectives},
                       key=len, reverse=True)
        fixes = [re.escape(w) for w in fixes] + [w for w in midway if "(?=" in w]
        self._midway_strict = re.compile(r"[.,!;…]+\s*" + before + "(?:(?:" + "|".join(midway) + r")\s+)*(?:"
                                         + "|".join(fixes) + r")\b[\s,.:!]*", re.IGNORECASE)
        self.change_words = sorted(((fold(w), field) for d in dialogs for field, ws in d.words.change.items() for w in ws),
                                   key=lambda p: len(p[0]), reverse=True)

    # -- yes, no, cancel -------------------------------------------------------

    def is_affirm(self, text: str) -> bool:
        """'ja', 'yes please', 'ja tack gärna': a yes with nothing but politeness around it."""
        folded = fold(text)
        if folded in self.affirm or (not folded and any(e in text for e in self.affirm_emoji)):
            return True   # "👍" alone is a yes
        words = [w for w in folded.split() if w not in self.polite]
        if len(words) > 1 and all(w in self.affirm for w in words):
            return True   # "yes ja", "ja ja", "ok yes": every word a yes
        if bool(words) and len(words) < len(folded.split()) and " ".join(words) in self.affirm:
            return True
        # "yes that is right", "yep send it", "det stämmer, skicka": a yes in words of agreeing, nothing else.
        return bool(words) and all(w in self._agreeing for w in words) and (
            words[0] in self.affirm or bool(set(words) & self._agreeing_strong))

    def after_affirm(self, text: str) -> str | None:
        """'ja skicka. det gällde en brukare på Ryd' -> 'det gällde en brukare på Ryd': a yes said first,
        in a sentence or clause of its own, and what follows it; None when it does not start with one."""
        parts = re.split(r"(?<=[.,!])\s+", text.strip(), maxsplit=1)
        if len(parts) == 2 and self.is_affirm(parts[0].strip(" .,!")):
            return parts[1]
        return None

    def is_deny(self, text: str) -> bool:
        return fold(text) in self.deny

    def is_cancel(self, text: str) -> bool:
        folded = fold(text)
        padded = f" {folded} "
        return (folded in self.cancel or any(folded.startswith(c + " ") for c in self.cancel if " " not in c)
                or any(f" {c} " in padded for c in self.cancel_anywhere))

    def looks_like_question(self, text: str) -> bool:
        words = fold(text).split()
        return text.rstrip().endswith("?") or bool(words and words[0] in self.question_words)

    def asks_anything(self, text: str) -> bool:
        """A question anywhere in the message: a '?', or a clause that starts with a question word
        ("I'm in the portal but what should I write, just tell me")."""
        if "?" in text:
            return True
        return any(words and words[0] in self.question_words
                   for words in (c.split() for c in self._clause_split.split(fold(text))))

    def strip_correction(self, text: str, strict: bool = False) -> str | None:
        """The rest of a message that is a correction: it starts as one ("nej förlåt, ...", "vänta, ...",
        "förresten ...", "lägg till treserva också"), or says so anywhere ("eh sen 8 menar jag, inte 9");
        None when it is not one. `strict` (a description): a bare "no" starts none ("no network at all")."""
        words = fold(text).split()
        denies = set() if strict else self.deny   # strict: "nej" may stand first, but does not make one
        n, said = 0, False   # said: a word that makes it a correction, not only "eh" before one
        while n < len(words) and (words[n] in self.deny or words[n] in self.correction_words
                                  or (n == 0 and words[n] in self._fillers and len(words) > 1)):
            said = said or words[n] in denies or words[n] in self.correction_words
            n += 1
        folded = " ".join(words)
        added = self._add_verb(folded)
        if added and not said:
            return " ".join(text.split()[len(added.split()):]).lstrip(" ,.:-") or None
        if not said:
            # Not a correction by its first words: "menar jag" anywhere makes it one.
            padded = f" {folded} "
            mean = next((m for m in self._means if f" {m} " in padded), None)
            if mean is None:
                return None
            # "TES. sorry no, I mean Treserva, not TES": what follows is the value; "sen 8 menar jag,
            # inte 9": what follows is the old one, the value came before.
            words = text.split()
            size = len(mean.split())
            at = next((i for i in range(len(words) - size + 1)
                       if " ".join(fold(w) for w in words[i:i + size]) == mean), None)
            after = words[at + size:] if at is not None else []
            if after and fold(after[0]).strip(",.") not in self.negation_words:
                return " ".join(after).strip(" ,.:-") or None
            kept = [w for w in words if fold(w).strip(",.") not in set(mean.split())]
            return " ".join(kept).strip(" ,.:-") or None
        return " ".join(text.split()[n:]).lstrip(" ,.:-") or None

    def renamed(self, text: str, name: str | None) -> str | None:
        """'förlåt stavade fel, Eva Lind ska det va', the name being Eva Lindh: the name spelt anew."""
        if not name:
            return None
        for found in _CAPITALISED.findall(text):
            if found != name and fuzz.ratio(fold(found), fold(name)) >= 75 and self.name_answer(found):
                return self._trim_name(found)
        return None

    def name_put_right(self, said: str) -> str | None:
        """'anna lindh nej lind utan h', 'Karin Eriksson, nej Ericsson med c': the name before the
        "nej" with its surname put right."""
        words = said.split()
        at = next((i for i in range(len(words) - 2, 1, -1) if fold(words[i]).strip(",.!") in self.deny), None)
        if at is None:
            return None
        head, after = " ".join(words[:at]).strip(" ,."), " ".join(words[at + 1:])
        surname = self._spelling_note.sub("", after).strip(" ,.") if self._spelling_note else after
        first = self.name_answer(head)
        if not first or len(first.split()) < 2 or len(surname.split()) != 1 or not self.name_answer(surname):
            return None
        surname = surname[:1].upper() + surname[1:] if first[:1].isupper() else surname
        return _tidy_name(" ".join([*first.split()[:-1], surname]))

    def admits_slip(self, text: str) -> bool:
        """'..., skrev fel', 'my bad': the message corrects what it states, wherever it says so."""
        padded = " " + " ".join(re.findall(r"[^\W_]+", fold(text))) + " "
        return any(f" {slip} " in padded for slip in self._slips)

    def adds(self, text: str) -> bool:
        """'lägg till i beskrivningen ...', 'add to the description ...': more, not a replacement."""
        return self._add_verb(fold(text)) is not None

    def _add_verb(self, folded: str) -> str | None:
        return next((v for v in self._add_verbs if folded.startswith(v + " ")), None)

    def without_leading_generic(self, text: str) -> str:
        words = text.split()
        return " ".join(words[1:]) if len(words) > 1 and fold(words[0]) in self._function_words else text

    def without_negated(self, text: str, names) -> str:
        """'det är inte tes det gäller, det är treserva' without 'inte tes': a system the text says
        it is not about is no system of the report. `names(word)`: the systems a word names."""
        words = text.split()
        keep, skip = [], 0
        for i, word in enumerate(words):
            if skip:
                skip -= 1
                continue
            nxt = words[i + 1].strip(",.!?") if i + 1 < len(words) else ""
            after = words[i + 2].strip(",.!?") if i + 2 < len(words) else ""
            if fold(word) in self.negation_words and nxt and names(nxt):
                skip = 1
                continue
            if fold(word) in self.negation_words and fold(nxt) in self._articles and after and names(after):
                skip = 2   # "it's not the locks"
                continue
            keep.append(word)
        return " ".join(keep)

    def joins_systems(self, text: str, first: str, other: str) -> bool:
        """'TES-appen och låsen', 'both TES and the locks': named side by side, a join word a few
        words between them ("tes öppnar inte låsen" is one fault; "... och ingen kommer in" joins nothing)."""
        tokens, at = self.situations.named_at(text)
        if first not in at or other not in at:
            return False
        low, high = sorted((at[first], at[other]))
        return high - low <= JOIN_REACH and bool(set(tokens[low + 1:high]) & self.join_words)

    def adds_system(self, text: str) -> bool:
        """'treserva funkar inte heller', 'TES too': another system, beside the one already named.
        Not an also-word that leads into a system ("kan inte öppna lås med TES"): there it joins the two."""
        words = fold(text).split()
        return any(w in self.also_words and not (i + 1 < len(words) and self.systems_in_text(words[i + 1]))
                   for i, w in enumerate(words))

    def strip_deny(self, text: str) -> str:
        """'nej, enheten är X' -> 'enheten är X'."""
        words = text.strip().split(maxsplit=1)
        if words and fold(words[0]) in self.deny:
            return words[1].lstrip(" ,.:-") if len(words) > 1 else ""
        return text.strip()

    # -- name ------------------------------------------------------------------

    def is_written_name(self, text: str) -> bool:
        """A message of nothing but a capitalised name ("Sam Taylor"), as typed after an offer."""
        words = text.strip(" .!").split()
        return 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words) \
            and self.name_answer(text) is not None and not self.unit_in_text(text)

    def names_reporter(self, text: str) -> bool:
        """The message gives the reporter's name and unit: it is a report, not only a question."""
        return bool((self.unit_in_text(text) or self.unknown_unit_in_text(text)) and self.name_in_text(text))

    def name_in_text(self, text: str, marked_only: bool = False) -> str | None:
        """A name after 'jag heter' / 'my name is' and the like."""
        original_words = text.split()   # as written: "Peter O'Neil" keeps its apostrophe
        # Each word folded on its own, so a position in the folded words is one in the original;
        # "I'm" is one word, as the markers are read.
        folded_words = [fold(_APOSTROPHE.sub(r"\1\2", w)).replace(" ", "") for w in original_words]
        for marker in self._name_markers:
            parts = marker.split()
            at = next((i for i in range(len(folded_words) - len(parts))
                       if folded_words[i:i + len(parts)] == parts), None)
            if at is None:
                continue
            rest = " ".join(original_words[at + len(parts):])
            candidate = _NAME_STOP.split(rest, maxsplit=1)[0].strip(" ,.")
            words = fold(candidate).split()
            # "it's maria from ryd" names her; "it's down", "det är treserva" name nobody,
            # nor do "this is ridiculous, ..." and "its saturday night": lower case, no unit after it.
            said_of = candidate.islower() and marker in _WEAK_NAME_MARKERS \
                and not self._unit_follows(rest[len(candidate):])
            if candidate and _NAME_OK.match(candidate) and words[0] not in self._system_words \
                    and not set(words) & self._plain_words and not said_of \
                    and not (words[0] in self._unit_kinds or self.unit_in_text(candidate)   # "från hemtjänst X"
                             or set(words) & self._unit_renames_words   # "från Nattpatrull Öst"
                             or words[0] in self._qualifiers):   # (but "Arvid Nord" is a name)
                return self._fuller(self._trim_name(candidate), text)
        inverted = _INVERTED.search(text)  # "Sofie Karlberg heter jag"
        if inverted:
            words = inverted.group(1).split()
            while len(words) > 2 and fold(words[0]) in self._openers:   # "Hej Kim Nguyen heter jag"
                words = words[1:]
            return self._trim_name(" ".join(words))
        intro = _INTRO.search(text)  # "Hej det är Beatrice Holm på ...": capitalised, so not "det är treserva"
        if intro and not self.unit_in_text(intro.group(1)):   # nor "det är Korttidsboende Ekholmen"
            return self._trim_name(intro.group(1))
        lower = _INTRO_LOWER.search(text)
        if lower and not set(fold(lower.group(1)).split()) & (self._no_name_words | self._qualifiers) \
                and (self.unit_in_text(lower.group(2)) or self.unknown_unit_in_text(lower.group(2))):
            return self._trim_name(lower.group(1).title())
        here = _HERE.search(text)  # "Hej, Selma Öst här, Hemtjänst Ekholmen"; not "Hemtjänst Ryd här"
        if here and _NAME_OK.match(here.group(1)) and not self.unit_in_text(here.group(1)):
            return self._trim_name(here.group(1))
        first = _FIRST_NAME_AT.search(text)
        if first:
            word = first.group(1) or first.group(2)
            if fold(word) not in self._no_name_words and not self.unit_in_text(word):
                return self._fuller(word, text)
        if marked_only:  # only a name the text says is one ("jag heter", "X här"), not a signature or a list
            return None
        signed = _SIGNATURE.search(text.strip())  # "... sen 6. /Moa Lindgren", "mvh Moa Lindgren"
        if signed and _NAME_OK.match(signed.group(1)):
            return self._trim_name(signed.group(1))
        return self._listed_name(text)

    def _unit_follows(self, after: str) -> bool:
        """'… from ryd', '…, hemtj ryd', '…, nattpatrullen': a unit (or where they work) right after a name."""
        if _FROM_AFTER_NAME.match(after):
            return True
        first = fold(after).lstrip(" ,").split()[:1]
        return bool(first) and len(first[0]) >= 4 and after.lstrip().startswith(",") and any(
            first[0].startswith(w) or w.startswith(first[0]) for w in self._unit_start_words)

    def _fuller(self, name: str | None, text: str) -> str | None:
        """'det är Omar från nattpatrullen, Omar Khalil alltså': a first name written again in full
        (not "I'm Anders Treserva funkar inte": no system, unit or plain word as the surname)."""
        if not name or " " in name:
            return name
        full = re.search(rf"\b{re.escape(name)} ([A-ZÅÄÖ][^\W\d_]+(?:-[A-ZÅÄÖ][^\W\d_]+)?)\b", text)
        surname = fold(full.group(1)) if full else ""
        if not surname or surname in self._no_name_words:
            return name
        return f"{name} {full.group(1)}"

    def _listed_name(self, text: str) -> str | None:
        """'Per Ek, hemtjänst innerstaden', 'Hej, Kim Ström, nattpatrullen', 'Lisa Holn hemtjänst
        malmslätt': a capitalised name beside the unit, in a list of the report's facts."""
        clauses = [c.strip(" /") for c in _LIST_SPLIT.split(text) if c.strip(" /")]
        for i, clause in enumerate(clauses):
            words = clause.split()
            # "hej Gustav Ek hemtjänst linghem", "hej Elvira Ek, hemtjänst johannelund": not the greeting
            while len(words) > 1 and fold(words[0]).strip(",!.") in self._openers:
                words = words[1:]
            clause = " ".join(words)
            kind_at = next((j for j, w in enumerate(words) if fold(w) in self._unit_kinds), None)
            while kind_at and kind_at > 1 and fold(words[kind_at - 1]) in self._unit_places:
                kind_at -= 1   # "Nils Ek lambohov hemtjänst": the place written before the kind
            if kind_at is None:   # "Jonas Wikström hemsjukvården": a unit's whole name after the name
                # (the shortest such end: "Sam Taylor from home care Berga" is Sam Taylor, not Sam)
                kind_at = next((j for j in range(len(words) - 1, 0, -1) if self.unit_in_text(" ".join(words[j:]))
                                and not self.unit_in_text(" ".join(words[:j]))), None)
            if kind_at:   # the name, then the unit (known or not: "Maria Lund på Äldreboende Hjulsbro")
                candidate = _NAME_STOP.split(" ".join(words[:kind_at]), maxsplit=1)[0].strip()
            elif any(self.unit_in_text(c) or self.unknown_unit_in_text(c)
                     for c in clauses[max(i - 1, 0):i] + clauses[i + 1:i + 2]):
                candidate = clause                              # the name, the unit beside it
            elif i == len(clauses) - 1 and i and any(self.unit_in_text(c) for c in clauses[:i]):
                candidate = clause                              # signed at the end: "..., sen 9. Stina Holm"
            else:
                continue
            if _LISTED_NAME.match(candidate) and not self.unit_in_text(candidate) \
                    and not set(fold(candidate).split()) & self._plain_words \
                    and fold(candidate.split()[0]) not in self._system_words:
                return self._trim_name(candidate)
        return None

    def _trim_name(self, name: str) -> str:
        """A name without the unit or title written with it ('Nils Persson hemtjänst innerstaden',
        'Enhetschef Göran Persson')."""
        words = name.split()
        while len(words) > 2 and fold(words[0]) in self._titles:
            words = words[1:]
        while len(words) > 1 and fold(words[-1]) in self._trailing:   # "Hana Suzuki btw", "Erika Lund förresten"
            words = words[:-1]
        kind_at = next((j for j, w in enumerate(words) if j and fold(w) in self._unit_kinds), None)
        if kind_at:
            words = words[:kind_at]
        # "Jelena Marković nattpatrullen", "Johanna Berg hemtj vasastan": the unit written after the name.
        unit_at = next((j for j in range(2, len(words)) if fold(words[j]).strip(",.") in self._kind_words | set(
            self._unit_renames_words) and self.unit_in_text(" ".join(words[j:]))), None)
        if unit_at:
            words = words[:unit_at]
        return _tidy_name(" ".join(words))

    def name_answer(self, text: str) -> str | None:
        text = _SYMBOLS.sub("", text).strip() or text   # "Maria 💜 Svensson": the name without the heart
        text = " ".join(text.split())
        found = self.name_in_text(text)
        if found:
            return found
        parts = [p.strip() for p in text.split(",") if p.strip()]
        if len(parts) == 2 and any(self.unit_in_text(p) or self.unknown_unit_in_text(p) for p in parts):
            # "hemtjänst sturefors, elin dahl": the unit and the name, in either order
            other = next(p for p in parts if not (self.unit_in_text(p) or self.unknown_unit_in_text(p)))
            return self.name_answer(other) if other != text else None
        # "Moa Lindgren 😊", "karin ek." : the name without what stands around it.
        candidate = _NAME_STOP.split(_EDGES.sub("", text.strip()), maxsplit=1)[0].strip()  # "Karin Ek på Ryd"
        folded = fold(candidate)
        if folded in self.affirm or folded in self.deny or folded in self.cancel or folded in self._social_words:
            return None  # "ja", "xD", "hej" are not names
        if self.unit_in_text(candidate) or any(folded.startswith(k + " ") for k in self._unit_kinds):
            trimmed = self._trim_name(candidate)   # "Johanna Berg hemtj vasastan": her name, then the unit
            if _NAME_OK.match(trimmed) and len(trimmed.split()) >= 2 and not self.unit_in_text(trimmed) \
                    and not set(fold(trimmed).split()) & (self._plain_words | self._unit_kinds):
                return trimmed
            return None  # a unit typed at the name question: the dialog reads it as the unit
        words = folded.split()
        if words and (words[0] in self._system_words or set(words) & self._plain_words):
            return None  # "treserva också faktiskt", "appen är nere": not a name
        if 2 <= len(candidate) <= 100 and _NAME_OK.match(candidate) and len(candidate.split()) <= 5 \
                and not any(_SMASH.search(part) for part in folded.split()) and not self.is_smash(candidate):
            return self._trim_name(candidate)
        return None


    def profile_is_person(self, name: str) -> bool:
        """A messenger profile's name that is a person's: not a shared device's ("Hemtjänst Ryd
        Jobbmobil 3", "natt2"), whose profile names nobody; then the dialog asks for the name."""
        if any(ch.isdigit() for ch in name):
            return False
        if len(name.split()) >= 2 and len(name.split()[-1].strip(".")) <= 1:
            return False   # "Liban H.": the surname is asked, not guessed
        folded = fold(name)
        if any(w in self._unit_kinds or w in self._kind_words for w in folded.split()):
            return False
        # "Bettan 🌸", "Jojo": a nickname; the support desk needs the full name, so it is asked for.
        found = self.name_answer(name)
        return found is not None and len(found.split()) >= 2

    @staticmethod
    def is_smash(text: str) -> bool:
        """'jjjjjjj', 'asdfghjkl': a keyboard smash, not a name or a unit."""
        words = fold(text).split()
        # ("jjjjjjjjkkkkk": keys held down, which folding would squeeze to "jk")
        held = bool(_HELD_DOWN.search(text.casefold())) or bool(_KEY_RUN.search(text.casefold()))
        return bool(words) and (held or all(_SMASH.search(w) or len(set(w)) == 1 or _STAMMER.fullmatch(w)
                                            for w in words))

    # -- unit ------------------------------------------------------------------

    def _renamed(self, folded: str) -> str:
        """Folded text with the units' other names replaced by their own ("home care ryd" -> "hemtjanst ryd")."""
        for pattern, name in self._unit_renames:
            folded = pattern.sub(name, folded)
        return folded

    def unit_in_text(self, text: str) -> str | None:
        folded = self._renamed(fold(text))
        if not folded or not self.units:
            return None
        scored = [(fuzz.partial_ratio(u, folded), i) for i, u in enumerate(self._folded_units) if len(u) <= len(folded)]
        scored = [s for s in scored if s[0] >= UNIT_IN_TEXT_CUTOFF]
        if not scored:
            return self._unit_by_place(folded)
        best = max(s[0] for s in scored)
        winners = [i for s, i in scored if s == best]
        if len(winners) != 1:
            return None
        # "nattpatrull väst", "hemtjänst ryd norra": the unit's name and a word that makes it another unit.
        last, words = self._folded_units[winners[0]].split()[-1], folded.split()
        if any(q in self._qualifiers and fuzz.ratio(w, last) >= 80 for w, q in zip(words, words[1:])):
            return None
        return self.units[winners[0]]

    def _unit_by_place(self, folded: str) -> str | None:
        """'Malmslätt home care' (the place first), 'hos oss på sturefors' (a place after a marker, that
        only one unit has)."""
        padded = f" {folded} "
        first = [unit for words, unit in self._place_first.items() if f" {words} " in padded]
        if len(first) == 1:
            return first[0]
        words = folded.split()
        found = {self._unique_places[w] for i, w in enumerate(words)
                 if w in self._unique_places and i > 0 and words[i - 1] in self._place_markers}
        return found.pop() if len(found) == 1 else None

    def unknown_unit_in_text(self, text: str) -> str | None:
        """'Therese Olofsson, Hemtjänst Kärna': a unit's kind and a capitalised place that is no configured
        unit ('Hemtjänst Kärna', 'Äldreboende Vreta Kloster'), as written; the dialog asks to confirm it.
        Or a name after "jobbar på" ('jobbar på Resursteamet', 'I work at Lotsen dagverksamhet')."""
        at_work = self._at_work(text)
        if at_work:
            return at_work
        words = text.split()
        for i, word in enumerate(words[:-1]):
            if fold(word.strip(",.:;!")) not in self._unit_kinds:
                continue
            place = []
            for nxt in words[i + 1:i + 3]:
                bare = nxt.strip(",.:;!?")
                # "på hemtjänst hjulsbro", typed in lower case: a place is a word that is no common word.
                lower_place = not place and len(bare) >= 4 and fold(bare) not in self.content.common_words \
                    and fold(bare) not in self._system_words
                if not (bare[:1].isupper() or lower_place) or not bare.isalpha() or fold(bare) in self._generic:
                    break
                place.append(bare[:1].upper() + bare[1:])
                if bare != nxt:
                    break   # the clause ends here
            if place:
                candidate = " ".join([word.strip(",.:;!").capitalize(), *place])
                known = self.unit_in_text(candidate)
                # "Hemtjänst Ryd Norra" is not Hemtjänst Ryd: a configured unit's name and more after it.
                if not known or set(fold(known).split()) < set(fold(candidate).split()):
                    return candidate
        return None

    def _at_work(self, text: str) -> str | None:
        """The unit named after a work marker, as written, when it is no configured unit."""
        if self._work_markers is None:
            return None
        match = self._work_markers.search(text)
        if not match:
            return None
        place = []
        for word in text[match.end():].split()[:3]:
            bare = word.strip(",.:;!?")
            folded = fold(bare)
            fits = bare.isalpha() and (bare[:1].isupper() if not place else
                                       bare[:1].isupper() or any(folded.endswith(x) for x in self._unit_suffixes))
            if not fits or folded in self._generic:
                break
            place.append(bare)
            if bare != word:
                break   # the clause ends here
        if not place:
            return None
        candidate = " ".join(place)
        return None if self.unit_in_text(candidate) or self.name_like_place(candidate) else candidate

    def name_like_place(self, candidate: str) -> bool:
        """'jobbar på Ryd' names a configured unit's place, not an unknown unit."""
        return bool(set(fold(candidate).split()) & self._unit_places)

    def unit_answer(self, text: str) -> UnitMatch:
        folded = fold(text)
        for marker in self._unit_markers:
            if folded.startswith(marker + " "):
                folded = folded[len(marker) + 1:]
                break
        if folded in self._answer_aliases:
            return UnitMatch((self._answer_aliases[folded],))   # "natten", asked for the unit
        if set(folded.split()) & self._qualifiers:
            return UnitMatch(())   # "nattpatrull väst": another unit than Nattpatrullen, confirmed as written
        folded = self._renamed(folded)
        # "hela gruppen" is who is affected, not Larmgruppen: words that say the extent match no unit.
        folded = " ".join(w for w in folded.split() if w not in self._scope_only_words) or ""
        if len(folded) < 3 or not self.units:
            return UnitMatch(())
        scores = [max(fuzz.token_set_ratio(folded, u), fuzz.partial_ratio(folded, u) if len(folded) >= 4 else 0,
                      fuzz.ratio(folded, u)) if self._place_matches(folded, u) else 0
                  for u in self._folded_units]
        best = max(scores)
        if best < UNIT_ANSWER_CUTOFF:
            return UnitMatch(self._unit_by_prefix(folded))
        exact = [i for i, u in enumerate(self._folded_units) if u == folded]
        if exact:
            return UnitMatch((self.units[exact[0]],))
        close = [i for i, s in enumerate(scores) if s >= best - 2]
        # "hemsjukvardn": Hemsjukvården as a whole, not a part of "Rehab hemsjukvård".
        whole = {i: fuzz.ratio(folded, self._folded_units[i]) for i in close}
        top = max(whole.values())
        if len(close) > 1 and top >= UNIT_ANSWER_CUTOFF and all(v <= top - 10 for i, v in whole.items() if v != top) \
                and list(whole.values()).count(top) == 1:
            close = [i for i, v in whole.items() if v == top]
        winners = [self.units[i] for i in close]
        return UnitMatch(tuple(winners[:MAX_UNIT_CHOICES])) if len(winners) <= MAX_UNIT_CHOICES else UnitMatch(())

    def _unit_by_prefix(self, answer: str) -> tuple[str, ...]:
        """'hemtjänst vasa', 'Tanneforsgruppen': a unit's place cut short or run on, the kind (if
        written) its own. Only one unit may fit."""
        kinds = [w for w in answer.split() if w in self._unit_kinds]
        words = [w for w in answer.split() if w not in self._unit_kinds and len(w) >= 4]
        if not words or len(words) > 2:
            return ()
        fits = [unit for unit, folded in zip(self.units, self._folded_units)
                if (not kinds or any(k in folded.split() for k in kinds))
                and any(p not in self._unit_kinds and len(p) >= 3 and (p.startswith(w) or w.startswith(p))
                        for p in folded.split() for w in words)]
        return tuple(fits) if len(fits) == 1 else ()

    def _place_matches(self, answer: str, unit: str) -> bool:
        """'Äldreboende Eklunda' is not 'Äldreboende Ryd': a unit's own name (not its kind) must be there."""
        place = [w for w in unit.split() if w not in self._unit_kinds]
        words = [w for w in answer.split() if w not in self._unit_kinds]
        # Nor 'Korttidsboende Lambohov' 'Äldreboende Lambohov': a kind written must be the unit's kind.
        said_kinds = {w for w in answer.split() if w in self._unit_kinds}
        unit_kinds = {w for w in unit.split() if w in self._unit_kinds}
        if said_kinds and unit_kinds and not said_kinds & unit_kinds:
            return False
        if not place or not words:
            return True
        return any(fuzz.ratio(p, w) >= 75 for p in place for w in words)

    # -- system ------------------------------------------------------------------

    def systems_in_text(self, text: str) -> tuple[str, ...]:
        """The systems a fault report is about, in the order named. Each one named is reported
        (issue 9: "TES startar inte och låsen svarar inte heller" reaches both outages), even where
        one may explain the other: the support desk, not the form, tells cause from effect."""
        return self.situations.read(text).systems

    def system_in_text(self, text: str, include_other: bool = False) -> str | None:
        systems = self.systems_in_text(text)
        if systems:
            return systems[0]
        if include_other and "other" in self._system_aliases:
            folded = f" {fold(text)} "
            if any(f" {alias} " in folded for alias in self._system_aliases["other"]):
                return "other"
        return "other" if self.names_other_thing(text) else None

    def names_other_thing(self, text: str) -> bool:
        """'skrivaren', 'Outlook': a thing outside the routine's systems, reported as `other`."""
        folded = " " + " ".join(_WORDS_AND_HYPHENS.findall(fold(text))) + " "
        return any(f" {thing} " in folded for thing in self._other_things)

    def without_greeting(self, text: str) -> str:
        words = text.split()
        n = 0
        while n < len(words) and fold(words[n]).strip(",.!:") in self._openers:
            n += 1
        return " ".join(words[n:]) if n < len(words) else text

    def says_only_broken(self, text: str, name: str | None = None, unit: str | None = None) -> bool:
        """'TES funkar inte för oss alla', 'I want to report TES being down': nothing the support desk
        could act on beyond which system, so the report asks what happens instead of storing that."""
        # (A unit's kind too: "treserva is not working at Ryd nursing home" says nothing more.)
        skip = self._generic | self._kind_words | set(fold(name or "").split()) | set(fold(unit or "").split())
        words = re.findall(r"[^\W\d_]+", fold(text))
        return not [w for w in words if w not in skip and len(w) > 1]

    def only_names_system(self, text: str) -> bool:
        """'låset', 'TES-appen': a description that only names the system, which its own question has."""
        words = [w for w in re.findall(r"[^\W\d_]+", fold(text)) if len(w) > 1]
        return 0 < len(words) <= 2 and all(w in self._system_words for w in words)

    def describes(self, text: str, name: str | None = None, unit: str | None = None) -> bool:
        """Words enough of what happens to be a description without any word of a fault: "the door
        lock app can't find any locks" is, "måste felanmäla låsen pls" and "Jag heter Anna Berg" are not."""
        skip = self._not_describing | set(fold(name or "").split()) | set(fold(unit or "").split())
        words = re.findall(r"[^\W\d_]+", fold(text))
        return len([w for w in words if w not in skip and len(w) > 1]) >= DESCRIBES_MIN_WORDS

    def tidy_description(self, text: str, name: str | None = None, unit: str | None = None) -> str:
        """A description taken from a free message, without the clauses that only say what the other
        fields hold: 'Felanmäla: treserva kraschar' -> 'treserva kraschar'; 'Treserva is broken. Lucas
        Meyer, Tannefors homecare' -> '' (nothing but the system, the name and the unit)."""
        skip = self._generic | self._kind_words | set(fold(name or "").split()) | set(fold(unit or "").split())
        clauses = [c for c in _TIDY_CLAUSES.split(text.strip()) if c.strip()]
        bare = lambda c: not [w for w in re.findall(r"[^\W\d_]+", fold(c)) if w not in skip and len(w) > 1]  # noqa: E731
        # A clause of field words goes unless it states the fault ("Felanmäla:", "Hemtjänst Ryd, sen 7,",
        # "Mvh Elin Sjöberg" go; "TES ligger nere!" stays).
        kept_clauses = []
        for i, c in enumerate(clauses):
            if not bare(c) or self.situations.read(c).problem:
                kept_clauses.append(c)
            elif i + 1 < len(clauses) and self.system_in_text(c) and not self.system_in_text(clauses[i + 1]):
                # "felanmäla wifi, borta i hela huset": what is gone is the wifi, so its name stays
                named = [w for w in c.split() if fold(w.strip(",.:;!?")) in self._system_words]
                if named:
                    kept_clauses.append(" ".join(named).strip(",.:;!?"))
        kept = " ".join(c.strip() for c in kept_clauses).strip(" ,:;")
        return _capitalised(kept) if text[:1].isupper() else kept

    def description_correction(self, text: str, old: str) -> str | None:
        """'den kraschar inte, den fryser bara när jag sparar. Hemtjänst Linghem', the description being
        'treserva kraschar': a clause that denies a word of the old description, and the new one beside it."""
        old_words = {w for w in re.findall(r"[^\W\d_]+", fold(old)) if w not in self._generic and len(w) > 2}
        clauses = [c.strip() for c in _TIDY_CLAUSES.split(text.strip()) if c.strip()]
        denied = next((i for i, c in enumerate(clauses)
                       if set(fold(c).replace(",", " ").split()) & self.negation_words
                       and set(re.findall(r"[^\W\d_]+", fold(c))) & old_words), None)
        if denied is None:
            return None
        rest = " ".join(c for i, c in enumerate(clauses) if i != denied)
        kept = _capitalised(self.tidy_description(rest))
        # ("actually it was 23:30 not midnight, sorry" puts the time right: "Sorry" describes nothing.)
        return kept if kept and not self.says_only_broken(kept) and (
            self.situations.read(kept).problem or self.describes(kept)) else None

    def description_in_text(self, text: str) -> str:
        """The part of a message that describes the fault: from the first clause
        naming a system, leaving out an introduction ("Jag heter X på Y, ...") and
        the greeting or cry for help before it ("hej hjälp dörren går inte upp")."""
        text = self.without_greeting(text)
        clauses = [c.strip() for c in _CLAUSES.split(text.strip()) if c.strip()]
        for i, clause in enumerate(clauses):
            if self.system_in_text(clause) and not self.name_in_text(clause):
                return " ".join(clauses[i:])[:DESCRIPTION_LIMIT]  # each clause keeps its own comma
        return text.strip()[:DESCRIPTION_LIMIT]

    def system_answer(self, text: str) -> str | None:
        folded = fold(text)
        if folded in self._labels_system:
            return self._labels_system[folded]
        number = folded.isdigit() and int(folded)
        systems = list(self.content.routine.systems)
        if number and 1 <= number <= len(systems):
            return systems[number - 1]
        return self.system_in_text(text, include_other=True)

    # -- scope -------------------------------------------------------------------

    def units_named(self, text: str) -> list[str]:
        """The configured units the text names in full ("Nattpatrullen", "the night patrol", "Hemtjänst Ryd")."""
        folded = self._renamed(fold(text))
        return [unit for pattern, unit in self._unit_phrases if pattern.search(folded)]

    def _others_share(self, text: str, own_unit: str | None) -> bool:
        """Another unit than the writer's has it too: "både vi och larmgruppen", "the night patrol too",
        "hemsjukvården säger samma". (Two units and no such word is a correction: "Ryd, inte Berga".)"""
        named = self.units_named(text)
        others = [u for u in named if u != own_unit] if own_unit else named[1:]
        words = set(re.findall(r"[^\W\d_]+", fold(text)))
        if own_unit and not others:   # "Innerstaden har också samma problem": another unit by its place
            others = sorted((words & self._unit_places) - set(fold(own_unit).split()) - self._unit_kinds)
        elif not others and len((words & self._unit_places) - self._unit_kinds) >= 2:
            others = sorted((words & self._unit_places) - self._unit_kinds)[1:]   # "varken vi i lambohov eller dom i ekholmen"
        if not others:
            return False
        # "hemtjänst lambohov, inte äldreboendet, skrev fel": one unit put right, not two sharing it.
        names_unit = lambda w: any(fold(w).startswith(k) for k in self._unit_kinds) or fold(w) in self._unit_places  # noqa: E731
        if self.admits_slip(text) or self.without_negated(text, names_unit) != text:
            return False
        folded = f" {fold(text)} "
        return bool(words & (self.same_words | self.neither_words)) or any(
            f" {w} " in folded for w in self.same_words if " " in w)

    def scope_in_text(self, text: str, own_unit: str | None = None) -> str | None:
        if self._others_share(text, own_unit):
            return "multiple_units"
        # Clause by clause: "öppnas inte, bara jag" is only me, not "inte bara jag".
        clauses = [f" {fold(c)} " for c in _CLAUSES.split(text) if fold(c)]
        # "... på Äldreboende Ryd. Gäller även Äldreboende Lambohov": two units' places, one said to be "also".
        said = set(re.findall(r"[^\W\d_]+", fold(text)))
        if len(said & self._unit_places - self._unit_kinds) >= 2 and said & self.also_words:
            return "multiple_units"
        for words, scope in self._scope_words:
            if any(f" {words} " in clause for clause in clauses):
                return scope
        if self._scope_signal(text) == "multiple_units":
            return None   # "hela hemtjänsten i kommunen": more than the unit, read from the signals
        if self._whole_place is not None and any(self._whole_place.search(clause) for clause in clauses):
            return "multiple_units"   # "strömavbrott i hela Linghem": the district, every unit there
        if any(clause.strip(" ,.;!?") in self._everyone for clause in clauses):
            return "unit"
        if self._whole_unit is not None and any(self._whole_unit.search(clause) for clause in clauses):
            return "unit"
        return None

    def scope_answer(self, text: str, own_unit: str | None = None) -> str | None:
        folded = fold(text)
        if folded in self._labels_scope:
            return self._labels_scope[folded]
        scopes = list(self.content.dialog_for("sv").scopes)
        if folded.isdigit() and 1 <= int(folded) <= len(scopes):
            return scopes[int(folded) - 1]
        # Asked who is affected, another unit named is another unit affected ("the night patrol too").
        # (Not one said not to be it: "e på ljungsbro inte linghem" corrects the unit.)
        if own_unit and any(u != own_unit for u in self.units_named(self.without_negated(text, self.unit_in_text))):
            return "multiple_units"
        found = self.scope_in_text(text, own_unit)
        if found == "unknown":
            # "vet inte om det är fler, men alla vi här": what they do know.
            known = [c for c in _CLAUSES.split(text) if c.strip() and self.scope_in_text(c) != "unknown"]
            definite = self._scope_signal(" ".join(known)) if known else None
            # (Not "vet inte, jag är ute själv" nor "ingen aning, jag är ensam på kontoret": alone there,
            # they still don't know about the others.)
            alone = bool(set(fold(" ".join(known)).split()) & dict(self._scope_signals)["single_user"])
            if definite in ("unit", "multiple_units") and not alone:
                return definite
        if found:
            return found
        words = set(folded.split())
        # "vi och Berga och Ekholmen också": other units by their place names.
        # (Not a place said not to be it: "e på ljungsbro inte linghem".)
        listed = folded.split()
        negated = {w for before, w in zip(listed, listed[1:]) if before in self._instead_words}
        places = (words - negated) & self._unit_places
        if len(places) >= 2 or (places and words & self.also_words):
            return "multiple_units"
        return self._scope_signal(text)

    def _scope_signal(self, text: str) -> str | None:
        """An answer to the question, in the person's own words: "vi alla på nattpatrullen", "no idea"."""
        words = set(fold(text).split())
        return next((scope for scope, signals in self._scope_signals if words & signals), None)

    # -- time ----------------------------------------------------------------------

    def says_start(self, text: str) -> bool:
        """'... började runt fyra': the text says when it started, in words."""
        return bool(self._start_words) and bool(self._start_words.search(f" {fold(text)} "))

    @staticmethod
    def started_in_text(text: str, now: datetime) -> StartTime | None:
        return find_start_time(text, now)

    @staticmethod
    def started_answer(text: str, now: datetime) -> StartTime | None:
        # "14,20" typed as the whole answer (a comma for the dot on a phone keyboard) is 14.20.
        return parse_start_time(_COMMA_TIME.sub(r"\1.\2", text), now)

    # -- corrections -----------------------------------------------------------------

    def leading_change(self, text: str) -> tuple[str, str] | None:
        """A message that starts by naming a field to change: 'ändra namn till X', 'tiden är 8.30',
        'unit is Ryd'. Only at the start: "det började strula" in a description is no correction."""
        words = fold(text).split()
        verb = bool(words) and words[0] in self.change_verbs   # "ändra beskrivningen, den ...": named to change
        if verb:
            words = words[1:]
        if len(words) < 2 or not any(words[0].strip(",.:") == w for w, _ in self.change_words):
            return None
        if words[1] not in self.change_links and not verb:
            return None
        return self.change_request(text)

    def system_meant_instead(self, text: str, current: str | None) -> str | None:
        """'det står treserva men det är tes jag menar': the system named after the "men", when the part
        before names the one stored; None otherwise."""
        if not self._but or not current:
            return None
        parts = self._but.split(fold(text), maxsplit=1)
        if len(parts) != 2:
            return None
        # (Not one said to work after it: "tes funkar inte men treserva funkar".)
        before, after = self.systems_in_text(parts[0]), self.situations.read(parts[1]).systems
        return after[0] if before == (current,) and after and after[0] != current and not self.adds_system(parts[1]) \
            else None

    def says_others_share(self, text: str, own_unit: str | None) -> bool:
        """'rehab har samma fel också, så det är flera enheter', 'my colleague has the same, so it's the
        whole unit': who else has it, and nothing of what happens."""
        words = set(re.findall(r"[^\W\d_]+", fold(text)))
        folded = f" {fold(text)} "
        shares = bool(words & self._shares) or any(f" {w} " in folded for w in self._shares if " " in w)
        return shares and self.scope_in_text(text, own_unit) in ("unit", "multiple_units")

    def value_said_before(self, rest: str, after_field_word: str) -> str:
        """'det var nog 14.40 det började, inte 14.50' -> 'det var nog 14.40'; 'skriv Jesper Lind som
        namn, inte bara Jesper' -> 'Jesper Lind': the new value, before the field's word."""
        head = rest[:rest.rfind(after_field_word)] if after_field_word and after_field_word in rest else rest
        head = self.split_value(head)[0]
        words = head.split()
        field_words = {w for w, _ in self.change_words if " " not in w} | self.change_links | {"som", "as"}
        while words and fold(words[-1]).strip(",.:") in field_words:
            words = words[:-1]
        while words and fold(words[0]).strip(",.:") in self.change_verbs | self._write_verbs | self.deny | self.correction_words:
            words = words[1:]
        return " ".join(words).strip(" ,.:") or head

    def value_before_field(self, after_field_word: str) -> bool:
        """'det var nog 14.40 det började, inte 14.50': what follows the field's word is the old value,
        so the new one came before it."""
        words = fold(after_field_word).split()
        return bool(words) and words[0] in self.negation_words

    def split_value(self, text: str) -> tuple[str, str]:
        """'Hemtjänst Ekholmen, inte Berga. det började 8.15' -> ('Hemtjänst Ekholmen', 'det började 8.15'):
        a corrected value ends at the clause; what follows "inte ..." is the old value, the next sentence more."""
        parts = re.split(r"(?<=[.!?;])\s+", text.strip(), maxsplit=1)
        head, after = parts[0], (parts[1] if len(parts) > 1 else "")
        head = self._instead.split(f"{head} ", maxsplit=1)[0]
        words = [w for w in head.split() if fold(w).strip(".,!") not in self.correction_words]
        return " ".join(words).strip(" .,!:;"), after.strip()

    def after_correction(self, text: str, strict: bool = False) -> str:
        """'hemtjänst berga.. nej förlåt, hemtjänst ekholmen' -> 'hemtjänst ekholmen'.
        `strict`: only after a correction word, not a bare "nej"/"no" (for a description)."""
        parts = (self._midway_strict if strict else self._midway).split(text)
        last = parts[-1].strip(" ,.") if len(parts) > 1 else ""
        return last if len(last) >= 2 else text

    def unit_of_kind(self, place: str, like: str | None) -> str | None:
        """'lambohov' said to correct 'Hemtjänst Berga': Hemtjänst Lambohov, the unit of the same kind
        there, when the place alone names more than one unit."""
        if not like:
            return None
        kinds = [w for w in like.split() if fold(w) in self._unit_kinds]
        if not kinds or any(fold(w) in self._unit_kinds for w in place.split()):
            return None
        match = self.unit_answer(f"{kinds[0]} {place}")
        return match.units[0] if len(match.units) == 1 else None

    def split_second_change(self, value_text: str) -> tuple[str, str]:
        """'Marie Lind och tiden 12.30' -> ('Marie Lind', 'tiden 12.30'): a value, then another field named
        to change after "och", "and" or a comma; ('Marie Lind', '') when there is none."""
        for match in self._second_change.finditer(value_text):
            tail = value_text[match.end():]
            # ("tiden är 15.40 och det är inte bara jag, hela hemsjukvården har samma": who, said without its word.)
            if self.leading_change(tail) or (self.change_request(tail) and any(
                    fold(tail).startswith(w + " ") for w, _ in self.change_words)) or self.scope_in_text(tail):
                return value_text[:match.start()].strip(" ,."), tail.strip()
        return value_text, ""

    def strip_trailing_correction(self, head: str) -> str:
        """'Moa Jakobsson. och nej vänta,' -> 'Moa Jakobsson': the answer before the correction words."""
        words = head.split()
        skip = self.correction_words | {fold(w) for d in self.content.dialog.values()
                                        for w in [*d.words.deny, *d.words.or_words, *d.words.joins]}
        while words and fold(words[-1]).strip(",.!:;") in skip:
            words.pop()
        return " ".join(words).strip(" ,.!:;")

    def change_request(self, text: str) -> tuple[str, str] | None:
        """'enheten är Hemtjänst Berga' -> ('unit', 'Hemtjänst Berga'); 'ändra namn' -> ('reporter_name', '')."""
        folded = fold(text)
        # The field named first ("ändra namn till X ... Enheten är Y": the name); the longest word at a place.
        found = [(m.start(), -len(word), m, field) for word, field in self.change_words
                 for m in [re.search(r"(?:^|\s)" + re.escape(word) + r"(?:\s|$)", folded)] if m]
        for _, _, m, field in sorted(found, key=lambda f: f[:2])[:1]:
            words_before = len(folded[:m.end()].split())
            # Folding may split a word ("it's" -> "it s"): count the written words that many folded ones make.
            written, taken = text.split(), 0
            while written and taken < words_before:
                taken += max(1, len(fold(written[0]).split()))
                written = written[1:]
            rest_words = written
            while rest_words and fold(rest_words[0]) in self.change_links:  # "ska vara", "should be"
                rest_words = rest_words[1:]
            return field, " ".join(rest_words).strip(" :=,.")
        return None


# Two systems joined as two faults ("TES-appen och de digitala låsen"): at most this many words apart.
JOIN_REACH = 6


def _capitalised(text: str) -> str:
    """The first letter upper case ('den fryser ...' -> 'Den fryser ...'), the rest as written."""
    return text[:1].upper() + text[1:]


def _tidy_name(name: str) -> str:
    """Capitalise each part of a name typed in lower case ('omar said' -> 'Omar Said')."""
    if name == name.lower():
        return " ".join(part[:1].upper() + part[1:] for part in name.split())
    return name
