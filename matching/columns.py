"""Growable columnar arrays: one numpy array per field, amortised O(1) appends."""
from __future__ import annotations

import numpy as np


class Columns:
    """Named arrays sharing one row count; capacity doubles as rows are appended."""

    def __init__(self, spec: dict[str, tuple[np.dtype | type, tuple[int, ...], object]]) -> None:
        # spec: name -> (dtype, trailing shape, fill value for new rows)
        self._spec = spec
        self._n = 0
        self._data = {name: np.full((16, *shape), fill, dtype=dtype) for name, (dtype, shape, fill) in spec.items()}

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, name: str) -> np.ndarray:
        """A view of the live rows of one column."""
        return self._data[name][: self._n]

    def append(self, values: dict[str, object]) -> int:
        """Adds a row (unnamed fields get their fill value) and returns its number."""
        row = self._n
        self._reserve(row + 1)
        for name, value in values.items():
            self._data[name][row] = value
        self._n += 1
        return row

    def set(self, row: int, name: str, value: object) -> None:
        self._data[name][row] = value

    def take(self, rows: np.ndarray) -> None:
        """Keeps only `rows`, in that order (compaction after removals)."""
        n = len(rows)
        for name, arr in self._data.items():
            kept = arr[: self._n][rows]
            fresh = np.full((max(16, n), *arr.shape[1:]), self._spec[name][2], dtype=arr.dtype)
            fresh[:n] = kept
            self._data[name] = fresh
        self._n = n

    def _reserve(self, n: int) -> None:
        cap = len(next(iter(self._data.values())))
        if n <= cap:
            return
        while cap < n:
            cap *= 2
        for name, arr in self._data.items():
            grown = np.full((cap, *arr.shape[1:]), self._spec[name][2], dtype=arr.dtype)
            grown[: self._n] = arr[: self._n]
            self._data[name] = grown

    def nbytes(self) -> int:
        return sum(a.nbytes for a in self._data.values())
