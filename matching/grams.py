"""Character n-gram index of the vocabulary: the near words of an unknown word, fast.

A youth's word the openings never used (an inflected form, a compound, a typo) stands
for the known terms whose n-gram sets are close to its own: Dice 2k / (|A| + |B|) >= t,
k the grams they share. Comparing it with every term sharing a gram, recomputing each
term's grams, cost milliseconds per word and grew with the vocabulary. Here each term's
gram-set size is kept in an array when it is added, and each gram's postings (term ids)
are sorted by that size: the overlap k of every candidate is counted in one numpy pass
over the postings of the word's grams, and only over the sizes that can reach t at all
(2 min(|A|, |B|) / (|A| + |B|) >= t), so most postings of common grams are never read.

Terms added since the last `fold` wait in a small dict (gram -> term ids); `fold` (run
by every merge of the postings) sorts them into the arrays.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import numpy as np

_SHIFT = 32  # sort key: gram id in the high bits, gram-set size in the low ones
_LARGEST = int(np.iinfo(np.int32).max)  # sizes are int32


class GramIndex:
    """Gram -> term ids, each gram's postings ascending by the terms' gram-set sizes."""

    def __init__(self) -> None:
        self._gid: dict[str, int] = {}
        self.sizes = np.zeros(1024, dtype=np.int32)  # gram-set size of each term id
        self.n_terms = 0
        # main: gram g's postings are tids[indptr[g]:indptr[g + 1]], their sizes psizes[...] ascending;
        # one tuple, replaced whole, so a reader never sees the arrays of two versions
        self._main = (np.zeros(1, np.int64), np.zeros(0, np.int32), np.zeros(0, np.int32))
        self._tail: dict[int, list[int]] = {}  # gram id -> term ids added since the last fold

    def add(self, tid: int, grams: Iterable[str]) -> None:
        """Indexes the next term (ids come in order 0, 1, 2, ...) under its distinct grams."""
        if tid != self.n_terms:
            raise ValueError(f"term ids are added in order: expected {self.n_terms}, got {tid}")
        distinct = set(grams)
        if tid >= len(self.sizes):
            self.sizes = np.concatenate([self.sizes, np.zeros(len(self.sizes), dtype=np.int32)])
        self.sizes[tid] = len(distinct)
        self.n_terms += 1
        for g in distinct:
            gid = self._gid.setdefault(g, len(self._gid))
            self._tail.setdefault(gid, []).append(tid)

    def fold(self) -> None:
        """Moves the terms added since the last fold into the sorted arrays."""
        if not self._tail:
            return
        indptr, tids, psizes = self._main
        tail, self._tail = self._tail, {}
        lengths = np.fromiter((len(v) for v in tail.values()), dtype=np.int64, count=len(tail))
        new_g = np.repeat(np.fromiter(tail, dtype=np.int64, count=len(tail)), lengths)
        new_t = np.fromiter((t for v in tail.values() for t in v), dtype=np.int32, count=int(lengths.sum()))
        new_s = self.sizes[new_t]
        old_g = np.repeat(np.arange(len(indptr) - 1, dtype=np.int64), np.diff(indptr))
        key = np.concatenate([(old_g << _SHIFT) | psizes, (new_g << _SHIFT) | new_s])
        order = np.argsort(key, kind="stable")
        n_grams = len(self._gid)
        counts = np.bincount(np.concatenate([old_g, new_g]), minlength=n_grams)
        self._main = (np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
                      np.concatenate([tids, new_t])[order], np.concatenate([psizes, new_s])[order])

    def similar(self, grams: Iterable[str], threshold: float) -> tuple[np.ndarray, np.ndarray]:
        """(term ids, Dice similarities) of every term whose similarity is >= threshold, unordered.

        Similarities are computed as 2.0 * k / (|A| + |B|) in float64, the bits of the same
        expression in Python floats."""
        distinct = set(grams)
        gids = [gid for gid in map(self._gid.get, distinct) if gid is not None]
        a = len(distinct)
        lo, hi = size_window(a, threshold)
        if not gids or lo > hi:
            return np.zeros(0, np.int32), np.zeros(0)
        found_t, found_k = self._count_main(gids, lo, hi)
        if self._tail:
            tail_t, tail_k = self._count_tail(gids, lo, hi)
            found_t, found_k = np.concatenate([found_t, tail_t]), np.concatenate([found_k, tail_k])
        sims = 2.0 * found_k / (a + self.sizes[found_t].astype(np.int64))
        keep = sims >= threshold
        return found_t[keep], sims[keep]

    def _count_main(self, gids: list[int], lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
        """Terms of sizes lo..hi in the sorted arrays sharing grams with the word, and how many."""
        indptr, tids, psizes = self._main
        spans = []
        for gid in gids:
            if gid + 1 >= len(indptr):
                continue  # a gram only terms in the tail have
            start, end = int(indptr[gid]), int(indptr[gid + 1])
            sizes = psizes[start:end]
            first, last = np.searchsorted(sizes, lo, "left"), np.searchsorted(sizes, hi, "right")
            if last > first:
                spans.append(tids[start + first : start + last])
        if not spans:
            return np.zeros(0, np.int32), np.zeros(0, np.int64)
        hits = np.concatenate(spans)
        if len(hits) * 8 < self.n_terms:  # few postings: sorting them beats a count over every term
            distinct, times = np.unique(hits, return_counts=True)
            return distinct.astype(np.int32), times.astype(np.int64)
        counts = np.bincount(hits)
        found = np.flatnonzero(counts)
        return found.astype(np.int32), counts[found]

    def _count_tail(self, gids: list[int], lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
        shared: Counter[int] = Counter()
        for gid in gids:
            shared.update(self._tail.get(gid, ()))
        pairs = [(t, k) for t, k in shared.items() if lo <= self.sizes[t] <= hi]
        return (np.array([t for t, _ in pairs], dtype=np.int32), np.array([k for _, k in pairs], dtype=np.int64))

    def nbytes(self) -> int:
        return self.sizes.nbytes + sum(a.nbytes for a in self._main)


def size_window(a: int, threshold: float) -> tuple[int, int]:
    """The gram-set sizes b a term needs to reach the threshold with a word of a grams at all:
    those with 2.0 * min(a, b) / (a + b) >= threshold, an interval (empty: lo > hi).

    Computed with that very float expression, so a term it leaves out could never pass the
    exact test: its k <= min(a, b), and rounding keeps 2.0 * k / (a + b) <= the bound."""
    if threshold <= 0:
        return 0, _LARGEST
    if a == 0 or not threshold <= 1:  # no grams, or a threshold no similarity reaches (or NaN)
        return 1, 0

    def reaches(b: int) -> bool:
        return 2.0 * min(a, b) / (a + b) >= threshold

    lo = max(1, int(threshold * a / (2 - threshold)))  # near the bound; the loops make it exact
    while lo > 1 and reaches(lo - 1):
        lo -= 1
    while lo <= a and not reaches(lo):
        lo += 1
    hi = max(a, min(int((2 - threshold) * a / threshold), _LARGEST))
    while hi < _LARGEST and reaches(hi + 1):
        hi += 1
    while hi > a and not reaches(hi):
        hi -= 1
    return lo, min(hi, _LARGEST)
