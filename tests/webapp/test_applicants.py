"""The applicants page of an association's opening: who sees what, and accept/decline/complete/drop."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from flask_babel import format_date
from sqlmodel import select

from webapp.services import decisions as applications, interest as services
from webapp import db
from webapp.models import User, YouthProfile
from webapp.states import InterestState, Role
from webapp.engine.versions import catalogue_version

from tests.support.applicants import (SECRET_PROFILE, add_interest, add_user, interest_row, opening_row, outcomes,
                                      page_token)
from tests.support.catalogue import add_catalogue
from tests.support.clients import csrf_header
from tests.support.signin import sign_in_as

INTERESTED, ACCEPTED, DECLINED = InterestState.INTERESTED, InterestState.ACCEPTED, InterestState.DECLINED
COMPLETED, DROPPED, WITHDRAWN = InterestState.COMPLETED, InterestState.DROPPED, InterestState.WITHDRAWN
PAGE = "/association/openings/o-dog/applicants"


@pytest.fixture
def world(app):
    """Two associations with a member each; Kaisa (shares nothing) and Ville (shares everything) in o-dog."""
    ids = add_catalogue(app)
    world = {
        "animals": ids["animals"],
        "member": add_user(app, "jasen@elaimet.example", Role.ASSOCIATION, association_id=ids["animals"],
                           name="Jäsen"),
        "other_member": add_user(app, "jasen@kulttuuri.example", Role.ASSOCIATION, association_id=ids["culture"]),
        "kaisa": add_user(app, "kaisa.secret@example.fi", Role.YOUTH, name="Kaisa K",
                          profile={**SECRET_PROFILE, "shared_fields": []}),
        "ville": add_user(app, "ville.open@example.fi", Role.YOUTH, name="Ville V",
                          profile={**SECRET_PROFILE, "municipality": "Ii", "interests": "Avoin kalastus", "age": 19,
                                   "shared_fields": ["age", "interests", "municipality", "email", "themes"]}),
    }
    world["kaisa_in"] = add_interest(app, world["kaisa"], "o-dog", message="Pidän koirista kovasti")
    world["ville_in"] = add_interest(app, world["ville"], "o-dog", message="Voin tulla keskiviikkoisin")
    return world


def member(app, world, who="member"):
    client = sign_in_as(app.test_client(), world[who])
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def decide(client, interest_id, action, ref="o-dog", token=None, **data):
    if token is None:
        token = page_token(client, ref)
    prefix = f"a{interest_id}-" if action == "complete" else ""
    if action == "decline":
        data = {"confirm": "yes", **data}  # the confirmation page's button
    return client.post(f"/association/openings/{ref}/applicants/{interest_id}/{action}",
                       data={f"{prefix}csrf_token": token, **{prefix + k: v for k, v in data.items()}})


# ---------------------------------------------------------------- what the page shows

def test_the_page_shows_names_notes_and_states(app, world):
    html = member(app, world).get(PAGE).get_data(as_text=True)
    assert "<h1>Applicants: Koiranulkoiluttaja</h1>" in html
    assert "Places taken: 1 of 3." in html
    assert "Kaisa K" in html and "Ville V" in html
    assert "Pidän koirista kovasti" in html and "Voin tulla keskiviikkoisin" in html
    assert '<h2 id="group-interested">Interested (2)</h2>' in html
    assert html.count('aria-labelledby="accept-') == 2 and html.count('aria-labelledby="decline-') == 2


def test_unshared_fields_never_appear(app, world):
    html = member(app, world).get(PAGE).get_data(as_text=True)
    kaisa = html[html.index("Kaisa K"):html.index("Ville V")]
    # Kaisa shares nothing: none of her profile's values, nor her address
    for secret in ("kaisa.secret@example.fi", "Kuusamo", "Salaisuus", "Estonian", "Hygiene", "Peer", "Saturday",
                   "Work trial"):
        assert secret not in html, secret
    assert "This youth shares no profile details." in kaisa and "<dt>Age</dt>" not in kaisa
    # Ville shares age, interests, municipality, e-mail and themes, so the test would see a leak
    ville = html[html.index("Ville V"):]
    for shown in ("ville.open@example.fi", "<dt>Home municipality</dt><dd>Ii</dd>", "Avoin kalastus",
                  "<dt>Age</dt><dd>19</dd>", "<dt>Themes</dt>"):
        assert shown in ville, shown
    for unshared in ("<dt>Languages</dt>", "<dt>Free times</dt>", "<dt>Goals</dt>", "<dt>Qualifications</dt>"):
        assert unshared not in html


def test_the_page_groups_by_state_and_leaves_out_withdrawn(app, world):
    for n, state in enumerate((ACCEPTED, DECLINED, COMPLETED, DROPPED, WITHDRAWN)):
        youth = add_user(app, f"y{n}@example.fi", Role.YOUTH, name=f"Nuori {state.value}")
        add_interest(app, youth, "o-dog", state=state)
    html = member(app, world).get(PAGE).get_data(as_text=True)
    headings = re.findall(r'<h2 id="group-(\w+)">', html)
    assert headings == ["interested", "accepted", "completed", "dropped", "declined"]
    assert "Nuori withdrawn" not in html
    assert "Nuori accepted" in html and "Mark completed" in html and "Mark dropped" in html


def test_an_opening_without_applicants(app, world):
    html = member(app, world).get("/association/openings/o-remote/applicants").get_data(as_text=True)
    assert "Nobody has expressed interest in this opening yet." in html
    assert "Places taken: 0 (no limit)." in html


# ---------------------------------------------------------------- who may see it

def test_another_associations_member_gets_404(app, world):
    client = member(app, world, "other_member")
    assert client.get(PAGE).status_code == 404
    token = csrf_header(client)["X-CSRFToken"]  # the member's own session's token
    assert decide(client, world["kaisa_in"], "accept", token=token).status_code == 404
    # guessing the id under the member's own opening does not work either
    assert client.post(f"/association/openings/o-photo/applicants/{world['kaisa_in']}/accept",
                       data={"csrf_token": token}).status_code == 404
    assert interest_row(app, world["kaisa_in"]).state == INTERESTED


@pytest.mark.parametrize("role", [Role.YOUTH, Role.COORDINATOR, Role.ADMIN])
def test_other_roles_get_403(app, world, role):
    client = sign_in_as(app.test_client(), add_user(app, f"{role.value}@example.fi", role))
    assert client.get(PAGE).status_code == 403
    assert client.post(f"{PAGE}/{world['kaisa_in']}/accept").status_code in (400, 403)  # CSRF or role: refused
    assert interest_row(app, world["kaisa_in"]).state == INTERESTED


def test_anonymous_visitors_are_sent_to_sign_in(app, world):
    response = app.test_client().get(PAGE)
    assert response.status_code == 302 and "/auth/signin" in response.location


@pytest.mark.parametrize("url", ["/association/openings/o-nothing/applicants",
                                 "/association/openings/o-photo/applicants"])
def test_unknown_and_foreign_openings_are_404(app, world, url):
    assert member(app, world).get(url).status_code == 404


def test_a_member_without_an_association_sees_nothing(app, world):
    client = sign_in_as(app.test_client(), add_user(app, "orpo@example.fi", Role.ASSOCIATION))
    assert client.get(PAGE).status_code == 404


# ---------------------------------------------------------------- decisions

def test_accept_takes_a_place_and_records_the_outcome(app, world):
    client = member(app, world)
    before = _version(app)
    response = decide(client, world["kaisa_in"], "accept")
    assert response.status_code == 303 and response.location.endswith(PAGE)
    row = interest_row(app, world["kaisa_in"])
    assert row.state == ACCEPTED and row.accepted_at is not None and row.finished_at is None
    assert opening_row(app, "o-dog").filled == 2
    assert [k for _, _, k in outcomes(app)] == ["accepted"]
    assert _version(app) == before + 1
    html = client.get(PAGE).get_data(as_text=True)
    assert "The youth is accepted." in html and "Places taken: 2 of 3." in html


def test_decline_asks_first_and_looks_other_than_accept(app, world):
    client = member(app, world)
    html = client.get(PAGE).get_data(as_text=True)
    accept = re.search(r'<button type="submit" class="([^"]*)" id="accept-\d+"[^>]*>(.*?)</button>', html)
    decline = re.search(r'<button type="submit" class="([^"]*)" id="decline-\d+"[^>]*>(.*?)</button>', html)
    assert accept and decline and accept.group(1) != decline.group(1)
    assert "✓" in accept.group(2) and "✕" in decline.group(2)
    asked = client.post(f"/association/openings/o-dog/applicants/{world['ville_in']}/decline",
                        data={"csrf_token": page_token(client, "o-dog")})
    assert asked.status_code == 200 and "Decline this applicant?" in asked.get_data(as_text=True)
    assert 'name="confirm" value="yes"' in asked.get_data(as_text=True)
    assert interest_row(app, world["ville_in"]).state != DECLINED  # nothing happened yet


def test_decline(app, world):
    client = member(app, world)
    assert decide(client, world["ville_in"], "decline").status_code == 303
    assert interest_row(app, world["ville_in"]).state == DECLINED
    assert opening_row(app, "o-dog").filled == 1
    assert [k for _, _, k in outcomes(app)] == ["declined"]
    assert "Declined on" in client.get(PAGE).get_data(as_text=True)


def test_complete_keeps_the_place_and_stores_the_reference(app, world):
    client = member(app, world)
    decide(client, world["kaisa_in"], "accept")
    response = decide(client, world["kaisa_in"], "complete", reference="  Luotettava ja reipas.  ")
    assert response.status_code == 303
    row = interest_row(app, world["kaisa_in"])
    assert (row.state, row.reference) == (COMPLETED, "Luotettava ja reipas.")
    assert row.finished_at is not None and row.accepted_at is not None
    assert opening_row(app, "o-dog").filled == 2
    assert [k for _, _, k in outcomes(app)] == ["accepted", "completed"]
    assert "Luotettava ja reipas." in client.get(PAGE).get_data(as_text=True)


def test_drop_frees_the_place(app, world):
    client = member(app, world)
    decide(client, world["kaisa_in"], "accept")
    before = _version(app)
    assert decide(client, world["kaisa_in"], "drop").status_code == 303
    row = interest_row(app, world["kaisa_in"])
    assert row.state == DROPPED and row.finished_at is not None
    assert opening_row(app, "o-dog").filled == 1
    assert _version(app) == before + 1
    assert [k for _, _, k in outcomes(app)] == ["accepted", "dropped"]


def test_drop_never_takes_filled_below_zero(app, world):
    interest = add_interest(app, add_user(app, "z@example.fi", Role.YOUTH), "o-remote", state=ACCEPTED)
    assert decide(member(app, world), interest, "drop", ref="o-remote").status_code == 303
    assert opening_row(app, "o-remote").filled == 0


def test_accepting_into_a_full_opening_is_refused_with_nothing_changed(app, world):
    client = member(app, world)
    assert decide(client, world["kaisa_in"], "accept").status_code == 303
    assert decide(client, world["ville_in"], "accept").status_code == 303  # 3 of 3
    third = add_interest(app, add_user(app, "t@example.fi", Role.YOUTH, name="Kolmas"), "o-dog")
    before = _version(app)
    response = decide(client, third, "accept")
    assert response.status_code == 409
    assert "The opening is full" in response.get_data(as_text=True)
    assert interest_row(app, third).state == INTERESTED
    assert opening_row(app, "o-dog").filled == 3
    assert _version(app) == before and len(outcomes(app, "accepted")) == 2


@pytest.mark.parametrize("state, action, message", [
    (ACCEPTED, "accept", "already accepted"),
    (DECLINED, "accept", "already declined"),
    (COMPLETED, "decline", "already completed"),
    (INTERESTED, "complete", "Only an accepted youth"),
    (INTERESTED, "drop", "Only an accepted youth"),
    (DROPPED, "complete", "already dropped"),
])
def test_decisions_only_from_their_state(app, world, state, action, message):
    interest = add_interest(app, add_user(app, "s@example.fi", Role.YOUTH), "o-dog", state=state)
    response = decide(member(app, world), interest, action)
    assert response.status_code == 409
    assert message in response.get_data(as_text=True)
    assert interest_row(app, interest).state == state and opening_row(app, "o-dog").filled == 1
    assert outcomes(app) == []


def test_a_withdrawn_youth_cannot_be_decided_on(app, world):
    interest = add_interest(app, add_user(app, "w@example.fi", Role.YOUTH), "o-dog", state=WITHDRAWN)
    assert decide(member(app, world), interest, "accept").status_code == 404


def test_withdrawn_meanwhile_is_reported(app, world):
    """The member loaded the applicant; the youth withdrew before the accept ran."""
    with app.test_request_context():
        session = db.get_session()
        interest = applications.own_interest(session, world["kaisa_in"], world["animals"])
        profile = session.exec(select(YouthProfile).join(User).where(User.id == world["kaisa"])).one()
        opening = opening_row(app, "o-dog")
        services.withdraw(db.get_session(), profile, opening)
        with pytest.raises(applications.DecisionRefused) as refused:
            applications.accept(session, interest)
        assert refused.value.code == "withdrawn"
    assert opening_row(app, "o-dog").filled == 1 and outcomes(app) == []


def test_decisions_need_the_csrf_token(app, world):
    client = member(app, world)
    response = client.post(f"{PAGE}/{world['kaisa_in']}/accept")
    assert response.status_code == 400
    response = client.post(f"{PAGE}/{world['kaisa_in']}/accept", data={"csrf_token": "forged"})
    assert response.status_code == 400
    assert interest_row(app, world["kaisa_in"]).state == INTERESTED and opening_row(app, "o-dog").filled == 1


def test_a_too_long_reference_is_refused_next_to_the_field(app, world):
    client = member(app, world)
    decide(client, world["kaisa_in"], "accept")
    response = decide(client, world["kaisa_in"], "complete", reference="x" * 2001)
    assert response.status_code == 400
    field_id = f"a{world['kaisa_in']}-reference"
    html = response.get_data(as_text=True)
    assert re.search(rf'<ul class="errors" id="{field_id}-error">\s*<li>Write at most 2000 characters.</li>', html)
    assert f'aria-describedby="{field_id}-hint {field_id}-error"' in html
    assert interest_row(app, world["kaisa_in"]).state == ACCEPTED


def test_an_applicant_of_another_opening_is_404_under_this_one(app, world):
    other = add_interest(app, world["kaisa"], "o-remote")
    assert decide(member(app, world), other, "accept").status_code == 404
    assert interest_row(app, other).state == INTERESTED


def test_unknown_actions_and_huge_ids_are_404(app, world):
    client = member(app, world)
    token = page_token(client, "o-dog")
    assert client.post(f"{PAGE}/{world['kaisa_in']}/approve", data={"csrf_token": token}).status_code == 404
    assert client.post(f"{PAGE}/99999999999999999999/accept", data={"csrf_token": token}).status_code == 404


@pytest.mark.parametrize("lang, text", [("fi", "Hyväksy"), ("sv", "Godkänn")])
def test_the_page_speaks_finnish_and_swedish(app, world, lang, text):
    client = member(app, world)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    assert f">{text}</button>" in client.get(PAGE).get_data(as_text=True)


def _version(app) -> int:
    with app.app_context():
        return catalogue_version(db.get_session())


def _starts(app, ref, start):
    from webapp.models import Opening
    with app.app_context():
        session = db.get_session()
        session.exec(select(Opening).where(Opening.ref == ref)).one().start_date = start
        session.commit()


def test_completing_before_the_start_is_refused_with_the_date(app, world):
    """The certificate states the days the youth took part: none before the activity starts."""
    start = dt.date.today() + dt.timedelta(days=40)
    _starts(app, "o-dog", start)
    client = member(app, world)
    decide(client, world["kaisa_in"], "accept")
    html = client.get(PAGE).get_data(as_text=True)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        day = format_date(start)
    assert f"The activity starts on {day}. You can mark it completed after the youth has taken part." in html
    assert f'id="complete-{world["kaisa_in"]}"' not in html and f'id="drop-{world["kaisa_in"]}"' in html
    token = page_token(client, "o-dog")
    response = decide(client, world["kaisa_in"], "complete", token=token, reference="Hyvin meni.")
    assert response.status_code == 409
    assert f"The activity starts on {day}, so it cannot be marked completed yet." in response.get_data(as_text=True)
    row = interest_row(app, world["kaisa_in"])
    assert (row.state, row.finished_at, row.reference) == (ACCEPTED, None, "")
    assert [k for _, _, k in outcomes(app)] == ["accepted"]

    _starts(app, "o-dog", None)  # no start date: it can be completed any day
    assert decide(client, world["kaisa_in"], "complete").status_code == 303
    assert interest_row(app, world["kaisa_in"]).state == COMPLETED


def test_the_reference_field_asks_for_the_third_person(app, world):
    client = member(app, world)
    decide(client, world["kaisa_in"], "accept")
    html = client.get(PAGE).get_data(as_text=True)
    assert "Write about the youth in the third person" in html
