"""The directory's search and filters, shared by the public pages and the JSON API.

`parse_filters` reads a request's query arguments and raises `BadParameter` (naming
the argument, with a message in the current locale) on a value we cannot use; each
caller turns that into its own 400 (an HTML page, a JSON error). `open_openings`
builds the queries of the open openings matching the filters, newest first;
`open_opening_ids` gives their ids, and with a search text reads it as the matching
engine reads text (`matching.search`), best match first.

What is derived from all open openings (the ids a search finds, the filter choices)
is kept per process in a `versions.VersionCache` until the catalogue version moves: every
change to openings bumps it (`engine.versions.bump_catalogue`), so a cached value is never
older than the catalogue a request reads.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import Flask, current_app
from flask_babel import gettext as _
from sqlmodel import col, func, select

from matching import geo, texts, themes
from matching.model import Kind
from matching.search import search

from ..db import get_session
from ..engine import versions
from ..engine.matcher import get_matcher
from ..models import Opening
from ..states import OpeningStatus
from ..engine.versions import VersionCache

T = TypeVar("T")
_CACHE_KEY = "polku.catalogue_cache"
CACHE_SIZE = 256  # searches (and filter-choice languages) kept per catalogue version

MAX_QUERY = 200
REMOTE_CHOICES = ("yes", "no")
FILTER_NAMES = ("q", "municipality", "theme", "kind", "remote", "language")


class BadParameter(ValueError):
    """A query argument we cannot use: `field` is its name, `message` says what was expected."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Filters:
    q: str = ""
    municipality: str = ""  # Finnish name
    theme: str = ""
    kind: str = ""
    remote: str = ""  # "", "yes" or "no"
    language: str = ""

    def active(self) -> bool:
        return any(vars(self).values())

    def args(self) -> dict[str, str]:
        """The filters as query arguments, for links to other pages of the same search."""
        return {k: v for k, v in vars(self).items() if v}


def parse_filters(args: Any) -> Filters:
    """The filters of a request's query; raises BadParameter on a value we cannot use."""
    q = " ".join(args.get("q", "").split())
    if len(q) > MAX_QUERY:
        raise BadParameter("q", _("The search text is too long: at most %(n)d characters.", n=MAX_QUERY))
    municipality = args.get("municipality", "").strip()
    if municipality:
        try:
            municipality = geo.municipality(municipality).name_fi
        except geo.UnknownPlace as e:
            if e.suggestions:
                raise BadParameter("municipality", _(
                    "“%(value)s” is not a Finnish municipality. Did you mean %(names)s?",
                    value=municipality, names=", ".join(e.suggestions))) from None
            raise BadParameter("municipality", _("“%(value)s” is not a Finnish municipality.",
                                                 value=municipality)) from None
    theme = args.get("theme", "").strip()
    if theme and theme not in themes.THEMES:
        raise BadParameter("theme", _("“%(value)s” is not a theme we know. Choose one from the list.", value=theme))
    kind = args.get("kind", "").strip()
    if kind and kind not in {k.value for k in Kind}:
        raise BadParameter("kind", _("“%(value)s” is not a kind of activity we know. Choose one from the list.",
                                     value=kind))
    remote = args.get("remote", "").strip()
    if remote and remote not in REMOTE_CHOICES:
        raise BadParameter("remote", _("Remote must be “yes”, “no” or empty; got “%(value)s”.", value=remote))
    language = args.get("language", "").strip()
    if language and language not in texts.LANGUAGE_NAMES:
        raise BadParameter("language", _("“%(value)s” is not a language code we know, such as fi, sv or en.",
                                         value=language))
    return Filters(q, municipality, theme, kind, remote, language)


def _has(column: Any, code: str) -> Any:
    """The JSON list `column` holds the string `code` (a known code: no quotes inside), on SQLite and PostgreSQL."""
    return sa.cast(column, sa.String).contains(f'"{code}"', autoescape=True)


def opening_conditions(filters: Filters, words: bool = True) -> list[Any]:
    """SQL conditions of the filters; with `words`, each word of `q` must stand in the title or
    description as written (the engine's reading of `q` is `open_opening_ids`')."""
    conditions: list[Any] = [Opening.status == OpeningStatus.OPEN]
    for word in filters.q.split() if words else ():
        conditions.append(sa.or_(col(Opening.title).icontains(word, autoescape=True),
                                 col(Opening.description).icontains(word, autoescape=True)))
    if filters.municipality:
        conditions.append(Opening.municipality == filters.municipality)
    if filters.theme:
        conditions.append(_has(Opening.themes, filters.theme))
    if filters.kind:
        conditions.append(Opening.kind == filters.kind)
    if filters.remote:
        conditions.append(col(Opening.remote).is_(filters.remote == "yes"))
    if filters.language:
        conditions.append(_has(Opening.languages, filters.language))
    return conditions


def newest_first(statement: Any) -> Any:
    return statement.order_by(col(Opening.created_at).desc(), col(Opening.id).desc())


def open_openings(filters: Filters) -> tuple[Any, Any]:
    """The statement selecting the open openings that pass `filters`, newest first, and the one counting them."""
    conditions = opening_conditions(filters)
    return (newest_first(select(Opening).where(*conditions)),
            select(func.count()).select_from(Opening).where(*conditions))


# ---------------------------------------------------------------- values cached per catalogue version

def cache(app: Flask | None = None) -> VersionCache:
    """The app's (so the process's) cache, made on first use."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]  # Flask types current_app as the app, not its proxy
    return app.extensions.setdefault(_CACHE_KEY, VersionCache(CACHE_SIZE))


def current_version() -> int:
    """The catalogue version as this request reads it (`versions.current`)."""
    return versions.current().catalogue


def cached(key: Hashable, make: Callable[[], T]) -> T:
    """`make()` as of the current catalogue version, made once per version and process."""
    return cache().get(current_version(), key, make)


def open_opening_ids(filters: Filters) -> list[int]:
    """The ids of the open openings that pass `filters`: newest first, or with a search text best
    match first; cached per catalogue version, so a page of the directory is one query by primary key."""
    def make() -> list[int]:
        if filters.q:
            return searched_ids(filters)
        statement = newest_first(select(Opening.id).where(*opening_conditions(filters)))
        return list(get_session().exec(statement))
    return cached(("ids", filters), make)


def searched_ids(filters: Filters) -> list[int]:
    """The open openings that pass the other filters and meet the search text as the engine reads it
    (base forms, compound parts, close spellings, theme names and synonyms in fi/sv/en), best match
    first; those whose title or description holds every word as written come too, after them."""
    found = search(get_matcher().index, filters.q)
    rank = {ref: i for i, (ref, _) in enumerate(found)}
    session = get_session()
    rows = session.exec(newest_first(select(Opening.id, Opening.ref).where(*opening_conditions(filters, False))))
    literal = set(session.exec(select(Opening.id).where(*opening_conditions(filters))))
    kept = [(rank.get(ref, len(rank)), i, oid) for i, (oid, ref) in enumerate(rows) if ref in rank or oid in literal]
    return [oid for _, _, oid in sorted(kept)]
