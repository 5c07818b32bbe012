"""The catalogue's change log beside the openings' own `changed_in`: the openings deleted from it.

An opening that leaves the catalogue by its status (closed, back to draft) keeps its row, and its
`changed_in` says when; a deleted row leaves nothing to read, so its deletion is written here, in the
same transaction, for every worker to see (`engine.changes`).
"""
# No `from __future__ import annotations`: SQLModel reads the annotations at class creation.
from typing import TYPE_CHECKING, ClassVar

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class OpeningTombstone(SQLModel, table=True):
    """An open opening deleted at catalogue `version` (its ref: the engine's id)."""

    __tablename__ = "opening_tombstone"

    if TYPE_CHECKING:  # made by SQLModel at class creation; declared for the type checker
        __table__: ClassVar[sa.Table]

    id: int | None = Field(default=None, primary_key=True)
    ref: str = Field(max_length=64)
    version: int = Field(index=True)
