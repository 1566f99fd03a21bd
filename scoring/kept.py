"""A few answers kept per process by a key that names everything they depend on, the least
recently used dropped first; safe to share between threads. What the key must hold, and so when
an answer is stale, is the caller's to say (results/round_entries.py, judges/console_review.py)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Kept(Generic[V]):
    def __init__(self, keep: int) -> None:
        self.keep = keep
        self._kept: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key: Hashable, make: Callable[[], V]) -> V:
        """The answer kept for `key`, else `make()`'s, kept (made outside the lock: two threads
        may both make it, and the answers are equal)."""
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
                return kept
        made = make()
        with self._lock:
            self._kept[key] = made
            while len(self._kept) > self.keep:
                self._kept.popitem(last=False)
        return made

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
