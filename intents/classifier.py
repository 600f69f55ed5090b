"""Intent classifier: a weight-normalised complement naive Bayes over words,
word pairs and character n-grams, with typo repair by rapidfuzz.

Why this shape: the questions are short, misspelt and inflected. Character
n-grams inside words catch word forms ("registrera", "registrerat") and most
typos; rapidfuzz maps a word that is not in the vocabulary to its nearest
known word ("efterregistera" -> "efterregistrera") so it also counts as a
whole word; complement naive Bayes with TF-IDF and weight normalisation
(Rennie et al. 2003) trains in one pass at start, which keeps `driftbot ask`
fast and needs no model file next to the content.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

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
SMOOTHING = 0.3
# Scales the score gaps into a probability-like confidence.
TEMPERATURE = 9.0


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
    lang: str = "sv"
    known_words: int = 0

    def as_json(self) -> dict:
        return {
            "text": self.text,
            "intent": self.intent,
            "confidence": round(self.confidence, 4),
            "alternatives": [{"intent": a.intent, "confidence": round(a.confidence, 4)} for a in self.alternatives],
        }


@dataclass
class _Model:
    weights: dict[str, list[float]] = field(default_factory=dict)  # feature -> per-intent weight
    lang_weights: dict[str, float] = field(default_factory=dict)   # feature -> log-odds of "en"
    vocabulary: set[str] = field(default_factory=set)


class Classifier:
    """Built once from the phrasings; classify() is pure and deterministic."""

    def __init__(self, phrasings: dict[str, dict[str, list[str]]], spelling: dict[str, str],
                 fallback_intent: str = "out_of_scope"):
        self.normaliser = Normaliser(spelling)
        self.intents = tuple(i for i in INTENT_IDS)
        self.fallback_intent = fallback_intent
        self._typo_cache: dict[str, str | None] = {}
        self._model = _Model()
        self._train(phrasings)

    # -- features ---------------------------------------------------------

    def _features(self, tokens: list[str]) -> Counter:
        feats: Counter = Counter()
        words = [self._repair(t) for t in tokens]
        for word in words:
            feats["w:" + word] += WORD_WEIGHT
            padded = f" {word} "
            for n in NGRAM_SIZES:
                for i in range(len(padded) - n + 1):
                    feats["c:" + padded[i:i + n]] += NGRAM_WEIGHT
        for a, b in zip(words, words[1:]):
            feats[f"b:{a}_{b}"] += BIGRAM_WEIGHT
        return feats

    def _repair(self, word: str) -> str:
        """The known word a misspelt one stands for (itself when known or too short)."""
        vocab = self._model.vocabulary
        if not vocab or word in vocab or len(word) < TYPO_MIN_LEN or word.isdigit():
            return word
        if word not in self._typo_cache:
            if len(self._typo_cache) > 50_000:  # bound memory on a long-running server
                self._typo_cache.clear()
            best = process.extractOne(word, self._vocab_list, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF)
            self._typo_cache[word] = best[0] if best else None
        return self._typo_cache[word] or word

    # -- training -----------------------------------------------------------

    def _train(self, phrasings: dict[str, dict[str, list[str]]]) -> None:
        docs: list[tuple[int, str, Counter]] = []
        for lang, by_intent in phrasings.items():
            for intent, texts in by_intent.items():
                for text in texts:
                    self._model.vocabulary.update(self.normaliser.tokens(text))
        self._vocab_list = sorted(w for w in self._model.vocabulary if len(w) >= TYPO_MIN_LEN - 1)
        for lang, by_intent in phrasings.items():
            for intent, texts in by_intent.items():
                c = self.intents.index(intent)
                for text in texts:
                    docs.append((c, lang, self._features(self.normaliser.tokens(text))))

        n_docs = len(docs)
        df: Counter = Counter()
        for _, _, feats in docs:
            df.update(feats.keys())
        idf = {f: math.log(n_docs / d) + 1.0 for f, d in df.items()}
        self._idf = idf

        n_classes = len(self.intents)
        totals = [defaultdict(float) for _ in range(n_classes)]
        lang_counts: dict[str, Counter] = defaultdict(Counter)
        for c, lang, feats in docs:
            vec = self._tfidf(feats)
            for f, v in vec.items():
                totals[c][f] += v
            lang_counts[lang].update(feats.keys())

        features = list(idf)
        all_sum = defaultdict(float)
        for c in range(n_classes):
            for f, v in totals[c].items():
                all_sum[f] += v
        class_mass = [sum(t.values()) for t in totals]
        grand = sum(class_mass)
        vsize = len(features)
        raw: list[dict[str, float]] = []
        for c in range(n_classes):
            denom = grand - class_mass[c] + SMOOTHING * vsize
            raw.append({f: math.log((all_sum[f] - totals[c].get(f, 0.0) + SMOOTHING) / denom) for f in features})
        # Weight normalisation: each class's weight vector to unit L1 norm, so
        # intents with many or long phrasings do not dominate.
        for c in range(n_classes):
            norm = sum(abs(w) for w in raw[c].values())
            for f in features:
                raw[c][f] /= norm
        # Complement NB: a low complement weight means the feature points to c.
        self._model.weights = {f: [-raw[c][f] for c in range(n_classes)] for f in features}

        # Language: multinomial NB log-odds en vs sv on the same features.
        sv, en = lang_counts.get("sv", Counter()), lang_counts.get("en", Counter())
        sv_total, en_total = sum(sv.values()) + vsize, sum(en.values()) + vsize
        if sv and en:
            self._model.lang_weights = {
                f: math.log((en[f] + 1) / en_total) - math.log((sv[f] + 1) / sv_total) for f in features
            }

    def _tfidf(self, feats: Counter) -> dict[str, float]:
        vec = {f: math.log1p(v) * self._idf[f] for f, v in feats.items() if f in self._idf}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {f: v / norm for f, v in vec.items()}

    # -- classification -------------------------------------------------------

    def classify(self, text: str) -> Classification:
        tokens = self.normaliser.tokens(text)
        if not tokens:
            return Classification(text=text, intent="help", confidence=1.0, lang="sv")
        feats = self._features(tokens)
        vec = self._tfidf(feats)
        known_words = sum(1 for t in tokens if self._repair(t) in self._model.vocabulary)
        if not vec or known_words == 0:
            return Classification(text=text, intent=self.fallback_intent, confidence=0.5,
                                  lang=self._language(feats), known_words=0)
        n = len(self.intents)
        scores = [0.0] * n
        weights = self._model.weights
        for f, v in vec.items():
            row = weights[f]
            for c in range(n):
                scores[c] += v * row[c]
        top = max(scores)
        exps = [math.exp((s - top) * TEMPERATURE * 100) for s in scores]
        total = sum(exps)
        ranked = sorted(range(n), key=lambda c: -exps[c])
        best = ranked[0]
        alternatives = tuple(
            Alternative(self.intents[c], exps[c] / total) for c in ranked[1:3] if exps[c] / total >= 0.01
        )
        return Classification(text=text, intent=self.intents[best], confidence=exps[best] / total,
                              alternatives=alternatives, lang=self._language(feats), known_words=known_words)

    def _language(self, feats: Counter) -> str:
        lw = self._model.lang_weights
        score = sum(lw.get(f, 0.0) * v for f, v in feats.items())
        return "en" if score > 0 else "sv"
