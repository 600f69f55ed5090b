"""Compose an answer from the routine's sections, for the writer's situation.

An intent alone has one fixed answer; what staff need depends on which system
is down, what is already known about it, who asks and the circumstances. The
rules are all here: `route` turns the classifier's intent into the kind of
answer the situation calls for, `compose` builds it. Every sentence comes from
content/answers.<lang>.yaml (`situation`, `intents`, `texts`); the lead (the
first lines) is the one thing to do now.

    outside the routine  said plainly (trygghetslarm, the wifi at home)
    status               "is it down?" / "is it back?" for the systems asked about
    post_registration    over the 10-hour line, a day off, Treserva's manual notes
    something broken     a known outage of that system first (no need to call
                         again; planned: no report needed; fixed: post-register,
                         and a new fault if it still fails), else whom to contact
                         now; then that system's reserve routine (keys, printed
                         documents, HSL notes by role)
    the rest             the intent's answer, known outages of its system first
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.answers import AnswerRenderer, RenderedAnswer
from bot.content import Content
from bot.hours import contact_at
from bot.situation import Situation

# Intents whose answer is about something that does not work now.
PROBLEM_INTENTS = frozenset({"outage_now", "report_fault", "contact", "conventional_keys"})
# Intents the classifier picks for a message that says a system is broken, though
# the writer needs the broken-something answer ("strömavbrott i Berga!!" is not a question about causes).
BROKEN_WHEN_SAID = frozenset({"help", "out_of_scope", "outage_causes", "local_routine", "planned_outage",
                              "report_details"})
DOCS_BY_ROLE = {"licensed": "backup_hsl_docs", "care": "backup_care_docs"}
DOCS_INTENTS = frozenset({"backup_care_docs", "backup_hsl_docs", "deviation"})
# A yes/no question this short about a system asks whether it is down, whatever else the words recall.
SHORT_QUESTION = 5
# Without a system named, a broken-something answer covers both main systems' reserve routines.
DEFAULT_RESERVES = ("keys", "care_docs")
# ... except a question about the keys and the handheld, which belong to TES's routine alone.
INTENT_RESERVES = {"conventional_keys": ("keys",)}
PRIMARY_SYSTEMS = ("tes", "treserva", "locks")


@dataclass
class Known:
    """The live outages an answer may mention, and the notices' renderer that fills their placeholders."""
    outages: list = field(default_factory=list)   # bot.outages.service.LiveOutage
    render: object | None = None                    # bot.outages.render.NoticeRenderer

    def of(self, system: str, explained_by=(), phases=("open", "planned", "resolved")):
        """The outage of `system` an answer should mention, or of a system that explains it."""
        for candidate in (system, *explained_by):
            found = next((o for o in self.outages if o.facts.system == candidate and o.phase in phases), None)
            if found is not None:
                return found
        return None

    def values(self, outage, lang: str, at: datetime) -> dict:
        return self.render.values(outage.facts, lang, at)


@dataclass
class Composed:
    answer: RenderedAnswer
    known_open: bool = False      # a known unplanned outage leads: offer to add the report, not to call
    planned: bool = False         # an announced planned outage: no report needed


class Composer:
    def __init__(self, content: Content, answers: AnswerRenderer):
        self.content = content
        self.answers = answers
        self.long_line = timedelta(hours=content.routine.thresholds.post_registration_hours)

    # -- which answer ------------------------------------------------------------------

    def route(self, intent: str, situation: Situation, known: Known | None) -> str:
        """The intent whose answer fits the situation; the classifier's when nothing says otherwise."""
        named = bool(situation.systems)
        if situation.asks_cause and named and known and any(known.of(x) for x in situation.systems):
            return "status"  # "vet nån varför?" while a known outage explains it
        if situation.asks_cause and not situation.asks_back and intent in ("outage_now", "status", "outage_causes",
                                                                          "report_fault"):
            return "outage_causes"
        if situation.reported and not situation.asks_back and (intent in (
                "report_fault", "report_details", "contact", "help", "out_of_scope")
                or (intent == "status" and not situation.yes_no)):
            return "outage_now"  # "jag har ringt in felet, vad mer ska jag göra?": the rest of the routine
        if situation.asks_where and (intent == "report_fault" or (named and intent in ("out_of_scope", "help")) or (
                intent == "report_details" and not situation.asks_details)):
            return "contact"  # "vart anmäler jag?", "vem hjälper oss med tes?": whom to turn to, not a report here
        if intent == "report_fault" and situation.asks_details and not situation.broken_now:
            return "report_details"  # "vad ska man uppge när man anmäler?": what to say, not a report here
        if intent == "report_fault" and situation.period and not situation.broken_now:
            return "contact"  # "hur anmäler jag ett driftstopp på dagtid?": whom, at that time of day
        if intent == "status" and situation.past and situation.registration and not situation.asks_back:
            return "post_registration"  # "TES was down for 5 h, can I still register?"
        if intent in (*PROBLEM_INTENTS, "out_of_scope", "help") and (situation.registration or situation.past) and (
                situation.long_outage or situation.day_off) and not situation.ongoing:
            # "tes down 14h since morning, do we post-register as usual?", "tes var nere igår, jag har semester
            # från imorgon, hur gör jag?"
            return "post_registration"
        if intent in ("outage_now", "help", "out_of_scope") and situation.registration and not situation.problem \
                and not situation.planned:
            return "post_registration"  # "where do i post-register, tes app or some web thing?": nothing is broken
        if intent == "post_registration" and situation.broken_now and not (
                situation.registration or situation.past or situation.day_off or situation.long_outage
                or situation.planned):
            return "outage_now"  # "no electricity, night visits soon": visits to make, not to register
        if intent == "status" and situation.broken_now and named and not (situation.yes_no or situation.asks_back):
            return "outage_now"  # "Treserva also down now" tells, it does not ask
        if situation.planned and named and intent in ("outage_causes", "planned_outage", "outage_now", "help") and (
                known is not None and any(o.facts.system in situation.systems for o in known.outages)):
            return "status"  # "is it planned?": what is known about that system
        if situation.asks_back and (named or (known and known.outages)) and intent in (
                "conventional_keys", "outage_now", "help", "planned_outage", "status", "report_details",
                "outage_causes", *DOCS_INTENTS):
            return "status"
        if situation.yes_no and named and (intent in ("outage_now", "help", "conventional_keys", "planned_outage",
                                                      "outage_causes", "out_of_scope")
                                           or (intent in DOCS_INTENTS and len(situation.words) <= SHORT_QUESTION)) \
                and not situation.asks_cause and not situation.claim:
            return "status"  # "är TES nere?", "ligger genomförandewebben nere?" asks whether it is down, not what to do
        if intent == "planned_outage" and known and any(
                o.facts.kind == "planned" and (not named or o.facts.system in situation.systems)
                for o in known.outages):
            return "status"  # "is the upgrade over soon?" while one is on
        if intent in BROKEN_WHEN_SAID and named and (situation.problem or "infrastructure" in situation.systems) \
                and not situation.asks_cause:
            # Said broken: the broken-something answer; "what do I say when I call" keeps its own detail.
            return "report_details" if intent == "report_details" else "outage_now"
        if intent in DOCS_BY_ROLE.values() and situation.role:
            return DOCS_BY_ROLE[situation.role]
        if intent == DOCS_BY_ROLE["licensed"] and situation.role is None:
            # "what do i do with the notes then": no sign of licensed staff (no role, no "HSL"), so the care
            # staff's routine, which ends with the hint for licensed staff.
            return DOCS_BY_ROLE["care"]
        if intent in ("out_of_scope", "help") and not situation.outside:
            if situation.claim:   # "should I keep trying to log in?": the claim leads, the outage's routine follows
                return self.content.situations.claims[situation.claim].intent or "outage_now"
            if situation.registration and (situation.day_off or situation.long_outage or situation.past):
                return "post_registration"  # "I go on vacation tomorrow, can't post-register"
        if situation.named_contacts and not named and intent in ("status", "help", "out_of_scope") and not (
                situation.problem or situation.asks_back or situation.planned or situation.registration):
            return "contact"  # "är det användarstöd eller lkdata idag?": which contact, not whether anything is down
        if situation.period and intent in ("out_of_scope", "help", "status") and not (
                named or situation.problem or situation.asks_back or situation.planned or situation.registration):
            return "contact"  # "och om det är helg då?": whom to contact then
        return intent

    def decides(self, situation: Situation) -> bool:
        """True when the situation alone picks the answer, so "did you mean?" is needless."""
        return bool(situation.systems or situation.problem or situation.asks_back or situation.outside or situation.claim
                    or situation.contacts
                    or situation.reported
                    or situation.role or situation.planned or situation.registration or situation.day_off
                    or situation.long_outage)

    # -- the answer ----------------------------------------------------------------------

    def compose(self, intent: str, situation: Situation, known: Known | None, lang: str, at: datetime) -> Composed:
        known = known or Known()
        lang = self.content.answers_for(lang).lang
        outside = self._texts(lang).outside.get(situation.outside or "")
        # {named}: the content's name of the thing outside ("Heroma"), title-cased; never the writer's text.
        named = (situation.outside_word or "").title()
        outside = outside.format(named=named, **self.answers.facts()) if outside else None
        alone = situation.outside in self.content.situations.outside_alone
        if outside and (alone or not any(s in PRIMARY_SYSTEMS for s in situation.systems)):
            return Composed(self._answer(intent, lang, [outside], [self._intent_detail("out_of_scope", lang, at)],
                                         None))
        composed = self._compose_in_routine(intent, situation, known, lang, at)
        # "är portalen öppen på nyårsafton?", "ska jag lämna handenheten?": the yes or no comes first.
        # Not "yes, call" while a known or announced outage needs no call (its lead says so).
        opening = self._claim(intent, situation, known, lang, at) or (
            None if composed.known_open or composed.planned else self._contact_at(situation, lang, at))
        if opening:
            answer = composed.answer
            first, _, rest = answer.text.partition("\n")
            text = opening + "\n" + (rest if first.strip() and first.strip() in opening else answer.text)
            composed.answer = RenderedAnswer(intent=answer.intent, text=text, lang=answer.lang, contact=answer.contact)
        elif self._other_moment(intent, situation, at):
            # "what is the number for evenings?" at noon: that moment's contact, right after the lead line.
            answer = composed.answer
            first, _, rest = answer.text.partition("\n")
            contact = _period_contact(situation.period)
            line = self._texts(lang).contact_rule[contact].format(**self.answers.facts())
            composed.answer = RenderedAnswer(intent=answer.intent, text="\n".join(filter(None, [first, line, rest])),
                                             lang=answer.lang, contact=answer.contact)
        if outside:  # "trygghetslarmen går inte, hör det ihop med tes?": say what is outside, then answer the rest
            answer = composed.answer
            composed.answer = RenderedAnswer(intent=answer.intent, text=outside + "\n" + answer.text,
                                             lang=answer.lang, contact=answer.contact)
        return composed

    def _contact_at(self, situation: Situation, lang: str, at: datetime) -> str | None:
        """A yes/no question whether a contact applies (now, at a time, in a period): yes or no, first.

        "är portalen öppen?" (now), "gäller portalen kl 16.05?" (that time today), "ringer man
        lkdata på kvällen?" (after hours): the proposed contact against the routine's for that moment.
        """
        texts = self._texts(lang)
        named = situation.named_contacts
        if not (texts.contact_at and texts.contact_rule and situation.asks_yes_no and named) or situation.past:
            return None  # (past: "should I still report that it was down?" is not about whom to contact)
        if self._portal_fails(situation) and not (situation.period or situation.asked_time):
            return None  # "ligger portalen nere?": the portal itself fails
        decision, line, _ = self.answers.contact_lines(at, lang)
        contact = decision.contact
        # "it's midsummer eve, is user support open?" names the moment it is now
        other_moment = situation.asked_time is not None or (
            situation.period is not None and contact != _period_contact(situation.period))
        if situation.asks_open and texts.contact_open and "anvandarstod" in named and not other_moment:
            # "is user support open, or do I call LKDATA?": whether it is open now, and the contact if not
            return texts.contact_open["open_now" if contact == "anvandarstod" else "closed_now"].format(
                **self.answers.facts())
        if len(named) != 1:
            return None
        if situation.asked_time is not None:
            moment = at.replace(hour=situation.asked_time[0], minute=situation.asked_time[1])
            decision, line, _ = self.answers.contact_lines(moment, lang)
            contact = decision.contact
        elif situation.period is not None:
            contact = _period_contact(situation.period)
            line = texts.contact_rule[contact].format(**self.answers.facts())
        return texts.contact_at["yes" if contact == named[0] else "no"] + " " + line

    @staticmethod
    def _portal_fails(situation: Situation) -> bool:
        """The portal itself does not work ("portalen laddar inte"), not a system a yes/no question
        proposes to report through it ("kan jag anmäla via portalen att treserva är segt?")."""
        return situation.portal and situation.problem and (
            situation.portal_broken or not situation.systems) and not (situation.asks_yes_no and situation.systems)

    def _claim(self, intent: str, situation: Situation, known: Known, lang: str, at: datetime) -> str | None:
        """A question the routine answers one way ("ska jag lämna handenheten?"): that answer, first."""
        sentence = self._texts(lang).claims.get(situation.claim or "")
        if not sentence:
            return None
        claim = self.content.situations.claims[situation.claim]
        if "long_outage" in claim.unless and any(  # the known outage in question passed the 10-hour line
                ((o.facts.ends_at or at) - o.facts.starts_at) > self.long_line
                for o in known.outages if o.facts.system in self._subjects(intent, situation, known)):
            return None
        return sentence.format(**self.answers.facts())

    def _other_moment(self, intent: str, situation: Situation, at: datetime) -> bool:
        """A contact question about a period whose contact is not the one for now."""
        if intent not in ("contact", "report_fault", "outage_now") or situation.period is None:
            return False
        now = contact_at(at, self.content.routine).contact
        return now != _period_contact(situation.period)

    def _compose_in_routine(self, intent: str, situation: Situation, known: Known, lang: str,
                            at: datetime) -> Composed:
        if intent == "status":
            return self._status(situation, known, lang, at)
        if intent == "post_registration" and self._about_afterwards(situation, known):
            return self._post_registration(situation, known, lang, at)
        # ("treserva outage? need to document a home visit": a system named beside the paper routine is one
        # that fails now, so whom to contact comes with it.)
        if intent in PROBLEM_INTENTS or intent == "post_registration" or (
                intent in DOCS_INTENTS and situation.systems and not situation.past) or (
                intent == "report_details" and situation.systems):
            return self._broken(intent, situation, known, lang, at)
        subjects = self._subjects(intent, situation, known)
        lead = self._known_lines(subjects, known, lang, at)
        for outage in filter(None, map(known.of, subjects)):  # fixed: what to do now comes before the routine
            if outage.phase == "resolved":
                lead += self._after(outage, situation, lang)
        prepare = (self._do_lines(self._reserves(situation.systems, situation), lang)
                   if intent == "planned_outage" and situation.systems else [])  # what that system's outage needs
        if situation.asks_where:  # "... och vem ska man ringa då?": the second question too
            prepare.append(self.answers.contact_lines(at, lang)[1])
        return self._plain(intent, lang, lead, at, after_now=prepare)

    @staticmethod
    def _about_afterwards(situation: Situation, known: Known) -> bool:
        """A registration question about an outage to register afterwards, rather than a fault to act on now
        ("tes e nere, vad gör vi med tiderna sen?" is both: whom to call first)."""
        if situation.long_outage and not situation.ongoing:
            return True
        # A stated length ("nere 4 tim") speaks of an outage that is over, unless it is "still" going on.
        broken_now = situation.broken_now and (situation.hours is None or situation.ongoing)
        unknown = situation.systems and not any(known.of(s) for s in situation.systems)
        # ("tes e nere o jag e ledig imorn": whom to call now first, then who registers for a day off.)
        return not (broken_now and unknown)

    def _status(self, situation: Situation, known: Known, lang: str, at: datetime) -> Composed:
        t = self._texts(lang).status
        asked = situation.systems
        # Still down first: "funkar allt igen?" is answered "no" while anything is.
        order = {"open": 0, "planned": 1, "upcoming": 2, "resolved": 3, "ended": 4}
        # Outages of the systems asked about, or of one that explains them (the network, for "varken tes eller
        # treserva funkar"); an outage over days ago only answers "has it been fixed?".
        phases = ("open", "planned", "upcoming", "resolved", "ended") if situation.asks_back else \
            ("open", "planned", "upcoming", "resolved")
        covering = {e for x in asked for e in self.content.routine.systems[x].explained_by}
        relevant = sorted((o for o in known.outages if o.phase in phases and (
                           not asked or o.facts.system in asked or (o.facts.system in covering and o.phase != "ended"))),
                          key=lambda o: order[o.phase])
        others = [o for o in known.outages if asked and o not in relevant and o.phase in ("open", "planned", "resolved")]
        lead: list[str] = []
        follow: list[str] = []
        for outage in relevant:
            values = known.values(outage, lang, at)
            if outage.phase == "upcoming":
                lead.append(self._texts(lang).known.upcoming.format(**values))
                follow += self._do_lines(self._reserves([outage.facts.system], situation), lang)  # to prepare
                continue
            # ("och efteråt då?" asks what to do then, not whether it is back.)
            # ("I'm calling LKDATA now, right?" asks about calling: what is known answers it, with no "yes".)
            if situation.asks_after or (situation.asks_call and outage.phase == "open") or not (situation.yes_no or (situation.asks_back and (
                    situation.asks_yes_no or situation.question))):
                # "några nyheter om tes?" asks no yes/no, "tes funkar igen, vad nu" tells: say what is known,
            # without a leading "ja".
                lead += self._known_lines([outage.facts.system], Known([outage], known.render), lang, at)
            else:
                lead.append(getattr(t, _status_key(outage, back=situation.asks_back)).format(**values))
            if outage.phase == "resolved":
                follow += self._after(outage, situation, lang)
            elif outage.phase != "ended":
                follow += self._do_lines(self._reserves([outage.facts.system], situation), lang)
                if situation.asks_after and outage.phase in ("open", "planned"):
                    # "och efteråt då?": what to do once it works, before what to do meanwhile
                    follow = self._after(outage, situation, lang) + follow
        if t.no_call_needed and any(o.phase == "open" for o in relevant) and t.no_call_needed not in "\n".join(lead):
            # "tes nere??" while it is known: known, so no need to call again ("is it known? do I need to call?")
            lead.append(t.no_call_needed)
        if situation.broken_now and not situation.asks_back and relevant and all(
                o.phase in ("resolved", "ended") for o in relevant):
            # "is tes down again? it's acting weird": fixed as far as known, so a new fault is theirs to report,
            # and the reserve routine is theirs again meanwhile.
            lead.append(self.answers.contact_lines(at, lang)[1])
            follow = self._do_lines(self._reserves(asked or [o.facts.system for o in relevant], situation), lang) + follow
        explained = {o.facts.system for o in relevant}
        unknown = [s for s in asked if s not in explained and not (
            explained & set(self.content.routine.systems[s].explained_by))]
        contact = None
        if unknown or not relevant:
            block = [t.none_for.format(systems=self._names(unknown, lang), **self.answers.facts()) if unknown
                     else self.answers.text("live_status_none", lang)]
            # Nothing known: if it does not work for them, they may be the first to notice.
            decision, now_line, _ = self.answers.contact_lines(at, lang)
            block.append(now_line)
            contact = decision.contact
            if situation.problem:
                block += self._do_lines(self._reserves(unknown, situation) if unknown
                                        else self._role_reserves(DEFAULT_RESERVES, situation), lang)
            # "treserva är ju planerat nere men nu funkar inte tes heller!" tells of a new fault: it leads.
            new_fault = unknown and situation.broken_now and not (situation.yes_no or situation.asks_back)
            # "is tes down as well? or just treserva": the system not known of is what the question is about.
            asked_first = bool(unknown and relevant and asked and asked[0] in unknown)
            lead = block + lead if new_fault or asked_first else lead + block
        if others:
            # Said as what is known, not as a "yes" that would read as the answer to the question asked.
            lead.append(t.other_systems)
            lead += [line for o in others for line in self._known_lines([o.facts.system], Known([o], known.render),
                                                                         lang, at)]
        detail = [self._intent_detail("status", lang, at)]
        if (unknown or not relevant) and t.report_hint:
            detail[-1] = detail[-1].rstrip("\n") + "\n" + t.report_hint   # only when nothing is known
        # (A known open outage of what was asked needs no call: no "yes, call" before it.)
        return Composed(self._answer("status", lang, lead + follow, detail, contact),
                        known_open=not unknown and any(o.phase == "open" for o in relevant))

    def _post_registration(self, situation: Situation, known: Known, lang: str, at: datetime) -> Composed:
        s = self._texts(lang)
        subjects = self._subjects("post_registration", situation, known)
        lead = self._known_lines(subjects, known, lang, at)
        lasted_long = situation.long_outage or any(
            o.phase in ("open", "resolved", "ended") and o.facts.system in subjects
            and ((o.facts.ends_at or at) - o.facts.starts_at) > self.long_line for o in known.outages)
        reserves = self._reserves(subjects, situation) if subjects else ("keys",)
        if lasted_long and "keys" in reserves:
            lead.append(s.after_long.format(**self.answers.facts()))
        if situation.day_off:
            lead.append(s.day_off.format(**self.answers.facts()))
        if not lasted_long and not situation.day_off:
            lead += [s.after[r].format(**self.answers.facts()) for r in reserves]
            if "keys" in reserves:
                lead.append(s.long_rule.format(**self.answers.facts()))
        if any(known.of(x, phases=("open", "planned")) for x in subjects):
            lead += self._do_lines(reserves, lang)  # still down: the reserve routine meanwhile
        detail = [self._intent_detail("post_registration", lang, at)]
        return Composed(self._answer("post_registration", lang, lead, detail, None))

    def _broken(self, intent: str, situation: Situation, known: Known, lang: str, at: datetime) -> Composed:
        s = self._texts(lang)
        subjects = self._subjects(intent, situation, known)
        outages = {system: self._outage_of(system, known) for system in subjects}
        phases = {system: (o.phase if o else None) for system, o in outages.items()}
        # "tes krånglar igen" after the all-clear: the new fault and whom to contact lead, not "it works again".
        lead = self._known_lines([x for x in subjects if not (situation.broken_now and phases[x] == "resolved")],
                                 known, lang, at)
        # (Not a system tied to a known one either way: "låsen går inte upp med appen" is the locks' fault.)
        routines = self.content.routine.systems
        tied = {x for x, phase in phases.items() if phase is not None}
        unknown = [x for x, phase in phases.items() if phase is None and not any(
            x in routines[k].explained_by or k in routines[x].explained_by for k in tied)]
        new_first = False
        if known.render is not None and unknown and (situation.asks_known or (
                situation.broken_now and len(unknown) < len(phases))):
            # "vet att treserva är nere men nu har låsen slutat funka": the new fault leads, the known one after.
            line = s.status.none_for.format(systems=self._names(unknown, lang), **self.answers.facts())
            new_first = not situation.asks_known
            lead = [line] + lead if new_first else lead + [line]
        fixed = [x for x, phase in phases.items() if phase == "resolved"]
        after = [line for system in fixed for line in self._after(outages[system], situation, lang)]
        if not situation.broken_now:
            lead += after  # fixed: what to do now first; if it still fails for them, a new fault below
            after = []
        # A known outage already reported (or announced) needs no call, nor one the writer has reported
        # ("jag har ringt in felet, vad mer?"); anything else does.
        needs_contact = not situation.reported and (
            not subjects or any(phase in (None, "resolved") for phase in phases.values()))
        if situation.reported:
            lead.append(s.general.format(**self.answers.facts()))
        decision, now_line, later_line = self.answers.contact_lines(at, lang)
        contact = decision.contact if (needs_contact or intent in PROBLEM_INTENTS) else None
        if self._portal_fails(situation) and not (situation.asks_open and situation.yes_no):
            lead.append(s.portal.format(**self.answers.facts()))  # the portal itself is what fails
        elif needs_contact:
            if fixed:
                lead.append(" ".join(s.known.resolved_still_broken.format(**known.values(outages[x], lang, at))
                                     for x in fixed))
            # Only the contact that applies now: the other one is noise at a locked door. A new fault beside a
            # known one: whom to tell of it, right after it.
            if new_first:
                lead.insert(1, now_line)
            else:
                lead.append(now_line)
        other = "lkdata" if decision.contact == "anvandarstod" else "anvandarstod"
        if (other in situation.contacts or situation.all_hours) and intent == "contact" and not situation.broken_now:
            # They asked about the other contact: what it is, and when it applies.
            lead.append(later_line)
            lead += [s.contact_note[other]] if other in s.contact_note else []
        if intent == "report_details" or situation.asks_details:
            lead += self._describe_lines(now_line, lang, at)  # "what do they need from me?": the three things
        # Fixed for everyone else but not for this writer: its routine still applies to them.
        down = [x for x, phase in phases.items() if phase != "resolved" or situation.broken_now]
        reserves = self._reserves(down, situation) if subjects else \
            self._role_reserves(INTENT_RESERVES.get(intent, DEFAULT_RESERVES), situation)
        if intent == "deviation":
            lead.append(self.content.answers_for(lang).intents[intent].now)  # the paper form, before the routine
        lead += self._do_lines(reserves, lang) + after
        if intent == "post_registration":
            lead += self._circumstances(situation, lang)
        detail: list[str] = []
        if intent in ("contact", "report_fault"):
            # What to know about the contact that applies now, and about any contact the message names.
            named = [c for c in (decision.contact, *situation.contacts) if needs_contact or c != decision.contact]
            detail += [s.contact_note[c] for c in _unique(named) if c in s.contact_note]
        # "Where do I report?" wants what to say there too.
        asks_details = situation.asks_details or (situation.asks_where and intent == "contact")
        if (intent in ("report_fault", "report_details") or asks_details) and needs_contact:
            detail.append(self._intent_detail("report_details" if asks_details else intent, lang, at))
        if intent in DOCS_INTENTS:
            detail.append(self._intent_detail(intent, lang, at))
        elif intent != "contact" or situation.systems:
            if not situation.reported:  # (then it leads already)
                detail.append(s.general.format(**self.answers.facts()))
            detail += [s.detail[r].format(**self.answers.facts()) for r in reserves]
        if "care_docs" in reserves and situation.role is None:
            detail.append(s.licensed_hint)
        composed = self._answer(intent, lang, lead, detail, contact)
        return Composed(composed, known_open="open" in phases.values(),
                        planned=bool(phases) and all(p == "planned" for p in phases.values()))

    def _describe_lines(self, now_line: str, lang: str, at: datetime) -> list[str]:
        """What a report must say, in one line (report_details' lead, without its contact line)."""
        now = self.answers.fill(self.content.answers_for(lang).intents["report_details"].now, lang, at)[0]
        return [line for line in now.splitlines() if line.strip() and line.strip() != now_line.strip()]

    def _plain(self, intent: str, lang: str, lead: list[str], at: datetime, after_now: list[str] = ()) -> Composed:
        """The intent's own answer, after `lead`, with `after_now` right below its first line."""
        rendered = self.answers.render(intent, lang, at)
        if not lead and not after_now:
            return Composed(rendered)
        now, _, rest = rendered.text.partition("\n\n")
        head = "\n".join([*lead, now, *after_now])
        text = head + ("\n\n" + rest if rest else "")
        return Composed(RenderedAnswer(intent=intent, text=text, lang=rendered.lang, contact=rendered.contact))

    # -- pieces ------------------------------------------------------------------------

    def _subjects(self, intent: str, situation: Situation, known: Known) -> list[str]:
        """The systems the answer is about: those named, else (for a problem or status) the ones known to be down."""
        if situation.systems:
            return list(situation.systems)
        if intent in ("outage_now", "conventional_keys", "post_registration", "status") or situation.problem:
            phases = ("open", "planned", "resolved", "ended") if intent == "post_registration" else ("open", "planned")
            return _unique(o.facts.system for o in known.outages if o.phase in phases)
        if intent in DOCS_INTENTS:
            # Documentation questions are about the systems whose outage makes staff write by hand.
            routines = self.content.routine.systems
            return _unique(o.facts.system for o in known.outages if o.phase != "upcoming"
                           and {"care_docs", "hsl_docs"} & set(routines[o.facts.system].reserve))
        return []

    def _known_lines(self, subjects: list[str], known: Known, lang: str, at: datetime) -> list[str]:
        k = self._texts(lang).known
        lines = []
        for system in subjects:
            outage = self._outage_of(system, known)
            if outage is None:
                continue
            values = known.values(outage, lang, at)
            if outage.phase == "open":
                lines.append((k.open if outage.facts.reports else k.open_no_reports).format(**values))
            elif outage.phase == "planned":
                lines.append(k.planned.format(**values))
            elif outage.phase == "resolved":
                lines.append(k.resolved.format(**values))
        return lines

    def _circumstances(self, situation: Situation, lang: str) -> list[str]:
        s = self._texts(lang)
        lines = [s.after_long.format(**self.answers.facts())] if situation.long_outage else []
        return lines + ([s.day_off.format(**self.answers.facts())] if situation.day_off else [])

    def _reserves(self, systems, situation: Situation) -> tuple[str, ...]:
        routines = self.content.routine.systems
        # "nätverket är nere, treserva går inte": the network is why; Treserva's routine is what applies.
        # Not a power cut: that stops everything at the site, whatever else the message names.
        causes = set() if situation.power else {e for x in systems for e in routines[x].explained_by if e in systems}
        systems = [x for x in systems if x not in causes] or list(systems)
        return self._role_reserves([r for system in systems for r in routines[system].reserve], situation)

    def _outage_of(self, system: str, known: Known):
        return known.of(system, self.content.routine.systems[system].explained_by)

    @staticmethod
    def _role_reserves(reserves, situation: Situation) -> tuple[str, ...]:
        # Licensed staff document by the HSL routine, care staff by genomförandewebben's.
        swap = {"care_docs": "hsl_docs"} if situation.role == "licensed" else {}
        return tuple(_unique(swap.get(r, r) for r in reserves))

    def _do_lines(self, reserves, lang: str) -> list[str]:
        return [self._texts(lang).do[r].format(**self.answers.facts()) for r in reserves]

    def _after(self, outage, situation: Situation, lang: str) -> list[str]:
        """What to do now that it works again; past the 10-hour line the administrations decide."""
        s = self._texts(lang)
        facts = outage.facts
        reserves = self._reserves([facts.system], situation)
        lines = []
        if facts.ends_at and facts.ends_at - facts.starts_at > self.long_line and "keys" in reserves:
            lines.append(s.after_long.format(**self.answers.facts()))
            reserves = tuple(r for r in reserves if r != "keys")
        if situation.day_off and "keys" in reserves:
            lines.append(s.day_off.format(**self.answers.facts()))
        return lines + [s.after[r].format(**self.answers.facts()) for r in reserves]

    def _names(self, systems, lang: str) -> str:
        labels = self.content.dialog_for(lang).systems
        return ", ".join(labels.get(s, self.content.routine.systems[s].name) for s in systems)

    def _intent_detail(self, intent: str, lang: str, at: datetime) -> str:
        return self.answers.fill(self.content.answers_for(lang).intents[intent].detail, lang, at)[0]

    def _texts(self, lang: str):
        return self.content.answers_for(lang).situation

    def _answer(self, intent: str, lang: str, lead: list[str], detail: list[str], contact: str | None) -> RenderedAnswer:
        head = "\n".join(_unique(line.strip() for line in lead if line.strip()))
        # Whom the on-call line reaches is said once: the contact's note and what-to-say both tell it.
        on_call = self.content.names(lang).get("on_call") or None
        said, parts = bool(on_call and on_call in head), []
        for part in filter(None, (p.strip() for p in detail if p)):
            lines = [line for line in part.splitlines() if not (said and on_call in line)]
            said = said or bool(on_call and on_call in part)
            parts.append("\n".join(lines))
        body = "\n\n".join(p for p in parts if p.strip())
        return RenderedAnswer(intent=intent, text=(head + ("\n\n" + body if body else "")).strip(),
                              lang=lang, contact=contact)


def _period_contact(period: str) -> str:
    """The contact for a period a question names (situations.yaml periods): after hours LKDATA."""
    return "lkdata" if period == "after_hours" else "anvandarstod"


def _status_key(outage, back: bool) -> str:
    """The status sentence for an outage: status.down_open, back_resolved, down_open_no_reports, ..."""
    key = ("back_" if back else "down_") + outage.phase.replace("ended", "resolved")
    return key + "_no_reports" if outage.phase == "open" and not outage.facts.reports else key


def _unique(items) -> list:
    seen: list = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen
