"""Strings a new user tripped over, fixed in fi/sv/en (issue 17, point 7)."""
from __future__ import annotations

import pytest

from tests.support.clients import field_errors, token
from webapp.i18n import decimal
from webapp.services import audit, referrals
from webapp.states import ReferralState


def _signup(client, lang, password):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    return client.post("/auth/signup", data={"email": "uusi@example.fi", "age": "17", "password": password,
                                             "confirm": password, "consent": "y",
                                             "csrf_token": token(client, "/auth/signup")})


@pytest.mark.parametrize("lang, message", [
    ("fi", "Valitse salasana, jossa on 12–128 merkkiä."),
    ("sv", "Välj ett lösenord med 12–128 tecken."),
    ("en", "Choose a password of 12 to 128 characters."),
])
def test_the_password_error_says_the_real_rule_as_an_instruction(client, lang, message):
    response = _signup(client, lang, "lyhyt")
    assert response.status_code == 400 and message in field_errors(response, "password")


@pytest.mark.parametrize("lang, shown", [("fi", "1,09"), ("sv", "1,09"), ("en", "1.09")])
def test_decimals_have_the_readers_comma(app, lang, shown):
    with app.test_request_context(headers={"Accept-Language": lang}):
        assert decimal(1.0912) == shown
        assert decimal(0.0, signed=True).lstrip("+-") == shown.replace("1", "0").replace("09", "00")
        assert decimal(0.25, signed=True).startswith("+")


@pytest.mark.parametrize("lang, shown", [("fi", "painoprofiili 2"), ("sv", "viktprofil 2"), ("en", "weight profile 2")])
def test_audit_subjects_are_words(app, lang, shown):
    with app.test_request_context(headers={"Accept-Language": lang}):
        assert audit.subject_label("weightprofile:2") == shown
        assert audit.subject_label("strange") == "strange"


def test_the_youth_reads_about_their_own_referral_in_the_second_person(app):
    with app.test_request_context(headers={"Accept-Language": "fi"}):
        assert referrals.state_label_for_youth(ReferralState.PENDING) == "odottaa vastaustasi"
        assert referrals.state_label(ReferralState.PENDING) == "odottaa nuoren vastausta"  # the coordinator's


@pytest.mark.parametrize("lang, heading", [("fi", "Sinulle sopivat tehtävät"), ("sv", "Uppdrag som passar dig")])
def test_my_matches_is_named_in_plain_words(anna, lang, heading):
    anna.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    assert f"<h1>{heading}</h1>" in anna.get("/youth/matches").text
