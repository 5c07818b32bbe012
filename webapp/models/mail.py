"""The outbox: every e-mail Polku sends, written in the same transaction as the event that causes it
(`webapp.mail.outbox.queue_mail`) and sent by the worker (`webapp.mail.sender`).

A row is taken by one sender at a time with a lease (`leased_until`): a sender that dies leaves the
lease to run out, and the row is taken again. `message_id` is made when the row is written, so every
try of the same mail carries the same Message-ID.
"""
# No `from __future__ import annotations`: SQLModel reads the annotations at class creation.
import datetime as dt
from typing import TYPE_CHECKING, ClassVar

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .. import clock
from ..states import MailState
from ._columns import enum_column, timestamp


class OutboxMail(SQLModel, table=True):
    """One e-mail to one address, with why it was sent (`reason`, in the body's footer)."""

    __table_args__ = (
        # The sender's question, "which mails are due?", read in index order.
        sa.Index("ix_outboxmail_due", "state", "next_try_at"),
    )

    if TYPE_CHECKING:  # made by SQLModel at class creation; declared for the type checker
        __table__: ClassVar[sa.Table]

    id: int | None = Field(default=None, primary_key=True)
    message_id: str = Field(max_length=200, unique=True)  # "<...@host>", the same on every try
    to: str = Field(max_length=254)
    language: str = Field(max_length=8)  # fi, sv, en
    subject: str = Field(max_length=300)
    text: str = Field(sa_type=sa.Text)
    html: str | None = Field(default=None, sa_type=sa.Text)
    reason: str = Field(max_length=500)
    unsubscribe_url: str | None = Field(default=None, max_length=2000)
    state: MailState = Field(default=MailState.QUEUED, sa_type=enum_column(MailState, "mail_state"), nullable=False)
    tries: int = 0
    next_try_at: dt.datetime = Field(default_factory=clock.now, sa_type=sa.DateTime(timezone=True), nullable=False)
    leased_until: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    lease: str | None = Field(default=None, max_length=64)  # the sender holding the row, while leased
    last_error: str = Field(default="", max_length=500)
    created_at: dt.datetime = timestamp()
    sent_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
