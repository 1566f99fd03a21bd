"""A few answers kept per process by a key that names everything they depend on, the least
recently used dropped first; safe to share between threads. What the key must hold, and so when
an answer is stale, is the caller's to say (results/round_entries.py, judges/console_review.py)."""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, ClassVar, Generic, TypeVar

V = TypeVar("V")


class Kept(Generic[V]):
    #: every Kept of the process, so that a test can start from empty caches (`clear_all`)
    _all: ClassVar[weakref.WeakSet[Kept[Any]]] = weakref.WeakSet()

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self._kept: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()
        Kept._all.add(self)

    @classmethod
    def clear_all(cls) -> None:
        """Forget every kept answer of the process: tests whose stores are copies of one template
        share a database's address, a competition's creation time and its seqs, so an answer
        kept by one test could otherwise answer another's."""
        for kept in list(cls._all):
            kept.clear()

    def get_or_make(self, key: Hashable, make: Callable[[], V]) -> V:
        """The answer kept for `key`, else `make()`'s, kept (made outside the lock: two threads
        may both make it, and the answers are equal)."""
        kept = self.get_many([key])
        if key in kept:
            return kept[key]
        made = make()
        self.put_many({key: made})
        return made

    def get_many(self, keys: list[Hashable]) -> dict[Hashable, V]:
        """The answers kept for those of `keys` that have one (each now the most recently used)."""
        found: dict[Hashable, V] = {}
        with self._lock:
            for key in keys:
                kept = self._kept.get(key)
                if kept is not None:
                    self._kept.move_to_end(key)
                    found[key] = kept
        return found

    def put_many(self, made: dict[Hashable, V]) -> None:
        """Keep these answers (the least recently used dropped past `keep`)."""
        with self._lock:
            self._kept.update(made)
            for key in made:
                self._kept.move_to_end(key)
            while len(self._kept) > self.keep:
                self._kept.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
