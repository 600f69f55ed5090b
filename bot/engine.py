"""The engine: a Message in, Replies out. Channel-neutral: no messenger SDK here.

It decides what the routine says (via the classifier and the answer texts),
runs the report dialog, and keeps per-conversation state in the store so a
restart mid-conversation resumes where it was.
"""
from __future__ import annotations

import logging
import re

from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.answers import AnswerRenderer
from bot.clock import Clock
from bot.compose import Composed, Composer, Known
from bot.content import Content
from bot.messages import Message, Option, Reply
from bot.privacy import redact_personal_ids
from bot.situation import SituationReader
from intents.normalise import fold

if TYPE_CHECKING:
    from intents.classifier import Classification, Classifier

log = logging.getLogger(__name__)

# When the runner-up is this close to the top intent, ask which one was meant.
CLARIFY_RATIO = 0.5
CLARIFY_MAX_CONFIDENCE = 0.7
_NUMBER_CHOICE = re.compile(r"^\s*(\d)\s*[.)]?\s*$")


class Engine:
    def __init__(self, content: Content, classifier: Classifier, clock: Clock, store=None, outages=None,
                 support_summaries: bool = False):
        self.content = content
        self.classifier = classifier
        self.clock = clock
        self.store = store
        self.outages = outages
        self.answers = AnswerRenderer(content)
        self.situations = SituationReader(content)
        self.composer = Composer(content, self.answers)
        self.reports = self.dialog = None
        if store is not None:
            # Only a conversation with a store files reports: `driftbot ask` answers one
            # question without loading the dialog and its time and field parsers.
            from bot.dialog import ReportDialog
            from bot.reports import ReportService

            self.reports = ReportService(store, content, clock, outages, support_summaries)
            self.dialog = ReportDialog(content, self.reports, self.classify, self._answer_intent)

    # -- stateless: one question, one answer --------------------------------

    def classify(self, text: str) -> Classification:
        # ("Per Blixt här, treserva nere": the surname is no lightning strike.)
        result = self.classifier.classify(self.situations.without_people(text))
        return result if result.text == text else replace(result, text=text)

    def answer(self, text: str, lang: str | None = None) -> Reply:
        """Answer one question with no conversation state (driftbot ask)."""
        result = self.classify(text)
        reply_lang = self._lang(lang, result)
        social = self._social(result, text, reply_lang)
        if social is not None:
            return social
        return self._answer_intent(result.intent, reply_lang, text)

    def _known(self) -> Known | None:
        return Known(self.outages.live(self.clock.now()), self.outages.render) if self.outages is not None else None

    def _compose(self, intent: str, lang: str, text: str, situation=None, known=None) -> Composed:
        """The answer for the situation the text describes (the intent as `route` refines it)."""
        situation = situation or self.situations.read(text)
        known = known if known is not None else self._known()
        intent = self.composer.route(intent, situation, known)
        return self.composer.compose(intent, situation, known, lang, self.clock.now())

    def _answer_intent(self, intent: str, lang: str, text: str = "") -> Reply:
        return _reply(self._compose(intent, lang, text).answer)

    def _social(self, result: Classification, text: str, lang: str) -> Reply | None:
        """An empty message, a bare thank-you or goodbye, or a cancel with nothing to cancel
        (the classifier names a message of only social words by its kind, content/social.yaml)."""
        situation_texts = self.content.answers_for(lang).situation
        if not text.strip():
            return Reply(text=self.answers.text("empty_input", lang), intent="help", lang=lang)
        if result.social == "greeting":
            return Reply(text=situation_texts.greeting, intent="help", lang=lang)
        if result.social in ("thanks", "closing"):
            return Reply(text=situation_texts.thanks, intent="help", lang=lang)
        if result.social == "cancel":
            return Reply(text=situation_texts.nothing_to_cancel, intent="help", lang=lang)
        return None

    def _lang(self, forced: str | None, result: Classification, previous: str | None = None) -> str:
        for lang in (forced, result.lang, previous):
            if lang in self.content.answers:
                return lang
        return self.content.default_lang

    # -- a conversation turn ---------------------------------------------------

    def handle(self, message: Message) -> list[Reply]:
        store = self.store
        state = None
        if store is not None:
            # The claim and the state in one transaction: one round trip fewer for every message.
            first, state = store.begin_turn(message.conversation_key, message.source, message.message_id,
                                            self.clock.now())
            if not first:
                log.info("duplicate delivery dropped", extra={"source": message.source})
                return []
        message, notes = self._redact(message, state)
        replies, new_state = self._turn(message, self._unexpired(state, notes) or {})
        replies = notes + _private_if_report(replies, new_state)
        if store is not None:
            if new_state:
                store.save_state(message.conversation_key, new_state, self.clock.now())
            elif state:
                store.clear_state(message.conversation_key)
        return replies

    def _redact(self, message: Message, state: dict | None) -> tuple[Message, list[Reply]]:
        """Remove personnummer/samordningsnummer before anything is stored or repeated."""
        lang = (state or {}).get("lang") or message.lang or self.content.default_lang
        texts = self.content.dialog_for(lang)
        clean, count = redact_personal_ids(message.text, texts.redaction_marker)
        if not count:
            return message, []
        log.info("personal identity number redacted from a message")
        return replace(message, text=clean), [Reply(text=texts.privacy_redacted, lang=texts.lang)]

    def _unexpired(self, state: dict | None, notes: list[Reply]) -> dict | None:
        """Drop conversation state left silent too long; a report draft gets a note."""
        if not state:
            return state
        minutes = self.content.routine.thresholds.dialog_timeout_minutes
        touched = datetime.fromisoformat(state.get("touched") or self.clock.now().isoformat())
        if self.clock.now() - touched <= timedelta(minutes=minutes):
            return state
        if state.get("kind") == "report":
            notes.append(Reply(text=self.content.dialog_for(state["lang"]).expired.format(minutes=minutes),
                               lang=state["lang"]))
        return None

    def _turn(self, message: Message, state: dict) -> tuple[list[Reply], dict | None]:
        replies, new_state = self._route(message, state)
        if new_state is None and replies:
            # Remember the language, so a following "status" or "ok" is answered in it.
            new_state = {"kind": "idle", "lang": replies[-1].lang}
        if new_state is not None and new_state.get("kind") in INTRO_KEPT_IN:
            # "treserva är nere" then "vem ringer jag?": the next question is still about Treserva.
            said = self._in_context(self.situations.read(message.text), state)
            if said.systems or said.role:
                new_state["context"] = {"systems": list(said.systems), "role": said.role}
            # "hi its Lina Haddad, Korttidsboende Ekholmen", then the fault: the report has her name and unit.
            intro = state.get("intro") if state.get("kind") in INTRO_KEPT_IN else None
            if self.dialog is not None and self.dialog.introduces(message.text):
                intro = "\n".join(filter(None, (intro, message.text)))[-INTRO_CHARS:]
            if intro:
                new_state["intro"] = intro
        if new_state is not None:
            new_state["touched"] = self.clock.now().isoformat()
        return replies, new_state

    def _route(self, message: Message, state: dict) -> tuple[list[Reply], dict | None]:
        turn = self._continue(message, state)
        return turn if turn is not None else self._new_question(message, state)

    def _continue(self, message: Message, state: dict) -> tuple[list[Reply], dict | None] | None:
        """Carry on what the last turn left open; None when this message is a new question."""
        kind, text = state.get("kind"), message.text
        lang = state.get("lang", self.content.default_lang)
        if kind == "report" and self.dialog is not None:
            return self.dialog.handle(message, state, self.clock.now())
        if kind == "offer_report" and self.dialog is not None:
            if message.choice == "report" or fold(text) in self.dialog.read.offer_accepted:
                return self._start_report(message, lang, seed=state.get("seed"), state=state)
            read = self.dialog.read
            if read.is_cancel(text) and not read.asks_anything(text):
                # "äh strunta i det, det var bara mobilen. avbryt": the offer withdrawn, nothing more to say.
                return [Reply(text=self.content.answers_for(lang).situation.acknowledged, intent="help", lang=lang)], None
            if read.strip_deny(text) != text.strip() and not read.asks_anything(text) \
                    and not self.situations.read(text).problem:
                # "nej tack, ville bara gnälla lite": the offer declined, nothing more to do.
                return [Reply(text=self.content.answers_for(lang).situation.acknowledged, intent="help", lang=lang)], None
            if not read.asks_anything(text) and (self.dialog.says_fields(text, self.clock.now())
                                                 or read.is_written_name(text) or read.unknown_unit_in_text(text)
                                                 or read.after_affirm(text) is not None):   # "yes, Hemtjänst Nykil"
                # "hemtjänst linghem, Kent Larsson", "sen 18", "Sam Taylor" after the offer: the
                # report, with both messages.
                return self._start_report(message, lang, seed=f"{state.get('seed') or ''}\n{text}"[:3000],
                                          state=state)
        if kind == "joined" and self.outages is not None:
            if message.choice == "different_fault" or fold(text) in self.dialog.read.different_fault:
                self.outages.split(state["report_id"], self.clock.now())
                return [Reply(text=self.content.dialog_for(lang).split_done, lang=lang)], None
        if kind == "clarify":
            chosen = self._clarify_choice(message, state)
            if chosen == "report_fault" and self.dialog is not None:
                return self._start_report(message, lang, seed=None, state=state)
            if chosen:
                return [self._answer_intent(chosen, lang, state.get("seed") or "")], None
        return None

    def _new_question(self, message: Message, state: dict) -> tuple[list[Reply], dict | None]:
        text = message.text
        result = self.classify(text)
        lang = self._lang(message.lang, result, state.get("lang"))
        social = self._social(result, text, lang)
        if social is not None:
            return [social], None
        if self.dialog is not None and self.dialog.read.is_smash(text):
            # "aaaaaaaaaaaa", "kjhsdfkjhsdf": a pocket or a slip, not a report; say what to write.
            said = state.get("lang") or self.content.default_lang   # (a smash has no language)
            return [Reply(text=self.answers.text("empty_input", said), intent="help", lang=said)], None
        if result.social == "yes_no" or (self.dialog is not None and (
                self.dialog.read.is_affirm(text) or self.dialog.read.is_deny(text))):
            # a "ja" or "ok" with nothing pending
            return [Reply(text=self.content.answers_for(lang).situation.acknowledged, intent="help", lang=lang)], None
        intent = result.intent
        situation = self.situations.read(text)
        if intent != "help":   # ("hjälp" asks what the bot can do, whatever was said before)
            situation = self._in_context(situation, state)
        known = self._known()
        gives_up = self.dialog is not None and self.dialog.read.is_cancel(text)
        if (situation.thanks or gives_up) and situation.asks_back and not (
                situation.yes_no or situation.asks_yes_no or (situation.systems and not gives_up) or "?" in text):
            # "ok tack, nu funkar det", "wanted to report tes but it works again now, never mind": no question,
            # and no number to call.
            return [Reply(text=self.content.answers_for(lang).situation.thanks_working, intent="help", lang=lang)], None
        if self.dialog is not None and not (
                situation.problem or situation.systems or situation.wants_report or situation.asks_yes_no
                or "?" in text or intent in ("report_fault", "report_details")) \
                and self.dialog.introduces(text):
            # "hej, Aylin här på hemtjänst tannefors": a report begins; its first question asks what it is about.
            return self._start_report(message, lang, seed=None, state=state)
        runner_up = result.alternatives[0] if result.alternatives else None
        if (runner_up and intent != "out_of_scope" and runner_up.intent != "out_of_scope"
                and result.confidence < CLARIFY_MAX_CONFIDENCE
                and runner_up.confidence >= CLARIFY_RATIO * result.confidence
                and not self.composer.decides(situation) and not situation.wants_report
                and self._forks(intent, runner_up.intent, lang, text, situation, known)):
            choices = [intent, runner_up.intent]
            options = tuple(Option(label=self.answers.title(i, lang), value=i) for i in choices)
            reply = Reply(text=self.answers.text("clarify", lang), intent=None, options=options, lang=lang)
            return [reply], {"kind": "clarify", "choices": choices, "lang": lang, "seed": text[:3000]}
        composed = self._compose(intent, lang, text, situation, known)
        rendered = composed.answer
        intent = rendered.intent
        if self.dialog is not None and self._takes_report(intent, text, situation, composed):
            # Someone at a locked door who asks to report still needs whom to call and what to do meanwhile.
            lead = [rendered.text.split("\n\n", 1)[0]] if situation.broken_now else None
            return self._start_report(message, lang, seed=None, lead=lead, state=state)
        reply = _reply(rendered)
        # "ska jag ringa nån?" right after the offer: the offer stands, for the fault said before.
        # (Only for a question: "nej, jag undrade bara" declines it.)
        offered = (state.get("kind") == "offer_report" and not situation.outside and self.dialog is not None
                   and self.dialog.read.asks_anything(text)
                   and not self.dialog.read.is_deny((text.split() or [""])[0].strip(",.!")))
        # (Not to someone who has reported it already: "har ringt lkdata, vad mer?")
        if self.dialog is not None and not composed.planned and not (situation.reported and not offered) and (
                offered or intent in ("outage_now", "report_fault") or composed.known_open
                or (situation.broken_now and situation.systems and not situation.outside)
                or (situation.broken_now and situation.outside in self.content.situations.outside_reportable)
                # ("how do I report a fault?": whom to report to, and a yes files it here)
                or (situation.asks_where and not situation.outside and not situation.past)
                # ("🔒❌ låsen", "treserva problem": whom to contact about a system, so a report to file)
                or (rendered.contact is not None and situation.systems and not situation.outside
                    and not situation.past)):
            # A known outage: adding a report joins it; otherwise offer to file one.
            offer = (self.content.answers_for(lang).situation.known.add_report if composed.known_open
                     else self.answers.text("offer_report", lang))
            yes = self.content.dialog_for(lang).offer_button
            reply = replace(reply, text=reply.text + "\n\n" + offer, options=(Option(label=yes, value="report"),))
            seed = state.get("seed") if offered and not situation.broken_now else text
            return [reply], {"kind": "offer_report", "lang": lang, "seed": (seed or text)[:3000]}
        return [reply], None

    def _takes_report(self, intent: str, text: str, situation, composed: Composed) -> bool:
        """Start the report form now, with what the message already says?

        A request to report ("felanmälan") does, unless the outage is known or
        announced (then the answer says so and offers to add the report). So does
        a message that asks to report (not asks how or where; an outage not known
        yet), or says something is broken now and gives the reporter's name and
        unit (why else would it?),
        whatever its intent: a report in one message must not be answered as a
        question. Anything less is answered, with the offer to report.
        """
        if composed.planned or situation.claim:
            return False  # (a claim: "do I need to report one that was announced?" is a question)
        if self.dialog.read.is_cancel(text):
            return False  # "wanted to report tes but it works again now. never mind": no report to take
        if situation.asks_yes_no and situation.named_contacts:
            return False  # "kan jag felanmäla via portalen nu?" asks whether that contact applies
        if situation.asks_cause or situation.asks_where:
            return False  # "kan åskan göra att tes slutar funka?", "how do I report an outage?": questions
        if intent == "report_fault" and not composed.known_open and not situation.past:
            return True   # (not "should I still report that it was down this morning?": answered, offered)
        read = self.dialog.read
        asks = situation.wants_report and not read.asks_anything(text) and not composed.known_open
        # "hej det är Tigist Bekele på Äldreboende Lambohov" and nothing else: the report comes next.
        # So does a name and a unit with no question: "hej Tove Ek, hemtjänst ryd. Ingen av oss kommer in".
        # So does a bare self-introduction ("Ali Rezaei here") or a unit alone ("Hemtjänst Linghem"), the
        # first of a report sent in pieces.
        # (Short, and nothing else: "I'm off tomorrow and couldn't register ..." introduces nobody.)
        short = len(text.split()) <= INTRODUCTION_WORDS and not situation.problem
        alone = short and (read.name_in_text(text, marked_only=True) or read.unit_in_text(text))
        introduces = (read.names_reporter(text) or alone) and not read.asks_anything(text)
        return asks or introduces or (situation.broken_now and read.names_reporter(text))

    def _forks(self, first: str, second: str, lang: str, text: str, situation, known) -> bool:
        """Ask "did you mean" only when the two answers would lead with different things to do."""
        lead = [self._compose(i, lang, text, situation, known).answer.text.split("\n", 1)[0] for i in (first, second)]
        return lead[0] != lead[1]

    def _in_context(self, situation, state: dict):
        """A question that names no system, right after one that did ("och vem ringer jag då?"), is about
        the same systems, and asked by the same role; a new topic outside the routine is not."""
        carried = state.get("context") if state.get("kind") in INTRO_KEPT_IN else None
        if not carried or situation.outside:
            return situation
        systems = situation.systems or tuple(s for s in carried.get("systems") or () if s in self.content.routine.systems)
        return replace(situation, systems=systems, role=situation.role or carried.get("role"))

    def _start_report(self, message: Message, lang: str, seed: str | None, lead: list[str] | None = None,
                      state: dict | None = None) -> tuple[list[Reply], dict | None]:
        """`state`: the conversation's, whose `intro` is what earlier messages said of the writer
        ("hi its Lina Haddad, Korttidsboende Ekholmen")."""
        last_unit = self.store.last_unit(message.source, message.user_id) if message.unit is None else None
        return self.dialog.start(message, self.clock.now(), lang, seed=seed, last_unit=last_unit, lead=lead,
                                 intro=(state or {}).get("intro"))

    def _clarify_choice(self, message: Message, state: dict) -> str | None:
        choices: list[str] = state.get("choices", [])
        if message.choice in choices:
            return message.choice
        number = _NUMBER_CHOICE.match(message.text)
        if number and 1 <= int(number.group(1)) <= len(choices):
            return choices[int(number.group(1)) - 1]
        if choices and self.dialog is not None and self.dialog.read.is_affirm(message.text):
            return choices[0]   # "ja" to "did you mean ...?": the likelier one, not the help text
        lang = state.get("lang", self.content.default_lang)
        typed = message.text.strip().lower()
        for intent in choices:
            if typed and typed == self.answers.title(intent, lang).lower():
                return intent
        return None


# States between questions that keep what the writer said of themselves, for a report started later.
INTRO_KEPT_IN = frozenset({"idle", "offer_report", "clarify"})
INTRO_CHARS = 500

# A self-introduction or a unit alone, the first piece of a report, is at most this many words.
INTRODUCTION_WORDS = 5

# Dialog states that belong to a report: while one is being written, and just after
# filing (the receipt repeats the reporter's name and unit).
REPORT_STATES = ("report", "joined")


def _private_if_report(replies: list[Reply], state: dict | None) -> list[Reply]:
    """Mark a turn that asks for a report field or leaves a report open (or just filed) private."""
    in_report = (state or {}).get("kind") in REPORT_STATES and any(r.intent == "report_fault" for r in replies)
    if in_report or any(r.awaiting for r in replies):
        return [replace(r, private=True) for r in replies]
    return replies


def _reply(rendered) -> Reply:
    """An answer as the adapters get it; the form is offered with answers about something broken."""
    return Reply(text=rendered.text, intent=rendered.intent, lang=rendered.lang, contact=rendered.contact,
                 offer_report_form=rendered.intent in ("outage_now", "report_fault"))
