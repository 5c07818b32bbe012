"""The tables of notifications and messages: in-app notices, each user's e-mail choice, the
conversations between a youth and an association, reports of messages and blocks.

A notice stores what happened (`kind`) and its parameters, never text: it is worded when read,
in the reader's language (`services.notices`). Parameters hold only what the reader may see
anyway (an opening's title, an association's name, ids); never a youth's name, so a deleted
account leaves nothing personal in anyone else's notices.
"""
# No `from __future__ import annotations`: SQLModel reads the annotations at class creation.
import datetime as dt
import enum
from typing import TYPE_CHECKING, Any, ClassVar

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ._columns import JSONDoc, enum_column, timestamp


class EmailChoice(str, enum.Enum):
    """How a user wants notifications by e-mail."""

    NOW = "now"  # one e-mail per notification, at once
    DIGEST = "digest"  # one e-mail a day with the day's notifications
    NONE = "none"  # only in the app


class Notice(SQLModel, table=True):
    """One notification to one user: what happened (`kind`, `params`), where to look (`link`)."""

    __table_args__ = (sa.Index("ix_notice_user_created", "user_id", "created_at", "id"),)

    if TYPE_CHECKING:  # made by SQLModel at class creation; declared for the type checker
        __table__: ClassVar[sa.Table]

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id")
    kind: str = Field(max_length=32)  # a key of services.notices.KINDS
    params: dict[str, Any] = Field(default_factory=dict, sa_type=JSONDoc, sa_column_kwargs={"nullable": False})
    link: str = Field(default="", max_length=300)  # a path inside Polku
    subject: str = Field(default="", max_length=64, index=True)  # e.g. "interest:12": read together when opened
    created_at: dt.datetime = timestamp()
    read_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class NoticeSetting(SQLModel, table=True):
    """A user's own choice of e-mail for notifications; no row: the role's default (`services.notices`)."""

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    email: EmailChoice = Field(sa_type=enum_column(EmailChoice, "email_choice"), nullable=False)
    language: str = Field(default="fi", max_length=2)  # of the e-mails: fi, sv or en
    updated_at: dt.datetime = timestamp()
    digest_sent_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))  # the last digest


class Message(SQLModel, table=True):
    """One message in the conversation of an interest, between the youth and the association's members."""

    __table_args__ = (sa.Index("ix_message_interest_created", "interest_id", "created_at", "id"),)

    if TYPE_CHECKING:  # made by SQLModel at class creation; declared for the type checker
        __table__: ClassVar[sa.Table]

    id: int | None = Field(default=None, primary_key=True)
    interest_id: int = Field(foreign_key="interest.id")
    sender_id: int = Field(foreign_key="user.id", index=True)
    from_youth: bool  # the youth's side or the association's
    body: str = Field(sa_type=sa.Text)
    created_at: dt.datetime = timestamp()


class MessageReport(SQLModel, table=True):
    """A youth's report of a message, for an administrator to look at."""

    id: int | None = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key="message.id", unique=True)
    reporter_id: int = Field(foreign_key="user.id", index=True)
    created_at: dt.datetime = timestamp()


class Block(SQLModel, table=True):
    """A youth blocked an association: it sends the youth no more messages; their conversations close."""

    __table_args__ = (sa.UniqueConstraint("youth_id", "association_id"),)

    id: int | None = Field(default=None, primary_key=True)
    youth_id: int = Field(foreign_key="youthprofile.id", index=True)
    association_id: int = Field(foreign_key="association.id", index=True)
    created_at: dt.datetime = timestamp()
