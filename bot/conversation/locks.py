"""Turns of one conversation run one at a time.

Two quick messages must not both read the same dialog state. Striped locks:
bounded memory, and two conversations rarely share a stripe.
"""
from __future__ import annotations

import threading
import zlib
from contextlib import ExitStack, contextmanager

LOCK_STRIPES = 64


class ConversationLocks:
    def __init__(self, stripes: int = LOCK_STRIPES):
        self._locks = [threading.Lock() for _ in range(stripes)]

    def __call__(self, key: str) -> threading.Lock:
        return self._locks[self._stripe(key)]

    def _stripe(self, key: str) -> int:
        return zlib.crc32(key.encode("utf-8")) % len(self._locks)

    @contextmanager
    def holding(self, *keys: str):
        """Several conversations' locks at once (moving state from one to another).

        Each stripe once, since two keys may share one and a Lock cannot be taken
        twice; in stripe order, so that two callers can never deadlock.
        """
        with ExitStack() as stack:
            for stripe in sorted({self._stripe(key) for key in keys}):
                stack.enter_context(self._locks[stripe])
            yield
