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
from itertools import accumulate

import numpy as np

EPOCHS = 5
AGGRESSIVENESS = 1.0   # PA-I's C: caps each update
SEED = 0


Example = tuple[int, np.ndarray, np.ndarray]   # class, feature indices, L2-normalised values


def tfidf_rows(docs: list[tuple[int, dict[str, float]]], index: dict[str, int], idf: array) -> list[Example]:
    """Each (class, features) document as its L2-normalised log-TF-IDF row, as
    Classifier._vector computes one question's, but for all documents in a few
    numpy calls: on a cold start this is a noticeable part of the time. A document
    without features (a phrasing of punctuation only) teaches nothing and is left out."""
    docs = [(c, feats) for c, feats in docs if feats]
    if not docs:
        return []
    lengths = [len(feats) for _, feats in docs]
    flat_idx: list[int] = []
    flat_counts: list[float] = []
    for _, feats in docs:
        flat_idx.extend(map(index.__getitem__, feats))
        flat_counts.extend(feats.values())
    idx = np.array(flat_idx, dtype=np.intp)
    counts = np.array(flat_counts)
    values = np.log1p(counts) * np.frombuffer(idf, dtype=float)[idx]
    ends = list(accumulate(lengths))
    starts = [0, *ends[:-1]]
    norms = np.sqrt(np.add.reduceat(values * values, starts))
    values /= np.repeat(norms, lengths)
    return [(c, idx[a:b], values[a:b]) for (c, _), a, b in zip(docs, starts, ends)]


def passive_aggressive(examples: list[Example], n_features: int, n_classes: int) -> array:
    """Averaged multiclass PA-I (Crammer et al. 2006): on a margin violation, move
    the true class towards the example and the strongest wrong class away, just
    enough. Returns the weights as one flat row-major array, feature i's class c
    at i * n_classes + c.

    This loop is most of a cold start, so it is written for numpy's per-call cost:
    one row per class (a class's update is then a 1-D fancy add on a contiguous
    row, several times cheaper than a column of a features x classes matrix) and
    one update vector for all four updates."""
    weights, summed = np.zeros((n_classes, n_features)), np.zeros((n_classes, n_features))
    examples = [(c, idx, val, 2 * float(val @ val)) for c, idx, val in examples]
    order = list(range(len(examples)))
    rng = random.Random(SEED)   # seeded: the same content always gives the same model
    step = 1
    for _ in range(EPOCHS):
        rng.shuffle(order)
        for i in order:
            c, idx, val, twice_norm2 = examples[i]
            scores = weights.take(idx, axis=1) @ val
            true_score = scores[c]
            scores[c] = -np.inf
            rival = int(scores.argmax())
            loss = 1.0 - (true_score - scores[rival])
            if loss > 0:
                update = min(AGGRESSIVENESS, loss / twice_norm2) * val
                weights[c][idx] += update        # idx has no repeats: one feature, one entry
                weights[rival][idx] -= update
                update *= step   # the averaging trick: w_avg = w - sum(step * update) / steps
                summed[c][idx] += update
                summed[rival][idx] -= update
            step += 1
    averaged = (weights - summed / step).T   # back to features x classes, as the classifier reads it
    flat = array("d")
    flat.frombytes(np.ascontiguousarray(averaged, dtype=np.float64).tobytes())
    return flat


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
