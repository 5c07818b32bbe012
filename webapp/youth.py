"""The youth's own pages: profile, "My matches", interest and withdrawal, "My activities".

Every page is for signed-in youths only (`role_required("youth")`), and each shows
or changes only the signed-in youth's own profile and records. The rules of interest
live in `webapp.services`.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import col, select
from werkzeug.wrappers import Response

from matching.io import FieldError

from . import db
from .auth import role_required, safe_next
from .convert import youth_from_row
from .engine import get_matcher
from .i18n import lang
from .models import Association, Interest, InterestState, Opening, OpeningStatus, Role, YouthProfile
from .services import InterestRefused, express_interest, state_label, withdraw
from .youth_forms import ActionForm, ProfileForm, availability_lines

bp = Blueprint("youth", __name__, url_prefix="/youth")
MATCHES = 10
LIST_FIELDS = ("themes", "languages", "kinds", "needs", "goals")


def current_profile() -> YouthProfile:
    """The signed-in youth's profile, made empty if the account has none yet."""
    session = db.get_session()
    profile = session.exec(select(YouthProfile).where(YouthProfile.user_id == current_user.id)).first()
    if profile is None:
        profile = YouthProfile(user_id=current_user.id)
        session.add(profile)
        session.commit()
    return profile


def _suggested_themes(profile: YouthProfile) -> list[str]:
    if profile.themes or not profile.interests.strip():
        return []
    return get_matcher().index.theme_finder.suggest(profile.interests)


def _fill(form: ProfileForm, profile: YouthProfile) -> None:
    form.interests.data = profile.interests
    for name in LIST_FIELDS:
        getattr(form, name).data = list(getattr(profile, name))
    form.municipality.data = profile.municipality or ""
    form.max_travel_km.data = "" if profile.max_travel_km is None else f"{profile.max_travel_km:g}"
    form.remote_ok.data = {None: "", True: "yes", False: "no"}[profile.remote_ok]
    form.availability.data = "\n".join(profile.availability)
    form.age.data = "" if profile.age is None else str(profile.age)


def _save(form: ProfileForm, profile: YouthProfile) -> None:
    profile.interests = (form.interests.data or "").strip()
    for name in LIST_FIELDS:
        setattr(profile, name, list(dict.fromkeys(getattr(form, name).data or ())))
    if form.municipality.name_fi != profile.municipality:
        profile.lat = profile.lon = None  # the point was the old place's
    profile.municipality = form.municipality.name_fi
    profile.max_travel_km = form.max_travel_km.number
    profile.remote_ok = {"": None, "yes": True, "no": False}[form.remote_ok.data or ""]
    profile.availability = availability_lines(form.availability.data)
    profile.age = form.age.number
    profile.updated_at = db_now()


def db_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _local_next(default: str) -> str:
    return safe_next(request.form.get("next")) or safe_next(request.args.get("next")) or default


# ---------------------------------------------------------------- views

@bp.route("/profile", methods=["GET", "POST"])
@role_required(Role.YOUTH)
def profile() -> Response | tuple[str, int]:
    found = current_profile()
    form = ProfileForm()
    form.label_choices(lang())
    suggested: list[str] = []
    if request.method == "GET":
        _fill(form, found)
        suggested = _suggested_themes(found)
        if suggested:
            form.themes.data = suggested
        return render_template("youth/profile.html", form=form, suggested=suggested), 200
    if not form.validate():
        return render_template("youth/profile.html", form=form, suggested=suggested), 400
    _save(form, found)
    session = db.get_session()
    session.add(found)
    session.commit()
    flash(_("Your profile is saved."), "success")
    return redirect(url_for("youth.profile"), code=303)


@bp.get("/matches")
@role_required(Role.YOUTH)
def matches() -> str | tuple[str, int]:
    found = current_profile()
    try:
        youth = youth_from_row(found)
    except FieldError:
        flash(_("Your profile has a value we cannot read. Check your profile and save it again."), "error")
        return render_template("youth/matches.html", items=[], form=ActionForm()), 400
    ranked = get_matcher().match(youth, k=MATCHES, lang=lang())
    session = db.get_session()
    refs = [m.opening_id for m in ranked]
    rows = {o.ref: (o, name) for o, name in session.exec(
        select(Opening, Association.name).join(Association).where(col(Opening.ref).in_(refs)))}
    states = {opening_id: state for opening_id, state in session.exec(
        select(Interest.opening_id, Interest.state).where(Interest.youth_id == found.id))}
    items = []
    for m in ranked:
        if m.opening_id not in rows:  # deleted since the engine was built
            continue
        opening, association_name = rows[m.opening_id]
        items.append({"match": m, "opening": opening, "association": association_name,
                      "state": states.get(opening.id),
                      "reasons": [r.text for r in m.reasons if not r.neutral]})
    return render_template("youth/matches.html", items=items, form=ActionForm(), profile_empty=_empty(found))


def _empty(profile: YouthProfile) -> bool:
    return not (profile.interests or profile.themes or profile.municipality or profile.kinds)


def _opening_or_404(ref: str) -> Opening:
    opening = db.get_session().exec(select(Opening).where(Opening.ref == ref)).first()
    if opening is None or opening.status == OpeningStatus.DRAFT:
        abort(404, description=_("There is no open opening with this address."))
    return opening


def _act(ref: str, action: Any, done: str) -> Response | tuple[str, int]:
    form = ActionForm()
    back = _local_next(url_for("youth.activities"))
    if not form.validate():
        flash(_("The form had expired. Please try again."), "error")
        return render_template("youth/refused.html", back=back), 400
    opening = _opening_or_404(ref)
    try:
        action(db.get_session(), current_profile(), opening)
    except InterestRefused as e:
        flash(e.message, "error")
        return render_template("youth/refused.html", back=back), 400
    flash(done, "success")
    return redirect(back, code=303)


@bp.post("/openings/<ref>/interest")
@role_required(Role.YOUTH)
def interest(ref: str) -> Response | tuple[str, int]:
    return _act(ref, express_interest, _("You expressed interest. The association will get back to you."))


@bp.post("/openings/<ref>/withdraw")
@role_required(Role.YOUTH)
def withdraw_interest(ref: str) -> Response | tuple[str, int]:
    return _act(ref, withdraw, _("You withdrew your interest."))


@bp.get("/activities")
@role_required(Role.YOUTH)
def activities() -> str:
    found = current_profile()
    rows = db.get_session().exec(
        select(Interest, Opening, Association.name).join(Opening, col(Interest.opening_id) == Opening.id)
        .join(Association, col(Opening.association_id) == Association.id)
        .where(Interest.youth_id == found.id)
        .order_by(col(Interest.created_at).desc(), col(Interest.id).desc())).all()
    return render_template("youth/activities.html", rows=rows, form=ActionForm(), state_label=state_label,
                           INTERESTED=InterestState.INTERESTED, OPEN=OpeningStatus.OPEN)

