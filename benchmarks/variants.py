"""Variants of a benchmark question, the way people actually type it.

Each held-out question is also asked
- wrapped in a greeting and a thank-you, in every wrapper of its language
  (a greeting must not outvote the question),
- in CAPITALS,
- with one typo: a seeded random edit (swap, drop, double or a neighbouring
  key) in one word of four or more letters.

Everything is deterministic: the same question and seed give the same typo on
every machine (random.Random seeded with a string does not depend on
PYTHONHASHSEED).
"""
from __future__ import annotations

import random
import re

# Written as staff write in the messenger; "{q}" is the question. Not taken from
# content/: these test the classifier's word lists, so they must not be copies of them.
GREETING_WRAPPERS: dict[str, tuple[str, ...]] = {
    "sv": (
        "hej!! {q} tack",
        "Hej! {q} Tack så mycket",
        "god morgon! {q} mvh",
        "hejsan, {q} tack på förhand 🙏",
        "hallå! {q} tack 😊",
        "tjena, {q} tack för hjälpen",
        "hej hej 👋 {q} tusen tack!",
    ),
    "en": (
        "Hello, {q} thanks a lot 🙏",
        "hi! {q} thanks",
        "good morning, {q} thank you",
        "hey there 👋 {q} cheers",
        "hi, {q} thanks in advance",
        "Hello!! {q} thx",
        "good evening, {q} thank you so much!",
    ),
}

# A probe of how the classifier copes with politeness it has no list for: written
# after content/social.yaml, with words that are not in it. Never add these words
# to social.yaml (that would only hide what this measures); write new ones instead.
UNLISTED_WRAPPERS: dict[str, tuple[str, ...]] = {
    "sv": (
        "Hejhej! {q} Tack på förhand /Lisa",
        "hallåjsan {q} tackar så mycket",
        "Goddagens! {q} Tackar ödmjukast",
        "hej allihopa, {q} tack o hej",
    ),
    "en": (
        "Hi team, {q} Thanks, Sam",
        "Morning! {q} ta",
        "Hey folks {q} much appreciated",
        "Hiya, {q} thanks heaps",
    ),
}

# A Swedish phone keyboard, row by row; neighbours are the keys next to a key on
# its row and the two touching it on the rows above and below.
_KEY_ROWS = ("qwertyuiopå", "asdfghjklöä", "zxcvbnm")
_WORD = re.compile(r"[^\W\d_]{4,}")
TYPO_KINDS = ("swap", "drop", "double", "neighbour")


def _neighbours() -> dict[str, str]:
    where = {ch: (r, c) for r, row in enumerate(_KEY_ROWS) for c, ch in enumerate(row)}
    out = {}
    for ch, (r, c) in where.items():
        near = [(r, c - 1), (r, c + 1), (r - 1, c), (r - 1, c + 1), (r + 1, c - 1), (r + 1, c)]
        out[ch] = "".join(_KEY_ROWS[rr][cc] for rr, cc in near
                          if 0 <= rr < len(_KEY_ROWS) and 0 <= cc < len(_KEY_ROWS[rr]))
    return out


NEIGHBOURS = _neighbours()


def wrapped(text: str, lang: str, wrappers: dict[str, tuple[str, ...]] = GREETING_WRAPPERS) -> list[str]:
    """The question in every greeting wrapper of its language."""
    return [w.format(q=text) for w in wrappers.get(lang, wrappers["en"])]


def capitals(text: str) -> str:
    return text.upper()


def one_typo(text: str, seed: str) -> str:
    """`text` with one edit in one word of 4+ letters; unchanged when it has none."""
    rng = random.Random(seed)
    words = list(_WORD.finditer(text))
    if not words:
        return text
    match = rng.choice(words)
    word = match.group()
    i = rng.randrange(len(word))
    kind = rng.choice(TYPO_KINDS)
    if kind == "swap":
        i = min(i, len(word) - 2)
        if word[i].lower() == word[i + 1].lower():
            kind = "drop"  # swapping two equal letters would change nothing
        else:
            edited = word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == "neighbour":
        keys = NEIGHBOURS.get(word[i].lower())
        if keys:
            key = rng.choice(keys)
            edited = word[:i] + (key.upper() if word[i].isupper() else key) + word[i + 1:]
        else:
            kind = "drop"  # a letter off the keyboard (é): drop it instead
    if kind == "double":
        edited = word[:i + 1] + word[i] + word[i + 1:]
    if kind == "drop":
        edited = word[:i] + word[i + 1:]
    return text[:match.start()] + edited + text[match.end():]


def typos(text: str, seed: str, count: int) -> list[str]:
    """Up to `count` different one-typo variants of `text` (fewer when it has few letters to edit)."""
    found: list[str] = []
    for attempt in range(count * 4):
        variant = one_typo(text, f"{attempt}:{seed}")
        if variant != text and variant not in found:
            found.append(variant)
            if len(found) == count:
                break
    return found
