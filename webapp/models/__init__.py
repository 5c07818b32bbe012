"""Every table of the web app, as SQLModel classes.

Lists (themes, languages, vocabulary codes, schedule slots) are JSON columns (JSONB on
PostgreSQL) holding lists of strings, in the engine's record format; `engine.convert`
turns rows into `matching` objects. Places are stored as the record has them: a
municipality name and/or lat+lon. Every column the engine reads refuses, on assignment,
a value the engine would refuse (`engine.fields`), and `opening.kind` is constrained in
the database too.
"""
# No `from __future__ import annotations`: SQLModel reads the annotations at class creation.
import datetime as dt
import re
import secrets
from typing import TYPE_CHECKING, Any, ClassVar, Optional

import sqlalchemy as sa
from sqlalchemy.orm import validates
from sqlmodel import Field, Relationship, SQLModel

from .. import clock, ytunnus
from ..engine import fields as engine_fields
from ..states import (CohortState, InterestState, JobState, NextStepKind, OpeningStatus, OutcomeKind, ProposalState,
                     ReferralState, Role)
from ._columns import JSONDoc, enum_column, list_field, timestamp

# Named constraints, so migrations can refer to them on every backend.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _ref(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(5)}"


def new_session_token() -> str:
    return secrets.token_hex(16)


# Youth profile fields a youth may agree to show to the associations they are interested in.
# Nothing is shared until the youth ticks it; the association always sees the youth's
# chosen display name and the note written with the interest. "email" is the account's
# address, so the association can get in touch.
SHAREABLE_FIELDS = (
    "age", "interests", "themes", "municipality", "languages", "kinds", "qualifications", "needs", "goals",
    "availability", "email",
)


def normalise_email(value: str) -> str:
    """E-mail addresses are stored trimmed and lower-cased, so each has one account."""
    return value.strip().lower()


# One @, something on both sides, a dot in the domain, no spaces: typos caught, no mail server asked.
EMAIL_SHAPE = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
EMAIL_MAX_LENGTH = 254


def looks_like_email(value: str) -> bool:
    """Whether `value` has the shape of an e-mail address (and is not too long for one)."""
    return len(value) <= EMAIL_MAX_LENGTH and EMAIL_SHAPE.fullmatch(value) is not None


class Association(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    business_id: str | None = Field(default=None, max_length=9, unique=True)  # Y-tunnus, validated
    municipality: str | None = Field(default=None, max_length=100)
    contact: str = Field(default="", max_length=300)
    description: str = Field(default="", sa_type=sa.Text)
    created_at: dt.datetime = timestamp()
    # Checked by an administrator or a coordinator of the region (`services.accounts.verify`): until
    # then it publishes no opening for under-18s and sees none of its applicants' shared details.
    verified: bool = False
    verified_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))

    openings: list["Opening"] = Relationship(back_populates="association")
    members: list["User"] = Relationship(back_populates="association")

    # SQLModel keeps the value as given, so validators here refuse; they cannot rewrite.
    @validates("business_id")
    def _check_business_id(self, key: str, value: str | None) -> str | None:
        if value is not None and ytunnus.validate(value) != value:
            raise ytunnus.BusinessIdError(f"remove the spaces around the Y-tunnus {value!r}")
        return value


class Opening(SQLModel, table=True):
    """Every field of the engine's opening record; `ref` is the record's `id`."""

    __table_args__ = (
        sa.CheckConstraint("capacity IS NULL OR capacity >= 1", name="capacity"),
        sa.CheckConstraint("filled >= 0 AND (capacity IS NULL OR filled <= capacity)", name="filled"),
        sa.CheckConstraint("min_age IS NULL OR max_age IS NULL OR min_age <= max_age", name="ages"),
        sa.CheckConstraint("kind IS NULL OR kind IN (%s)" % ", ".join(f"'{k}'" for k in engine_fields.KINDS),
                           name="kind"),
        # The directory and GET /api/v1/openings list open openings newest first (catalogue.newest_first):
        # read in index order, a page costs its own rows, not a sort of the whole catalogue.
        sa.Index("ix_opening_status_created", "status", "created_at", "id"),
        # An association's own list, newest first (services.openings.of_association), the same way.
        sa.Index("ix_opening_association_created", "association_id", "created_at", "id"),
    )

    if TYPE_CHECKING:  # made by SQLModel at class creation; declared for the type checker
        __table__: ClassVar[sa.Table]

    id: int | None = Field(default=None, primary_key=True)
    ref: str = Field(default_factory=lambda: _ref("o"), max_length=64, unique=True)
    association_id: int = Field(foreign_key="association.id")
    status: OpeningStatus = Field(default=OpeningStatus.DRAFT, sa_type=enum_column(OpeningStatus, "opening_status"),
                                  nullable=False, index=True)
    title: str = Field(max_length=300)
    description: str = Field(default="", sa_type=sa.Text)
    kind: str | None = Field(default=None, max_length=32)  # a matching.Kind code (a CHECK constraint)
    themes: list[str] = list_field()
    municipality: str | None = Field(default=None, max_length=100)
    lat: float | None = None
    lon: float | None = None
    remote: bool = False
    schedule: list[str] = list_field()  # availability texts, e.g. ["ma-pe 12-20"]
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    capacity: int | None = None
    filled: int = 0
    min_age: int | None = None
    max_age: int | None = None
    languages: list[str] = list_field()
    requirements: list[str] = list_field()
    support: list[str] = list_field()
    benefits: list[str] = list_field()
    created_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()
    # The catalogue version at which the engine's view of this opening last changed (published, edited
    # while open, places taken or freed, closed): a worker applies the rows above its own version
    # (`engine.changes`). A draft's saves leave it alone.
    changed_in: int = Field(default=0, index=True, sa_column_kwargs={"server_default": "0"})

    association: Association = Relationship(back_populates="openings")

    @validates(*engine_fields.OPENING)
    def _engine_reads(self, key: str, value: Any) -> Any:
        return engine_fields.checked(engine_fields.OPENING, key, value)


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)  # stored lower-cased
    password_hash: str = Field(max_length=255)
    role: Role = Field(sa_type=enum_column(Role, "user_role"), nullable=False)
    name: str = Field(default="", max_length=200)
    association_id: int | None = Field(default=None, foreign_key="association.id", index=True)
    region: str | None = Field(default=None, max_length=100)  # a coordinator's region (maakunta, as in matching.geo)
    active: bool = True
    created_at: dt.datetime = timestamp()
    # Part of every session cookie (`get_id`): a new token ends every session of the user at once
    # (sign-out, deletion, deactivation, password change), as the cookie alone cannot be taken back.
    session_token: str = Field(default_factory=new_session_token, max_length=64)

    association: Optional["Association"] = Relationship(back_populates="members")
    profile: "YouthProfile" = Relationship(back_populates="user")

    # Flask-Login's user interface
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """What the session cookie holds: the id and the session token, `"62:9f3c..."`."""
        return f"{self.id}:{self.session_token}"

    def end_sessions(self) -> None:
        """Every session of this user ends: cookies carrying the old token are refused from now on."""
        self.session_token = new_session_token()

    @validates("email")
    def _check_email(self, key: str, value: str) -> str:
        if value != normalise_email(value) or "@" not in value:
            raise ValueError(f"expected an address like name@example.fi, trimmed and lower-case; got {value!r}")
        return value


class YouthProfile(SQLModel, table=True):
    """Every field of the engine's youth record; `ref` is the record's `id`."""

    if TYPE_CHECKING:  # made by SQLModel at class creation; declared for the type checker
        __table__: ClassVar[sa.Table]

    id: int | None = Field(default=None, primary_key=True)
    ref: str = Field(default_factory=lambda: _ref("y"), max_length=64, unique=True)
    user_id: int = Field(foreign_key="user.id", unique=True)
    age: int | None = None
    interests: str = Field(default="", sa_type=sa.Text)
    themes: list[str] = list_field()
    municipality: str | None = Field(default=None, max_length=100)
    lat: float | None = None
    lon: float | None = None
    max_travel_km: float | None = None
    remote_ok: bool | None = None
    availability: list[str] = list_field()
    languages: list[str] = list_field()
    kinds: list[str] = list_field()
    qualifications: list[str] = list_field()
    needs: list[str] = list_field()
    goals: list[str] = list_field()
    shared_fields: list[str] = list_field()  # names from SHAREABLE_FIELDS
    updated_at: dt.datetime = timestamp()

    user: User = Relationship(back_populates="profile")

    @validates(*engine_fields.YOUTH)
    def _engine_reads(self, key: str, value: Any) -> Any:
        return engine_fields.checked(engine_fields.YOUTH, key, value)


class Interest(SQLModel, table=True):
    """A youth's interest in an opening and where it went."""

    __table_args__ = (
        sa.UniqueConstraint("youth_id", "opening_id"),
        # An opening's applicants, oldest first (services.decisions.applicants), read in index order.
        sa.Index("ix_interest_opening_created", "opening_id", "created_at", "id"),
    )

    if TYPE_CHECKING:  # made by SQLModel at class creation; declared for the type checker
        __table__: ClassVar[sa.Table]

    id: int | None = Field(default=None, primary_key=True)
    youth_id: int = Field(foreign_key="youthprofile.id", index=True)
    opening_id: int = Field(foreign_key="opening.id")
    state: InterestState = Field(default=InterestState.INTERESTED,
                                 sa_type=enum_column(InterestState, "interest_state"), nullable=False)
    message: str = Field(default="", sa_type=sa.Text)  # the youth's note to the association
    # For the work certificate: when the association accepted and when the activity ended
    # (completed or dropped), and the association's own words about the youth's work.
    accepted_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    finished_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    reference: str = Field(default="", sa_type=sa.Text)
    created_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()


class Outcome(SQLModel, table=True):
    """One observed event for learning weights: a youth was shown / took up / finished an opening."""

    id: int | None = Field(default=None, primary_key=True)
    youth_id: int = Field(foreign_key="youthprofile.id", index=True)
    opening_id: int = Field(foreign_key="opening.id", index=True)
    outcome: OutcomeKind = Field(sa_type=enum_column(OutcomeKind, "outcome_kind"), nullable=False)
    recorded_at: dt.datetime = timestamp()


# ------------------------------------------------------------ the coordinator's workspace


class WeightProfile(SQLModel, table=True):
    """One saved version of a named set of weights; a region's active one scores its youths.

    Versions are never edited: a change saves version n+1, and going back re-activates an
    older version, so every past state stays reproducible.
    """

    __table_args__ = (sa.UniqueConstraint("name", "version"),)

    if TYPE_CHECKING:  # made by SQLModel at class creation; declared for the type checker
        __table__: ClassVar[sa.Table]

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    region: str | None = Field(default=None, max_length=100, index=True)  # None: everywhere without its own
    version: int = 1
    weights: dict[str, float] = Field(default_factory=dict, sa_type=JSONDoc, sa_column_kwargs={"nullable": False})
    diversity: float = 0.2
    note: str = Field(default="", sa_type=sa.Text)
    active: bool = False
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: dt.datetime = timestamp()


class AuditEntry(SQLModel, table=True):
    """Who did what, when, to which object: coordinators' changes are logged and reversible."""

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=clock.now, sa_type=sa.DateTime(timezone=True), nullable=False, index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    action: str = Field(max_length=64)  # e.g. "weights.save", "weights.activate", "cohort.send"
    subject: str = Field(default="", max_length=100)  # e.g. "weightprofile:3"
    details: dict[str, Any] = Field(default_factory=dict, sa_type=JSONDoc, sa_column_kwargs={"nullable": False})


class Referral(SQLModel, table=True):
    """A coordinator's referral of a youth, which the youth agrees to before anything is shown."""

    __table_args__ = (sa.UniqueConstraint("youth_id", "coordinator_id"),)

    id: int | None = Field(default=None, primary_key=True)
    ref: str = Field(default_factory=lambda: _ref("r"), max_length=64, unique=True)
    youth_id: int = Field(foreign_key="youthprofile.id", index=True)
    coordinator_id: int = Field(foreign_key="user.id", index=True)
    region: str = Field(max_length=100, index=True)
    state: ReferralState = Field(default=ReferralState.PENDING, sa_type=enum_column(ReferralState, "referral_state"),
                                 nullable=False)
    note: str = Field(default="", sa_type=sa.Text)
    created_at: dt.datetime = timestamp()
    consented_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    ended_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class NextStep(SQLModel, table=True):
    """A youth's next step after an activity (or at any time), recorded by the youth or a coordinator."""

    id: int | None = Field(default=None, primary_key=True)
    youth_id: int = Field(foreign_key="youthprofile.id", index=True)
    interest_id: int | None = Field(default=None, foreign_key="interest.id", index=True)
    step: NextStepKind = Field(sa_type=enum_column(NextStepKind, "next_step_kind"), nullable=False)
    recorded_by: int | None = Field(default=None, foreign_key="user.id")
    recorded_at: dt.datetime = timestamp()


class SelfAssessment(SQLModel, table=True):
    """A youth's own view of their work and functional ability, domain -> 1..5, repeated over time."""

    id: int | None = Field(default=None, primary_key=True)
    youth_id: int = Field(foreign_key="youthprofile.id", index=True)
    scores: dict[str, int] = Field(default_factory=dict, sa_type=JSONDoc, sa_column_kwargs={"nullable": False})
    taken_at: dt.datetime = timestamp()


class Job(SQLModel, table=True):
    """A long run (allocation, learning) done in the background, with its progress for the page."""

    id: int | None = Field(default=None, primary_key=True)
    ref: str = Field(default_factory=lambda: _ref("j"), max_length=64, unique=True)
    kind: str = Field(max_length=32)  # "allocate", "learn"
    state: JobState = Field(default=JobState.QUEUED, sa_type=enum_column(JobState, "job_state"), nullable=False)
    progress: float = 0.0  # 0..1
    message: str = Field(default="", max_length=300)
    params: dict[str, Any] = Field(default_factory=dict, sa_type=JSONDoc, sa_column_kwargs={"nullable": False})
    result: dict[str, Any] = Field(default_factory=dict, sa_type=JSONDoc, sa_column_kwargs={"nullable": False})
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: dt.datetime = timestamp()
    finished_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    # Written every few seconds by the worker while the run works: a run silent for longer than
    # `services.jobs.SILENT_AFTER` lost its worker and is marked failed (`jobs.mark_stale`).
    heartbeat_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    # "allocate:cohort:7" while the run is queued or running, None after: unique, so the same run for the
    # same cohort or region cannot be started twice, however many requests race (`jobs.start`).
    running_key: str | None = Field(default=None, max_length=100, unique=True)


class Cohort(SQLModel, table=True):
    """A group of youths a coordinator places on a set of openings at once."""

    id: int | None = Field(default=None, primary_key=True)
    ref: str = Field(default_factory=lambda: _ref("c"), max_length=64, unique=True)
    name: str = Field(max_length=200)
    region: str = Field(max_length=100, index=True)
    state: CohortState = Field(default=CohortState.DRAFT, sa_type=enum_column(CohortState, "cohort_state"),
                               nullable=False)
    youth_ids: list[int] = list_field()
    opening_ids: list[int] = list_field()
    job_id: int | None = Field(default=None, foreign_key="job.id")
    summary: dict[str, Any] = Field(default_factory=dict, sa_type=JSONDoc, sa_column_kwargs={"nullable": False})
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: dt.datetime = timestamp()


class Proposal(SQLModel, table=True):
    """One youth proposed for one opening in a cohort; sending it creates the interest record."""

    __table_args__ = (sa.UniqueConstraint("cohort_id", "youth_id"),)

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True)
    youth_id: int = Field(foreign_key="youthprofile.id", index=True)
    opening_id: int = Field(foreign_key="opening.id", index=True)
    fit: float | None = None
    by_hand: bool = False
    state: ProposalState = Field(default=ProposalState.PROPOSED, sa_type=enum_column(ProposalState, "proposal_state"),
                                 nullable=False)
    interest_id: int | None = Field(default=None, foreign_key="interest.id")
    updated_at: dt.datetime = timestamp()


class CatalogueVersion(SQLModel, table=True):
    """One row of versions that worker processes check to keep what they hold fresh (see
    `webapp.engine.versions`): `version` goes up in the same transaction as any change to
    openings, `weights` with any change to weight profiles."""

    __table_args__ = (sa.CheckConstraint("id = 1", name="single_row"),)

    if TYPE_CHECKING:  # made by SQLModel at class creation; declared for the type checker
        __table__: ClassVar[sa.Table]

    id: int = Field(default=1, primary_key=True)
    version: int = 0
    weights: int = 0


# Tables of their own modules, imported here so every table is in the metadata and `from webapp.models
# import X` works for each.
from .accounts import Attempt as Attempt, Invitation as Invitation, TrustedDevice as TrustedDevice  # noqa: E402
from .changes import OpeningTombstone as OpeningTombstone  # noqa: E402
from .mail import OutboxMail as OutboxMail  # noqa: E402
from .notices import (Block as Block, EmailChoice as EmailChoice, Message as Message,  # noqa: E402
                      MessageReport as MessageReport, Notice as Notice, NoticeSetting as NoticeSetting)
