"""The tables of accounts' security: limited attempts, one-time invitations, trusted devices.

Kept apart from the domain tables: they hold no youth's data, only what sign-in and invitations
need (`auth`).
"""
# No `from __future__ import annotations`: SQLModel reads the annotations at class creation.
import datetime as dt
from typing import TYPE_CHECKING, ClassVar

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .. import clock
from ._columns import timestamp


class Attempt(SQLModel, table=True):
    """One attempt at something limited (signing in, signing up, registering), kept so the limit
    holds across every worker process (`auth.attempts`).

    `key` is a hash of what the attempt is counted under (an e-mail address, a client address,
    a device), so none of them is stored; rows older than the longest window are deleted as
    new ones arrive.
    """

    if TYPE_CHECKING:  # made by SQLModel at class creation; declared for the type checker
        __table__: ClassVar[sa.Table]

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64, index=True)
    at: dt.datetime = Field(default_factory=clock.now, sa_type=sa.DateTime(timezone=True), nullable=False, index=True)


class Invitation(SQLModel, table=True):
    """A one-time link with which a person chooses their own password: an invited person (a coordinator)
    their first, or anyone who forgot theirs a new one (a password reset). Only a hash of its token is
    stored, so the database alone cannot be used to take the account."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    # What the link is for: "invite" (choose a first password) or "reset" (a forgotten password, by e-mail);
    # each page takes only links of its own purpose.
    purpose: str = Field(default="invite", max_length=16, sa_column_kwargs={"server_default": "invite"})
    token_hash: str = Field(max_length=64, unique=True)
    created_at: dt.datetime = timestamp()
    expires_at: dt.datetime = Field(sa_type=sa.DateTime(timezone=True), nullable=False)
    used_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class TrustedDevice(SQLModel, table=True):
    """A browser that signed in to an account before: its own budget of sign-in attempts, which a
    stranger's failures cannot spend (`auth.attempts`). `key` hashes the device cookie and the account."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: dt.datetime = timestamp()
