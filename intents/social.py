"""Greetings, thanks, sign-offs and fillers: the words of a message that ask nothing.

Staff write "hej!! tes funkar inte tack". Counted as features, "hej" and
"tack" pull towards `help` as hard as "tes funkar inte" pulls towards
`outage_now`, and a short question loses. So the classifier finds these words
first (content/social.yaml), classifies the rest without the ones that are
only politeness, and calls a message made of nothing else a social message.
"""
from __future__ import annotations

from dataclasses import dataclass

from intents.normalise import Normaliser


@dataclass(frozen=True)
class SocialSplit:
    social: tuple[bool, ...]  # per word: is it part of a social entry?
    keep: tuple[bool, ...]    # per word: does it count for the intent? (all but the stripped kinds)
    kinds: tuple[str, ...]    # the social kinds found, each once, in the content file's order

    @property
    def only_social(self) -> bool:
        return bool(self.social) and all(self.social)


class SocialWords:
    """Finds the entries of content/social.yaml in a list of normalised words."""

    def __init__(self, kinds: dict[str, dict], normaliser: Normaliser):
        """`kinds`: kind -> {"strip": bool, "words": [entries]}, in the content file's order."""
        self._order = list(kinds)
        self._strip = {kind for kind, entry in kinds.items() if entry["strip"]}
        self._entries: dict[tuple[str, ...], str] = {}
        for kind, entry in kinds.items():
            for text in entry["words"]:
                tokens = tuple(normaliser.tokens(text))
                if tokens:
                    self._entries.setdefault(tokens, kind)
        self._longest = max(map(len, self._entries), default=0)
        self.words = frozenset(word for entry in self._entries for word in entry)

    def split(self, words: list[str]) -> SocialSplit:
        """Greedy, longest entry first: "tack så mycket" is one thanks, not "tack" and two words."""
        social, keep, found = [False] * len(words), [True] * len(words), set()
        i = 0
        while i < len(words):
            for n in range(min(self._longest, len(words) - i), 0, -1):
                kind = self._entries.get(tuple(words[i:i + n]))
                if kind is not None:
                    found.add(kind)
                    social[i:i + n] = [True] * n
                    if kind in self._strip:
                        keep[i:i + n] = [False] * n
                    i += n
                    break
            else:
                i += 1
        kinds = tuple(kind for kind in self._order if kind in found)
        return SocialSplit(social=tuple(social), keep=tuple(keep), kinds=kinds)
