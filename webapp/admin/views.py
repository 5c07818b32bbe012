"""The administrator's pages, under /admin (`role_required("admin")`).

Each action goes through `services.accounts`, which checks the rule and writes the audit entry
in the same transaction; the pages only show and ask.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import col, func, select
from werkzeug.wrappers import Response

from .. import db
from ..auth.access import role_required
from ..forms import ActionForm
from ..models import Association, AuditEntry, User
from ..services import accounts, messages
from ..services.accounts import AccountRefused
from ..states import Role
from ..verification import verify_association
from . import bp
from .forms import FindForm, InviteForm, RegionForm

RECENT = 50


def _me() -> User:
    user: User = current_user._get_current_object()
    return user


def _user_or_404(user_id: int) -> User:
    found = db.get_session().get(User, user_id)
    if found is None:
        abort(404)
    return found


@bp.get("/admin/")
@role_required(Role.ADMIN)
def home() -> str:
    session = db.get_session()
    counts = dict(session.exec(select(User.role, func.count(col(User.id))).where(col(User.active).is_(True))
                               .group_by(User.role)).all())
    unverified = session.exec(select(func.count(col(Association.id))).where(col(Association.verified).is_(False))).one()
    entries = session.exec(select(AuditEntry, User.email).join(User, col(AuditEntry.user_id) == User.id, isouter=True)
                           .order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc()).limit(RECENT)).all()
    return render_template("admin/home.html", counts=counts, unverified=unverified, entries=entries, Role=Role)


# ---------------------------------------------------------------- coordinators

def _coordinators_page(form: InviteForm, status: int = 200, link: str | None = None) -> tuple[str, int]:
    session = db.get_session()
    coordinators = session.exec(select(User).where(User.role == Role.COORDINATOR).order_by(col(User.email))).all()
    return render_template("admin/coordinators.html", form=form, coordinators=coordinators, link=link,
                           region_form=RegionForm(), action=ActionForm(),
                           unusable=accounts.UNUSABLE_PASSWORD), status


@bp.route("/admin/coordinators", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def coordinators() -> Response | tuple[str, int]:
    form = InviteForm()
    if not form.is_submitted():
        return _coordinators_page(form)
    if not form.validate():
        return _coordinators_page(form, 400)
    try:
        user, token = accounts.invite_coordinator(db.get_session(), _me(), form.email.data or "",
                                                  form.name.data or "", form.region.data or "")
    except AccountRefused as e:
        (form[e.field].errors if e.field else form.form_errors).append(e.message)
        return _coordinators_page(form, 400)
    link = url_for("auth.accept_invitation", token=token, _external=True)
    return _coordinators_page(InviteForm(formdata=None), 201, link=link)


@bp.post("/admin/coordinators/<int:user_id>/reinvite")
@role_required(Role.ADMIN)
def reinvite(user_id: int) -> Response | tuple[str, int]:
    if not ActionForm().validate():
        abort(400)
    try:
        token = accounts.reinvite(db.get_session(), _me(), _user_or_404(user_id))
    except AccountRefused as e:
        flash(e.message, "error")
        return redirect(url_for("admin.coordinators"), code=303)
    return _coordinators_page(InviteForm(formdata=None), 201,
                              link=url_for("auth.accept_invitation", token=token, _external=True))


@bp.post("/admin/coordinators/<int:user_id>/region")
@role_required(Role.ADMIN)
def set_region(user_id: int) -> Response:
    form = RegionForm()
    if not form.validate():
        abort(400)
    try:
        accounts.set_region(db.get_session(), _me(), _user_or_404(user_id), form.region.data or "")
    except AccountRefused as e:
        flash(e.message, "error")
    else:
        flash(_("The region is saved."), "success")
    return redirect(url_for("admin.coordinators"), code=303)


# ---------------------------------------------------------------- associations

@bp.get("/admin/associations")
@role_required(Role.ADMIN)
def associations() -> str:
    return render_template("admin/associations.html", associations=accounts.associations_for(db.get_session(), _me()),
                           action=ActionForm(), verify_endpoint="admin.verify")


@bp.post("/admin/associations/<int:association_id>/<any(verify, unverify):action>")
@role_required(Role.ADMIN)
def verify(association_id: int, action: str) -> Response:
    return verify_association(association_id, action, "admin.associations")


# ---------------------------------------------------------------- accounts

@bp.route("/admin/accounts", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def accounts_page() -> Response | tuple[str, int]:
    """Find an account by its e-mail address (posted, so no address ends up in a URL or a log)."""
    form = FindForm()
    if not form.is_submitted():
        return render_template("admin/accounts.html", form=form), 200
    if not form.validate():
        return render_template("admin/accounts.html", form=form), 400
    found = accounts.find_account(db.get_session(), form.email.data or "")
    if found is None:
        form.email.errors.append(_("There is no account with this e-mail address."))  # type: ignore[attr-defined]  # validate() has made errors a list
        return render_template("admin/accounts.html", form=form), 404
    return redirect(url_for("admin.account", user_id=found.id), code=303)


@bp.get("/admin/accounts/<int:user_id>")
@role_required(Role.ADMIN)
def account(user_id: int) -> str:
    return render_template("admin/account.html", account=_user_or_404(user_id), action=ActionForm(), me=_me())


@bp.post("/admin/accounts/<int:user_id>/<any(deactivate, reactivate):action>")
@role_required(Role.ADMIN)
def set_active(user_id: int, action: str) -> Response:
    if not ActionForm().validate():
        abort(400)
    user = _user_or_404(user_id)
    try:
        accounts.set_active(db.get_session(), _me(), user, action == "reactivate")
    except AccountRefused as e:
        flash(e.message, "error")
    else:
        flash(_("The account is closed: every session of it has ended.") if action == "deactivate"
              else _("The account is open again."), "success")
    return redirect(url_for("admin.account", user_id=user_id), code=303)


# ---------------------------------------------------------------- reported messages

@bp.get("/admin/reports")
@role_required(Role.ADMIN)
def reports() -> str:
    """Messages youths reported, newest first: what was written, by which member of which association."""
    return render_template("admin/reports.html", reported=messages.reports(db.get_session()))
