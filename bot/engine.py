"""The engine: a Message in, Replies out. Channel-neutral: no messenger SDK here.

It decides what the routine says (via the classifier and the answer texts),
runs the report dialog, and keeps per-conversation state in the store so a
restart mid-conversation resumes where it was.
"""
from __future__ import annotations

import logging
import re

from bot.answers import AnswerRenderer
from bot.clock import Clock
from bot.content import Content
from bot.messages import Message, Option, Reply
from intents import Classification, Classifier

log = logging.getLogger(__name__)

# When the runner-up is this close to the top intent, ask which one was meant.
CLARIFY_RATIO = 0.6
CLARIFY_MAX_CONFIDENCE = 0.7
_NUMBER_CHOICE = re.compile(r"^\s*(\d)\s*[.)]?\s*$")


class Engine:
    def __init__(self, content: Content, classifier: Classifier, clock: Clock, store=None, live_status=None):
        self.content = content
        self.classifier = classifier
        self.clock = clock
        self.store = store
        self.answers = AnswerRenderer(content)
        # A callable (lang) -> sentence about known outages, or None; set by the outage module.
        self.live_status = live_status

    # -- stateless: one question, one answer --------------------------------

    def classify(self, text: str) -> Classification:
        return self.classifier.classify(text)

    def answer(self, text: str, lang: str | None = None) -> Reply:
        """Answer one question with no conversation state (driftbot ask)."""
        result = self.classify(text)
        reply_lang = self._lang(lang, result)
        if not text.strip():
            return Reply(text=self.answers.text("empty_input", reply_lang), intent="help", lang=reply_lang)
        return self._answer_intent(result.intent, reply_lang)

    def _answer_intent(self, intent: str, lang: str) -> Reply:
        status = self.live_status(lang) if (self.live_status and intent == "status") else None
        rendered = self.answers.render(intent, lang, self.clock.now(), live_status=status)
        return Reply(text=rendered.text, intent=intent, lang=rendered.lang, contact=rendered.contact,
                     offer_report_form=intent in ("outage_now", "report_fault"))

    def _lang(self, forced: str | None, result: Classification) -> str:
        if forced in self.content.answers:
            return forced
        return result.lang if result.lang in self.content.answers else self.content.default_lang

    # -- a conversation turn ---------------------------------------------------

    def handle(self, message: Message) -> list[Reply]:
        store = self.store
        if store is not None and message.message_id and not store.first_delivery(message.source, message.message_id):
            log.info("duplicate delivery dropped", extra={"source": message.source})
            return []
        state = store.load_state(message.conversation_key) if store else None
        replies, new_state = self._turn(message, state or {})
        if store is not None:
            if new_state:
                store.save_state(message.conversation_key, new_state, self.clock.now())
            elif state:
                store.clear_state(message.conversation_key)
        return replies

    def _turn(self, message: Message, state: dict) -> tuple[list[Reply], dict | None]:
        text = message.text
        if state.get("kind") == "clarify":
            chosen = self._clarify_choice(message, state)
            if chosen:
                return [self._answer_intent(chosen, state.get("lang", self.content.default_lang))], None
        result = self.classify(text)
        lang = self._lang(message.lang, result)
        if not text.strip():
            return [Reply(text=self.answers.text("empty_input", lang), intent="help", lang=lang)], None
        intent = result.intent
        runner_up = result.alternatives[0] if result.alternatives else None
        if (runner_up and intent != "out_of_scope" and runner_up.intent != "out_of_scope"
                and result.confidence < CLARIFY_MAX_CONFIDENCE
                and runner_up.confidence >= CLARIFY_RATIO * result.confidence):
            choices = [intent, runner_up.intent]
            options = tuple(Option(label=self.answers.title(i, lang), value=i) for i in choices)
            reply = Reply(text=self.answers.text("clarify", lang), intent=None, options=options, lang=lang)
            return [reply], {"kind": "clarify", "choices": choices, "lang": lang}
        return [self._answer_intent(intent, lang)], None

    def _clarify_choice(self, message: Message, state: dict) -> str | None:
        choices: list[str] = state.get("choices", [])
        if message.choice in choices:
            return message.choice
        number = _NUMBER_CHOICE.match(message.text)
        if number and 1 <= int(number.group(1)) <= len(choices):
            return choices[int(number.group(1)) - 1]
        lang = state.get("lang", self.content.default_lang)
        typed = message.text.strip().lower()
        for intent in choices:
            if typed and typed == self.answers.title(intent, lang).lower():
                return intent
        return None
