"""The youths' lists of matches a process keeps, and kept across catalogue changes that cannot touch them.

A list is kept with the catalogue version of the matcher that made it and what it was chosen from
(`matching.Ranked`: the pool of top openings, the pool's lowest score, the youth's text query).
When the matcher has moved on, the list is served again only if no opening changed since is in its
pool, none of them now scores into the pool for this youth, and the youth's query is the same (the
document frequencies its term weights follow did not move): then a fresh match would give the very
same list. Otherwise it is made afresh. So a place taken in one opening, or a new opening nowhere
near a youth's interests, leaves that youth's list kept; publishing or closing an opening moves
every text query's weights (the document count), so lists with interest text are made again then.

The engine tells the cache which openings each version changed (`changed`), and that nothing older
is known after a full rebuild (`restart`). Thread-safe; making a list runs outside the lock.
"""
from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from cachetools import LRUCache

from matching import Matcher
from matching.explain import Match
from matching.matcher import Ranked
from matching.model import Youth

CHANGE_LOG_SIZE = 10_000  # versions whose changed openings are remembered


@dataclass
class _Entry:
    version: int
    ranked: Ranked


class KeptMatches:
    """Lists of matches by key (settings, youth, k, language, day), checked against the changes since."""

    def __init__(self, size: int, log_size: int = CHANGE_LOG_SIZE) -> None:
        self.size = size
        self._values: LRUCache[Hashable, _Entry] | None = LRUCache(size) if size > 0 else None
        self._log: deque[tuple[int, frozenset[str]]] = deque(maxlen=log_size)
        self._floor = -1  # lists older than this version cannot be checked: made afresh
        self._lock = threading.Lock()
        self.hits = self.kept = self.made = 0  # served as made, served after a check, made

    def changed(self, version: int, refs: set[str]) -> None:
        """The matcher moved to `version`, changing the openings `refs`."""
        with self._lock:
            if len(self._log) == self._log.maxlen:
                self._floor = self._log[0][0]
            self._log.append((version, frozenset(refs)))

    def restart(self, version: int) -> None:
        """A new matcher built at `version`: no list made before it is served again."""
        with self._lock:
            self._log.clear()
            self._floor = version
            if self._values is not None:
                self._values.clear()

    def get(self, matcher: Matcher, version: int, key: Hashable, youth: Youth,
            make: Callable[[], Ranked]) -> list[Match]:
        """The list kept for `key` if it still holds at `version` (of `matcher`'s index), else `make()`'s."""
        if self._values is None:
            return make().matches
        with self._lock:
            entry = self._values.get(key)
            changed = self._changed_since(entry.version, version) if entry is not None else None
        if entry is not None and entry.version == version:
            self.hits += 1
            return entry.ranked.matches
        if entry is not None and changed is not None and self._still_holds(matcher, youth, entry.ranked, changed):
            with self._lock:
                if entry.version < version:
                    entry.version = version
            self.kept += 1
            return entry.ranked.matches
        ranked = make()
        self.made += 1
        with self._lock:
            if version >= self._floor:
                self._values[key] = _Entry(version, ranked)
        return ranked.matches

    def _changed_since(self, old: int, new: int) -> set[str] | None:
        """The openings changed after version `old` up to `new`; None if not known (caller holds the lock)."""
        if old < self._floor or old > new:
            return None
        out: set[str] = set()
        for version, refs in reversed(self._log):  # newest first: stop at the list's own version
            if version <= old:
                break
            if version <= new:
                out |= refs
        return out

    @staticmethod
    def _still_holds(matcher: Matcher, youth: Youth, ranked: Ranked, changed: set[str]) -> bool:
        if changed & ranked.pool:
            return False
        scores, query_key = matcher.scores_of(youth, changed)
        if query_key != ranked.query_key:
            return False
        return all(s is None or (ranked.floor is not None and s < ranked.floor) for s in scores.values())

    def __len__(self) -> int:
        return len(self._values) if self._values is not None else 0
