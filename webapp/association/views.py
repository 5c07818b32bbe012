"""The association's pages: register, the public page, "Our openings", post and edit openings.

Registering is public; everything else is for members of an association only
(`role_required("association")` and `User.association_id`). A member sees and changes
only its own association's openings: any other opening answers 404, so guessing refs
tells nothing. The rules live in `association_service` and `openings_service`.
"""
from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from sqlmodel import select
from werkzeug.wrappers import Response

from .. import db, ytunnus
from .forms import AssociationPageForm, OpeningForm, RegisterForm, StatusForm
from ..services.associations import AssociationRefused, FirstMember, PageFields, register, update_page
from ..auth import passwords
from ..auth.access import role_required
from ..auth.views import take_registration
from ..auth.forms import PASSWORD_MIN_LENGTH
from ..i18n import lang
from ..models import Association, Opening
from ..states import InterestState, OpeningStatus, Role
from ..services.openings import (FIELD_NAMES, TRANSITIONS, OpeningFields, OpeningRefused, candidate, change_status,
                                 check, fields_of, page_of_association, save, status_label)
from ..forms import schedule_lines
from ..paging import page_number
from . import bp

APPLICANTS_ENDPOINT = "association.applicants"  # the applicants' page, when that blueprint is registered


# ---------------------------------------------------------------- helpers

def own_association() -> Association:
    """The signed-in member's association; 403 for an association account not tied to one."""
    association = db.get_session().get(Association, current_user.association_id) \
        if current_user.association_id is not None else None
    if association is None:
        abort(403, description=_("Your account is not tied to an association. Contact the coordinator."))
    return association


def own_opening_or_404(ref: str) -> Opening:
    """The opening `ref` of the member's own association; 404 for every other ref, existing or not."""
    opening = db.get_session().exec(select(Opening).where(
        Opening.ref == ref, Opening.association_id == current_user.association_id)).first()
    if opening is None:
        abort(404, description=_("Your association has no opening with this address."))
    return opening


def _errors_to_form(form: Any, errors: dict[str, str]) -> None:
    for name, message in errors.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message)


def _page_fields(form: AssociationPageForm) -> PageFields:
    return PageFields(name=form.name.data, municipality=form.municipality.name_fi, contact=form.contact.data,  # type: ignore[arg-type]  # validated: the required fields hold text
                      description=form.description.data or "")


def _opening_form() -> OpeningForm:
    form = OpeningForm()
    form.label_choices(lang())
    return form


def _opening_fields(form: OpeningForm) -> OpeningFields:
    def unique(name: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(getattr(form, name).data or ()))
    return OpeningFields(
        title=form.title.data, description=form.description.data or "", kind=form.kind.data or None,  # type: ignore[arg-type]  # validated: the required fields hold text
        themes=unique("themes"), municipality=form.municipality.name_fi, lat=form.lat.number, lon=form.lon.number,
        remote=bool(form.remote.data), schedule=tuple(schedule_lines(form.schedule.data)),
        start_date=form.start_date.date, end_date=form.end_date.date, capacity=form.capacity.number,
        min_age=form.min_age.number, max_age=form.max_age.number, languages=unique("languages"),
        requirements=unique("requirements"), support=unique("support"), benefits=unique("benefits"))


def _fill(form: OpeningForm, opening: Opening) -> None:
    values = fields_of(opening)
    for name in FIELD_NAMES:
        value = getattr(values, name)
        if isinstance(value, tuple):
            getattr(form, name).data = "\n".join(value) if name == "schedule" else list(value)
        elif name == "remote":
            form.remote.data = value
        else:
            getattr(form, name).data = "" if value is None else str(value)


def _preview(form: OpeningForm, association: Association, existing: Opening | None) -> dict[str, Any] | None:
    """What the public would see if the form were saved: the row and the engine's reading; None if invalid.

    Builds a row that is never added to the session, so nothing is saved.
    """
    if not form.validate():
        return None
    row = candidate(_opening_fields(form), association, existing)
    try:
        engine_opening = check(row, association.name)
    except OpeningRefused as e:
        _errors_to_form(form, e.errors)
        return None
    return {"opening": row, "engine": engine_opening, "association": association}


def _saved_preview(opening: Opening, association: Association) -> dict[str, Any] | None:
    """The preview of the opening as saved; None if the engine cannot read the row."""
    try:
        return {"opening": opening, "engine": check(opening, association.name), "association": association}
    except OpeningRefused:
        return None


def _opening_page(form: OpeningForm, association: Association, opening: Opening | None, status: int = 200,
                  preview: dict[str, Any] | None = None) -> tuple[str, int]:
    return render_template("association/opening_form.html", form=form, association=association, opening=opening,
                           preview=preview, transitions=TRANSITIONS,
                           status_label=status_label), status


def _post_opening(association: Association, opening: Opening | None) -> Response | tuple[str, int]:
    """The opening form's POST: preview, save (as draft) or save and publish, by the button pressed."""
    form = _opening_form()
    action = request.form.get("action", "save")
    if action == "preview":
        preview = _preview(form, association, opening)
        return _opening_page(form, association, opening, 200 if preview else 400, preview)
    if not form.validate():
        return _opening_page(form, association, opening, 400)
    publish = action == "publish" and (opening is None or opening.status == OpeningStatus.DRAFT)
    try:
        saved = save(db.get_session(), association, _opening_fields(form), opening,
                     OpeningStatus.OPEN if publish else None)
    except OpeningRefused as e:
        _errors_to_form(form, e.errors)
        return _opening_page(form, association, opening, 400)
    flash(_("The opening is published.") if publish else _("The opening is saved."), "success")
    return redirect(url_for("association.edit_opening", ref=saved.ref), code=303)


# ---------------------------------------------------------------- register and the page

def _register_page(form: RegisterForm) -> str:
    return render_template("association/register.html", form=form, min_password_length=PASSWORD_MIN_LENGTH,
                           ytunnus_example=ytunnus.EXAMPLE)


@bp.route("/association/register", methods=["GET", "POST"])
def register_association() -> Response | tuple[str, int]:
    if current_user.is_authenticated:
        flash(_("You are signed in already. Sign out to register a new association."), "error")
        return redirect(url_for("public.index"))
    form = RegisterForm()
    if request.method == "GET":
        return _register_page(form), 200
    if not form.validate():
        return _register_page(form), 400
    wait = take_registration(db.get_session())  # counted before the password is hashed
    if wait:
        form.form_errors.append(_("Too many attempts. Try again in %(minutes)d minutes.", minutes=(wait + 59) // 60))
        return _register_page(form), 429
    if passwords.too_easy(form.password.data or "", [form.email.data or "", form.person_name.data or ""]):
        form.password.errors.append(_("This password is too easy to guess. Use a longer phrase of words that "  # type: ignore[attr-defined]  # validate() has made errors a list
                                      "do not belong together, and not your name or e-mail address."))
        return _register_page(form), 400
    member = FirstMember(name=form.person_name.data, email=form.email.data,  # type: ignore[arg-type]  # validated: the required fields hold text
                         password_hash=passwords.hashed(form.password.data or ""))
    try:
        user = register(db.get_session(), _page_fields(form), form.business_id.data, member)
    except AssociationRefused as e:
        _errors_to_form(form, e.errors)
        return _register_page(form), 400
    login_user(user)
    flash(_("Welcome to Polku! Your association is registered. Post your first opening."), "success")
    return redirect(url_for("association.new_opening"), code=303)


@bp.get("/association/")
@role_required(Role.ASSOCIATION)
def home() -> Response:
    return redirect(url_for("association.openings"))


@bp.route("/association/page", methods=["GET", "POST"])
@role_required(Role.ASSOCIATION)
def page() -> Response | tuple[str, int]:
    association = own_association()
    form = AssociationPageForm(obj=association if request.method == "GET" else None)
    if request.method == "GET":
        return render_template("association/page.html", form=form, association=association), 200
    if not form.validate():
        return render_template("association/page.html", form=form, association=association), 400
    try:
        update_page(db.get_session(), association, _page_fields(form))
    except AssociationRefused as e:
        _errors_to_form(form, e.errors)
        return render_template("association/page.html", form=form, association=association), 400
    flash(_("Your association's page is saved."), "success")
    return redirect(url_for("association.page"), code=303)


# ---------------------------------------------------------------- openings

@bp.get("/association/openings")
@role_required(Role.ASSOCIATION)
def openings() -> str:
    association = own_association()
    number = page_number(request.args)
    page, counts = page_of_association(db.get_session(), association.id, number)  # type: ignore[arg-type]  # a stored row's id is set
    return render_template("association/openings.html", association=association, page=page, counts=counts,
                           transitions=TRANSITIONS, status_label=status_label,
                           INTERESTED=InterestState.INTERESTED, ACCEPTED=InterestState.ACCEPTED,
                           applicants=APPLICANTS_ENDPOINT in current_app.view_functions)


@bp.route("/association/openings/new", methods=["GET", "POST"])
@role_required(Role.ASSOCIATION)
def new_opening() -> Response | tuple[str, int]:
    association = own_association()
    if request.method == "GET":
        form = _opening_form()
        form.municipality.data = association.municipality or ""
        return _opening_page(form, association, None)
    return _post_opening(association, None)


@bp.route("/association/openings/<ref>/edit", methods=["GET", "POST"])
@role_required(Role.ASSOCIATION)
def edit_opening(ref: str) -> Response | tuple[str, int]:
    association = own_association()
    opening = own_opening_or_404(ref)
    if request.method == "GET":
        form = _opening_form()
        _fill(form, opening)
        return _opening_page(form, association, opening, preview=_saved_preview(opening, association))
    return _post_opening(association, opening)


@bp.post("/association/openings/<ref>/<any(publish, close, reopen):action>")
@role_required(Role.ASSOCIATION)
def set_status(ref: str, action: str) -> Response | tuple[str, int]:
    own_association()
    opening = own_opening_or_404(ref)
    if not StatusForm().validate():
        abort(400, description=_("The form had expired. Please try again."))
    try:
        change_status(db.get_session(), opening, action)
    except OpeningRefused as e:
        for message in e.errors.values():
            flash(message, "error")
        return redirect(url_for("association.edit_opening", ref=ref), code=303)
    flash({"publish": _("The opening is published."), "close": _("The opening is closed."),
           "reopen": _("The opening is open again.")}[action], "success")
    return redirect(url_for("association.openings"), code=303)


@bp.post("/association/openings/preview")
@bp.post("/association/openings/<ref>/preview")
@role_required(Role.ASSOCIATION)
def preview(ref: str | None = None) -> Response:
    """The preview panel alone, for `static/preview.js`; saves nothing.

    The panel (also when the form has errors) carries the header `X-Preview-Panel`, so the
    script never puts an error page (an expired form, say) into the panel.
    """
    association = own_association()
    opening = own_opening_or_404(ref) if ref is not None else None
    form = _opening_form()
    shown = _preview(form, association, opening)
    response = make_response(render_template("association/_preview.html", preview=shown, form=form),
                             200 if shown else 400)
    response.headers["X-Preview-Panel"] = "1"
    return response

