"""The routes as the access and CSRF tests see them: which are public, whose role each is for, and the
URLs naming one side's objects (`tests.support.worlds.Side`).

A route is protected unless it is listed in `PUBLIC`; its role comes from its path (`PREFIX_ROLES`)
or, under /api/, from `API_ROLES`; its parameters are filled from a side by `OBJECTS`. A route
the tables do not know fails the test with a message naming it.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from werkzeug.routing import Rule

from tests.support.worlds import Side
from webapp.states import Role

WRITES = ("POST", "PUT", "PATCH", "DELETE")
PUBLIC = {"public.index", "public.openings", "public.opening", "public.associations", "public.association",
          "auth.sign_in", "auth.sign_up", "association.register_association", "youth.account_deleted", "ops.healthz",
          "i18n.set_language", "static", "api.openapi", "api.openings", "api.opening", "api.csrf_token",
          "auth.accept_invitation", "auth.forgot_password", "auth.reset_password",
          "api_docs.reference", "notices.unsubscribe_page", "notices.unsubscribe"}
ANY_SIGNED_IN = {"auth.sign_out", "auth.change_password", "notices.index", "notices.read", "notices.read_all",
                 "notices.settings", "api.notifications", "api.read_notifications"}
PREFIX_ROLES = (("/youth/", Role.YOUTH), ("/account/", Role.YOUTH), ("/me/", Role.YOUTH),
                ("/association/", Role.ASSOCIATION), ("/coordinator/", Role.COORDINATOR), ("/admin/", Role.ADMIN))
API_ROLES = {"api.matches": Role.YOUTH, "api.express_interest": Role.YOUTH, "api.withdraw": Role.YOUTH,
             "api.applicants": Role.ASSOCIATION, "api.decide": Role.ASSOCIATION,
             "api.youth_conversation": Role.YOUTH, "api.youth_message": Role.YOUTH,
             "api.applicant_conversation": Role.ASSOCIATION, "api.applicant_message": Role.ASSOCIATION}
# Own-role pages without parameters that redirect to the real page.
REDIRECTS = {"association.home"}

# The object each route parameter names, per endpoint (or for every endpoint with that parameter).
Fill = Callable[[Side], object]
OBJECTS: dict[tuple[str, str] | str, Fill] = {
    ("youth.certificate", "interest_id"): lambda s: s.completed_interest_id,
    ("youth.conversation", "interest_id"): lambda s: s.completed_interest_id,
    ("notices.read", "notice_id"): lambda s: s.notice_id,
    ("youth.block", "interest_id"): lambda s: s.completed_interest_id,
    ("youth.report_message", "message_id"): lambda s: s.message_id,
    ("api.youth_conversation", "interest_id"): lambda s: s.completed_interest_id,
    ("api.youth_message", "interest_id"): lambda s: s.completed_interest_id,
    ("association.conversation", "ref"): lambda s: s.second_ref,
    ("association.conversation", "interest_id"): lambda s: s.open_interest_id,
    ("api.applicant_conversation", "interest_id"): lambda s: s.open_interest_id,
    ("api.applicant_message", "interest_id"): lambda s: s.open_interest_id,
    ("youth.interest", "ref"): lambda s: s.draft_ref,
    ("youth.withdraw_interest", "ref"): lambda s: s.draft_ref,
    ("api.opening", "ref"): lambda s: s.draft_ref,
    ("public.opening", "ref"): lambda s: s.draft_ref,
    ("api.express_interest", "ref"): lambda s: s.draft_ref,
    ("api.withdraw", "ref"): lambda s: s.draft_ref,
    ("api.applicants", "ref"): lambda s: s.second_ref,
    ("api.decide", "interest_id"): lambda s: s.open_interest_id,
    ("association.edit_opening", "ref"): lambda s: s.draft_ref,
    ("association.set_status", "ref"): lambda s: s.draft_ref,
    ("association.preview", "ref"): lambda s: s.draft_ref,
    ("association.applicants", "ref"): lambda s: s.second_ref,
    ("association.decide", "ref"): lambda s: s.second_ref,
    ("association.decide", "interest_id"): lambda s: s.open_interest_id,
    ("coordinator.youth_outcomes", "ref"): lambda s: s.youth_ref,
    ("coordinator.youth_next_step", "ref"): lambda s: s.youth_ref,
    ("coordinator.youth_self_assessment_chart", "ref"): lambda s: s.youth_ref,
    ("coordinator.proposal", "ref"): lambda s: s.job_ref,
    ("coordinator.adopt", "ref"): lambda s: s.job_ref,
    "cohort_id": lambda s: s.cohort_id,
    "youth_id": lambda s: s.youth_id,
    "referral_id": lambda s: s.referral_id,
    "proposal_id": lambda s: s.suggestion_id,
    "profile_id": lambda s: s.weights_id,
    "association_id": lambda s: s.association_id,
    "user_id": lambda s: s.youth_user_id,
    "mail_id": lambda s: s.mail_id,
}
# Parameters that name no one's object: one value each.
NEUTRAL = {"number": 1, "filename": "polku.css", "token": "an-invitation-nobody-was-given-0123456789"}


def rules(app: Flask) -> list[Rule]:
    return sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))


def role_of(rule: Rule) -> Role | None:
    """The role a route is for; None for public routes and for any signed-in user's routes."""
    if rule.endpoint in PUBLIC or rule.endpoint in ANY_SIGNED_IN:
        return None
    if rule.endpoint in API_ROLES:
        return API_ROLES[rule.endpoint]
    if not rule.rule.startswith("/api/"):
        for prefix, role in PREFIX_ROLES:
            if rule.rule.startswith(prefix):
                return role
    pytest.fail(f"route {rule.rule} ({rule.endpoint}) is new to the access matrix: add it to PUBLIC, "
                f"ANY_SIGNED_IN, API_ROLES or PREFIX_ROLES in {__name__}")


def object_params(rule: Rule) -> list[str]:
    return sorted(a for a in rule.arguments if a not in (rule.defaults or {}) and a not in NEUTRAL
                  and not hasattr(rule._converters.get(a), "items"))


def urls(rule: Rule, side: Side, **fixed: object) -> Iterator[str]:
    """The route's URLs naming `side`'s objects: one per value of each `any(...)` parameter."""
    values: dict[str, object] = dict(rule.defaults or {})
    choices: list[tuple[str, list[str]]] = []
    for arg in sorted(rule.arguments - set(values)):
        converter = rule._converters.get(arg)
        if arg in fixed:
            values[arg] = fixed[arg]
        elif hasattr(converter, "items"):  # any(a, b, c): try each
            choices.append((arg, sorted(converter.items)))  # type: ignore[union-attr]
        elif arg in NEUTRAL:
            values[arg] = NEUTRAL[arg]
        elif (rule.endpoint, arg) in OBJECTS:
            values[arg] = OBJECTS[(rule.endpoint, arg)](side)
        elif arg in OBJECTS:
            values[arg] = OBJECTS[arg](side)
        else:
            pytest.fail(f"route {rule.rule} ({rule.endpoint}) has a parameter <{arg}> the access matrix cannot "
                        f"fill: add ({rule.endpoint!r}, {arg!r}) to OBJECTS in {__name__}")
    combos: list[dict[str, object]] = [{}]
    for arg, options in choices:
        combos = [{**c, arg: o} for c in combos for o in options]
    for combo in combos:
        built = rule.build({**values, **combo}, append_unknown=False)
        assert built is not None, (rule.rule, values, combo)
        yield built[1]


def methods(rule: Rule) -> list[str]:
    return sorted(rule.methods - {"HEAD", "OPTIONS"})  # type: ignore[operator]
