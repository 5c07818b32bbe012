"""The week's half-hour grid, shared by the parser (`schedule`) and the texts (`week_text`).

Bit ``day * SLOTS_PER_DAY + slot`` of a week mask is one half hour; keeping the grid
here lets both modules read it without importing each other.
"""
from __future__ import annotations

DAYS, SLOTS_PER_DAY = 7, 48
SLOTS = DAYS * SLOTS_PER_DAY


def bits(start: int, stop: int) -> int:
    """A mask with bits start..stop-1 set."""
    return ((1 << (stop - start)) - 1) << start
