"""Intent classifier: a linear model over words, word pairs and character
n-grams, trained at start with the passive-aggressive algorithm; rapidfuzz
repairs misspelt words.

Why this shape: the questions are short, misspelt and inflected. Character
n-grams inside words catch word forms ("registrera", "registrerat") and most
typos; rapidfuzz maps a word that is not in the vocabulary to its nearest
known word ("efterregistera" -> "efterregistrera") so it also counts as a
whole word. A discriminative linear model (averaged passive-aggressive,
Crammer et al. 2006) learns which cues separate neighbouring intents
("vad ska med" vs "anmäla") better than naive Bayes, and trains in a fraction
of a second on the phrasings, so no model file has to be kept in step with
the content. Training is seeded: the same content always gives the same model.
"""
from __future__ import annotations

import math
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass

from intents.ids import INTENT_IDS
from intents.normalise import Normaliser

# Relative weight of each feature family; words carry more meaning than n-grams.
WORD_WEIGHT = 1.0
BIGRAM_WEIGHT = 0.7
NGRAM_WEIGHT = 0.35
NGRAM_SIZES = (3, 4, 5)
# A word this similar (rapidfuzz ratio, 0-100) to a known word is read as it.
TYPO_CUTOFF = 80
TYPO_MIN_LEN = 4
# Scales score gaps into a probability-like confidence: a margin of 1 (typical
# of a clear answer) gives about 0.95, a near tie gives two close numbers.
TEMPERATURE = 5.0
# Below this nothing fits well enough: the answer is out of scope. Also when
# no word of the question is known and the model is unsure (gibberish).
MIN_CONFIDENCE = 0.25
UNKNOWN_WORDS_MIN_CONFIDENCE = 0.5
@dataclass(frozen=True)
class Alternative:
    intent: str
    confidence: float


@dataclass(frozen=True)
class Classification:
    text: str
    intent: str
    confidence: float
    alternatives: tuple[Alternative, ...] = ()
    lang: str | None = "sv"   # None: the words are shared by both languages

    def as_json(self) -> dict:
        return {
            "text": self.text,
            "intent": self.intent,
            "confidence": round(self.confidence, 4),
            "alternatives": [{"intent": a.intent, "confidence": round(a.confidence, 4)} for a in self.alternatives],
        }


class Classifier:
    """Built once from the phrasings; classify() is pure and deterministic.

    Training uses numpy (`intents.training`); classifying is plain Python over
    the learnt weights, so a classifier loaded from the cache answers without
    importing numpy, and a fresh and a cached one score exactly alike.
    """

    def __init__(self, phrasings: dict[str, dict[str, list[str]]], spelling: dict[str, str],
                 fallback_intent: str = "out_of_scope", ngram_sizes: tuple[int, ...] = NGRAM_SIZES):
        self.normaliser = Normaliser(spelling)
        self.ngram_sizes = ngram_sizes  # () leaves the character n-grams out (the benchmark's ablation)
        self.intents = INTENT_IDS
        self.fallback_intent = fallback_intent
        self._typo_cache: dict[str, str | None] = {}
        self._vocabulary: set[str] = set()
        self._vocab_by_initial: dict[str, list[str]] = {}
        self._train(phrasings)

    # -- features ---------------------------------------------------------

    def _features(self, tokens: list[str]) -> Counter:
        feats: Counter = Counter()
        words = [self._repair(t) for t in tokens]
        for word, typed in zip(words, tokens):
            feats["w:" + word] += WORD_WEIGHT
            # n-grams of what was typed: a wrong repair then costs one feature, not all.
            padded = f" {typed} "
            last = len(padded)
            for n in self.ngram_sizes:
                for i in range(last - n + 1):
                    feats["c:" + padded[i:i + n]] += NGRAM_WEIGHT
        for a, b in zip(words, words[1:]):
            feats[f"b:{a}_{b}"] += BIGRAM_WEIGHT
        return feats

    def _repair(self, word: str) -> str:
        """The known word a misspelt one stands for (itself when known or too short)."""
        if not self._vocab_by_initial or word in self._vocabulary or len(word) < TYPO_MIN_LEN or word.isdigit():
            return word
        if word not in self._typo_cache:
            if len(self._typo_cache) > 50_000:  # bound memory on a long-running server
                self._typo_cache.clear()
            # Typos rarely hit the first letter: comparing with words that share it is
            # ~20 times less work and avoids far-fetched repairs ("loning" -> "inlogning").
            candidates = self._vocab_by_initial.get(word[0], ())
            from rapidfuzz import fuzz, process  # only when a word is unknown: most questions need no repair

            best = process.extractOne(word, candidates, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF)
            self._typo_cache[word] = best[0] if best else None
        return self._typo_cache[word] or word

    def _vector(self, feats: Counter) -> list[tuple[int, float, float]]:
        """Known features as (index, L2-normalised log-TF-IDF value, raw count)."""
        get, idf = self._index.get, self._idf
        known = [(i, count) for i, count in zip(map(get, feats), feats.values()) if i is not None]
        values = [math.log1p(count) * idf[i] for i, count in known]
        norm = math.sqrt(sum(v * v for v in values)) or 1.0
        return [(i, v / norm, count) for (i, count), v in zip(known, values)]

    def _scores(self, vector: list[tuple[int, float, float]]) -> list[float]:
        """One score per intent: the weighted sum of the question's features."""
        k, weights = len(self.intents), self._weights
        scores = [0.0] * k
        for i, value, _ in vector:
            row = weights[i * k:(i + 1) * k]
            scores = [s + value * w for s, w in zip(scores, row)]
        return scores

    # -- training -----------------------------------------------------------

    def _train(self, phrasings: dict[str, dict[str, list[str]]]) -> None:
        from intents import training  # numpy: only here, never when answering from the cache

        tokenised = [(self.intents.index(intent), lang, self.normaliser.tokens(text))
                     for lang, by_intent in phrasings.items()
                     for intent, texts in by_intent.items() for text in texts]
        self._words_by_lang: dict[str, set[str]] = defaultdict(set)
        for _, lang, tokens in tokenised:
            self._vocabulary.update(tokens)
            self._words_by_lang[lang].update(tokens)
        self._vocab_by_initial: dict[str, list[str]] = defaultdict(list)
        for w in sorted(self._vocabulary):
            if len(w) >= TYPO_MIN_LEN - 1:
                self._vocab_by_initial[w[0]].append(w)
        docs = [(c, lang, self._features(tokens)) for c, lang, tokens in tokenised]

        df: Counter = Counter()
        for _, _, feats in docs:
            df.update(feats.keys())
        self._index = {f: i for i, f in enumerate(df)}
        self._idf = array("d", (math.log(len(docs) / d) + 1.0 for d in df.values()))
        vectors = []
        for c, _, feats in docs:
            vector = self._vector(feats)
            vectors.append((c, [i for i, _, _ in vector], [v for _, v, _ in vector]))
        self._weights = training.passive_aggressive(vectors, len(df), len(self.intents))
        self._lang_weights = training.language_log_odds([(lang, feats) for _, lang, feats in docs], self._index)

    # -- classification -------------------------------------------------------

    def classify(self, text: str) -> Classification:
        tokens = self.normaliser.tokens(text)
        if not tokens:
            return Classification(text=text, intent="help", confidence=1.0, lang="sv")
        feats = self._features(tokens)
        vector = self._vector(feats)
        words = [f[2:] for f in feats if f[0] == "w"]
        lang_weights = self._lang_weights
        lang = self._language(words, sum(count * lang_weights[i] for i, _, count in vector))
        if not vector:
            return Classification(text=text, intent=self.fallback_intent, confidence=0.5, lang=lang)
        probs = _softmax(self._scores(vector))
        ranked = sorted(range(len(probs)), key=lambda c: -probs[c])  # stable: ties keep the intents' order
        alternatives = tuple(Alternative(self.intents[c], probs[c]) for c in ranked[1:3] if probs[c] >= 0.01)
        best = ranked[0]
        confidence = probs[best]
        knows_a_word = any(w in self._vocabulary for w in words)
        if confidence < MIN_CONFIDENCE or (not knows_a_word and confidence < UNKNOWN_WORDS_MIN_CONFIDENCE):
            guesses = tuple(Alternative(self.intents[c], probs[c]) for c in ranked[:2]
                            if self.intents[c] != self.fallback_intent)
            fallback = probs[self.intents.index(self.fallback_intent)]
            return Classification(text=text, intent=self.fallback_intent, confidence=max(fallback, 1 - confidence),
                                  alternatives=guesses, lang=lang)
        return Classification(text=text, intent=self.intents[best], confidence=confidence,
                              alternatives=alternatives, lang=lang)

    def _language(self, words: list[str], en_log_odds: float) -> str | None:
        """'en' or 'sv'; None when every word is used in both ("status", "ok"),
        so the caller can keep the conversation's language."""
        sv, en = self._words_by_lang.get("sv", set()), self._words_by_lang.get("en", set())
        if words and all(w in sv and w in en for w in words):
            return None
        return "en" if en_log_odds > 0 else "sv"


def _softmax(scores: list[float]) -> list[float]:
    top = max(scores)
    exps = [math.exp((s - top) * TEMPERATURE) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]
