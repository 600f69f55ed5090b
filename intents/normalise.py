"""Text normalisation shared by training and classification.

Staff type on phones without å/ä/ö, with typos and abbreviations, so both the
training phrasings and the questions are folded to the same plain form:
lowercase, å/ä -> a, ö -> o (so "hänger" and "hanger" meet), punctuation
dropped, letters repeated three or more times squeezed ("hjäääälp"), and the
content's spelling map applied ("funkar" -> "fungerar", "ssk" -> "sjukskoterska").
"""
from __future__ import annotations

import re
import unicodedata

_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "æ": "a", "ø": "o", "é": "e", "è": "e", "ü": "u"})
# Letters NFKD does not take apart ("Đorđević", "Łukasz", "Weiß"), and so would be dropped as non-words.
_FOLD_MORE = str.maketrans({"đ": "d", "ł": "l", "ß": "ss", "þ": "th", "ð": "d", "ı": "i", "œ": "oe"})
_NON_WORD = re.compile(r"[^a-z0-9]+")
_REPEATS = re.compile(r"([a-z])\1{2,}")
# Questions are short; a 50 000-character paste is classified on its start.
MAX_CHARS = 500


def fold(text: str) -> str:
    """Lowercase, fold diacritics, keep letters and digits separated by single spaces."""
    text = unicodedata.normalize("NFKC", text[:MAX_CHARS]).lower().translate(_FOLD)
    if not text.isascii():
        # Other accents come off too, so that "Hodžić" is "hodzic", not "hod i" (names staff type).
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text.translate(_FOLD_MORE))
                       if not unicodedata.combining(ch))
    text = _NON_WORD.sub(" ", text)
    return _REPEATS.sub(r"\1", text).strip()


class Normaliser:
    """fold() plus the content's spelling map (one word to one or more words)."""

    def __init__(self, spelling: dict[str, str]):
        self._spelling = {fold(k): fold(v) for k, v in spelling.items() if fold(k)}

    def tokens(self, text: str) -> list[str]:
        out: list[str] = []
        for word in fold(text).split():
            out.extend(self._spelling.get(word, word).split())
        return out
