"""The states and kinds a row can be in, each stored as its value (see `models`).

Here rather than beside the tables so that anything may name a state (a form, a label,
a test) without reading the tables.
"""
from __future__ import annotations

import enum


class Role(str, enum.Enum):
    YOUTH = "youth"
    ASSOCIATION = "association"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


class OpeningStatus(str, enum.Enum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class InterestState(str, enum.Enum):
    INTERESTED = "interested"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    COMPLETED = "completed"
    DROPPED = "dropped"


class OutcomeKind(str, enum.Enum):
    """The outcomes `matching.learn` reads (CSV youth_id,opening_id,outcome)."""

    SHOWN = "shown"
    INTERESTED = "interested"
    ACCEPTED = "accepted"
    COMPLETED = "completed"
    DECLINED = "declined"
    DROPPED = "dropped"


class ReferralState(str, enum.Enum):
    PENDING = "pending"  # the coordinator asked; the youth has not agreed yet
    ACTIVE = "active"  # the youth agreed: the coordinator follows their matches and activities
    ENDED = "ended"  # either side ended it


class NextStepKind(str, enum.Enum):
    """Where a youth went after an activity, for funders' reports."""

    EDUCATION = "education"
    WORK = "work"
    WORK_TRIAL = "work_trial"
    REHABILITATIVE = "rehabilitative"  # kuntouttava työtoiminta and other rehabilitative services
    NONE_YET = "none_yet"


class JobState(str, enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class CohortState(str, enum.Enum):
    DRAFT = "draft"  # youths and openings chosen
    PROPOSED = "proposed"  # allocation ran; the coordinator reviews and adjusts
    SENT = "sent"  # proposals sent to the youths and associations


class ProposalState(str, enum.Enum):
    PROPOSED = "proposed"
    REMOVED = "removed"  # taken out by hand before sending
    SUGGESTED = "suggested"  # sent to the youth as a suggestion: nothing reaches the association until they say yes
    REFUSED = "refused"  # the youth said no to the suggestion
    SENT = "sent"  # the youth said yes (or was interested already): their interest is with the association
    ACCEPTED = "accepted"
    DECLINED = "declined"


class MailState(str, enum.Enum):
    """Where an outbox mail is: waiting (or between tries), sent, kept here (no SMTP server configured: an
    administrator reads it in the app), or refused for good by the SMTP server."""

    QUEUED = "queued"
    SENT = "sent"
    HELD = "held"
    FAILED = "failed"
