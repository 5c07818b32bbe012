"""webapp.services.scope: a coordinator sees a youth only through an ACTIVE referral in the coordinator's region."""
from __future__ import annotations

import pytest
from sqlmodel import select

from tests.support.referrals import REGION, add_user
from tests.support.signin import signed_in
from webapp import db
from webapp.services import scope
from webapp.models import Referral, User
from webapp.states import ReferralState, Role


@pytest.fixture
def world(app):
    """Youths with an active, a pending and an ended referral in Pohjois-Pohjanmaa, one active in Lappi, one never."""
    ids = {
        "coordinator": add_user(app, "kaisa@example.fi", Role.COORDINATOR, region=REGION),
        "colleague": add_user(app, "kalle@example.fi", Role.COORDINATOR, region=REGION),
        "lapland": add_user(app, "lassi@example.fi", Role.COORDINATOR, region="Lappi"),
        "no_region": add_user(app, "nelli@example.fi", Role.COORDINATOR),
        "admin": add_user(app, "admin@example.fi", Role.ADMIN, region=REGION),
        "association": add_user(app, "ry@example.fi", Role.ASSOCIATION, region=REGION, association="Testi ry"),
        "active": add_user(app, "aktiivi@example.fi", Role.YOUTH, age=17),
        "pending": add_user(app, "odottaa@example.fi", Role.YOUTH, age=17),
        "ended": add_user(app, "paattyi@example.fi", Role.YOUTH, age=17),
        "in_lapland": add_user(app, "lappi@example.fi", Role.YOUTH, age=17),
        "never": add_user(app, "ei@example.fi", Role.YOUTH, age=17),
    }
    with app.app_context():
        session = db.get_session()
        for youth, state, coordinator, region in [("active", ReferralState.ACTIVE, "coordinator", REGION),
                                                  ("pending", ReferralState.PENDING, "coordinator", REGION),
                                                  ("ended", ReferralState.ENDED, "coordinator", REGION),
                                                  ("in_lapland", ReferralState.ACTIVE, "lapland", "Lappi")]:
            session.add(Referral(youth_id=ids[youth], coordinator_id=ids[coordinator], region=region, state=state))
        session.commit()
    return ids


EMAILS = {"coordinator": "kaisa@example.fi", "colleague": "kalle@example.fi", "lapland": "lassi@example.fi",
          "no_region": "nelli@example.fi", "admin": "admin@example.fi", "association": "ry@example.fi",
          "active": "aktiivi@example.fi", "never": "ei@example.fi"}


def visible(app, world, who) -> set[str]:
    """The names (keys of `world`) of the youths `who` may see, asked three ways that must agree."""
    youths = ("active", "pending", "ended", "in_lapland", "never")
    names = {world[y]: y for y in youths}
    with app.app_context():
        session = db.get_session()
        user = session.exec(select(User).where(User.email == EMAILS[who])).one()
        by_query = {names[i] for i in session.exec(scope.youth_ids(user)).all()}
        by_may_see = {y for y in youths if scope.may_see(session, user, world[y])}
        by_profiles = {names[p.id] for p in scope.profiles(session, user)}
    assert by_query == by_may_see == by_profiles
    return by_query


def test_only_active_referrals_in_the_coordinators_region_count(app, world):
    assert visible(app, world, "coordinator") == {"active"}
    assert visible(app, world, "colleague") == {"active"}  # the region's coordinators share its youths
    assert visible(app, world, "lapland") == {"in_lapland"}


@pytest.mark.parametrize("who", ["no_region", "admin", "association", "active", "never"])
def test_everyone_else_sees_no_youth(app, world, who):
    assert visible(app, world, who) == set()


def test_a_referral_ending_takes_the_youth_out_of_scope_at_once(app, world):
    with app.app_context():
        session = db.get_session()
        referral = session.exec(select(Referral).where(Referral.youth_id == world["active"])).one()
        referral.state = ReferralState.ENDED
        session.add(referral)
        session.commit()
    assert visible(app, world, "coordinator") == set()


def test_a_coordinator_whose_region_changes_loses_the_old_regions_youths(app, world):
    with app.app_context():
        session = db.get_session()
        user = session.exec(select(User).where(User.email == EMAILS["coordinator"])).one()
        user.region = "Lappi"
        session.add(user)
        session.commit()
    assert visible(app, world, "coordinator") == {"in_lapland"}


@pytest.mark.parametrize("youth", ["pending", "ended", "in_lapland", "never"])
def test_the_follow_page_answers_404_outside_scope(app, world, youth):
    client = signed_in(app, "kaisa@example.fi")
    assert client.get(f"/coordinator/referrals/youths/{world['active']}").status_code == 200
    assert client.get(f"/coordinator/referrals/youths/{world[youth]}").status_code == 404


@pytest.mark.parametrize("email, status", [
    ("lassi@example.fi", 404),  # another region's coordinator
    ("nelli@example.fi", 404),  # a coordinator without a region
    ("ry@example.fi", 403),  # an association member
    ("admin@example.fi", 403),
    ("aktiivi@example.fi", 403),  # the youth too: these are the coordinator's pages
])
def test_others_cannot_see_a_referred_youth(app, world, email, status):
    client = signed_in(app, email)
    assert client.get(f"/coordinator/referrals/youths/{world['active']}").status_code == status


def test_visitors_are_sent_to_sign_in(app, world, client):
    response = client.get(f"/coordinator/referrals/youths/{world['active']}")
    assert response.status_code == 302 and response.location.startswith("/auth/signin")
