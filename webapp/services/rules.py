"""What every service raises when a change breaks one of its rules, and the clock changes are stamped with.

Each service has its own subclass (`InterestRefused`, `CohortRefused`, ...), so a view
catches exactly the refusals of the service it calls; all carry the same three things:
`message` in the reader's language, `field` (the input at fault, or None when the rule is
about the records rather than what was typed) and, where an API needs one, a `code`.
"""
from __future__ import annotations

import datetime as dt


class Refused(Exception):
    """A change broke a rule and nothing was saved; `message` says which."""

    def __init__(self, message: str, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message, self.field, self.code = message, field, code


def now() -> dt.datetime:
    """The current moment, timezone-aware in UTC, as every timestamp column stores it."""
    return dt.datetime.now(dt.timezone.utc)
