"""The coordinator's workspace: the landing page and the region's weight profiles.

Every page is for coordinators only (`role_required("coordinator")`); the weights pages
also need the coordinator's region, and show or change only that region's profiles
(another region's profile answers 404, as an absent one does). Previews and
evaluations read only youths in the coordinator's scope (`webapp.services.scope`). The rules
live in `webapp.services.weights` (versions), `weights_preview` and `weights_learning`.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlmodel import col, select
from werkzeug.wrappers import Response
from wtforms import FloatField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange
from wtforms.widgets import RangeInput

from matching.components import COMPONENTS

from .. import db
from ..forms import ActionForm
from ..services import audit, jobs
from ..engine.matches import Setting, active_in
from ..services import weights as ws
from ..services import weights_learning as learning
from ..services import weights_preview as trial
from ..auth.access import role_required
from ..engine.matcher import get_matcher
from ..i18n import lang
from ..models import AuditEntry, Job, User, WeightProfile
from ..states import JobState, Role
from . import bp

RECENT = 10

# Each component's label and one line on what it rewards, for the sliders.
COMPONENT_TEXTS = {
    "interest": (_l("Interests"), _l("How well the opening's words match what the youth wrote about their interests.")),
    "themes": (_l("Themes"), _l("How many of the youth's chosen themes the opening shares.")),
    "schedule": (_l("Schedule"), _l("How well the opening's times fit the youth's week.")),
    "distance": (_l("Distance"), _l("How close the opening is to the youth; remote work counts as no travel.")),
    "kind": (_l("Kind of activity"), _l("Whether the opening is a kind of activity the youth asked for.")),
    "support": (_l("Support"), _l("How much of the support the youth needs the opening offers.")),
    "goals": (_l("Goals"), _l("How much of what the youth wants to gain (a certificate, a reference, training) "
                              "the opening gives.")),
    "exposure": (_l("Exposure"), _l("A lift for openings few young people have been shown yet.")),
}
DIVERSITY_TEXT = (_l("Variety"), _l("How much the list avoids near-identical openings; 0 ranks by fit alone."))
BAD_NUMBER = _l("Enter a number between 0 and 1.")


# ---------------------------------------------------------------- forms

class WeightField(FloatField):
    """A slider from 0 to 1 whose bad input (text, infinity) gets our own message."""

    widget = RangeInput(step="0.01")

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        try:
            value = float(str(valuelist[0]).strip())
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            self.data = None
            raise ValueError(str(BAD_NUMBER))
        self.data = value


def _weight_field(label: Any, maximum: float = 1.0) -> WeightField:
    return WeightField(label, validators=[InputRequired(BAD_NUMBER), NumberRange(0.0, maximum, BAD_NUMBER)])


class WeightsForm(FlaskForm):
    """One slider per component of `matching.Weights`, the variety, and a note for the new version."""

    diversity = WeightField(DIVERSITY_TEXT[0], widget=RangeInput(step="0.05"), validators=[
        InputRequired(BAD_NUMBER),
        NumberRange(0.0, ws.MAX_DIVERSITY, _l("Enter a number between 0 and %(max)s.", max=ws.MAX_DIVERSITY))])
    note = TextAreaField(_l("What changed and why (optional)"), validators=[
        Length(max=500, message=_l("Write at most %(max)d characters."))])

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if ok and sum(self[c].data for c in COMPONENTS) <= 0:
            self.weights_errors.append(_("Give at least one component a weight above zero."))
            return False
        return ok

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.weights_errors: list[str] = []

    def setting(self) -> Setting:
        return Setting({c: float(self[c].data or 0.0) for c in COMPONENTS}, float(self.diversity.data or 0.0))

    def fill(self, setting: Setting) -> None:
        for c in COMPONENTS:
            self[c].data = round(setting.weights[c], 4)
        self.diversity.data = round(setting.diversity, 4)

    def sliders(self) -> list[tuple[Any, Any]]:
        """(field, help) for the components, then the variety."""
        return [(self[c], COMPONENT_TEXTS[c][1]) for c in COMPONENTS] + [(self.diversity, DIVERSITY_TEXT[1])]


for _name in COMPONENTS:
    setattr(WeightsForm, _name, _weight_field(COMPONENT_TEXTS[_name][0]))


class CreateForm(FlaskForm):
    name = StringField(_l("Name of the profile"), validators=[
        DataRequired(_l("Give the profile a name.")),
        Length(max=100, message=_l("A name has at most %(max)d characters."))])


# ---------------------------------------------------------------- helpers

def me() -> User:
    return current_user._get_current_object()


def _region_or_403() -> str:
    if not me().region:
        abort(403, description=_("You have no region yet. Ask the administrator to set your region."))
    return me().region  # type: ignore[return-value]  # the same user as above, whose region is set


def _profile_or_404(profile_id: int) -> WeightProfile:
    _region_or_403()
    found = ws.get_for(db.get_session(), me(), profile_id)
    if found is None:
        abort(404, description=_("There is no weight profile of your region with this address."))
    return found


def recent_changes(region: str, limit: int = RECENT) -> list[tuple[AuditEntry, str]]:
    """The newest audit entries made by coordinators of `region`, with who made them."""
    rows = db.get_session().exec(
        select(AuditEntry, User.name, User.email).join(User, col(AuditEntry.user_id) == User.id)
        .where(User.region == region, User.role == Role.COORDINATOR)
        .order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc()).limit(limit))
    return [(entry, name or email) for entry, name, email in rows]


@bp.app_template_global()
def audit_action(action: str) -> str:
    """An audit action in words of the current language (its code if it is not ours)."""
    return audit.action_label(action)


@bp.app_template_global()
def audit_subject(subject: str) -> str:
    """An audit subject in words of the current language."""
    return audit.subject_label(subject)


@bp.app_template_global()
def component_label(component: str) -> str:
    return str(COMPONENT_TEXTS[component][0]) if component in COMPONENT_TEXTS else component


def _profile_page(profile: WeightProfile, form: WeightsForm, status: int = 200, **context: Any) -> tuple[str, int]:
    session = db.get_session()
    family = ws.versions(session, profile)
    in_use, _setting = active_in(session, profile.region)
    return render_template("coordinator/profile.html", profile=profile, form=form, versions=family,
                           history=ws.history(session, family), in_use=in_use, actions=ActionForm(),
                           can_learn=learning.enough_to_learn(session, me()), **context), status


# ---------------------------------------------------------------- views

@bp.get("/coordinator/")
@role_required(Role.COORDINATOR)
def home() -> str:
    region = me().region
    return render_template("coordinator/home.html", region=region,
                           changes=recent_changes(region) if region else [])


@bp.route("/coordinator/weights", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def weights() -> Response | tuple[str, int]:
    region = _region_or_403()
    session = db.get_session()
    form = CreateForm()
    status = 200
    if request.method == "POST":
        if form.validate():
            try:
                created = ws.create(session, me(), form.name.data.strip())  # type: ignore[union-attr]  # validated: the required fields hold text
            except ws.ProfileConflict:
                form.name.errors.append(_("This name is in use already. Choose another name."))  # type: ignore[attr-defined]  # validate() has made errors a list
            else:
                flash(_("The profile is made from the default weights."), "success")
                return redirect(url_for("coordinator.profile", profile_id=created.id), code=303)
        status = 400
    found = ws.profiles_of_region(session, region)
    latest: dict[str, WeightProfile] = {}
    for p in found:
        latest.setdefault(p.name, p)
    in_use, setting = active_in(session, region)
    return render_template("coordinator/weights.html", form=form, latest=list(latest.values()),
                           active={p.name: p for p in found if p.active}, in_use=in_use, setting=setting,
                           region=region), status


@bp.route("/coordinator/weights/<int:profile_id>", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def profile(profile_id: int) -> Response | tuple[str, int]:
    """The sliders: GET shows this version; POST previews (nothing saved) or saves version n+1."""
    found = _profile_or_404(profile_id)
    form = WeightsForm()
    if request.method == "GET":
        form.fill(Setting.of(found))
        return _profile_page(found, form)
    if not form.validate():
        return _profile_page(found, form, 400)
    if request.form.get("action") == "save":
        try:
            saved = ws.save(db.get_session(), me(), found, form.setting(), form.note.data or "")
        except ws.ProfileConflict:
            form.form_errors.append(_("Someone saved this profile at the same moment. Look at the versions and "
                                      "try again."))
            return _profile_page(found, form, 409)
        flash(_("Saved as version %(version)d.", version=saved.version), "success")
        return redirect(url_for("coordinator.profile", profile_id=saved.id), code=303)
    return _profile_page(found, form, 200, **_preview_context(found, form.setting()))


@bp.post("/coordinator/weights/<int:profile_id>/preview")
@role_required(Role.COORDINATOR)
def preview(profile_id: int) -> tuple[str, int]:
    """The preview alone, as HTML, for weights.js; never saves anything."""
    found = _profile_or_404(profile_id)
    form = WeightsForm()
    if not form.validate():
        return render_template("coordinator/_preview_errors.html", form=form), 400
    return render_template("coordinator/_preview.html", **_preview_context(found, form.setting())), 200


def _preview_context(profile: WeightProfile, after: Setting) -> dict[str, Any]:
    session = db.get_session()
    _in_use, before = active_in(session, profile.region)
    matcher = get_matcher()
    return {"preview": trial.preview(session, me(), matcher, before, after, lang=lang()),
            "evaluation": trial.evaluation(session, me(), matcher, before, after),
            "min_youths": trial.MIN_PREVIEW_YOUTHS, "min_judged": trial.MIN_EVAL_YOUTHS, "eval_k": trial.EVAL_K}


@bp.post("/coordinator/weights/<int:profile_id>/activate")
@role_required(Role.COORDINATOR)
def activate(profile_id: int) -> Response | tuple[str, int]:
    return _switch(profile_id, ws.activate, lambda v: _("Version %(version)d is now in use in your region.",
                                                        version=v))


@bp.post("/coordinator/weights/<int:profile_id>/restore")
@role_required(Role.COORDINATOR)
def restore(profile_id: int) -> Response | tuple[str, int]:
    return _switch(profile_id, ws.restore, lambda v: _("Version %(version)d is restored and in use in your "
                                                       "region.", version=v))


def _switch(profile_id: int, change: Any, done: Callable[[int], str]) -> Response | tuple[str, int]:
    found = _profile_or_404(profile_id)
    if not ActionForm().validate():
        abort(400, description=_("The form had expired. Please try again."))
    change(db.get_session(), me(), found)
    flash(done(found.version), "success")
    return redirect(url_for("coordinator.profile", profile_id=found.id), code=303)


# ---------------------------------------------------------------- suggested weights

@bp.post("/coordinator/weights/<int:profile_id>/learn")
@role_required(Role.COORDINATOR)
def learn(profile_id: int) -> Response | tuple[str, int]:
    found = _profile_or_404(profile_id)
    if not ActionForm().validate():
        abort(400, description=_("The form had expired. Please try again."))
    session = db.get_session()
    if not learning.enough_to_learn(session, me()):
        flash(_("Not enough outcomes yet to suggest weights: at least %(pairs)d outcomes of %(youths)d young "
                "people are needed.", pairs=learning.MIN_LEARN_PAIRS, youths=learning.MIN_LEARN_YOUTHS), "error")
        return redirect(url_for("coordinator.profile", profile_id=found.id), code=303)
    # One learning run per weight profile at a time: a start while one runs gets that one back.
    job = jobs.start("learn", {"profile_id": found.id, "region": found.region}, user_id=me().id,
                     key=f"learn:profile:{found.id}")
    return redirect(url_for("coordinator.proposal", profile_id=found.id, ref=job.ref), code=303)


def _learn_work(params: dict[str, Any], user_id: int | None, report: jobs.Report) -> dict[str, Any]:
    """The learning job (on the worker): weights suggested from the outcomes, starting from the profile's."""
    session = db.get_session()
    user = session.get(User, user_id) if user_id is not None else None
    profile = session.get(WeightProfile, int(params["profile_id"]))
    if user is None or profile is None:
        raise LookupError(f"no weight profile {params.get('profile_id')} for user {user_id}")
    return learning.learn_proposal(session, user, get_matcher(), Setting.of(profile), report)


jobs.register("learn", _learn_work)


def _job_or_404(profile: WeightProfile, ref: str) -> Job:
    session = db.get_session()
    job = session.exec(select(Job).where(Job.ref == ref, Job.kind == "learn")).first()
    if job is None or job.params.get("profile_id") != profile.id or job.params.get("region") != me().region:
        abort(404, description=_("There is no suggestion with this address."))
    return jobs.mark_stale(session, job)


@bp.get("/coordinator/weights/<int:profile_id>/learn/<ref>")
@role_required(Role.COORDINATOR)
def proposal(profile_id: int, ref: str) -> Response:
    """The learning job's progress (the page reloads itself while it runs), then its proposal."""
    found = _profile_or_404(profile_id)
    job = _job_or_404(found, ref)
    running = job.state in (JobState.QUEUED, JobState.RUNNING)
    response = make_response(render_template(
        "coordinator/proposal.html", profile=found, job=job, running=running,
        result=job.result if job.state == JobState.DONE else {}, failed=job.state == JobState.FAILED,
        form=ActionForm(), before=Setting.of(found), components=COMPONENTS, eval_k=trial.EVAL_K,
        min_pairs=learning.MIN_LEARN_PAIRS, min_youths=learning.MIN_LEARN_YOUTHS))
    if running:
        response.headers["Refresh"] = "3"  # every browser honours it; no script needed
    return response


@bp.post("/coordinator/weights/<int:profile_id>/learn/<ref>/adopt")
@role_required(Role.COORDINATOR)
def adopt(profile_id: int, ref: str) -> Response | tuple[str, int]:
    """Saves the suggested weights as a new version of the profile (not activated)."""
    found = _profile_or_404(profile_id)
    job = _job_or_404(found, ref)
    if not ActionForm().validate():
        abort(400, description=_("The form had expired. Please try again."))
    if job.state != JobState.DONE or not job.result.get("ok"):
        abort(409, description=_("This suggestion has no weights to adopt."))
    setting = Setting({c: float(job.result["weights"].get(c, 0.0)) for c in COMPONENTS}, found.diversity)
    try:
        saved = ws.save(db.get_session(), me(), found, setting, _("Suggested from outcomes"),
                        action="weights.adopt", job=job.ref)
    except ws.ProfileConflict:
        abort(409, description=_("Someone saved this profile at the same moment. Look at the versions and "
                                 "try again."))
    flash(_("The suggested weights are saved as version %(version)d. Activate it to use it.",
            version=saved.version), "success")
    return redirect(url_for("coordinator.profile", profile_id=saved.id), code=303)
