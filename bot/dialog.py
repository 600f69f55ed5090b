"""The fault-report conversation: explicit states, fields declared as data.

State: a ReportDraft (bot.report_draft), typed, stored per conversation as JSON so that a
restart resumes. `handle` reads it from the engine's dict and gives the next one back; the
methods below work on the draft. Its `awaiting` is the state of the form: a field's name
(that question is asked), "confirm" (the summary is shown) or "change" (which field?).

Repair rules (after Rasa's forms): "avbryt"/"cancel" anywhere ends the draft
and stores nothing; at the summary any field can be corrected in words
("nej, enheten är Hemtjänst Berga", "ändra namn"); a side question mid-form
("vem ska jag ringa?") is answered and the question asked again.
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import Callable

from pydantic import ValidationError

from bot import form
from bot.content import Content
from bot.messages import Message, Option, Reply
from bot.privacy import clean_text
from bot.report_draft import ReportDraft
from bot.report_fields import FieldReader
from bot.reports import Report, ReportService
from bot.situation import SituationReader
from intents.normalise import fold

REPORT_FIELDS = form.NAMES
REQUIRED = form.REQUIRED
UNKNOWN = "unknown"
# Fields an answer to another question may change by stating them (a name or a description is never
# taken over that way: "Ström" or "appen" in passing are not corrections).
RESTATED = frozenset({"unit", "system", "scope", "started_at"})
# Intents that are side questions during a report (answered, then the form goes on).
SIDE_INTENTS = frozenset({"contact", "report_details", "conventional_keys", "post_registration", "planned_outage",
                          "status", "backup_care_docs", "backup_hsl_docs", "deviation", "outage_causes",
                          "local_routine"})
SIDE_MIN_CONFIDENCE = 0.7
SIDE_MIN_CONFIDENCE_NO_FAULT = 0.4
MIN_DESCRIPTION = form.BY_NAME["description"].min_length
# A question is asked at most this many times in a row; then the answer is taken as given.
MAX_ASKS = 2
# A unit outside the list, written as the answer, is at most this many words ("Lotsen dagverksamhet Öst").
UNIT_WORDS = 5
# A one-word answer to "what is your name?" classified this surely is a command, not a name.
COMMAND_WORD_CONFIDENCE = 0.9

# A turn's replies and the conversation's state next: a draft while the report is written, the
# engine's own dict after it (a report just filed, "joined"), or None when nothing is left open.
Turn = tuple[list[Reply], "ReportDraft | dict | None"]
StoredTurn = tuple[list[Reply], dict | None]


def _stored(turn: Turn) -> StoredTurn:
    replies, state = turn
    return replies, state.to_state() if isinstance(state, ReportDraft) else state


class ReportDialog:
    def __init__(self, content: Content, reports: ReportService, classify: Callable,
                 answer_intent: Callable[..., Reply]):
        self.content = content
        self.reports = reports
        self.situations = SituationReader(content)
        self.read = FieldReader(content, self.situations)
        self.classify = classify
        self.answer_intent = answer_intent

    # -- start -------------------------------------------------------------------

    def start(self, message: Message, now: datetime, lang: str, seed: str | None = None,
              last_unit: str | None = None, lead: list[str] | None = None, intro: str | None = None) -> StoredTurn:
        """Begin a report; pull what the opening message (or the seed) already says.

        `lead`: lines said before the report's first question (what to do meanwhile); `intro`: earlier
        messages in which the writer said who they are, read for the name and the unit only."""
        state = ReportDraft(lang=lang)
        fields = state.fields
        if message.user_name:
            # A messenger profile is the user's own text: it may hold anything, a personnummer too.
            marker = self.content.dialog_for(lang).redaction_marker
            profile = clean_text(message.user_name, marker)
            if self.read.profile_is_person(" ".join(profile.replace(marker, " ").split())):
                fields["reporter_name"] = profile
        unit = message.unit or last_unit
        if unit:
            fields["unit"] = unit
        if intro:
            self._extract(intro, state, now, describe=False, overwrite=frozenset({"unit"}), times=False)
        for text in filter(None, (intro, seed, message.text)):
            if text is not intro:
                self._extract(text, state, now, describe=True, opening=True)
            written = self.read.name_in_text(text)
            if not written and text == message.text and self.read.is_written_name(text):
                written = self.read.name_answer(text)   # "Sam Taylor", typed after the offer to report
            # A name written in the message beats the messenger profile's, unless it is only a part
            # of it ("I'm Ahmed", the profile Ahmed Hassan).
            profile_words = fold(fields.get("reporter_name") or "").split()
            if written and not (len(profile_words) > len(written.split())
                                and set(fold(written).split()) <= set(profile_words)):
                fields["reporter_name"] = written
        texts = self.content.dialog_for(lang)
        return _stored(self._next(state, lead=[*(lead or []), texts.start]))

    def says_fields(self, text: str, now: datetime) -> bool:
        """The text gives a report's name, unit, time or scope ("sen 18", "för hela gruppen")."""
        scratch = ReportDraft(lang=self.content.default_lang)
        self._extract(text, scratch, now, describe=False)
        return bool(set(scratch.fields) & {"reporter_name", "unit", "started_at", "scope"})

    def introduces(self, text: str) -> bool:
        """The text says who the writer is or where they work, and nothing is broken ("hej, Lina Haddad,
        Korttidsboende Ekholmen"): kept for a report that may follow."""
        if self.situations.read(text).problem:
            return False
        return bool(self.read.name_in_text(text) or self.read.unit_in_text(text) or self.read.unknown_unit_in_text(text))

    # -- a turn ------------------------------------------------------------------

    def handle(self, message: Message, stored: dict, now: datetime) -> StoredTurn:
        """One message of a report conversation; `stored`: its state as the engine keeps it."""
        state = ReportDraft.from_state(stored)
        if state is None:   # a state that does not fit this version: begin again, nothing half-read
            return self.start(message, now, stored.get("lang") or self.content.default_lang)
        return _stored(self._turn(message, state, now))

    def _turn(self, message: Message, state: ReportDraft, now: datetime) -> Turn:
        texts = self.content.dialog_for(state.lang)
        text = message.text.strip()
        if message.choice == "cancel" or self.read.is_cancel(text):
            return [Reply(text=texts.cancelled, lang=state.lang)], None
        awaiting = state.awaiting
        if awaiting == "confirm":
            return self._at_confirm(message, state, now)
        if awaiting == "change":
            field = (message.choice or "").removeprefix("change:") or self._field_named(text)
            if field in REPORT_FIELDS:
                state.back_to_confirm = True
                return self._ask(state, field)
            if self.read.is_deny(text):
                # "nej" to the summary, then "nej" to what to change: nothing they want sent.
                return [Reply(text=texts.cancelled, lang=state.lang)], None
            return self._at_confirm(message, state, now)
        if awaiting in REPORT_FIELDS:
            return self._answer(awaiting, message, state, now)
        return self._next(state)

    # -- answers to a field --------------------------------------------------------

    def _answer(self, field: str, message: Message, state: ReportDraft, now: datetime) -> Turn:
        text = message.text.strip()
        texts = self.content.dialog_for(state.lang)
        choice = message.choice or ""

        if field == "unit" and state.unit_check:
            pending = state.take("unit_check")
            # "ja", or the same unit written again, confirms a unit that is not in the list.
            # "nej, Äldreboende Hjulsbro stämmer": the unit named again, whatever around it.
            # ("vet inte": they wrote it themselves; it is kept as written.)
            if self.read.is_affirm(text) or choice == "yes" or f" {fold(pending)} " in f" {fold(text)} " \
                    or self.read.scope_answer(text) == UNKNOWN:
                state.fields["unit"] = pending
                return self._after_set(state)
            if self.read.is_deny(text):
                return self._ask(state, "unit")
            if not self._could_be_unit(text, now):
                # "låsen funkar inte hos brukarna, hela gruppen": another answer; taken, and the unit asked again.
                self._extract(text, state, now, describe=True, overwrite=RESTATED)
                state.unit_guess = pending
                return self._next(state)
        if field == "unit" and state.unit_choices:
            choices = state.take("unit_choices")
            picked = choice.removeprefix("unit:") if choice.startswith("unit:") else None
            if text.isdigit() and 1 <= int(text) <= len(choices):
                picked = choices[int(text) - 1]
            if picked in choices:
                state.fields["unit"] = picked
                return self._after_set(state)
            if fold(text) == state.take("unit_typed"):
                state.fields["unit"] = _cut(text, "unit")  # none of them: the unit as written, twice
                return self._after_set(state)

        # "hemtjänst berga.. nej förlåt, hemtjänst ekholmen": the answer is what comes after the correction.
        # (A message that opens as one, "nej vänta, det gäller alla", is read as a correction below.)
        # ("ändra namn till X förresten, ...": a change named at the start is read whole, as written.)
        as_written = text if self._strip_correction(text, field, now) is not None or self.read.leading_change(text) \
            else None
        said = text
        text = self.read.after_correction(text, strict=field == "description")
        if as_written is None and text != said and field != "description":
            # "Moa Jakobsson. och nej vänta, enheten är hemtjänst vallastaden": the answer, then a
            # correction of another field; both count.
            text = self._answer_then_change(field, said, text, state, now)
        if field == "reporter_name":
            text = self.read.name_put_right(said) or text   # "anna lindh nej lind utan h"
        if field != "description":  # "Karin Lund 19800214-3629": the name is what is left
            text = " ".join(text.replace(texts.redaction_marker, " ").split())
        named = self.read.name_in_text(text, marked_only=True) if field != "reporter_name" else None
        if named:  # "I'm Hana Suzuki btw", asked for the unit: a written name beats the profile's
            state.fields["reporter_name"] = named
            if field == "unit" and not self.read.unit_in_text(text):
                return self._next(state)   # the unit is still to come: not "I'm Hana" as a unit
        side = self._side_question(field, text, state)
        if side:
            return side
        if (state.asked or [None, 0]) == [field, MAX_ASKS] and not self.read.is_affirm(text):
            # Asked twice already: never a third time. The answer as given (or "don't know");
            # the summary lets them fix it.
            value = self._value(field, text, choice, now, state.fields.get("unit"))
            if value is None and field in ("reporter_name", "unit") and self.read.scope_answer(text) != UNKNOWN:
                # "hela gruppen", asked which unit a second time: the answer to another question counts
                before = dict(state.fields)
                self._extract(text, state, now, describe=False, overwrite=RESTATED)
                if state.fields != before:
                    state.take("unit_check"), state.take("unit_choices")
                    state.fields[field] = self._later(field, state)
                    return self._next(state)
            value = value if value is not None else self._fallback(field, text, state)
            if value is not None:
                state.take("unit_check"), state.take("unit_choices")
                state.fields[field] = value
                return self._after_set(state)
        corrected = self._correction(field, as_written or text, state, now)
        if corrected:
            return corrected

        value = self._value(field, text, choice, now, state.fields.get("unit"), state.first_name)
        if field == "reporter_name":
            state.surname_asked = True   # a first name given as the answer is the answer
        if field == "description" and state.said_broken and self.read.scope_answer(text) == UNKNOWN:
            value = state.said_broken   # "vet inte": what the opening said is all there is
        if value is not None and field != "started_at" and form.check_value(field, value) == "too_long":
            turn = self._ask(state, field)
            limit = form.BY_NAME[field].max_length
            turn[0][0] = Reply(text=texts.too_long.format(max=limit) + "\n" + turn[0][0].text, awaiting=field,
                               options=turn[0][0].options, lang=state.lang, intent="report_fault")
            return turn
        if field == "unit" and value is None and self._name_again(text, state):
            return self._ask(state, "unit")   # their name again, as if asked for it: not a unit to confirm
        if field == "unit" and value is None and text:
            match = self.read.unit_answer(text)
            if len(match.units) == 1:
                value = match.units[0]
            elif len(match.units) > 1:
                state.unit_typed = fold(text)
                return self._offer_units(state, list(match.units))
            elif len(text) >= 2 and any(ch.isalpha() for ch in text) and not self.read.is_smash(text) \
                    and self.read.scope_answer(text) != UNKNOWN and self._could_be_unit(text, now):
                # "nej, Hemtjänst Kärna": the unit, not the no before it
                state.unit_check = _unit_as_written(self.read.strip_deny(text) or text)
                self._count_ask(state, "unit")
                return [Reply(text=texts.unit_unknown.format(unit=state.unit_check), awaiting="unit", lang=state.lang,
                              intent="report_fault")], state
        if value is None:
            # An answer to another question ("Hemtjänst Ryd" asked for a name, "sen 7" for a description)
            # fills that field; the question is asked again without counting as a miss.
            before = dict(state.fields)
            # "... så det gäller alla" asked for a time: what it states of another field counts, said again.
            # (A "vet inte" answers the question asked, not who is affected.)
            if self.read.scope_answer(text) != UNKNOWN:
                self._extract(text, state, now, describe=False, overwrite=RESTATED)
            if field != "description" and self._describe_more(text, state):
                pass   # "dörrarna öppnas inte med telefonen", asked for the time: more of what fails
            if state.fields != before:
                return self._next(state)
            misses = state.misses
            misses[field] = misses.get(field, 0) + 1
            fallback = self._fallback(field, text, state) if misses[field] >= 2 else None
            if fallback is None:
                turn = self._ask(state, field)
                turn[0][0] = Reply(text=texts.invalid[field] + "\n" + turn[0][0].text, awaiting=field,
                                   options=turn[0][0].options, lang=state.lang, intent="report_fault")
                return turn
            # No question is asked a third time: take the answer as given (the summary lets them fix it).
            value = fallback
        state.fields[field] = value
        if field == "system":
            self._note_extra_systems(text, state)
        if field == "system" and value == "other" and self.read.scope_answer(text) == UNKNOWN:
            state.system_unsure = True   # "vet inte": the description may tell
        if field == "description" and state.take("system_unsure"):
            # "vet inte" asked for the system, then "appen registrerar inte besöken": that is TES.
            state.fields["system"] = self.read.system_in_text(text) or "other"
        # Pull anything else the same message says ("Hemtjänst Ryd, sedan kl 14"); a "vet inte"
        # answers the question asked, not the scope and the time as well.
        if not (field != "scope" and self.read.scope_answer(text) == UNKNOWN):
            # "tes fungerar inte, kan inte logga in", asked for the system: the description too.
            # ("alla på natten", asked for the scope, says who, not when: no time without a number.)
            # (Nor "gamla besök från igår", asked for the description: a time there needs a number.)
            times = field not in ("scope", "description") or any(ch.isdigit() for ch in text) \
                or self.read.says_start(text)
            slip = RESTATED if self.read.admits_slip(text) else False   # "..., inte äldreboendet, skrev fel"
            # ("vi är flera som inte kommer åt journalerna", asked for the scope, says who: what fails is asked.)
            self._extract(text, state, now, describe=field not in ("description", "scope"), times=times,
                          overwrite=slip)
        return self._after_set(state)

    def _value(self, field: str, text: str, choice: str, now: datetime, unit: str | None = None,
               first_name: str | None = None):
        if field == "reporter_name":
            if first_name and (self.read.scope_answer(text) == UNKNOWN or self.read.is_deny(text)
                               or fold(text) in self.read.skip_words):
                return first_name   # asked for the surname: "vet inte", "skip"
            if len(text.split()) == 1 and self._is_command_word(text):
                return None  # "rapportera", "status", "hjälp": not a name
            if text == text.lower() and self.read.started_answer(text, now) is not None:
                return None  # "sen fyra": a time, the answer to another question
            name = self.read.name_answer(text)
            if name and first_name and len(name.split()) == 1 and fold(name) != fold(first_name):
                return f"{first_name} {name}"   # "Yıldız", asked for the surname of Aylin
            return name
        if field == "unit":
            match = self.read.unit_answer(text)
            return match.units[0] if len(match.units) == 1 else None
        if field == "system":
            if choice.startswith("system:"):
                return choice.removeprefix("system:")
            # "trygghetslarmen, inte tes": not the system it says it is not
            return self.read.system_answer(self.read.without_negated(text, self._systems_of) or text)
        if field == "scope":
            if choice.startswith("scope:"):
                return choice.removeprefix("scope:")
            return self.read.scope_answer(text, unit)
        if field == "description":
            if form.check_value("description", text) == "too_short" or self.read.is_affirm(text) \
                    or self.read.is_deny(text):
                return None   # "ja" describes nothing
            # "sen 06.45", "alla" asked for a description: another field's answer, read as that one.
            # ("no network on the phone" names only systems, yet it is what they have to say.)
            if self.read.is_smash(text) or self.read.only_names_system(text) or (
                    self.read.says_only_broken(text) and not self.situations.read(text).problem
                    and self.says_fields(text, now)):
                return None
            # "rehab har samma fel också, så det är flera enheter", "my colleague has the same, so it's the
            # whole unit": who is affected, said again; no fault.
            if not self.situations.read(text).problem and not self.read.systems_in_text(text) \
                    and self.read.says_others_share(text, unit):
                return None
            # "since about 10 past 11": nothing but a time, the answer to the next question.
            if self.read.started_answer(text, now) is not None and not self.situations.read(text).problem \
                    and not self.read.systems_in_text(text):
                return None
            return self.read.without_greeting(text)   # "hej hjälp dörren ..." -> "dörren ..."
        if field == "started_at":
            if choice == "started:unknown":
                return UNKNOWN
            parsed = self.read.started_answer(text, now)
            if parsed is None:
                return None
            return UNKNOWN if parsed.kind == "unknown" else parsed.value.isoformat()
        return None

    def _systems_of(self, word: str) -> tuple[str, ...]:
        """The systems a word names ("tes", "appen"), for reading "inte tes" out of a message."""
        return self.situations.read(word).systems

    def _correction(self, field: str, text: str, state: ReportDraft, now: datetime) -> Turn | None:
        """'nej förlåt, enheten är hemtjänst ryd', 'vänta, det är treserva inte tes', 'förresten, treserva
        funkar inte heller', written while another question is asked: the field they name is changed."""
        fields = state.fields
        # "sorry det är treserva inte tes. jag heter Kristoffer Berglund": the system swapped, whatever else
        # the message goes on to say.
        swapped = self._swapped_system(text, fields)
        if swapped:
            negated = set(self.read.systems_in_text(text)) - {swapped}
            fields["system"] = swapped
            fields["extra_systems"] = [s for s in fields.get("extra_systems") or [] if s not in negated and s != swapped]
            if field != "reporter_name" or not self.read.name_in_text(text, marked_only=True):
                return self._next(state)   # (asked for the name, the name may follow: "... jag heter X")
        rest = self._strip_correction(text, field, now)
        if rest is not None and field != "description":
            # "tes, eller nej det är treserva (menar jag)": the last word. Not when a field is named after the
            # correction ("... printer. Sorry! Unit is Rehab") nor before it ("the unit is Berga ..., sorry. it's TES").
            last = self.read.after_correction(rest)
            if not self.read.change_request(last) and not self.read.change_request(rest[:rest.rfind(last)]):
                rest = last
        leading = self.read.leading_change(text)   # "ändra namn till Lisa Holm", "tiden är 8.30 förresten"
        if rest is None and leading is None and self.read.without_negated(text, self._systems_of) != text \
                and self.situations.read(self.read.without_negated(text, self._systems_of)).systems:
            rest = text   # "det är treserva inte tes, sorry": said as a swap, without "nej" or "vänta"
        if rest is None and leading is None:
            return None
        change = leading or self.read.change_request(rest)
        if change and change[1]:  # "enheten är Ryd", whichever question is asked
            # A description says "inte" as it likes ("det sparas inte"); other values name the old one after it.
            value_text, after = (change[1], "") if change[0] == "description" else self.read.split_value(change[1])
            if change[0] != "description" and self.read.value_before_field(change[1]) and rest:
                value_text, after = self.read.value_said_before(rest, change[1]), ""
            # "enheten blev fel, vi är Äldreboende Ryd, inte hemtjänsten": a configured unit it names.
            named_unit = (self.read.unit_in_text(self.read.without_negated(change[1], self.read.unit_in_text))
                          or self.read.unit_of_kind(value_text, fields.get("unit"))   # "lambohov inte berga"
                          if change[0] == "unit" else None)
            value = named_unit or self._value(change[0], value_text, "", now) or (
                _unit_as_written(value_text) if change[0] == "unit" else None)
            if value is not None:
                # "nej vänta, kollegorna har samma sak, så hela gruppen. jag heter Jessica Åkesson": what
                # comes before the field's name states more.
                source = rest or ""
                at = source.lower().find(change[1].lower()) if change[1] else -1
                before = source[:at] if at > 0 else ""
                if before.strip():
                    self._extract(before, state, now, describe=False, overwrite=RESTATED - {change[0]},
                                  times=self.read.says_start(before))
                fields[change[0]] = value
                if after:  # "..., inte Berga. det började 8.15": the rest may state more
                    self._extract(after, state, now, describe=False, overwrite=RESTATED)
                return self._next(state)
        if change and change[0] != field:  # "ändra namn": that question, then back
            return self._ask(state, change[0])
        if rest is None:
            return None
        respelt = self.read.renamed(rest, fields.get("reporter_name")) if field != "reporter_name" else None
        if respelt:   # "förlåt stavade fel, Eva Lind ska det va, utan h"
            fields["reporter_name"] = respelt
            return self._next(state)
        # "det är inte tes det gäller, det är treserva": not the system it says it is not.
        unnegated = self.read.without_negated(rest, self._systems_of)
        systems = [s for s in self.situations.read(unnegated).systems if s in self.content.routine.systems]
        # "no wifi at all, the tablets can't connect" names the system already there: no correction.
        if systems and field != "system" and systems[0] != fields.get("system"):
            named = systems[0]
            if self.read.adds_system(rest) and fields.get("system") and fields["system"] != named:
                fields["extra_systems"] = _merge_list(fields.get("extra_systems"), [named])  # "... inte heller"
            else:
                fields["system"] = named
            return self._next(state)
        described = self.read.description_correction(rest, fields["description"]) \
            if field != "description" and fields.get("description") else None
        if described:  # "förresten den kraschar inte, den fryser bara ...": the description, said again
            fields["description"] = described
            self._extract(rest, state, now, describe=False, overwrite=RESTATED)
            return self._next(state)
        before = dict(fields)
        value_text, after = self.read.split_value(rest)   # "det var sen 9 inte 10": 9, not 10
        self._extract(value_text, state, now, describe=False, overwrite=True)
        if after:
            self._extract(after, state, now, describe=False, overwrite=RESTATED)
        # What the correction changed may be the very field asked: then the form moves on.
        return self._next(state) if fields != before else None

    def _answer_then_change(self, field: str, said: str, after: str, state: ReportDraft, now: datetime) -> str:
        """What answers `field` in `said`, when the part `after` its correction words changes another field:
        that change is made and the part before is the answer. Otherwise `after` (a correction of the answer)."""
        change = self.read.change_request(after)
        if not change or change[0] == field or not change[1]:
            return after
        head = said[:said.rfind(after)]
        head = self.read.strip_trailing_correction(head)
        value_text = self.read.value_said_before(after, change[1]) if self.read.value_before_field(change[1]) \
            else self.read.split_value(change[1])[0]
        named_unit = self.read.unit_in_text(change[1]) if change[0] == "unit" else None   # "..., it's Ekholmen"
        value = named_unit or self._value(change[0], value_text, "", now)
        if value is None or not head:
            return after
        state.fields[change[0]] = value
        return head

    def _could_be_unit(self, text: str, now: datetime) -> bool:
        """A unit's name to confirm as written: short, and not another field's answer ("sen två", "bara jag",
        "vet inte") nor a fault ("låsen funkar inte, hela gruppen")."""
        return len(text.split()) <= UNIT_WORDS and not self.says_fields(text, now) \
            and not self.situations.read(text).problem and not (self.read.is_deny(text) or self.read.is_affirm(text))

    def _swapped_system(self, text: str, fields: dict) -> str | None:
        """The system a message says it is instead of the one stored ("treserva inte tes", "not TES but
        Treserva"), or None."""
        if not fields.get("system"):
            return None
        unnegated = self.read.without_negated(text, self._systems_of)
        if unnegated == text:
            return None
        # ("inte tes, det är trygghetslarmen": a thing outside the routine's systems is "other".)
        named = self.situations.read(unnegated).systems or tuple(filter(None, [
            self.read.system_in_text(unnegated, include_other=True)]))
        return named[0] if named and fields["system"] not in named else None

    def _strip_correction(self, text: str, field: str, now: datetime) -> str | None:
        """What a correction says after its "nej förlåt"; None when the text is none. Asked for the
        description, a bare "no" starts one only if what follows states another field ("nej, tiden var
        14.45"); "no network on the phone" is the description."""
        rest = self.read.strip_correction(text)
        if rest is not None and field == "description" and self.read.strip_correction(text, strict=True) is None \
                and not (self.read.leading_change(rest) or self.says_fields(rest, now)):
            return None
        return rest

    def _note_extra_systems(self, text: str, state: ReportDraft) -> None:
        """'TES och genomförandewebben', 'både tes och treserva': a second system, beside the first."""
        first, systems = state.fields.get("system"), self.content.routine.systems
        # Not one that the first explains (routine.yaml explained_by): power out explains TES, TES a lock.
        named = self.read.systems_in_text(self.read.without_negated(text, self._systems_of))   # not "inte tes"
        # Nor one related to the first either way: the app and the locks are one fault, reported as the first.
        # Unless the text joins them as two faults: "TES-appen och låsen funkar inte".
        # ("... and the door locks aren't working either": said to be a second fault.)
        joined = self.read.adds_system(text)
        named = [s for s in named if self.read.system_meant_instead(text, s) != first]   # (not "trodde det var tes men ...")
        extra = [s for s in named if s != first and (joined or self.read.joins_systems(text, first, s) or (
            first not in systems[s].explained_by and s not in systems[first].explained_by))]
        if first and first != "other" and self.read.names_other_thing(text):
            # "treserva o outlook": Treserva's fault, and one outside the routine's systems.
            named, extra = (*named, "other"), [*extra, "other"]
        # Only a message naming two systems adds one: "appen loggar ut" describing a Treserva fault does not.
        if len(named) >= 2 and extra:
            state.fields["extra_systems"] = _merge_list(state.fields.get("extra_systems"), extra)

    def _name_again(self, text: str, state: ReportDraft) -> bool:
        """Their name again, or in full after the first name alone ("Jenny", then "Jenny Park"): the
        name, kept in full; the unit is still to be asked."""
        name = state.fields.get("reporter_name") or ""
        words = text.split()
        if not name or fold(text) == fold(name):
            return bool(name)
        if len(words) in (2, 3) and fold(words[0]) == fold(name) and " " not in name \
                and self.read.name_answer(text) and not (self.read.unit_in_text(text) or self.read.unknown_unit_in_text(text)):
            state.fields["reporter_name"] = self.read.name_answer(text)
            return True
        return False

    def _describe_more(self, text: str, state: ReportDraft) -> bool:
        """What fails, told when another field is asked: added to the description (or it becomes the
        description), so the next question is the one that was asked, not a refusal. Not a question."""
        situation = self.situations.read(text)
        if not situation.problem or situation.yes_no or situation.asks_known or len(text) < MIN_DESCRIPTION:
            return False
        said = self.read.description_in_text(text).strip(" .")
        known = (state.fields.get("description") or "").rstrip(" .")
        if not said or fold(said) in fold(known):
            return False
        joined = f"{known}. {said[:1].upper()}{said[1:]}" if known else said
        if form.check_value("description", joined) == "too_long":
            return False
        state.fields["description"] = joined
        return True

    def _fallback(self, field: str, text: str, state: ReportDraft):
        """What a second answer that does not fit is taken as, so that the form moves on."""
        if field == "scope":
            return "unknown"
        if field == "started_at":
            return UNKNOWN
        if field == "system":
            return "other"
        if self.read.scope_answer(text) == UNKNOWN:
            # "vet inte", twice: never stored as a name, a unit or a description. What the opening
            # said of the fault describes it; otherwise the field is marked unknown for the desk.
            if field == "description" and state.said_broken:
                return state.said_broken
            return self.content.dialog_for(state.lang).started_unknown
        letters = any(ch.isalpha() for ch in text)
        if field in ("reporter_name", "unit") and self.read.is_smash(text):
            return self._later(field, state)   # "asdfghj" twice: nobody's name
        if field == "reporter_name" and (len(text.split()) > 4 or self.situations.read(text).problem
                                         or self.says_fields(text, self.reports.clock.now())):
            return self._later(field, state)   # "tes laddar inte för nån av oss", twice at the name question
        if field == "unit" and not self._could_be_unit(text, self.reports.clock.now()):
            return self._later(field, state)   # not "sen två" or "hela gruppen" as a unit
        if field in ("description", "unit", "reporter_name") and letters and not self.read.is_affirm(text):
            return _cut(text, field)
        return None

    def _later(self, field: str, state: ReportDraft) -> str:
        """A name or unit still not given after two answers: marked unknown for now and asked once
        more before the summary, not a third time in a row (if that also fails, the desk sees "okänt")."""
        if field not in state.asked_again and field not in state.ask_again:
            state.ask_again.append(field)
        return self.content.dialog_for(state.lang).started_unknown

    def _is_command_word(self, text: str) -> bool:
        result = self.classify(text)
        return result.intent not in ("out_of_scope", "help") and result.confidence >= COMMAND_WORD_CONFIDENCE

    def _after_set(self, state: ReportDraft) -> Turn:
        self._tidy_description(state)
        if state.take("back_to_confirm") or (self._complete(state) and not state.ask_again):
            return self._confirm(state)
        return self._next(state)

    # -- the summary and corrections --------------------------------------------------

    def _at_confirm(self, message: Message, state: ReportDraft, now: datetime) -> Turn:
        texts = self.content.dialog_for(state.lang)
        text = message.text.strip()
        if message.choice == "confirm" or self.read.is_affirm(text):
            return self._file(message, state)
        told = self.read.after_affirm(text)
        if told is not None and not self.read.change_request(told) and not self.read.strip_correction(told):
            # "ja skicka. det gällde en brukare på Ryd": a yes, and something said beside it that changes nothing.
            scratch = state.model_copy(update={"fields": dict(state.fields)}, deep=True)
            self._extract(told, scratch, now, describe=False, overwrite=True)
            if scratch.fields == state.fields:
                return self._file(message, state)
        rest = self.read.strip_deny(text)
        change = self.read.change_request(rest) if rest else None
        if change and change[0] == "description" and change[1] and self.read.adds(rest):
            # "lägg till i beskrivningen att felkoden är E-117": added to it, not instead of it
            added = self.read.without_leading_generic(change[1])   # "att felkoden är ..." -> "felkoden är ..."
            joined = f"{state.fields.get('description', '').rstrip(' .')}. {added[:1].upper()}{added[1:]}"
            if form.check_value("description", joined) != "too_long":
                state.fields["description"] = joined.strip(" .")
                return self._confirm(state)
        if change:
            field, value_text = change
            if field != "description" and self.read.value_before_field(value_text):
                value_text = self.read.value_said_before(rest, value_text)
            value_text = self.read.strip_deny(value_text)   # "the unit is wrong, I'm at Ekholmen": not "wrong"
            # "två fel: namnet är Marie Lind och tiden 12.30": a second field named after the first value.
            value_text, second = self.read.split_second_change(value_text)
            if second:
                self._extract(second, state, now, describe=False, overwrite=RESTATED)
                second_change = self.read.change_request(second)
                if second_change and second_change[0] not in RESTATED and second_change[1]:
                    state.fields[second_change[0]] = self._value(second_change[0], second_change[1], "", now) \
                        or state.fields.get(second_change[0])
            if value_text:
                # "tannefors, jag skrev fel", "Time Care, tes var fel": the value, without the old one after it
                # (a description is taken whole: "tes visar fel tider på besöken")
                head = self.read.split_value(value_text)[0] or value_text
                value = self._value(field, head, "", now) if field != "description" else None
                if value is None:
                    value = self._value(field, value_text, "", now)
                if value is None and field == "unit":
                    # "lambohov inte berga": of the same kind as before; else the unit as the user wants it
                    value = self.read.unit_of_kind(head, state.fields.get("unit")) or _unit_as_written(head)
                if value is not None:
                    state.fields[field] = value
                    # "nej, det är bara jag, kollegorna kom in nu. och det började 14.45": what comes before the
                    # named field is a correction too.
                    before = rest[:len(rest) - len(change[1])] if rest.endswith(change[1]) else ""
                    if before.strip():
                        self._extract(before, state, now, describe=False, times=False,
                                      overwrite=RESTATED - {field})
                    return self._confirm(state)
            state.back_to_confirm = True
            return self._ask(state, field)
        fields = state.fields
        kept = self._without_working(rest or "", fields)
        if kept:
            # "treserva funkar nu faktiskt, så bara tes": a system said to work leaves the report.
            fields["system"], fields["extra_systems"] = kept[0], kept[1:]
            return self._confirm(state)
        unnegated = self.read.without_negated(rest or "", self._systems_of)
        swapped = [s for s in self.read.systems_in_text(unnegated) if s in self.content.routine.systems]
        if unnegated != rest and swapped:
            # "inte tes utan treserva!": the system it names instead, not one more beside the first.
            negated = set(self.read.systems_in_text(rest)) - set(swapped)
            fields["system"] = swapped[0]
            fields["extra_systems"] = [s for s in _merge_list(fields.get("extra_systems"), swapped[1:])
                                       if s not in negated and s != swapped[0]]
            return self._confirm(state)
        meant = self.read.system_meant_instead(rest or "", fields.get("system"))
        if meant:
            fields["system"], fields["extra_systems"] = meant, []
            return self._confirm(state)
        added = [s for s in self.read.systems_in_text(rest or "") if s != fields.get("system")]
        if added and self.read.adds_system(rest):
            # "nej, treserva ligger också nere": another system beside the first, not instead of it.
            fields["extra_systems"] = _merge_list(fields.get("extra_systems"), added)
            return self._confirm(state)
        before = dict(fields)
        self._extract(rest, state, now, describe=False, overwrite=True)
        if state.fields != before:
            return self._confirm(state)
        if self.read.is_deny(text) or not rest:
            state.awaiting = "change"
            options = tuple(Option(label=texts.fields[f], value=f"change:{f}") for f in REPORT_FIELDS)
            return [Reply(text=texts.what_to_change, awaiting="confirm", options=options, lang=state.lang,
                          intent="report_fault")], state
        side = self._side_question("confirm", text, state)
        if side:
            return side
        return self._confirm(state)

    def _without_working(self, text: str, fields: dict) -> list[str] | None:
        """The report's systems without those the text says work now, when it says so of some, not all."""
        current = [s for s in [fields.get("system"), *(fields.get("extra_systems") or [])] if s]
        named = set(self.situations.named_at(text)[1])
        working = named - set(self.read.systems_in_text(text))
        kept = [s for s in current if s not in working]
        return kept if kept and len(kept) < len(current) else None

    def _field_named(self, text: str) -> str | None:
        change = self.read.change_request(text)
        return change[0] if change else None

    def _file(self, message: Message, state: ReportDraft) -> Turn:
        f = state.fields
        started = None if f.get("started_at") in (None, UNKNOWN) else datetime.fromisoformat(f["started_at"])
        # A fault in two systems is filed as one report per system, so that each system's outage has it
        # (one receipt each); the reporter answers the questions once.
        systems = _merge_list([f.get("system")], f.get("extra_systems"))
        try:
            reports = [Report(reporter_name=f["reporter_name"], unit=f["unit"], system=system, scope=f["scope"],
                              description=f["description"], started_at=started) for system in systems]
        except (KeyError, ValidationError):
            return self._next(state)
        replies, joined = [], None
        for report in reports:
            filed = self.reports.file(report, source=message.source, user_id=message.user_id, lang=state.lang)
            replies.append(Reply(text=self.reports.receipt(filed, state.lang), intent="report_fault",
                                 lang=state.lang, contact=filed.contact))
            joined = joined or (filed.id if filed.joined_existing else None)
        if joined:
            # The reporter may say it is a different fault: remember which report to split off.
            return replies, {"kind": "joined", "lang": state.lang, "report_id": joined}
        return replies, None

    # -- asking -------------------------------------------------------------------------

    def _complete(self, state: ReportDraft) -> bool:
        return all(state.fields.get(f) for f in REQUIRED) and "started_at" in state.fields

    def _tidy_description(self, state: ReportDraft) -> None:
        """A description taken from the opening loses what only repeats the name and the unit ('Treserva
        is broken. Lucas Meyer, Tannefors homecare'); if nothing but 'it is broken' is left, it is asked."""
        fields = state.fields
        if not state.described or fields.get("description") != state.described:
            return
        tidy = self.read.tidy_description(fields["description"], fields.get("reporter_name"), fields.get("unit"))
        if not tidy or self.read.says_only_broken(tidy, fields.get("reporter_name"), fields.get("unit")):
            state.said_broken = fields.pop("description")   # kept for a "vet inte" to the question
            state.take("described")
        else:
            fields["description"] = state.described = tidy

    def _next(self, state: ReportDraft, lead: list[str] | None = None) -> Turn:
        self._tidy_description(state)
        name = state.fields.get("reporter_name")
        if name and len(name.split()) == 1 and not state.surname_asked \
                and self.content.dialog_for(state.lang).ask_surname:
            # "Aylin här på hemtjänst tannefors": the support desk needs the whole name; asked once.
            state.surname_asked = True
            state.first_name = state.fields.pop("reporter_name")
        for field in REPORT_FIELDS:
            if not state.fields.get(field):
                return self._ask(state, field, lead)
        texts = self.content.dialog_for(state.lang)
        while state.ask_again:
            field = state.ask_again.pop(0)
            state.asked_again.append(field)
            if state.fields.get(field) == texts.started_unknown:
                state.fields.pop(field)
                return self._ask(state, field, [*(lead or []), texts.ask_once_more] if texts.ask_once_more else lead)
        return self._confirm(state, lead)

    def _ask(self, state: ReportDraft, field: str, lead: list[str] | None = None) -> Turn:
        texts = self.content.dialog_for(state.lang)
        self._count_ask(state, field)
        state.awaiting = field
        options: tuple[Option, ...] = ()
        if field == "system":
            options = tuple(Option(label=label, value=f"system:{sid}") for sid, label in texts.systems.items())
        elif field == "scope":
            options = tuple(Option(label=label, value=f"scope:{sid}") for sid, label in texts.scopes.items())
        elif field == "started_at":
            options = (Option(label=texts.scopes["unknown"], value="started:unknown"),)
        question = texts.ask[field]
        if field == "reporter_name" and state.first_name:
            question = texts.ask_surname.format(first=state.first_name)
        if field == "unit" and state.unit_offered and field in state.asked_again:
            return self._offer_units(state, state.unit_offered, lead)   # "ryd", then something else: which Ryd?
        if field == "unit" and state.unit_guess and not state.fields.get("unit"):
            # The unit they wrote is not in the list: ask whether it is right, rather than which it is.
            state.unit_check = _cut(state.take("unit_guess"), "unit")
            question = texts.unit_unknown.format(unit=state.unit_check)
        body = "\n".join([*(lead or []), question])
        return [Reply(text=body, awaiting=field, options=options, lang=state.lang, intent="report_fault")], state

    def _offer_units(self, state: ReportDraft, units: list[str], lead: list[str] | None = None) -> Turn:
        """Which of the units that matched: as buttons, or numbers in the terminal."""
        state.unit_choices = state.unit_offered = list(units)
        state.unit_typed = state.unit_typed or fold(units[0])
        state.awaiting = "unit"
        self._count_ask(state, "unit")
        options = tuple(Option(label=u, value=f"unit:{u}") for u in units)
        body = "\n".join([*(lead or []), self.content.dialog_for(state.lang).unit_choose])
        return [Reply(text=body, awaiting="unit", options=options, lang=state.lang, intent="report_fault")], state

    @staticmethod
    def _count_ask(state: ReportDraft, field: str) -> None:
        """How many times in a row this question has been asked (the third answer is taken as given)."""
        last, times = state.asked or (None, 0)
        state.asked = [field, times + 1 if last == field else 1]

    def _confirm(self, state: ReportDraft, lead: list[str] | None = None) -> Turn:
        texts = self.content.dialog_for(state.lang)
        state.awaiting = "confirm"
        state.take("back_to_confirm")
        lines = [*(lead or []), texts.summary]
        lines += [f"• {texts.fields[f]}: {self.display(f, state)}" for f in REPORT_FIELDS]
        lines.append(texts.confirm)
        options = (Option(label=texts.confirm_yes, value="confirm"), Option(label=texts.confirm_cancel, value="cancel"))
        return [Reply(text="\n".join(lines), awaiting="confirm", options=options, lang=state.lang,
                      intent="report_fault")], state

    def display(self, field: str, state: ReportDraft) -> str:
        texts = self.content.dialog_for(state.lang)
        value = state.fields.get(field)
        if field == "system" and value:
            return ", ".join(texts.systems[s] for s in _merge_list([value], state.fields.get("extra_systems")))
        if field == "scope" and value:
            return texts.scopes[value]
        if field == "started_at":
            if value in (None, UNKNOWN):
                return texts.started_unknown
            return datetime.fromisoformat(value).astimezone(self.reports.clock.tz).strftime(texts.time_format)
        return str(value or "")

    # -- side questions and extraction ---------------------------------------------------

    def _side_question(self, field: str, text: str, state: ReportDraft) -> Turn | None:
        """Answer a question about the routine asked mid-form, then ask again."""
        if not text or not self.read.looks_like_question(text):
            return None
        if field == "description" and not text.endswith("?"):
            return None
        result = self.classify(text)
        # Asked for the description, a question that names no fault ("should we write on paper meanwhile?")
        # is no description: a weaker reading of it will do.
        least = SIDE_MIN_CONFIDENCE
        if field == "description" and not self.situations.read(text).problem:
            least = SIDE_MIN_CONFIDENCE_NO_FAULT
        if result.intent not in SIDE_INTENTS or result.confidence < least:
            return None
        answer = self.answer_intent(result.intent, state.lang, text)
        texts = self.content.dialog_for(state.lang)
        again = self._confirm(state) if field == "confirm" else self._ask(state, field)
        resume = again[0][0]
        resume = Reply(text=texts.resume + "\n" + resume.text, awaiting=resume.awaiting, options=resume.options,
                       lang=resume.lang, intent="report_fault")
        return [answer, resume], state

    def _extract(self, text: str, state: ReportDraft, now: datetime, describe: bool,
                 overwrite: bool | frozenset = False, times: bool = True, opening: bool = False) -> None:
        """Set every field the text states confidently (missing ones only, unless overwrite: all, or those named).
        `opening`: the message that started the report, which describes the fault in its own words
        ("the door lock app can't find any locks") whether or not they are words of a fault."""
        fields = state.fields
        name = self.read.name_in_text(text)
        # "Lena Ström" names a person, not a power cut: systems are read from the rest.
        rest = _without(text, name or fields.get("reporter_name"))
        system = self.read.system_in_text(rest)
        # "först trodde jag det var tes men det är bara treserva som är nere": the one after the "men"
        system = self.read.system_meant_instead(rest, system) or system
        found = {
            "reporter_name": name,
            "unit": self.read.unit_in_text(text),
            "system": system,
            "scope": self.read.scope_in_text(text, fields.get("unit") or self.read.unit_in_text(text)),
        }
        if fields.get("unit") and found["scope"] == "multiple_units" and found["unit"] != fields["unit"]:
            found["unit"] = None   # "rehab har samma fel också": another unit that shares it, not theirs
        started = self.read.started_in_text(text, now) if times else None
        if started is not None:
            found["started_at"] = UNKNOWN if started.kind == "unknown" else started.value.isoformat()
        # A message that says what does not work is the description itself ("vill felanmäla ett lås" is not).
        situation = self.situations.read(text)
        # (Not a question: "är det bara vi eller är TES nere?" asks; the description is asked for.)
        if describe and len(text.strip()) >= MIN_DESCRIPTION and (situation.problem or opening) \
                and not (situation.yes_no or situation.asks_known):
            description = self.read.description_in_text(text)
            who, where = fields.get("reporter_name") or name, found["unit"] or fields.get("unit")
            tidy = self.read.tidy_description(description, who, where)
            if found["system"] and not self.read.says_only_broken(description, who, where) and (
                    situation.problem or self.read.describes(tidy, who, where)):
                found["description"] = description
            elif (situation.problem or opening) and tidy:
                # "låsen och TES app funkar inte, whole group": all they said of the fault, kept for a
                # "vet inte" when the description is asked (the printer outside the list of systems too).
                state.said_broken = state.said_broken or tidy
        guess = self.read.unknown_unit_in_text(text)   # "Hemtjänst Kärna": asked to confirm, not guessed at
        if guess and (not found["unit"] or fold(found["unit"]) in fold(guess)):
            found["unit"] = None   # (nor "Hemtjänst Ryd Norra" taken for Hemtjänst Ryd)
            if not fields.get("unit"):
                state.unit_guess = guess
        for field, value in found.items():
            if value == UNKNOWN and fields.get(field):
                continue   # a "vet inte" to another question never unsays what is known
            if value and (overwrite is True or (overwrite and field in overwrite) or not fields.get(field)):
                fields[field] = value
                if field == "description":
                    state.described = value   # taken from a free message: tidied once the rest is known
        if fields.get("system"):
            self._note_extra_systems(rest, state)


def _without(text: str, name: str | None) -> str:
    """The text with a person's name left out."""
    if not name:
        return text
    return re.sub(r"\b" + r"\s+".join(map(re.escape, name.split())) + r"\b", " ", text, flags=re.IGNORECASE)


def _unit_as_written(text: str) -> str:
    """A unit outside the list, as written, but 'korttidsboende lambohov' typed in lower case as a name is
    written: 'Korttidsboende Lambohov'."""
    text = re.sub(r"\s*\([^)]*\)", "", text).strip(" .,!")   # "Bemanningsenheten (the staffing pool)"
    if text == text.lower():
        text = " ".join(w[:1].upper() + w[1:] for w in text.split())
    return _cut(text, "unit")


def _cut(text: str, field: str) -> str:
    """At most the form table's limit for the field (a value taken as given after two tries)."""
    return text[:form.BY_NAME[field].max_length]


def _merge_list(first, more) -> list:
    out = [x for x in (first or []) if x]
    return out + [x for x in (more or []) if x and x not in out]
