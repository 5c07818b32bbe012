"""Character n-gram index of the vocabulary: the near words of an unknown word, fast.

A youth's word the openings never used (an inflected form, a compound, a typo) stands
for the known terms whose n-gram sets are close to its own: Dice 2k / (|A| + |B|) >= t,
k the grams they share. Comparing it with every term sharing a gram, recomputing each
term's grams, cost milliseconds per word and grew with the vocabulary. Here each term's
gram-set size is kept in an array when it is added, each gram's postings (term ids) are
sorted by that size, and two filters bound what is read (both exact: a term they skip
could not reach t):

- sizes: only terms of the sizes b that can reach t at all, 2 min(a, b) / (a + b) >= t;
- prefix: with the word's grams ranked rarest first, a term whose rarest shared gram has
  rank r shares at most a - r grams, so that gram's postings are read only for the sizes
  b where a - r shared grams can still reach t. The common grams ("ja#", "aja") are read
  for few sizes or none, and the candidates are the few terms of the rare grams' postings.

The candidates' overlaps are then counted exactly from each term's own gram ids (kept in
a term -> grams array, so no term's grams are computed again). Terms added since the
last `fold` wait in a small dict (gram -> term ids) and are compared in full; `fold`
(run by every merge of the postings) sorts them into the arrays.
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
        # main: gram g's postings are tids[indptr[g]:indptr[g + 1]], their sizes psizes[...] ascending
        self._main = (np.zeros(1, np.int64), np.zeros(0, np.int32), np.zeros(0, np.int32))
        # term -> gram ids of the terms in main: term t's are gids[starts[t]:starts[t + 1]]
        self._own = (np.zeros(1, np.int64), np.zeros(0, np.int32))
        self._tail: dict[int, list[int]] = {}  # gram id -> term ids added since the last fold
        self._tail_own: list[list[int]] = []  # the gram ids of each term added since the last fold

    def add(self, tid: int, grams: Iterable[str]) -> None:
        """Indexes the next term (ids come in order 0, 1, 2, ...) under its distinct grams."""
        if tid != self.n_terms:
            raise ValueError(f"term ids are added in order: expected {self.n_terms}, got {tid}")
        distinct = set(grams)
        if tid >= len(self.sizes):
            self.sizes = np.concatenate([self.sizes, np.zeros(len(self.sizes), dtype=np.int32)])
        self.sizes[tid] = len(distinct)
        self.n_terms += 1
        own = [self._gid.setdefault(g, len(self._gid)) for g in distinct]
        for gid in own:
            self._tail.setdefault(gid, []).append(tid)
        self._tail_own.append(own)

    def fold(self) -> None:
        """Moves the terms added since the last fold into the sorted arrays."""
        if not self._tail:
            return
        indptr, tids, psizes = self._main
        tail, self._tail = self._tail, {}
        tail_own, self._tail_own = self._tail_own, []
        starts, gids = self._own
        own_lengths = np.fromiter(map(len, tail_own), dtype=np.int64, count=len(tail_own))
        self._own = (np.concatenate([starts, starts[-1] + np.cumsum(own_lengths)]),
                     np.concatenate([gids, np.fromiter((g for own in tail_own for g in own), dtype=np.int32,
                                                       count=int(own_lengths.sum()))]))
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
        found_t, found_k = self._count_main(gids, a, lo, hi, threshold)
        if self._tail:
            tail_t, tail_k = self._count_tail(gids, lo, hi)
            found_t, found_k = np.concatenate([found_t, tail_t]), np.concatenate([found_k, tail_k])
        sims = 2.0 * found_k / (a + self.sizes[found_t].astype(np.int64))
        keep = sims >= threshold
        return found_t[keep], sims[keep]

    def _count_main(self, gids: list[int], a: int, lo: int, hi: int, threshold: float
                    ) -> tuple[np.ndarray, np.ndarray]:
        """The terms in the sorted arrays that can reach the threshold, and the grams each
        shares with the word (a grams, `gids` those in the index)."""
        indptr, tids, psizes = self._main
        present = sorted((g for g in gids if g + 1 < len(indptr)), key=lambda g: indptr[g + 1] - indptr[g])
        spans = []
        for rank, gid in enumerate(present, start=a - len(present)):  # grams no term in main has rank first
            top = min(hi, _largest_size(a - rank, a, threshold))  # at most a - rank grams shared from here on
            if top < lo:
                break  # and fewer for every later gram
            start, end = int(indptr[gid]), int(indptr[gid + 1])
            sizes = psizes[start:end]
            first, last = np.searchsorted(sizes, lo, "left"), np.searchsorted(sizes, top, "right")
            if last > first:
                spans.append(tids[start + first : start + last])
        if not spans:
            return np.zeros(0, np.int32), np.zeros(0, np.int64)
        hits = np.sort(np.concatenate(spans))
        found = hits[np.concatenate([[True], hits[1:] != hits[:-1]])]
        starts, own = self._own
        begin = starts[found]
        lengths = starts[found + 1] - begin
        ends = np.cumsum(lengths)
        idx = np.arange(ends[-1]) + np.repeat(begin - (ends - lengths), lengths)
        mine = np.zeros(len(indptr) - 1, dtype=np.bool_)
        mine[present] = True
        shared = np.concatenate([[0], np.cumsum(mine[own[idx]])])
        return found, (shared[ends] - shared[ends - lengths]).astype(np.int64)

    def _count_tail(self, gids: list[int], lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
        """The terms added since the last fold that share grams with the word, and how many (few terms: a dict)."""
        shared: Counter[int] = Counter()
        for gid in gids:
            shared.update(self._tail.get(gid, ()))
        pairs = [(t, k) for t, k in shared.items() if lo <= self.sizes[t] <= hi]
        return (np.array([t for t, _ in pairs], dtype=np.int32), np.array([k for _, k in pairs], dtype=np.int64))

    def nbytes(self) -> int:
        return self.sizes.nbytes + sum(a.nbytes for a in (*self._main, *self._own))


def _largest_size(shared: int, a: int, threshold: float) -> int:
    """The largest gram-set size b for which `shared` grams in common with a word of a grams
    reach the threshold: 2.0 * shared / (a + b) >= threshold (the exact expression; 0 < t <= 1)."""
    if threshold <= 0:
        return _LARGEST
    b = min(int(2.0 * shared / threshold) - a, _LARGEST)  # near it; the loops make it exact
    while b < _LARGEST and 2.0 * shared / (a + b + 1) >= threshold:
        b += 1
    while b >= 0 and 2.0 * shared / (a + b) < threshold:
        b -= 1
    return b


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
