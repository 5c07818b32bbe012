"""Which youths a coordinator may see: those who agreed to a referral in the coordinator's region.

One rule for every coordinator page, API and report: a youth is in a coordinator's
scope when the youth has an ACTIVE referral (the youth consented) whose region is the
coordinator's region (`User.region`). A coordinator without a region sees no youth.
Admins are not coordinators: they get no youths' data through these pages either.
"""
from __future__ import annotations

from typing import cast

import sqlalchemy as sa
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from ..models import Referral, User, YouthProfile
from ..states import ReferralState, Role


def youth_ids(user: User) -> SelectOfScalar[int]:
    """A SELECT of the YouthProfile ids in `user`'s scope (empty unless a coordinator with a region)."""
    if user.role != Role.COORDINATOR or not user.region:
        # typed as the model declares the id (int | None); a stored row's id is never NULL
        return cast("SelectOfScalar[int]", select(YouthProfile.id).where(sa.false()))
    return (select(Referral.youth_id).where(Referral.region == user.region, Referral.state == ReferralState.ACTIVE)
            .distinct())


def may_see(session: Session, user: User, youth_id: int) -> bool:
    """True when the youth is in `user`'s scope."""
    return session.exec(select(sa.literal(1)).where(YouthProfile.id == youth_id,
                                                    col(YouthProfile.id).in_(youth_ids(user)))).first() is not None


def profiles(session: Session, user: User) -> list[YouthProfile]:
    """The youth profiles in `user`'s scope, by id."""
    return list(session.exec(select(YouthProfile).where(col(YouthProfile.id).in_(youth_ids(user)))
                             .order_by(col(YouthProfile.id))))
