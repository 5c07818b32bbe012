"""The public pages: a directory of open openings and of associations, for anyone.

Only openings with status open are public; drafts and closed ones answer 404 here.
Search and filters are a GET form; a filter value we cannot read answers 400 with a
message saying what was expected, never a 500.
"""
from __future__ import annotations

from typing import Any

from flask import abort, current_app, render_template, request
from flask_babel import gettext as _
from sqlmodel import col, func, select
from werkzeug.exceptions import HTTPException

from matching import texts, themes
from matching.io import FieldError
from matching.model import Kind

from ..services import catalogue
from ..services.catalogue import MAX_QUERY, REMOTE_CHOICES, Filters, opening_conditions  # noqa: F401 (re-exported)
from ..services.catalogue import newest_first as _newest_first
from ..db import get_session
from ..paging import Page, page_number  # noqa: F401 (page_number re-exported)
from ..paging import check_page as _check_page
from ..i18n import lang, language_name, place_name
from ..models import Association, Interest, Opening
from ..states import OpeningStatus
from ..auth.sessions import own_profile
from ..engine import matches
from ..services.answers import ANSWER_OF
from . import bp

PAGE_SIZE = 20


def _bad(message: str) -> HTTPException:
    abort(400, description=message)


def parse_filters(args: Any) -> Filters:
    """The filters of a request's query; aborts 400 with a message on a value we cannot use."""
    try:
        return catalogue.parse_filters(args)
    except catalogue.BadParameter as e:
        _bad(e.message)
        raise  # not reached: abort raises


def _page_size() -> int:
    return current_app.config.get("PUBLIC_PAGE_SIZE", PAGE_SIZE)


def paginate(statement: Any, count: Any, number: int) -> Page:
    session = get_session()
    size = _page_size()
    total = session.exec(count).one()
    _check_page(Page([], number, size, total))
    items = list(session.exec(statement.offset((number - 1) * size).limit(size)))
    return Page(items, number, size, total)


def paginate_openings(filters: Filters, number: int) -> Page:
    """A page of the open openings that pass `filters`, newest first: the ids from the per-version cache,
    then one query for the page's rows."""
    ids = catalogue.open_opening_ids(filters)
    size = _page_size()
    _check_page(Page([], number, size, len(ids)))
    wanted = ids[(number - 1) * size:number * size]
    rows = {o.id: o for o in get_session().exec(select(Opening).where(col(Opening.id).in_(wanted)))}
    return Page([rows[i] for i in wanted if i in rows], number, size, len(ids))


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """The options of the filter form, labelled in the current language; kept per catalogue version and
    language (reading every open opening's languages is the directory's dearest query). Do not change it."""
    return catalogue.cached(("choices", lang()), _filter_choices)


def _filter_choices() -> dict[str, list[tuple[str, str]]]:
    session = get_session()
    open_ = Opening.status == OpeningStatus.OPEN
    municipalities = session.exec(select(Opening.municipality).where(open_, col(Opening.municipality).is_not(None))
                                  .distinct()).all()
    languages = {code for row in session.exec(select(Opening.languages).where(open_)) for code in row}
    return {
        "municipality": sorted(((m, place_name(m)) for m in municipalities), key=lambda c: c[1]),  # type: ignore[misc]  # the query leaves out NULL municipalities
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
    page = paginate_openings(filters, number)
    return render_template("public/openings.html", filters=filters, page=page, choices=filter_choices(),
                           remote_choices=REMOTE_CHOICES)


def why_for_current_youth(opening: Opening) -> dict[str, Any] | None:
    """For a signed-in youth with a profile, why `opening` fits them or is not offered; None for anyone else.

    None too when the profile cannot be read or the engine does not know the opening (yet):
    the panel is a help, never a reason for the page to fail.
    """
    profile = own_profile()
    if profile is None:
        return None
    session = get_session()
    try:
        explanation = matches.why(profile, opening.ref, lang())
    except (FieldError, KeyError):
        return None
    state = session.exec(select(Interest.state).where(Interest.youth_id == profile.id,
                                                      Interest.opening_id == opening.id)).first()
    reasons = sorted((r for r in explanation.reasons if not r.neutral), key=lambda r: -r.contribution)
    return {"eligible": explanation.eligible, "rank": explanation.rank, "state": state,
            "reasons": reasons,
            "blocks": [(b.text, ANSWER_OF.get(b.code)) for b in explanation.blocks]}


@bp.get("/openings/<ref>")
def opening(ref: str) -> str:
    found = get_open_opening_or_404(ref)
    why = why_for_current_youth(found)
    return render_template("public/opening.html", opening=found, why=why)


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
