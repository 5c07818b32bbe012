"""The administrator: invites coordinators with a one-time link, sets their region, verifies associations and
closes accounts; a coordinator verifies the associations of their own region. Every change leaves an audit entry.
Unverified associations publish nothing for under-18s and see none of their applicants' shared details."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlmodel import select

from tests.support import applicants as people
from tests.support.catalogue import add_catalogue
from tests.support.clients import english, field_errors, token
from tests.support.signin import PASSWORD, add_account, signed_in, signed_in_as
from webapp import db
from webapp.models import Association, AuditEntry, Invitation, Opening, User
from webapp.services.accounts import UNUSABLE_PASSWORD
from webapp.states import Role

NEW = "kettu juoksee sumussa"
LINK = re.compile(r"http://localhost/auth/invitation/([\w-]+)")


@pytest.fixture
def admin(app):
    add_account(app, "admin@example.fi", Role.ADMIN)
    return signed_in(app, "admin@example.fi")


def _user(app, email) -> User:
    with app.app_context():
        return db.get_session().exec(select(User).where(User.email == email)).one()


def _actions(app) -> list[str]:
    with app.app_context():
        return [e.action for e in db.get_session().exec(select(AuditEntry).order_by(AuditEntry.id)).all()]


def _invite(admin, email="kaisa@kunta.example", region="Lappi", name="Kaisa Koordinaattori"):
    return admin.post("/admin/coordinators", data={"name": name, "email": email, "region": region,
                                                   "csrf_token": token(admin, "/admin/coordinators")})


def _accept(client, link_token, password=NEW, confirm=None):
    url = f"/auth/invitation/{link_token}"
    return client.post(url, data={"password": password, "confirm": confirm or password,
                                  "csrf_token": token(client)})  # any page's token: a used link shows no form


def _post(client, url, page):
    return client.post(url, data={"csrf_token": token(client, page)})


# ---------------------------------------------------------------- invitations

def test_an_invited_coordinator_chooses_their_own_password_with_a_one_time_link(app, admin):
    response = _invite(admin)
    assert response.status_code == 201
    link_token = LINK.search(response.text).group(1)
    user = _user(app, "kaisa@kunta.example")
    assert (user.role, user.region, user.password_hash) == (Role.COORDINATOR, "Lappi", UNUSABLE_PASSWORD)
    assert LINK.search(admin.get("/admin/coordinators").text) is None  # the link is shown once, never again
    with app.app_context():
        stored = db.get_session().exec(select(Invitation)).one()
    assert link_token not in stored.token_hash  # only its hash is kept

    stranger = english(app.test_client())
    assert f"{PASSWORD}" not in stranger.get(f"/auth/invitation/{link_token}").text
    assert "kaisa@kunta.example" in stranger.get(f"/auth/invitation/{link_token}").text
    response = _accept(stranger, link_token)
    assert response.status_code == 302 and response.location.endswith("/coordinator/")
    assert stranger.get("/coordinator/").status_code == 200  # signed in as the coordinator

    assert _accept(english(app.test_client()), link_token).status_code == 404  # used up
    again = english(app.test_client())
    assert again.post("/auth/signin", data={"email": "kaisa@kunta.example", "password": NEW,
                                            "csrf_token": token(again)}).status_code == 302
    assert _actions(app) == ["account.invite", "account.accept_invitation"]


def test_before_accepting_no_password_signs_in_the_invited_account(app, admin):
    _invite(admin)
    client = english(app.test_client())
    for password in [UNUSABLE_PASSWORD, "", PASSWORD]:
        response = client.post("/auth/signin", data={"email": "kaisa@kunta.example", "password": password,
                                                     "csrf_token": token(client)})
        assert response.status_code in (400, 401)


def test_an_easy_or_mismatched_password_keeps_the_link_usable(app, admin):
    link_token = LINK.search(_invite(admin).text).group(1)
    client = english(app.test_client())
    easy = _accept(client, link_token, "123456789012")
    assert easy.status_code == 400 and "too easy to guess" in field_errors(easy, "password")
    assert _accept(client, link_token, NEW, "toinen salasana tässä").status_code == 400
    assert _user(app, "kaisa@kunta.example").password_hash == UNUSABLE_PASSWORD
    assert _accept(client, link_token).status_code == 302


def test_a_new_invitation_replaces_the_old_link(app, admin):
    first = LINK.search(_invite(admin).text).group(1)
    user_id = _user(app, "kaisa@kunta.example").id
    response = _post(admin, f"/admin/coordinators/{user_id}/reinvite", "/admin/coordinators")
    assert response.status_code == 201
    second = LINK.search(response.text).group(1)
    assert second != first
    client = english(app.test_client())
    assert client.get(f"/auth/invitation/{first}").status_code == 404
    assert _accept(client, second).status_code == 302
    # once the password is chosen there is nothing to re-invite
    response = _post(admin, f"/admin/coordinators/{user_id}/reinvite", "/admin/coordinators")
    assert response.status_code == 303
    assert "has chosen a password already" in admin.get("/admin/coordinators").text


def test_an_expired_link_does_not_work(app, admin):
    link_token = LINK.search(_invite(admin).text).group(1)
    with app.app_context():
        session = db.get_session()
        invitation = session.exec(select(Invitation)).one()
        invitation.expires_at = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=1)
        session.add(invitation)
        session.commit()
    client = english(app.test_client())
    assert client.get(f"/auth/invitation/{link_token}").status_code == 404
    assert _accept(client, link_token).status_code == 404
    assert _user(app, "kaisa@kunta.example").password_hash == UNUSABLE_PASSWORD


@pytest.mark.parametrize("link_token", ["x", "a" * 43, "a" * 200])
def test_a_made_up_link_is_not_found(app, link_token):
    assert english(app.test_client()).get(f"/auth/invitation/{link_token}").status_code == 404


@pytest.mark.parametrize("changes, field, message", [
    ({"email": "admin@example.fi"}, "email", "exists already"),
    ({"region": "Atlantis"}, "region", "Choose a region"),
    ({"region": ""}, "region", "Choose a region"),
    ({"name": ""}, "name", "Enter the person's name"),
    ({"email": "not an address"}, "email", "e-mail address"),
])
def test_a_bad_invitation_says_what_is_wrong_and_makes_nothing(app, admin, changes, field, message):
    response = _invite(admin, **changes)
    assert response.status_code == 400
    assert message in field_errors(response, field)
    with app.app_context():
        assert db.get_session().exec(select(Invitation)).first() is None
    assert _actions(app) == []


# ---------------------------------------------------------------- regions and accounts

def test_the_administrator_moves_a_coordinator_to_another_region(app, admin):
    _invite(admin)
    user_id = _user(app, "kaisa@kunta.example").id
    response = admin.post(f"/admin/coordinators/{user_id}/region",
                          data={"region": "Pohjois-Pohjanmaa", "csrf_token": token(admin, "/admin/coordinators")})
    assert response.status_code == 303
    assert _user(app, "kaisa@kunta.example").region == "Pohjois-Pohjanmaa"
    with app.app_context():
        entry = db.get_session().exec(select(AuditEntry).where(AuditEntry.action == "account.region")).one()
    assert "Lappi" in str(entry.details) and "Pohjois-Pohjanmaa" in str(entry.details)


def test_closing_an_account_ends_its_sessions_at_once(app, admin):
    add_account(app, "anna@example.fi", Role.YOUTH)
    anna = signed_in(app, "anna@example.fi")
    assert anna.get("/auth/password").status_code == 200
    user_id = _user(app, "anna@example.fi").id
    response = admin.post("/admin/accounts", data={"email": "Anna@Example.fi",
                                                   "csrf_token": token(admin, "/admin/accounts")})
    assert response.status_code == 303 and response.location.endswith(f"/admin/accounts/{user_id}")
    assert _post(admin, f"/admin/accounts/{user_id}/deactivate", f"/admin/accounts/{user_id}").status_code == 303
    assert anna.get("/auth/password").status_code == 302  # the old cookie signs in nobody
    assert english(app.test_client()).post("/auth/signin", data={
        "email": "anna@example.fi", "password": PASSWORD, "csrf_token": token(anna)}).status_code != 302
    assert _post(admin, f"/admin/accounts/{user_id}/reactivate", f"/admin/accounts/{user_id}").status_code == 303
    assert _user(app, "anna@example.fi").active
    assert _actions(app) == ["account.deactivate", "account.reactivate"]


def test_the_administrator_cannot_close_their_own_account(app, admin):
    me = _user(app, "admin@example.fi").id
    _post(admin, f"/admin/accounts/{me}/deactivate", f"/admin/accounts/{me}")
    assert _user(app, "admin@example.fi").active
    assert admin.get("/admin/").status_code == 200


def test_looking_up_an_unknown_address_says_so(app, admin):
    response = admin.post("/admin/accounts", data={"email": "nobody@example.fi",
                                                   "csrf_token": token(admin, "/admin/accounts")})
    assert response.status_code == 404
    assert "There is no account" in field_errors(response, "email")


@pytest.mark.parametrize("role", [Role.YOUTH, Role.ASSOCIATION, Role.COORDINATOR])
def test_nobody_else_reaches_the_administration(app, role):
    add_account(app, "someone@example.fi", role)
    client = signed_in(app, "someone@example.fi")
    for url in ["/admin/", "/admin/coordinators", "/admin/associations", "/admin/accounts"]:
        assert client.get(url).status_code in (403, 404)
    assert "Administration" not in client.get("/").text


# ---------------------------------------------------------------- verifying associations

@pytest.fixture
def unverified(app):
    """Two unverified associations, one in Lappi (Rovaniemi) and one in Uusimaa (Helsinki); their ids."""
    with app.app_context():
        session = db.get_session()
        north = Association(name="Napapiirin Nuoret ry", municipality="Rovaniemi", business_id="0737546-2")
        south = Association(name="Stadin Nuoret ry", municipality="Helsinki")
        session.add_all([north, south])
        session.commit()
        return {"north": north.id, "south": south.id}


def _verified(app, association_id) -> bool:
    with app.app_context():
        return db.get_session().get(Association, association_id).verified


def test_the_administrator_verifies_any_association(app, admin, unverified):
    assert "Stadin Nuoret ry" in admin.get("/admin/associations").text
    url = f"/admin/associations/{unverified['south']}/verify"
    assert _post(admin, url, "/admin/associations").status_code == 303
    assert _verified(app, unverified["south"])
    _post(admin, f"/admin/associations/{unverified['south']}/unverify", "/admin/associations")
    assert not _verified(app, unverified["south"])
    assert _actions(app) == ["association.verify", "association.unverify"]


def test_a_coordinator_verifies_the_associations_of_their_own_region_only(app, unverified):
    coordinator = signed_in_as(app, people.add_user(app, "kaisa@kunta.example", Role.COORDINATOR))
    with app.app_context():
        session = db.get_session()
        user = session.exec(select(User).where(User.email == "kaisa@kunta.example")).one()
        user.region = "Lappi"
        session.add(user)
        session.commit()
    page = coordinator.get("/coordinator/associations").text
    assert "Napapiirin Nuoret ry" in page and "Stadin Nuoret ry" not in page
    assert _post(coordinator, f"/coordinator/associations/{unverified['north']}/verify",
                 "/coordinator/associations").status_code == 303
    assert _verified(app, unverified["north"])
    assert _post(coordinator, f"/coordinator/associations/{unverified['south']}/verify",
                 "/coordinator/associations").status_code == 404
    assert not _verified(app, unverified["south"])
    assert _actions(app) == ["association.verify"]


# ---------------------------------------------------------------- what an unverified association may do

@pytest.fixture
def new_member(app):
    """A member of a freshly registered (unverified) association, and its opening o-new (a draft for 15-29)."""
    with app.app_context():
        session = db.get_session()
        association = Association(name="Uusi Seura ry", municipality="Oulu")
        session.add(association)
        session.flush()
        session.add(Opening(ref="o-new", association_id=association.id, title="Kahvilavuoro",
                            description="Keität kahvia ja juttelet.", kind="volunteer", municipality="Oulu",
                            min_age=15, max_age=29, capacity=2))
        session.commit()
        association_id = association.id
    return signed_in_as(app, people.add_user(app, "jasen@uusi.example", Role.ASSOCIATION,
                                             association_id=association_id)), association_id


def _publish(client):
    return client.post("/association/openings/o-new/publish",
                       data={"csrf_token": token(client, "/association/openings")})


def test_an_unverified_association_publishes_only_for_adults(app, new_member, admin):
    member, association_id = new_member
    response = _publish(member)
    assert response.status_code == 303 and response.location.endswith("/association/openings/o-new/edit")
    assert "not verified yet" in member.get(response.location).text
    with app.app_context():
        session = db.get_session()
        opening = session.exec(select(Opening).where(Opening.ref == "o-new")).one()
        assert opening.status.value == "draft"
        opening.min_age = 18
        session.add(opening)
        session.commit()
    assert _publish(member).location.endswith("/association/openings")


def test_once_verified_it_publishes_for_minors_too(app, new_member, admin):
    member, association_id = new_member
    _post(admin, f"/admin/associations/{association_id}/verify", "/admin/associations")
    assert _publish(member).location.endswith("/association/openings")


def test_an_unverified_association_sees_no_shared_details(app, admin):
    ids = add_catalogue(app)
    member = signed_in_as(app, people.add_user(app, "jasen@elaimet.example", Role.ASSOCIATION,
                                               association_id=ids["animals"]))
    youth = people.add_user(app, "aino@example.fi", Role.YOUTH, name="Aino K",
                            profile={**people.SECRET_PROFILE, "shared_fields": ["interests", "email"]})
    people.add_interest(app, youth, "o-dog")
    page = member.get("/association/openings/o-dog/applicants").text
    assert "Salaisuus-harrastus" in page and "aino@example.fi" in page and "Under 18" in page
    _post(admin, f"/admin/associations/{ids['animals']}/unverify", "/admin/associations")
    page = member.get("/association/openings/o-dog/applicants").text
    assert "Aino K" in page and "Under 18" in page
    assert "Salaisuus-harrastus" not in page and "aino@example.fi" not in page
