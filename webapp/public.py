"""The public pages: a directory of open openings and of associations, for anyone.

Only openings with status open are public; drafts and closed ones answer 404 here.
Search and filters are a GET form; a filter value we cannot read answers 400 with a
message saying what was expected, never a 500.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import gettext as _
from sqlmodel import col, func, select
from werkzeug.exceptions import HTTPException

from matching import geo, texts, themes
from matching.model import Kind

from .db import get_session
from .i18n import lang, language_name, place_name
from .models import Association, Opening, OpeningStatus

bp = Blueprint("public", __name__)
PAGE_SIZE = 20
MAX_QUERY = 200
REMOTE_CHOICES = ("yes", "no")


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


@dataclass(frozen=True)
class Page:
    items: list[Any]
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))


def _bad(message: str) -> HTTPException:
    abort(400, description=message)


def parse_filters(args: Any) -> Filters:
    """The filters of a request's query; aborts 400 with a message on a value we cannot use."""
    q = " ".join(args.get("q", "").split())
    if len(q) > MAX_QUERY:
        _bad(_("The search text is too long: at most %(n)d characters.", n=MAX_QUERY))
    municipality = args.get("municipality", "").strip()
    if municipality:
        try:
            municipality = geo.municipality(municipality).name_fi
        except geo.UnknownPlace as e:
            if e.suggestions:
                _bad(_("“%(value)s” is not a Finnish municipality. Did you mean %(names)s?",
                       value=municipality, names=", ".join(e.suggestions)))
            _bad(_("“%(value)s” is not a Finnish municipality.", value=municipality))
    theme = args.get("theme", "").strip()
    if theme and theme not in themes.THEMES:
        _bad(_("“%(value)s” is not a theme we know. Choose one from the list.", value=theme))
    kind = args.get("kind", "").strip()
    if kind and kind not in {k.value for k in Kind}:
        _bad(_("“%(value)s” is not a kind of activity we know. Choose one from the list.", value=kind))
    remote = args.get("remote", "").strip()
    if remote and remote not in REMOTE_CHOICES:
        _bad(_("Remote must be “yes”, “no” or empty; got “%(value)s”.", value=remote))
    language = args.get("language", "").strip()
    if language and language not in texts.LANGUAGE_NAMES:
        _bad(_("“%(value)s” is not a language code we know, such as fi, sv or en.", value=language))
    return Filters(q, municipality, theme, kind, remote, language)


def page_number(args: Any) -> int:
    value = args.get("page", "1")
    if not value.isdigit() or int(value) < 1:
        _bad(_("The page must be a whole number from 1 up; got “%(value)s”.", value=value))
    return int(value)


def _has(column: Any, code: str) -> Any:
    """The JSON list `column` holds the string `code` (a known code: no quotes inside), on SQLite and PostgreSQL."""
    return sa.cast(column, sa.String).contains(f'"{code}"', autoescape=True)


def opening_conditions(filters: Filters) -> list[Any]:
    conditions: list[Any] = [Opening.status == OpeningStatus.OPEN]
    for word in filters.q.split():
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


def paginate(statement: Any, count: Any, number: int) -> Page:
    session = get_session()
    size = current_app.config.get("PUBLIC_PAGE_SIZE", PAGE_SIZE)
    total = session.exec(count).one()
    page = Page([], number, size, total)
    if number > page.pages:
        abort(404, description=_("There is no page %(page)d: the last page is %(pages)d.",
                                 page=number, pages=page.pages))
    items = list(session.exec(statement.offset((number - 1) * size).limit(size)))
    return Page(items, number, size, total)


def _newest_first(statement: Any) -> Any:
    return statement.order_by(col(Opening.created_at).desc(), col(Opening.id).desc())


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """The options of the filter form, labelled in the current language."""
    session = get_session()
    open_ = Opening.status == OpeningStatus.OPEN
    municipalities = session.exec(select(Opening.municipality).where(open_, col(Opening.municipality).is_not(None))
                                  .distinct()).all()
    languages = {code for row in session.exec(select(Opening.languages).where(open_)) for code in row}
    return {
        "municipality": sorted(((m, place_name(m)) for m in municipalities), key=lambda c: c[1]),
        "theme": sorted(((t.id, t.label(lang())) for t in themes.THEMES.values()), key=lambda c: c[1].lower()),
        "kind": [(k.value, texts.label(k.value, lang())) for k in Kind],
        "language": sorted(((c, language_name(c)) for c in languages), key=lambda c: c[1].lower()),
    }


def get_open_opening_or_404(ref: str) -> Opening:
    opening = get_session().exec(select(Opening).where(Opening.ref == ref)).first()
    if opening is None or opening.status != OpeningStatus.OPEN:
        abort(404, description=_("There is no open opening with this address."))
    return opening


# ---------------------------------------------------------------- views

@bp.get("/")
def index() -> str:
    session = get_session()
    open_count = session.exec(select(func.count()).select_from(Opening)
                              .where(Opening.status == OpeningStatus.OPEN)).one()
    newest = session.exec(_newest_first(select(Opening).where(Opening.status == OpeningStatus.OPEN)).limit(3)).all()
    return render_template("public/index.html", open_count=open_count, newest=newest)


@bp.get("/openings")
def openings() -> str:
    filters = parse_filters(request.args)
    number = page_number(request.args)
    conditions = opening_conditions(filters)
    page = paginate(_newest_first(select(Opening).where(*conditions)),
                    select(func.count()).select_from(Opening).where(*conditions), number)
    return render_template("public/openings.html", filters=filters, page=page, choices=filter_choices(),
                           remote_choices=REMOTE_CHOICES)


@bp.get("/openings/<ref>")
def opening(ref: str) -> str:
    return render_template("public/opening.html", opening=get_open_opening_or_404(ref))


@bp.get("/associations")
def associations() -> str:
    number = page_number(request.args)
    open_count = (select(func.count()).select_from(Opening).where(Opening.association_id == Association.id,
                                             Opening.status == OpeningStatus.OPEN).scalar_subquery())
    page = paginate(select(Association, open_count).order_by(Association.name),
                    select(func.count()).select_from(Association), number)
    return render_template("public/associations.html", page=page)


@bp.get("/associations/<int:association_id>")
def association(association_id: int) -> str:
    found = get_session().get(Association, association_id)
    if found is None:
        abort(404, description=_("There is no association with this address."))
    openings = get_session().exec(_newest_first(select(Opening).where(
        Opening.association_id == association_id, Opening.status == OpeningStatus.OPEN))).all()
    return render_template("public/association.html", association=found, openings=openings)


@bp.errorhandler(400)
@bp.errorhandler(404)
def error(e: HTTPException) -> tuple[str, int]:
    return render_template("error.html", error=e), e.code or 500
