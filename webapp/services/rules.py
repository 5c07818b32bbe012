"""What every service raises when a change breaks one of its rules.

Each service has its own subclass (`InterestRefused`, `CohortRefused`, ...), so a view
catches exactly the refusals of the service it calls; all carry the same things:
`message` in the reader's language, `field` (the input at fault, or None when the rule is
about the records rather than what was typed), where an API needs one a `code`, and
`errors`, every field at fault with its message (a form can break several rules at once:
`Refused.about({...})`).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Self


class Refused(Exception):
    """A change broke a rule and nothing was saved; `message` says which."""

    def __init__(self, message: str, field: str | None = None, code: str | None = None, *,
                 more: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.message, self.field, self.code = message, field, code
        self._more = dict(more or {})

    @classmethod
    def about(cls, errors: Mapping[str, str]) -> Self:
        """One refusal naming several fields at once (field name -> message); at least one."""
        (field, message), *rest = errors.items()
        return cls(message, field, more=dict(rest))

    @property
    def errors(self) -> dict[str, str]:
        """Every field at fault with its message ("" for a rule about the records)."""
        return {self.field or "": self.message, **self._more}
