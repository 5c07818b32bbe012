"""What each worker process keeps, and the versions that say when to drop it.

Every worker keeps values made from the database: the matcher and each youth's matches
(`engine`), the directory's searches and filter choices (`catalogue`), the weights each
region scores with (`weights_service`). One row holds a version for each kind of source
(`models.Versions`), raised in the same transaction as any change to it. A request reads
that row once (`current`) and a `VersionCache` drops its values when its version moves,
so a kept value is never older than what the request itself would read.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from cachetools import LRUCache
from flask import g

from ..db import get_session
from ..models import Versions, versions

T = TypeVar("T")


def current() -> Versions:
    """The versions as this request (or CLI command) reads them: one query, then kept on `g`."""
    if "polku_versions" not in g:
        g.polku_versions = versions(get_session())
    return g.polku_versions


class VersionCache:
    """Values kept until their version moves (then all are dropped).

    `get(version, key, make)` answers the value kept for `key` at `version`, or makes it.
    A request that read an older version than the cache holds (a snapshot taken just
    before a change) gets a value made from its own snapshot, not kept. At most `size`
    keys, the least recently used dropped first; a size of 0 keeps nothing. Thread-safe;
    `make` runs outside the lock, so other threads go on meanwhile.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.version = -1
        self._values: LRUCache[Hashable, Any] | None = LRUCache(size) if size > 0 else None
        self._lock = threading.Lock()

    def get(self, version: int, key: Hashable, make: Callable[[], T]) -> T:
        if self._values is None:
            return make()
        with self._lock:
            if version > self.version:
                self._values.clear()
                self.version = version
            elif version == self.version and key in self._values:
                return self._values[key]  # cachetools marks it as used
        value = make()
        with self._lock:
            if version == self.version:
                self._values[key] = value
        return value

    def __len__(self) -> int:
        return len(self._values) if self._values is not None else 0
