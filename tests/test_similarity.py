"""Text similarity of a few rows (the diversity pass): the same bits as scipy's sparse product."""
from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
import scipy.sparse as sp

from fixtures.generate import generate_openings
from matching import Matcher
from matching.io import opening_from_record
from matching.postings import Postings


def _scipy_similarity(post: Postings, rows: np.ndarray) -> np.ndarray:
    """The former implementation: `m @ m.T` of the rows' tf vectors as a scipy CSR product."""
    vecs = [post.row(int(r)) for r in rows]
    m = sp.csr_array((np.concatenate([w for _, w in vecs]), np.concatenate([i for i, _ in vecs]),
                      np.concatenate([[0], np.cumsum([len(i) for i, _ in vecs])])), shape=(len(vecs), len(post.terms)))
    return (m @ m.T).toarray()


@pytest.fixture(scope="module")
def postings() -> Postings:
    records = itertools.islice(generate_openings(1200, 3), 1200)
    openings = [opening_from_record(r) for r in records]
    matcher = Matcher().fit(openings[:1000])
    for o in openings[1000:]:
        matcher.add(o)  # a tail of unmerged rows as well
    assert matcher.index.text.tail_size() > 0
    return matcher.index.text


@pytest.mark.parametrize("size", [1, 2, 10, 50, 200])
def test_similarity_has_the_bits_of_the_sparse_product(postings, size):
    rng = random.Random(size)
    for _ in range(30):
        rows = np.array([rng.randrange(postings.n_rows) for _ in range(size)])  # repeats too
        got, want = postings.similarity(rows), _scipy_similarity(postings, rows)
        assert got.dtype == want.dtype and np.array_equal(got, want)


def test_similarity_of_rows_with_terms_out_of_order_falls_back_to_the_sparse_product(postings):
    ids, weights = postings.row(7)
    postings._tail.append((ids[::-1].copy(), weights[::-1].copy()))
    try:
        rows = np.array([7, postings.n_rows - 1, 3])
        assert np.array_equal(postings.similarity(rows), _scipy_similarity(postings, rows))
    finally:
        postings._tail.pop()
