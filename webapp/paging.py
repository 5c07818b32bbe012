"""Long lists one page at a time: the page asked for (`?page=`), checked, and what a page template shows.

Every paged list reads its page number with `page_number` and checks it with `check_page`, so a bad
number is a 400 and a page past the end a 404, each saying what was wrong.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from flask import abort
from flask_babel import gettext as _


@dataclass(frozen=True)
class Page:
    items: list[Any]
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def start(self) -> int:
        """The index of the page's first item in the whole list."""
        return (self.number - 1) * self.size


def page_number(args: Any) -> int:
    value = args.get("page", "1")
    if not (value.isascii() and value.isdigit()) or int(value) < 1:
        abort(400, description=_("The page must be a whole number from 1 up; got “%(value)s”.", value=value))
    return int(value)


def check_page(page: Page) -> None:
    if page.number > page.pages:
        abort(404, description=_("There is no page %(page)d: the last page is %(pages)d.",
                                 page=page.number, pages=page.pages))


def slice_of(items: list[Any], number: int, size: int) -> Page:
    """The page `number` of a list already in memory (404 past its end)."""
    page = Page([], number, size, len(items))
    check_page(page)
    return Page(items[page.start:page.start + size], number, size, len(items))
