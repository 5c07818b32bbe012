"""Notifications: told in the app (and by e-mail, per each user's choice) that something happened.

`notify` adds a notice to the caller's session, so it commits (or rolls back) with the event
it tells of: there is never a notice of something that did not happen. A notice stores its
kind and parameters, not text; `text` words it when it is read, in the reader's language.
Parameters hold only what the reader may see anyway (an opening's title, an association's
or a cohort's name, ids): never a youth's name, and nothing sent to an association speaks
of referrals, cohorts or coordinators, so no association learns that a youth is a client
of youth services.

E-mail: `email_timing` is the one decision of which notices go by e-mail at once, which wait
for the day's digest and which are never mailed; the mail outbox calls it for each notice.
"""
from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlmodel import Session, col, select

from .. import clock
from ..models import EmailChoice, Notice, NoticeSetting, User
from ..states import Role

PER_PAGE = 20
LANGUAGES = ("fi", "sv", "en")


def _youth_texts() -> dict[str, Callable[[Mapping[str, Any]], str]]:
    return {
        "accepted": lambda p: _("%(association)s accepted you for “%(opening)s”. Welcome!", **p),
        "declined": lambda p: _("%(association)s did not choose you for “%(opening)s” this time.", **p),
        "dropped": lambda p: _("%(association)s marked your activity “%(opening)s” as ended early.", **p),
        "completed": lambda p: _("You completed “%(opening)s”. Your work certificate is ready.", **p),
        "referral": lambda p: _("A coordinator asks to follow your path in Polku. You decide.", **p),
        "suggestion": lambda p: _("A coordinator suggests an activity for you: “%(opening)s”.", **p),
        "youth_message": lambda p: _("New message from %(association)s about “%(opening)s”.", **p),
    }


def _association_texts() -> dict[str, Callable[[Mapping[str, Any]], str]]:
    return {
        "interest": lambda p: _("Someone is interested in “%(opening)s”.", **p),
        "withdrew": lambda p: _("An applicant withdrew their interest in “%(opening)s”.", **p),
        "association_message": lambda p: _("New message from an applicant to “%(opening)s”.", **p),
    }


def _coordinator_texts() -> dict[str, Callable[[Mapping[str, Any]], str]]:
    return {
        "referral_agreed": lambda p: _("A youth agreed to your referral.", **p),
        "referral_refused": lambda p: _("A youth said no to your referral.", **p),
        "suggestion_yes": lambda p: _("A youth said yes to a suggestion of the cohort “%(cohort)s”.", **p),
        "suggestion_no": lambda p: _("A youth said no to a suggestion of the cohort “%(cohort)s”.", **p),
    }


# Who each kind is for: the role a notice of that kind may go to, and its parameters.
KINDS: dict[str, tuple[Role, tuple[str, ...]]] = {
    "accepted": (Role.YOUTH, ("association", "opening", "interest_id")),
    "declined": (Role.YOUTH, ("association", "opening", "interest_id")),
    "dropped": (Role.YOUTH, ("association", "opening", "interest_id")),
    "completed": (Role.YOUTH, ("association", "opening", "interest_id")),
    "referral": (Role.YOUTH, ("referral_id",)),
    "suggestion": (Role.YOUTH, ("opening", "proposal_id")),
    "youth_message": (Role.YOUTH, ("association", "opening", "interest_id")),
    "interest": (Role.ASSOCIATION, ("opening", "ref")),
    "withdrew": (Role.ASSOCIATION, ("opening", "ref")),
    "association_message": (Role.ASSOCIATION, ("opening", "ref", "interest_id")),
    "referral_agreed": (Role.COORDINATOR, ("referral_id", "youth_id")),
    "referral_refused": (Role.COORDINATOR, ("referral_id",)),
    "suggestion_yes": (Role.COORDINATOR, ("cohort", "cohort_id")),
    "suggestion_no": (Role.COORDINATOR, ("cohort", "cohort_id")),
}

# Where each kind leads, from its parameters (a path inside Polku, without the app's script root).
LINKS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "accepted": lambda p: f"/youth/activities/{p['interest_id']}/messages",
    "declined": lambda p: "/youth/activities",
    "dropped": lambda p: "/youth/activities",
    "completed": lambda p: f"/youth/activities/{p['interest_id']}/certificate",
    "referral": lambda p: "/me/referrals",
    "suggestion": lambda p: "/me/referrals",
    "youth_message": lambda p: f"/youth/activities/{p['interest_id']}/messages",
    "interest": lambda p: f"/association/openings/{p['ref']}/applicants",
    "withdrew": lambda p: f"/association/openings/{p['ref']}/applicants",
    "association_message": lambda p: f"/association/openings/{p['ref']}/applicants/{p['interest_id']}/messages",
    "referral_agreed": lambda p: f"/coordinator/referrals/youths/{p['youth_id']}",
    "referral_refused": lambda p: "/coordinator/referrals/",
    "suggestion_yes": lambda p: f"/coordinator/cohorts/{p['cohort_id']}",
    "suggestion_no": lambda p: f"/coordinator/cohorts/{p['cohort_id']}",
}


def notify(session: Session, user_id: int, kind: str, *, subject: str = "", **params: Any) -> Notice:
    """Adds a notice of `kind` for `user_id` to `session`: it commits with the caller's change.

    `params` must be exactly the kind's (`KINDS`): a missing or unknown one is a programming error.
    `subject` (e.g. "interest:12") lets the notices of one conversation be marked read together.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notice kind {kind!r}; expected one of {sorted(KINDS)}")
    expected = set(KINDS[kind][1])
    if set(params) != expected:
        raise ValueError(f"notice {kind!r} takes the parameters {sorted(expected)}, not {sorted(params)}")
    notice = Notice(user_id=user_id, kind=kind, params=dict(params), link=LINKS[kind](params), subject=subject)
    session.add(notice)
    from . import notice_mail  # imports this module: the mail of a notice is written there
    notice_mail.mail_if_due(session, notice)
    return notice


def notify_members(session: Session, association_id: int, kind: str, *, subject: str = "", **params: Any) -> None:
    """A notice for each active member of the association."""
    if KINDS.get(kind, (None,))[0] != Role.ASSOCIATION:
        raise ValueError(f"{kind!r} is not a notice for associations")
    for member_id in session.exec(select(User.id).where(User.association_id == association_id,
                                                        User.role == Role.ASSOCIATION, col(User.active).is_(True))):
        notify(session, member_id, kind, subject=subject, **params)  # type: ignore[arg-type]  # a stored row's id is set


def text(notice: Notice) -> str:
    """The notice in words of the current language."""
    role = KINDS[notice.kind][0]
    texts = {Role.YOUTH: _youth_texts, Role.ASSOCIATION: _association_texts,
             Role.COORDINATOR: _coordinator_texts}[role]()
    return texts[notice.kind](notice.params)


# ---------------------------------------------------------------- reading

@dataclass(frozen=True)
class Page:
    """One page of a user's notices, newest first (the shape `_pagination.html` reads)."""

    notices: list[Notice]
    number: int
    pages: int
    unread: int


def page(session: Session, user_id: int, number: int = 1, per_page: int = PER_PAGE) -> Page:
    """The user's notices on page `number` (1 = the newest); a page past the end is the last one."""
    total = session.exec(select(sa.func.count()).select_from(Notice).where(Notice.user_id == user_id)).one()
    pages = max(1, -(-total // per_page))
    number = min(max(1, number), pages)
    rows = session.exec(select(Notice).where(Notice.user_id == user_id)
                        .order_by(col(Notice.created_at).desc(), col(Notice.id).desc())
                        .offset((number - 1) * per_page).limit(per_page)).all()
    return Page(list(rows), number, pages, unread_count(session, user_id))


def unread_count(session: Session, user_id: int) -> int:
    return session.exec(select(sa.func.count()).select_from(Notice)
                        .where(Notice.user_id == user_id, col(Notice.read_at).is_(None))).one()


def mark_read(session: Session, user_id: int, notice_id: int | None = None, subject: str | None = None) -> int:
    """Marks the user's unread notices read: one (`notice_id`), a subject's, or all; commits; how many."""
    table = Notice.__table__
    where = [table.c.user_id == user_id, table.c.read_at.is_(None)]
    if notice_id is not None:
        where.append(table.c.id == notice_id)
    if subject is not None:
        where.append(table.c.subject == subject)
    changed = session.connection().execute(table.update().where(*where).values(read_at=clock.now())).rowcount
    session.commit()
    return int(changed)


# ---------------------------------------------------------------- e-mail choices

class Timing(str, enum.Enum):
    """When a notice goes out by e-mail."""

    NOW = "now"
    DIGEST = "digest"
    NEVER = "never"


# Default choices when a user has chosen nothing. Youths too get e-mail at once: what they are
# told is rare (a few activities each) and it is what decides whether a matched youth shows up
# (accepted, a message asking when they can start); a day's wait for the digest loses that.
DEFAULTS = {Role.YOUTH: EmailChoice.NOW, Role.ASSOCIATION: EmailChoice.NOW, Role.COORDINATOR: EmailChoice.NOW,
            Role.ADMIN: EmailChoice.NONE}


@dataclass(frozen=True)
class Setting:
    email: EmailChoice
    language: str
    chosen: bool  # False: the role's default


def setting(session: Session, user: User) -> Setting:
    """The user's e-mail choice and language, or the role's default."""
    row = session.get(NoticeSetting, user.id)
    if row is not None:
        return Setting(row.email, row.language, True)
    return Setting(DEFAULTS.get(user.role, EmailChoice.NONE), LANGUAGES[0], False)


def choose(session: Session, user: User, email: EmailChoice | str, language: str) -> NoticeSetting:
    """Saves the user's choice; commits. ValueError for an unknown choice or language."""
    choice = EmailChoice(email)
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    row = session.get(NoticeSetting, user.id) or NoticeSetting(user_id=user.id, email=choice)  # type: ignore[arg-type]  # a stored row's id is set
    row.email, row.language, row.updated_at = choice, language, clock.now()
    session.add(row)
    session.commit()
    return row


def email_timing(session: Session, notice: Notice) -> Timing:
    """Whether `notice` goes by e-mail at once, waits for the daily digest, or is never mailed.

    Never to a closed account (deletion closes it too), nor one whose role the kind is not for; otherwise
    as the user chose (or the role's default).
    """
    user = session.get(User, notice.user_id)
    if user is None or not user.active:
        return Timing.NEVER
    if KINDS.get(notice.kind, (None,))[0] != user.role:
        return Timing.NEVER
    choice = setting(session, user).email
    return {EmailChoice.NOW: Timing.NOW, EmailChoice.DIGEST: Timing.DIGEST, EmailChoice.NONE: Timing.NEVER}[choice]


def digest_due(session: Session, user_id: int, since: dt.datetime) -> list[Notice]:
    """The user's notices since `since`, oldest first, for the day's digest (the caller checks the timing)."""
    return list(session.exec(select(Notice).where(Notice.user_id == user_id, Notice.created_at > since)
                             .order_by(col(Notice.created_at), col(Notice.id))))


def email_text(notice: Notice, language: str) -> str:
    """The notice worded in `language`, for an e-mail (needs an app context)."""
    with force_locale(language):
        return text(notice)
