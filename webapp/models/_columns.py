"""Column types and defaults every table module shares, so each kind of column is made one way."""
from __future__ import annotations

import enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field

from .. import clock

JSONList = sa.JSON().with_variant(JSONB(), "postgresql")
JSONDoc = JSONList  # the same column type, holding an object


def enum_column(cls: type[enum.Enum], name: str) -> sa.Enum:
    """Stored as its value in a VARCHAR with a CHECK constraint (no native PostgreSQL type)."""
    return sa.Enum(cls, name=name, native_enum=False, create_constraint=True, length=16,
                   values_callable=lambda e: [m.value for m in e], validate_strings=True)


def list_field() -> Any:
    return Field(default_factory=list, sa_type=JSONList, sa_column_kwargs={"nullable": False})


def timestamp() -> Any:
    return Field(default_factory=clock.now, sa_type=sa.DateTime(timezone=True), nullable=False)
