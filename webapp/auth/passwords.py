"""Passwords: hashing, and refusing the ones anybody could guess (ASVS 2.1.7).

A new password must be `MIN_LENGTH` to `MAX_LENGTH` characters, 12 to 128 (ASVS 2.1.1,
2.1.2), and not easy to guess: zxcvbn (offline, with
its lists of common passwords, names, words and keyboard patterns) must rate it at least
`MIN_SCORE` of 4, taking the person's own e-mail address and name into account. So "aaaaaaaaaa",
"1234567890", "salasana123" and "aino2008" for Aino are refused, while a phrase of a few
unusual words passes. Only the first `CHECKED_LENGTH` characters are rated: zxcvbn's time
grows with the length (about 0.1 s at 40 characters of digits), and past that a password is
strong by its length alone.
"""
from __future__ import annotations

from collections.abc import Iterable

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

MIN_LENGTH = 12  # ASVS 2.1.1
MAX_LENGTH = 128  # ASVS 2.1.2; and hashing very long inputs is a cheap denial of service
# Sign-in and the other checks of an existing password take up to the old maximum: passwords chosen
# before the maximum came down to 128 had up to 200 characters, and their owners must still get in.
CHECK_MAX_LENGTH = 200
MIN_SCORE = 3  # zxcvbn: 3 = "safely unguessable", about 10^8 guesses
CHECKED_LENGTH = 40


def too_easy(password: str, personal: Iterable[str] = ()) -> bool:
    """Whether `password` is easy to guess, also given the person's own words (e-mail, name)."""
    words = [w for text in personal for w in _parts(text)]
    return int(zxcvbn(password[:CHECKED_LENGTH], user_inputs=words)["score"]) < MIN_SCORE


def _parts(text: str) -> list[str]:
    """An e-mail address or a name and its pieces ("aino.virtanen@x.fi": aino, virtanen, x.fi, ...)."""
    text = text.strip().lower()
    pieces = [text, *text.replace("@", " ").replace(".", " ").replace("-", " ").replace("_", " ").split()]
    return [p for p in pieces if p]


def hashed(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def matches(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)
