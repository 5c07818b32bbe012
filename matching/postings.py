"""Term postings of all openings' texts: the sparse side of the index.

Document vectors hold only sublinear term frequencies (L2-normalised); inverse
document frequency is applied on the query side at query time. That keeps each
stored row independent of the rest of the corpus, so adding, changing or removing
an opening touches only its own row and the document frequencies, and an index
built incrementally scores exactly like one built at once. Score = cosine of the
idf-weighted query and the document, in [0, 1].

Rows live in a compressed "main" part (CSR for rows, CSC for the postings a query
scans) plus a small "tail" of recent rows, merged into main when it grows.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .grams import GramIndex
from .text import Analyzer, sublinear_norm, tf_weights


K1, B = 1.2, 0.5  # BM25's term saturation and length normalisation (b below 0.75: postings are short)
PART_WEIGHT = 0.5  # a query term that is only a compound part weighs this much of a whole word
NEAR_WEIGHT = 0.5  # a known term's close spellings (character n-grams) weigh this much of it, times their likeness


@dataclass(frozen=True)
class TextQuery:
    """A youth's text as term ids and idf-weighted, normalised weights."""

    terms: np.ndarray  # int32 term ids
    weights: np.ndarray  # float64, L2 norm 1 (or empty)
    fuzzy: dict[int, str]  # expanded term id -> the youth's unknown term it stands for

    @property
    def empty(self) -> bool:
        return len(self.terms) == 0


class Postings:
    """Vocabulary, document frequencies and the doc-term matrix of all rows."""

    def __init__(self, analyzer: Analyzer, max_df: float = 0.5, fuzzy_min: float = 0.6) -> None:
        self.analyzer = analyzer
        self.max_df = max_df  # query terms in more than this share of openings are ignored
        self.fuzzy_min = fuzzy_min  # Dice similarity of char n-grams for an unknown term
        self.vocab: dict[str, int] = {}
        self.terms: list[str] = []
        self._df = np.zeros(1024, dtype=np.int64)
        self.grams = GramIndex()  # the vocabulary's character n-grams, for unknown query words
        self._near_cache: dict[str, list[tuple[int, float]]] = {}  # valid while no term is added
        self.n_docs = 0
        # main part, rows [0, main_rows)
        self.main_rows = 0
        self._csr = sp.csr_array(np.zeros((0, 0), dtype=np.float32))
        self._csc = sp.csc_array(np.zeros((0, 0), dtype=np.float32))
        # tail, rows [main_rows, ...)
        self._tail: list[tuple[np.ndarray, np.ndarray]] = []
        self._tail_csc: sp.csc_array | None = None
        # per row: its number of terms and the L2 norm of its sublinear tf (for BM25 at query time)
        self._length = np.zeros(0)
        self._norm = np.ones(0)
        self._total_length = 0.0
        self._pending: tuple[int, float] | None = None

    # ------------------------------------------------------------ building
    def vectorise(self, terms: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Term ids (new terms added to the vocabulary) and tf weights of a text's terms.

        The text's length and the norm of its weights are kept for the next `append`."""
        weights = tf_weights(terms)
        ids = np.fromiter((self._term_id(t) for t in weights), dtype=np.int32, count=len(weights))
        order = np.argsort(ids)
        self._pending = (len(terms), sublinear_norm(terms))
        return ids[order], np.fromiter(weights.values(), dtype=np.float32, count=len(weights))[order]

    def _term_id(self, term: str) -> int:
        tid = self.vocab.get(term)
        if tid is None:
            tid = self.vocab[term] = len(self.terms)
            self.terms.append(term)
            self._near_cache.clear()
            if tid >= len(self._df):
                self._df = np.concatenate([self._df, np.zeros(len(self._df), dtype=np.int64)])
            self.grams.add(tid, self.analyzer.grams(term))
        return tid

    def append(self, ids: np.ndarray, weights: np.ndarray) -> None:
        """Adds the next row (its length and norm from the `vectorise` that made it)."""
        length, norm = self._pending if self._pending is not None else (len(ids), 1.0)
        self._pending = None
        row = self.n_rows
        if row >= len(self._length):
            grow = max(len(self._length), 16)
            self._length = np.concatenate([self._length, np.zeros(grow)])
            self._norm = np.concatenate([self._norm, np.ones(grow)])
        self._length[row], self._norm[row] = length, norm
        self._total_length += length
        self._tail.append((ids, weights))
        self._tail_csc = None
        self._df[ids] += 1
        self.n_docs += 1

    def forget(self, row: int) -> None:
        """A row's document no longer counts (its postings stay until compaction)."""
        ids, _ = self.row(row)
        self._df[ids] -= 1
        self.n_docs -= 1
        self._total_length -= self._length[row]

    def row(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        if row >= self.main_rows:
            return self._tail[row - self.main_rows]
        start, end = self._csr.indptr[row], self._csr.indptr[row + 1]
        return self._csr.indices[start:end], self._csr.data[start:end]

    @property
    def n_rows(self) -> int:
        return self.main_rows + len(self._tail)

    def tail_size(self) -> int:
        return len(self._tail)

    def merge(self, keep: np.ndarray | None = None) -> None:
        """Folds the tail into main; with `keep`, only those rows survive, renumbered."""
        n_terms = len(self.terms)
        self.grams.fold()
        tail, self._tail, self._tail_csc = self._tail, [], None
        csr = self._csr_with_terms(n_terms)
        if tail:
            lengths = np.fromiter((len(i) for i, _ in tail), dtype=np.int64, count=len(tail))
            indptr = np.concatenate([[0], np.cumsum(lengths)])
            indices = np.concatenate([i for i, _ in tail]) if indptr[-1] else np.zeros(0, np.int32)
            data = np.concatenate([w for _, w in tail]).astype(np.float32, copy=False) if indptr[-1] \
                else np.zeros(0, np.float32)
            rows = len(tail)
            del tail  # the per-row arrays go now, before the matrices are built
            added = sp.csr_array((data, indices, indptr), shape=(rows, n_terms))
            csr = added if self.main_rows == 0 else sp.vstack([csr, added], format="csr")
        if keep is not None:
            csr = csr[keep]
            self._length, self._norm = self._length[keep], self._norm[keep]
        self._csr = csr  # a new matrix, float32 as main and the tail's data above are
        self._csr.indices = self._csr.indices.astype(np.int32, copy=False)
        self._csc = self._csr.tocsc()
        self._csc.indices = self._csc.indices.astype(np.int32, copy=False)  # row ids fit: halves the postings
        self.main_rows = self._csr.shape[0]

    def _csr_with_terms(self, n_terms: int) -> sp.csr_array:
        m = self._csr
        return sp.csr_array((m.data, m.indices, m.indptr), shape=(self.main_rows, n_terms))

    # ------------------------------------------------------------ querying
    def idf(self, ids: np.ndarray) -> np.ndarray:
        n = max(self.n_docs, 0)
        return np.log((1.0 + n) / (1.0 + self._df[ids])) + 1.0

    def query(self, text: str) -> TextQuery:
        """The youth's terms as a weighted query; unknown terms expand to close known ones."""
        return self.query_terms(self.analyzer.terms(text))

    def query_terms(self, terms: list[str], parts: frozenset[str] = frozenset(), *,
                    common: bool = False) -> TextQuery:
        """`query` of a text already analysed (by this index's analyzer). Terms in `parts`
        stood only as compound parts: they weigh PART_WEIGHT of a whole word, so a part
        ("leikkaaja" of "kaasuleikkaaja") never outweighs the word the youth wrote. `common`
        keeps terms found in most openings (a search word must match even when it is common).
        Character n-grams are fused with the words, not used instead of them: an unknown term
        stands for its close known terms, and a known one also brings its close spellings at
        NEAR_WEIGHT when they begin alike ("helping" -> help, and helper at half its likeness;
        not a compound of another head: "kaasuleikkaaja" never brings "ruohonleikkaaja")."""
        counts = Counter(terms)
        weights: dict[int, float] = {}
        fuzzy: dict[int, str] = {}
        limit = self.n_docs if common else self.max_df * self.n_docs
        for term, count in counts.items():
            tf = (1.0 + np.log(count)) * (PART_WEIGHT if term in parts else 1.0)
            tid = self.vocab.get(term)
            if tid is not None and self._df[tid] > 0:
                if self._df[tid] <= limit or self.n_docs < 20:
                    weights[tid] = weights.get(tid, 0.0) + tf
                    for near, sim in self._near(term):  # close spellings, fused below the word itself
                        # of the same beginning: "help" -> "helper", not "kaasuleikkaaja" -> "ruohonleikkaaja"
                        if near != tid and near not in weights and self._df[near] <= limit \
                                and self.terms[near][:3] == term[:3]:
                            fuzzy[near] = term
                            weights[near] = tf * sim * NEAR_WEIGHT
                continue
            for near, sim in self._near(term):
                if near not in weights:
                    fuzzy[near] = term
                weights[near] = weights.get(near, 0.0) + tf * sim
        if not weights:
            return TextQuery(np.zeros(0, np.int32), np.zeros(0), {})
        ids = np.fromiter(weights, dtype=np.int32, count=len(weights))
        w = np.fromiter(weights.values(), dtype=np.float64, count=len(weights)) * self.idf(ids)
        return TextQuery(ids, w / np.linalg.norm(w), fuzzy)

    def _near(self, term: str, top: int = 3) -> list[tuple[int, float]]:
        """Known terms whose character n-grams are close to an unknown term's (Dice)."""
        near = self._near_cache.get(term)
        if near is None:
            near = self._near_cache[term] = self._similar_terms(term)
        return [(tid, sim) for tid, sim in near if self._df[tid] > 0][:top]

    def _similar_terms(self, term: str) -> list[tuple[int, float]]:
        """Every vocabulary term within the fuzzy threshold, best first (cached by _near).

        Dice similarity of the terms' sets of n-grams (`analyzer.grams`): 2k / (|A| + |B|),
        k the grams they share; ties by term, not id, as ids depend on history."""
        tids, sims = self.grams.similar(self.analyzer.grams(term), self.fuzzy_min)
        out = list(zip(tids.tolist(), sims.tolist()))
        out.sort(key=lambda p: (-p[1], self.terms[p[0]]))
        return out

    def mean_length(self) -> float:
        """The rows' mean text length, BM25's yardstick: every row's text score moves with it."""
        return max(self._total_length / self.n_docs if self.n_docs > 0 else 1.0, 1.0)

    def scores(self, q: TextQuery) -> np.ndarray:
        """BM25 of the query with every row, scaled to [0, 1) (0 for rows sharing no term), float64.

        Each shared term adds its query weight (idf x tf, the weights summing to one) times
        the row's saturated term frequency tf / (tf + k1 (1 - b + b len / mean len)), tf the
        sublinear count: a term said twice is not twice the evidence, and a long text is not
        outscored by a short one for holding more words besides."""
        out = np.zeros(self.n_rows)
        if q.empty:
            return out
        n, m = self.n_rows, self.main_rows
        mean = self.mean_length()
        qn = TextQuery(q.terms, q.weights / float(np.sum(q.weights)), q.fuzzy)
        out[:m] = _scan(self._csc, qn, m, self._norm[:m], self._length[:m] / mean)
        if self._tail:
            if self._tail_csc is None:
                self._tail_csc = self._build_tail_csc()
            out[m:] = _scan(self._tail_csc, qn, n - m, self._norm[m:n], self._length[m:n] / mean)
        return out

    def _build_tail_csc(self) -> sp.csc_array:
        lengths = [len(i) for i, _ in self._tail]
        rows = np.repeat(np.arange(len(self._tail)), lengths)
        cols = np.concatenate([i for i, _ in self._tail]) if rows.size else np.zeros(0, np.int32)
        data = np.concatenate([w for _, w in self._tail]) if rows.size else np.zeros(0, np.float32)
        return sp.csc_array((data, (rows, cols)), shape=(len(self._tail), len(self.terms)))

    def similarity(self, rows: np.ndarray) -> np.ndarray:
        """Cosine between the given rows' texts (tf vectors), a small dense matrix.

        The same float32 sums as the sparse product `m @ m.T` of the rows (see `_pair_sums`),
        without building scipy matrices: their constructors' checks cost far more than the product."""
        owner, terms, data = self._entries(np.asarray(rows, dtype=np.int64))
        if not _ascending_per_row(owner, terms):
            return _sparse_similarity(owner, terms, data, len(rows), len(self.terms))
        return _pair_sums(owner, terms, data, len(rows))

    def _entries(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The rows' postings concatenated: (position in `rows`, term id, weight) per entry."""
        if rows.size and rows.max() < self.main_rows:  # all in main: one gather from the CSR arrays
            starts = self._csr.indptr[rows]
            lengths = self._csr.indptr[rows + 1] - starts
            idx = np.arange(lengths.sum()) + np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
            terms, data = self._csr.indices[idx], self._csr.data[idx]
        else:
            vecs = [self.row(int(r)) for r in rows]
            lengths = np.fromiter((len(i) for i, _ in vecs), dtype=np.int64, count=len(vecs))
            terms = np.concatenate([i for i, _ in vecs]) if vecs else np.zeros(0, np.int32)
            data = np.concatenate([w for _, w in vecs]) if vecs else np.zeros(0)
        return np.repeat(np.arange(len(rows)), lengths), terms, data

    def nbytes(self) -> int:
        main = sum(a.nbytes for m in (self._csr, self._csc) for a in (m.data, m.indices, m.indptr))
        return main + self._df.nbytes + self.grams.nbytes() + sum(i.nbytes + w.nbytes for i, w in self._tail)


def _scan(csc: sp.csc_array, q: TextQuery, n_rows: int, norm: np.ndarray, relative_length: np.ndarray) -> np.ndarray:
    """Accumulates query weight x saturated document tf over the postings of the query terms."""
    n_terms = csc.shape[1]
    keep = q.terms < n_terms
    terms, weights = q.terms[keep], q.weights[keep]
    if terms.size == 0:
        return np.zeros(n_rows)
    starts, ends = csc.indptr[terms], csc.indptr[terms + 1]
    lengths = ends - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(n_rows)
    # gather all postings of the query terms in one vectorised step
    offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
    idx = np.arange(total) + offsets
    rows = csc.indices[idx]
    tf = csc.data[idx] * norm[rows]
    contrib = np.repeat(weights, lengths) * tf / (tf + K1 * (1.0 - B + B * relative_length[rows]))
    return np.bincount(rows, weights=contrib, minlength=n_rows)


def _sparse_similarity(owner: np.ndarray, terms: np.ndarray, data: np.ndarray, n: int, n_terms: int) -> np.ndarray:
    """`m @ m.T` of the rows as a scipy sparse product (any order of terms within a row)."""
    indptr = np.concatenate([[0], np.cumsum(np.bincount(owner, minlength=n))])
    m = sp.csr_array((data, terms, indptr), shape=(n, n_terms))
    return (m @ m.T).toarray()


def _ascending_per_row(owner: np.ndarray, terms: np.ndarray) -> bool:
    """Whether each row's term ids are strictly increasing (as `vectorise` and `merge` store them)."""
    return bool(np.all((terms[1:] > terms[:-1]) | (owner[1:] != owner[:-1])))


def _pair_sums(owner: np.ndarray, terms: np.ndarray, data: np.ndarray, n: int) -> np.ndarray:
    """out[i, j] = sum over shared terms of data_i * data_j, summed exactly as scipy sums `m @ m.T`.

    scipy (csr_matmat) adds row i's products into a zeroed accumulator of the data's dtype,
    term by term in row i's stored order: with terms ascending in every row, ascending term
    id for every pair (i, j), and the same products for (j, i). Here the products come term
    by term and `np.add.at` adds them one by one in that order, in the same dtype, so every
    sum has the same bits (a dense or BLAS product would add in another order)."""
    order = np.argsort(terms.astype(np.int64) * n + owner)  # by term, and by row within a term
    terms, owner, data = terms[order], owner[order], data[order]
    starts = np.flatnonzero(np.concatenate([[True], terms[1:] != terms[:-1]]))
    sizes = np.diff(np.append(starts, len(terms)))
    # pairs (a, b), a <= b, of entries sharing a term: entry a pairs with itself and the rest of its group
    pos = np.arange(len(terms))
    count = np.repeat(starts + sizes, sizes) - pos
    right = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count - pos, count)
    upper = np.zeros(n * n, dtype=data.dtype)
    np.add.at(upper, np.repeat(owner * n, count) + owner[right], np.repeat(data, count) * data[right])
    upper = upper.reshape(n, n)
    return upper + np.triu(upper, 1).T  # adding zeros: the lower half is the upper one, bit for bit
