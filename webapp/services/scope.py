"""Which youths a coordinator may see: those who agreed to a referral in the coordinator's region.

One rule for every coordinator page, API and report: a youth is in a coordinator's
scope when the youth has an ACTIVE referral (the youth consented) whose region is the
coordinator's region (`User.region`). A coordinator without a region sees no youth.
Admins are not coordinators: they get no youths' data through these pages either.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from ..models import Referral, User, YouthProfile
from ..states import ReferralState, Role


def youth_ids(user: User) -> sa.Select:
    """A SELECT of the YouthProfile ids in `user`'s scope (empty unless a coordinator with a region)."""
    if user.role != Role.COORDINATOR or not user.region:
        return select(YouthProfile.id).where(sa.false())
    return (select(Referral.youth_id).where(Referral.region == user.region, Referral.state == ReferralState.ACTIVE)
            .distinct())


def may_see(session: Session, user: User, youth_id: int) -> bool:
    """True when the youth is in `user`'s scope."""
    return session.exec(select(sa.literal(1)).where(YouthProfile.id == youth_id,
                                                    YouthProfile.id.in_(youth_ids(user)))).first() is not None  # type: ignore[union-attr]


def profiles(session: Session, user: User) -> list[YouthProfile]:
    """The youth profiles in `user`'s scope, by id."""
    return list(session.exec(select(YouthProfile).where(YouthProfile.id.in_(youth_ids(user)))  # type: ignore[union-attr]
                             .order_by(YouthProfile.id)))
