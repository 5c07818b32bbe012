"""A youth's browser, signed up through the form, and what the youth tests send with it."""
from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import select

from tests.support.clients import english, token
from tests.support.signin import PASSWORD
from webapp import db
from webapp.models import Interest, Opening, User, YouthProfile
from webapp.states import InterestState

# A whole profile, as the profile form posts it.
GOOD = {"interests": "Koirat ja ulkoilu", "themes": ["animals"], "municipality": "oulu", "max_travel_km": "20",
        "remote_ok": "no", "availability": "ke 16-20\nweekends", "languages": ["fi", "en"],
        "kinds": ["volunteer"], "needs": ["peer_buddy"], "goals": ["reference"], "age": "17"}


def youth_client(app: Flask, email: str = "anna@example.fi") -> FlaskClient:
    """A signed-up (so signed-in) youth's browser, in English."""
    client = english(app.test_client())
    response = client.post("/auth/signup", data={"email": email, "age": "19", "password": PASSWORD,
                                                 "confirm": PASSWORD, "consent": "y",
                                                 "csrf_token": token(client, "/auth/signup")})
    assert response.status_code == 302
    return client


def profile_of(app: Flask, email: str = "anna@example.fi") -> YouthProfile:
    with app.app_context():
        session = db.get_session()
        return session.exec(select(YouthProfile).join(User).where(User.email == email)).one()


def interests_of(app: Flask, email: str = "anna@example.fi") -> dict[str, InterestState]:
    with app.app_context():
        session = db.get_session()
        rows = session.exec(select(Opening.ref, Interest.state).join(Opening).join(YouthProfile)
                            .join(User).where(User.email == email)).all()
        return dict(rows)


def name_of(app: Flask, email: str = "anna@example.fi") -> str:
    """The account's name."""
    with app.app_context():
        return db.get_session().exec(select(User.name).where(User.email == email)).one()


def save_profile(client: Any, **changes: Any) -> Any:
    """Send the profile form: GOOD with `changes` (a None leaves the field out)."""
    data = {**GOOD, **changes, "csrf_token": token(client, "/youth/profile")}
    return client.post("/youth/profile", data={k: v for k, v in data.items() if v is not None})


def post_step(client: Any, number: int, **data: Any) -> Any:
    """Send step `number` of the step-by-step profile."""
    return client.post(f"/youth/start/{number}", data={**data, "csrf_token": token(client, f"/youth/start/{number}")})


def act(client: Any, ref: str, action: str = "interest", next: str = "/youth/matches") -> Any:
    """Show interest in the opening `ref` (or withdraw it: `action="withdraw"`) from a page's button."""
    return client.post(f"/youth/openings/{ref}/{action}", data={"csrf_token": token(client, "/youth/activities"),
                                                                "next": next})
