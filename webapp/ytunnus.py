"""The Finnish business ID (Y-tunnus): seven digits, a hyphen and a check digit.

The check digit: weights 7, 9, 10, 5, 8, 4, 2 on the seven digits; remainder 0 of the
sum modulo 11 gives 0, remainder 1 is never issued, any other gives 11 - remainder.

>>> check_digit("0737546")
2
>>> is_valid("0737546-2")
True
"""
from __future__ import annotations

import re

WEIGHTS = (7, 9, 10, 5, 8, 4, 2)
EXAMPLE = "1234567-1"  # what hints show: its check digit is right, so the form takes its own example
_FORMAT = re.compile(r"^[0-9]{7}-[0-9]$")


class BusinessIdError(ValueError):
    """A Y-tunnus that is malformed or whose check digit is wrong."""


def check_digit(digits: str) -> int | None:
    """The check digit of seven digits, or None when no valid ID has them (remainder 1)."""
    if len(digits) != 7 or not digits.isascii() or not digits.isdigit():
        raise BusinessIdError(f"expected seven digits, got {digits!r}")
    remainder = sum(w * int(d) for w, d in zip(WEIGHTS, digits)) % 11
    if remainder == 1:
        return None
    return 0 if remainder == 0 else 11 - remainder


def validate(value: str) -> str:
    """The ID with surrounding spaces removed; raises BusinessIdError saying what is wrong."""
    text = value.strip()
    if not _FORMAT.match(text):
        raise BusinessIdError(f"a Y-tunnus looks like 1234567-8 (seven digits, a hyphen, a digit); got {value!r}")
    expected = check_digit(text[:7])
    if expected is None:
        raise BusinessIdError(f"{text} cannot be a Y-tunnus: no check digit exists for {text[:7]}")
    if int(text[8]) != expected:
        raise BusinessIdError(f"{text} has the wrong check digit: expected {text[:7]}-{expected}")
    return text


def is_valid(value: str) -> bool:
    try:
        validate(value)
    except BusinessIdError:
        return False
    return True


def make(number: int) -> str:
    """A valid Y-tunnus from `number` or the next number above it that has one (demo data)."""
    while True:
        digits = f"{number % 10_000_000:07d}"
        digit = check_digit(digits)
        if digit is not None:
            return f"{digits}-{digit}"
        number += 1
