"""A youth downloads all their data and deletes the account; the statistics stay right."""
from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from sqlmodel import func, select
from werkzeug.security import generate_password_hash

from tests.support.catalogue import add_catalogue
from tests.support.clients import english, token
from tests.support.signin import PASSWORD, signed_in
from webapp import db
from webapp.models import (AuditEntry, Interest, NextStep, Opening, Outcome, Referral, SelfAssessment, User,
                           YouthProfile)
from webapp.states import InterestState, NextStepKind, OutcomeKind, ReferralState, Role

SECRETS = ["Anna Secret", "anna@example.fi", "karhujen ruokinta", "Kutsu minua Annaksi", "Reipas ja täsmällinen",
           "Kemijärvi", "Hän tarvitsee tukea"]


@pytest.fixture
def world(app):
    """Anna (a youth with a rich history), Ben (another youth), a coordinator; o-dog completed by Anna."""
    add_catalogue(app)
    with app.app_context():
        session = db.get_session()
        hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
        anna = User(email="anna@example.fi", role=Role.YOUTH, name="Anna Secret", password_hash=hashed)
        ben = User(email="ben@example.fi", role=Role.YOUTH, name="Ben", password_hash=hashed)
        coordinator = User(email="c@example.fi", role=Role.COORDINATOR, name="Kaisa", region="Pohjois-Pohjanmaa",
                           password_hash=hashed)
        session.add_all([anna, ben, coordinator])
        session.flush()
        profile = YouthProfile(user_id=anna.id, age=17, interests="karhujen ruokinta", municipality="Kemijärvi",
                               languages=["fi"], themes=["animals"], shared_fields=["age", "email"])
        other = YouthProfile(user_id=ben.id, age=22, interests="kitara", municipality="Oulu")
        session.add_all([profile, other])
        session.flush()
        dog = session.exec(select(Opening).where(Opening.ref == "o-dog")).one()
        now = dt.datetime.now(dt.timezone.utc)
        session.add_all([
            Interest(youth_id=profile.id, opening_id=dog.id, state=InterestState.COMPLETED,
                     message="Kutsu minua Annaksi", reference="Reipas ja täsmällinen", accepted_at=now,
                     finished_at=now),
            Interest(youth_id=other.id, opening_id=dog.id, state=InterestState.COMPLETED, message="Ben's note"),
            Outcome(youth_id=profile.id, opening_id=dog.id, outcome=OutcomeKind.COMPLETED),
            Referral(youth_id=profile.id, coordinator_id=coordinator.id, region="Pohjois-Pohjanmaa",
                     state=ReferralState.ACTIVE, note="Hän tarvitsee tukea"),
            NextStep(youth_id=profile.id, step=NextStepKind.EDUCATION),
            SelfAssessment(youth_id=profile.id, scores={"routine": 3}),
        ])
        session.commit()
        return {"anna": anna.id, "ben": ben.id, "profile": profile.id}


def test_the_download_holds_everything_about_the_youth_and_nothing_about_others(app, world):
    response = signed_in(app, "anna@example.fi").get("/account/data.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    document = json.loads(response.get_data(as_text=True))
    assert document["account"]["email"] == "anna@example.fi" and "password_hash" not in document["account"]
    assert document["profile"]["interests"] == "karhujen ruokinta" and document["profile"]["age"] == 17
    [activity] = document["activities"]
    assert (activity["opening"], activity["state"], activity["message"], activity["reference"]) == (
        "o-dog", "completed", "Kutsu minua Annaksi", "Reipas ja täsmällinen")
    assert [o["outcome"] for o in document["outcomes"]] == ["completed"]
    assert [(r["coordinator"], r["note"]) for r in document["referrals"]] == [("Kaisa", "Hän tarvitsee tukea")]
    assert [s["step"] for s in document["next_steps"]] == ["education"]
    assert [a["scores"] for a in document["self_assessments"]] == [{"routine": 3}]
    text = response.get_data(as_text=True)
    assert "Ben" not in text and "kitara" not in text


def test_deleting_removes_everything_personal_and_keeps_the_counts(app, world):
    client = signed_in(app, "anna@example.fi")
    page = client.get("/account/data")
    assert page.status_code == 200 and "Delete my account" in page.text
    response = client.post("/account/delete", data={"password": PASSWORD, "understood": "y",
                                                    "csrf_token": token(client, "/account/data")})
    assert response.status_code == 303 and response.location.endswith("/account/deleted")
    assert client.get("/account/data").status_code == 302  # signed out
    with app.app_context():
        session = db.get_session()
        # nothing that says who Anna was or what she wrote, anywhere in her rows
        dump = json.dumps([
            [r.model_dump(mode="json") for r in session.exec(select(model))]
            for model in (User, YouthProfile, Interest, Referral, SelfAssessment, AuditEntry)], ensure_ascii=False)
        for secret in SECRETS:
            assert secret not in dump, secret
        assert session.exec(select(func.count()).select_from(SelfAssessment)).one() == 0
        # the association's and the region's figures are unchanged
        completed = session.exec(select(func.count()).select_from(Interest)
                                 .where(Interest.state == InterestState.COMPLETED)).one()
        assert completed == 2
        assert session.exec(select(func.count()).select_from(Outcome)).one() == 1
        assert [s.step for s in session.exec(select(NextStep))] == [NextStepKind.EDUCATION]
        referral = session.exec(select(Referral)).one()
        assert referral.state == ReferralState.ENDED and referral.ended_at is not None
        # Ben is untouched
        ben = session.get(User, world["ben"])
        assert ben.email == "ben@example.fi" and ben.active
        assert session.exec(select(Interest).where(Interest.message == "Ben's note")).one()
    # the old address and password no longer sign in, and the address is free for a new account
    fresh = english(app.test_client())
    response = fresh.post("/auth/signin", data={"email": "anna@example.fi", "password": PASSWORD,
                                                "csrf_token": token(fresh)})
    assert response.status_code == 400 and "The e-mail address or the password is wrong." in response.text


def test_a_wrong_password_or_no_tick_deletes_nothing(app, world):
    client = signed_in(app, "anna@example.fi")
    for data, message in [({"password": "not-the-password", "understood": "y"}, "The password is wrong."),
                          ({"password": PASSWORD}, "Tick this box to confirm.")]:
        response = client.post("/account/delete", data={**data, "csrf_token": token(client, "/account/data")})
        assert response.status_code == 400 and message in response.text
    response = client.post("/account/delete", data={"password": PASSWORD, "understood": "y"})  # no CSRF token
    assert response.status_code == 400
    with app.app_context():
        user = db.get_session().get(User, world["anna"])
        assert user.email == "anna@example.fi" and user.active


def _delete(client, password):
    return client.post("/account/delete", data={"password": password, "understood": "y",
                                                "csrf_token": token(client, "/account/data")})


def test_the_password_cannot_be_guessed_at_will_on_the_delete_form(app, world):
    most = app.config["SIGNIN_DEVICE_MAX_FAILURES"]
    client = signed_in(app, "anna@example.fi")
    answers = [_delete(client, f"arvaus-{i}").status_code for i in range(most)]
    assert answers == [400] * most
    refused = _delete(client, PASSWORD)  # over the limit even the right password is refused ...
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert re.search(r"Too many attempts\. Try again in \d+ minutes\.", refused.text)
    with app.app_context():
        user = db.get_session().get(User, world["anna"])
        assert user.email == "anna@example.fi" and user.active  # ... and nothing is deleted
        assert db.get_session().exec(select(YouthProfile).where(YouthProfile.user_id == world["anna"])).one()
    assert client.get("/account/data").status_code == 200  # still signed in
    # the limit is the account's own: another youth deletes theirs with their password at once
    assert _delete(signed_in(app, "ben@example.fi"), PASSWORD).status_code == 303


def test_the_right_password_within_the_limit_deletes_and_earlier_failures_do_not_matter(app, world):
    most = app.config["SIGNIN_DEVICE_MAX_FAILURES"]
    client = signed_in(app, "anna@example.fi")
    assert [_delete(client, f"arvaus-{i}").status_code for i in range(most - 1)] == [400] * (most - 1)
    assert _delete(client, PASSWORD).status_code == 303
    with app.app_context():
        assert db.get_session().get(User, world["anna"]).email != "anna@example.fi"


@pytest.mark.parametrize("email, expected", [(None, 302), ("c@example.fi", 403)])
def test_only_the_youth_reaches_their_data(app, world, email, expected):
    client = english(app.test_client()) if email is None else signed_in(app, email)
    assert client.get("/account/data").status_code == expected
    assert client.get("/account/data.json").status_code == expected
    assert client.post("/account/delete", data={"password": PASSWORD, "understood": "y"}).status_code in (
        expected, 400)
    with app.app_context():
        assert db.get_session().get(User, world["anna"]).active
