"""Training the classifier's weights: the only place that needs numpy.

Kept apart from `intents.classifier` so that answering a question from the
cached model never imports numpy (about a fifth of `driftbot ask`'s start-up).
The weights come back as flat `array('d')` rows, which pickle as raw bytes and
which the classifier scores in plain Python.
"""
from __future__ import annotations

import math
import random
from array import array
from collections import Counter, defaultdict

import numpy as np

EPOCHS = 5
AGGRESSIVENESS = 1.0   # PA-I's C: caps each update
SEED = 0


def passive_aggressive(vectors: list[tuple[int, list[int], list[float]]], n_features: int, n_classes: int) -> array:
    """Averaged multiclass PA-I (Crammer et al. 2006) on (class, indices, values)
    examples: on a margin violation, move the true class towards the example and
    the strongest wrong class away, just enough. Returns the weights as one flat
    row-major array, feature i's class c at i * n_classes + c."""
    weights, summed = np.zeros((n_features, n_classes)), np.zeros((n_features, n_classes))
    examples = [(c, np.asarray(idx, dtype=np.intp), np.asarray(val), 2 * sum(v * v for v in val))
                for c, idx, val in vectors if idx]
    order = list(range(len(examples)))
    rng = random.Random(SEED)   # seeded: the same content always gives the same model
    step = 1
    for _ in range(EPOCHS):
        rng.shuffle(order)
        for i in order:
            c, idx, val, twice_norm2 = examples[i]
            scores = val @ weights[idx]
            true_score = scores[c]
            scores[c] = -np.inf
            rival = int(scores.argmax())
            loss = 1.0 - (true_score - scores[rival])
            if loss > 0:
                # One update vector for all four: this loop is most of the cold start.
                update = min(AGGRESSIVENESS, loss / twice_norm2) * val
                weights[idx, c] += update
                weights[idx, rival] -= update
                update *= step   # the averaging trick: w_avg = w - sum(step * update) / steps
                summed[idx, c] += update
                summed[idx, rival] -= update
            step += 1
    averaged = weights - summed / step
    return array("d", averaged.ravel().tolist())


def language_log_odds(docs: list[tuple[str, Counter]], index: dict[str, int]) -> array:
    """Naive-Bayes log-odds of English over Swedish, one per feature (0 when a
    language has no phrasings)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for lang, feats in docs:
        counts[lang].update(feats.keys())
    sv, en = counts.get("sv", Counter()), counts.get("en", Counter())
    if not sv or not en:
        return array("d", bytes(8 * len(index)))
    vsize = len(index)
    sv_total, en_total = sum(sv.values()) + vsize, sum(en.values()) + vsize
    return array("d", (math.log((en[f] + 1) / en_total) - math.log((sv[f] + 1) / sv_total) for f in index))
