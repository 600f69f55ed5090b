"""Intent classifier: a linear model over words, word pairs and character
n-grams, trained at start with the passive-aggressive algorithm; rapidfuzz
repairs misspelt words; greetings and thanks are set aside first.

Why this shape: the questions are short, misspelt and inflected. rapidfuzz
maps a word that is not known to its nearest known word ("efterregistera" ->
"efterregistrera") so it counts as that word; a word that is known, produced by
the spelling map or common in Swedish or English (content/common_words.txt) is
taken as written, never "repaired" into a different word. Character n-grams
inside words catch word forms ("registrera", "registrerat") and what repair
misses. A discriminative linear model (averaged passive-aggressive, Crammer et
al. 2006) learns which cues separate neighbouring intents ("vad ska med" vs
"anmäla") better than naive Bayes, and trains in a fraction of a second on the
phrasings, so no model file has to be kept in step with the content. Training
is seeded: the same content always gives the same model.

Greetings, thanks and fillers (content/social.yaml, `intents.social`) are left
out of the features, so "hej!! tes funkar inte tack" is about TES; a message of
nothing else is `help`, with `Classification.social` naming its kind.
"""
from __future__ import annotations

import math
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from intents.ids import INTENT_IDS
from intents.normalise import Normaliser, fold
from intents.social import SocialWords

# Relative weight of each feature family; words carry more meaning than n-grams.
WORD_WEIGHT = 1.0
BIGRAM_WEIGHT = 0.7
NGRAM_WEIGHT = 0.35
NGRAM_SIZES = (3, 4, 5)
# A word this similar (rapidfuzz ratio, 0-100) to a known word with the same
# first letter is read as it; to one with another first letter, it takes more.
TYPO_CUTOFF = 80
OTHER_INITIAL_TYPO_CUTOFF = 85
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
    # For a message of nothing but social words (intent help): its kind from
    # content/social.yaml ("greeting", "thanks", "cancel", ...), so that the bot can
    # answer "tack" otherwise than "hej". None for every other message.
    social: str | None = None

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
                 social: dict[str, dict] | None = None, common_words: Iterable[str] = (),
                 fallback_intent: str = "out_of_scope", ngram_sizes: tuple[int, ...] = NGRAM_SIZES):
        """`social`: content/social.yaml's kinds; `common_words`: words never repaired into others;
        `ngram_sizes=()` leaves the character n-grams out (the benchmark's ablation)."""
        self.normaliser = Normaliser(spelling)
        self.social = SocialWords(social or {}, self.normaliser)
        self.ngram_sizes = ngram_sizes
        self.intents = INTENT_IDS
        self.fallback_intent = fallback_intent
        self._train(phrasings)
        self._prepare_repair(spelling, common_words)

    # -- features ---------------------------------------------------------

    def _features(self, words: list[str], keep: tuple[bool, ...] | None = None) -> dict[str, float]:
        """Word, word-pair and character n-gram features of the words at the kept
        positions (all when `keep` is None). A pair needs both its words kept:
        removing "tack" from "a tack b" does not make "a b" a pair the person wrote."""
        feats: dict[str, float] = {}   # a plain dict: Counter's += is four times slower here
        get = feats.get
        kept = [True] * len(words) if keep is None else keep
        for word, k in zip(words, kept):
            if k:
                for feature, weight in _word_features(word, self.ngram_sizes):
                    feats[feature] = get(feature, 0.0) + weight
        for a, b, ka, kb in zip(words, words[1:], kept, kept[1:]):
            if ka and kb:
                pair = f"b:{a}_{b}"
                feats[pair] = get(pair, 0.0) + BIGRAM_WEIGHT
        return feats

    # -- typo repair ------------------------------------------------------------

    def _prepare_repair(self, spelling: dict[str, str], common_words: Iterable[str]) -> None:
        # Taken as written: what the model knows, the spelling map's words (typed
        # and meant), and words people commonly write. Repairing one of them would turn a
        # correct word into a different one ("kostar" -> "kastar").
        spelt = {w for typed, meant in spelling.items() for w in (fold(typed), *fold(meant).split())}
        self._as_written = frozenset(self._vocabulary | spelt | set(common_words))
        # What a misspelt word may be read as: a known word, or a one-word key of
        # the spelling map, read as what it means ("lsen" is "låsen", which is "lås").
        self._repairs_to = {w: w for w in self._vocabulary}
        for typed, meant in spelling.items():
            key, value = fold(typed), fold(meant)
            if key and " " not in value and value in self._vocabulary:
                self._repairs_to.setdefault(key, value)
        self._targets_by_initial: dict[str, list[str]] = defaultdict(list)
        for w in sorted(self._repairs_to):
            if len(w) >= TYPO_MIN_LEN - 1:
                self._targets_by_initial[w[0]].append(w)
        self._long_targets = sorted(w for w in self._repairs_to if len(w) >= TYPO_MIN_LEN)
        self._typo_cache: dict[str, str | None] = {}

    def _repair(self, word: str) -> str:
        """The known word a misspelt one stands for (itself when taken as written or too short)."""
        if word in self._as_written or len(word) < TYPO_MIN_LEN or word.isdigit():
            return word
        if word not in self._typo_cache:
            if len(self._typo_cache) > 50_000:  # bound memory on a long-running server
                self._typo_cache.clear()
            from rapidfuzz import fuzz, process  # only when a word is unknown: most questions need no repair

            # Typos rarely hit the first letter, so words that share it are tried
            # first; the rest ("nmäla" -> "anmäla") must be closer, which keeps out
            # far-fetched repairs ("loning" -> "inlogning").
            best = (process.extractOne(word, self._targets_by_initial.get(word[0], ()), scorer=fuzz.ratio,
                                       score_cutoff=TYPO_CUTOFF)
                    or process.extractOne(word, self._long_targets, scorer=fuzz.ratio,
                                          score_cutoff=OTHER_INITIAL_TYPO_CUTOFF))
            self._typo_cache[word] = self._repairs_to[best[0]] if best else None
        return self._typo_cache[word] or word

    def _vector(self, feats: dict[str, float]) -> list[tuple[int, float, float]]:
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
        self._vocabulary = set(self.social.words)  # so that "tackk" is repaired to "tack", and then is social
        for _, lang, tokens in tokenised:
            self._vocabulary.update(tokens)
            self._words_by_lang[lang].update(tokens)
        # Trained on the phrasings as written, social words and all: the model is
        # then the same as without them wherever a phrasing has none, and classify()
        # leaves the stripped kinds out, so their weights are simply never used.
        # (Stripping them here too was measured: 0.7 points worse on the tuning sets.)
        docs = [(c, lang, self._features(tokens)) for c, lang, tokens in tokenised]

        df: Counter = Counter()
        for _, _, feats in docs:
            df.update(feats.keys())
        self._index = {f: i for i, f in enumerate(df)}
        self._idf = array("d", (math.log(len(docs) / d) + 1.0 for d in df.values()))
        # The same log-TF-IDF rows as _vector() makes, computed for all phrasings at once.
        examples = training.tfidf_rows([(c, feats) for c, _, feats in docs], self._index, self._idf)
        self._weights = training.passive_aggressive(examples, len(df), len(self.intents))
        self._lang_weights = training.language_log_odds([(lang, feats) for _, lang, feats in docs], self._index)

    # -- classification -------------------------------------------------------

    def classify(self, text: str) -> Classification:
        typed = self.normaliser.tokens(text)
        if not typed:
            return Classification(text=text, intent="help", confidence=1.0, lang="sv")
        words = [self._repair(t) for t in typed]
        split = self.social.split(words)
        every_feature = self._vector(self._features(words))
        lang = self._language(words, every_feature, written_as_name=_looks_like_name(text))
        asked = [w for w, social in zip(words, split.social) if not social]
        knows_a_word = any(w in self._vocabulary for w in asked)
        # Only social words, or social words around nothing the model knows ("hej Lena!").
        if split.kinds and not knows_a_word:
            return Classification(text=text, intent="help", confidence=1.0, lang=lang, social=split.kinds[0])
        vector = every_feature if all(split.keep) else self._vector(self._features(words, split.keep))
        if not vector:
            return Classification(text=text, intent=self.fallback_intent, confidence=0.5, lang=lang)
        probs = _softmax(self._scores(vector))
        ranked = sorted(range(len(probs)), key=lambda c: -probs[c])  # stable: ties keep the intents' order
        alternatives = tuple(Alternative(self.intents[c], probs[c]) for c in ranked[1:3] if probs[c] >= 0.01)
        best = ranked[0]
        confidence = probs[best]
        if confidence < MIN_CONFIDENCE or (not knows_a_word and confidence < UNKNOWN_WORDS_MIN_CONFIDENCE):
            guesses = tuple(Alternative(self.intents[c], probs[c]) for c in ranked[:2]
                            if self.intents[c] != self.fallback_intent)
            fallback = probs[self.intents.index(self.fallback_intent)]
            return Classification(text=text, intent=self.fallback_intent, confidence=max(fallback, 1 - confidence),
                                  alternatives=guesses, lang=lang)
        return Classification(text=text, intent=self.intents[best], confidence=confidence,
                              alternatives=alternatives, lang=lang)

    def _language(self, words: list[str], every_feature, written_as_name: bool = False) -> str | None:
        """'en' or 'sv'; None when every word is used in both ("status", "ok"),
        so the caller can keep the conversation's language."""
        sv, en = self._words_by_lang.get("sv", set()), self._words_by_lang.get("en", set())
        shared = [w in sv and w in en for w in words]
        if words and all(shared):
            return None
        # Nor when no word is known in either ("Fatima Nilsson", typed as a name): the n-grams of a
        # name say nothing of the language the person writes in.
        # Nor one word that neither knows ("Holm", typed after a report): it keeps the conversation's.
        if written_as_name and not any(w in sv or w in en for w in words):
            return None
        if len(words) == 1 and words[0] not in self._vocabulary:   # ("mvh" is known, as a social word)
            return None
        # Words both languages use (system names: "is genomförandewebben down?") do not vote: their
        # long Swedish n-grams outweighed "is" and "down".
        if any(shared):
            every_feature = self._vector(self._features([w for w, both in zip(words, shared) if not both]))
        weights = self._lang_weights
        return "en" if sum(count * weights[i] for i, _, count in every_feature) > 0 else "sv"


def _looks_like_name(text: str) -> bool:
    """'Fatima Nilsson', 'Jelena Petrović': two to four capitalised words and nothing else."""
    words = text.split()
    return 2 <= len(words) <= 4 and all(w[:1].isupper() and w.replace("-", "").isalpha() for w in words)


@lru_cache(maxsize=65_536)
def _word_features(word: str, ngram_sizes: tuple[int, ...]) -> tuple[tuple[str, float], ...]:
    """A word's own features: itself and its character n-grams (padded with spaces,
    so " re" marks a beginning). Of the word as read, after repair: measured better
    on typos than the n-grams of what was typed, now that correct words are never
    repaired. Cached because the same few thousand words recur, in training above all."""
    padded = f" {word} "
    ngrams = tuple(("c:" + padded[i:i + n], NGRAM_WEIGHT)
                   for n in ngram_sizes for i in range(len(padded) - n + 1))
    return (("w:" + word, WORD_WEIGHT), *ngrams)


def _softmax(scores: list[float]) -> list[float]:
    top = max(scores)
    exps = [math.exp((s - top) * TEMPERATURE) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]
