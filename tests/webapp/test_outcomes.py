"""Next steps and self-assessments: the youth's own, a coordinator's for youths in scope only."""
from __future__ import annotations

import re

import pytest
from sqlmodel import select

from tests.support.clients import field_errors, token
from tests.support.coordinators import LAPLAND, NORTH
from tests.support.outcomes import add_interest, add_opening, add_step, add_user, parse_svg, refer, svg_texts, utc
from tests.support.signin import signed_in
from webapp import db
from webapp.models import AuditEntry, NextStep, SelfAssessment, User, YouthProfile
from webapp.states import InterestState, NextStepKind, ReferralState, Role


def ref_of(app, youth_id) -> str:
    with app.app_context():
        return db.get_session().get(YouthProfile, youth_id).ref


def rows(app, model, **where):
    with app.app_context():
        query = select(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return list(db.get_session().exec(query))


# ---------------------------------------------------------------- fixtures

@pytest.fixture
def world(app):
    """Anna (youth, Oulu) in the northern coordinator's scope, Bea (youth) out of it, and a placed activity."""
    anna = add_user(app, "anna@example.fi", Role.YOUTH, name="Anna", municipality="Oulu")
    bea = add_user(app, "bea@example.fi", Role.YOUTH, name="Bea", municipality="Oulu")
    north = add_user(app, "north@example.fi", Role.COORDINATOR, region=NORTH)
    lapland = add_user(app, "lapland@example.fi", Role.COORDINATOR, region=LAPLAND)
    add_user(app, "ry@example.fi", Role.ASSOCIATION)
    refer(app, anna, north, NORTH)
    refer(app, bea, north, NORTH, ReferralState.PENDING)  # not agreed yet: out of scope
    trial = add_opening(app, "Kahvilan työkokeilu", "work_trial")
    placed = add_interest(app, anna, trial, accepted=utc(2026, 2, 1))
    waiting = add_interest(app, anna, add_opening(app, "Koiranulkoiluttaja", "volunteer"), InterestState.INTERESTED)
    beas = add_interest(app, bea, trial, accepted=utc(2026, 2, 2))
    return dict(anna=anna, bea=bea, north=north, lapland=lapland, placed=placed, waiting=waiting, beas=beas)


def post_step(client, url, **data):
    return client.post(url, data={"csrf_token": token(client, "/me/next-step" if url.startswith("/me")
                                                      else url.rsplit("/", 1)[0]), **data})


# ---------------------------------------------------------------- next steps: the youth's own

def test_a_youth_records_their_own_next_step(app, world):
    anna = signed_in(app, "anna@example.fi")
    page = anna.get("/me/next-step").text
    assert "Kahvilan työkokeilu" in page and "Koiranulkoiluttaja" not in page  # only accepted activities
    response = post_step(anna, "/me/next-step", step="work_trial", activity=str(world["placed"]))
    assert response.status_code == 303 and response.location == "/me/next-step"
    [saved] = rows(app, NextStep)
    assert (saved.youth_id, saved.step.value, saved.interest_id) == (world["anna"], "work_trial", world["placed"])
    with app.app_context():
        assert db.get_session().get(User, saved.recorded_by).email == "anna@example.fi"
    assert rows(app, AuditEntry) == []  # a youth's own record is not a coordinator's change
    table = re.search(r'<table class="openings-table stack" id="next-steps">.*?</table>',
                      anna.get("/me/next-step").text, re.S).group(0)
    assert "Work trial" in table and "Kahvilan työkokeilu" in table and "The young person" in table


def test_a_next_step_needs_no_activity(app, world):
    anna = signed_in(app, "anna@example.fi")
    assert post_step(anna, "/me/next-step", step="none_yet", activity="").status_code == 303
    [saved] = rows(app, NextStep)
    assert (saved.step.value, saved.interest_id) == ("none_yet", None)


@pytest.mark.parametrize("data, field, message", [
    ({"step": "holiday"}, "step", "Choose one of the next steps shown."),
    ({}, "step", "Choose one of the next steps shown."),
    ({"step": "work", "activity": "abc"}, "activity", "Choose one of the activities shown, or none."),
    ({"step": "work", "activity": "WAITING"}, "activity", "Choose one of the activities shown, or none."),
    ({"step": "work", "activity": "BEAS"}, "activity", "Choose one of the activities shown, or none."),
])
def test_a_bad_next_step_saves_nothing(app, world, data, field, message):
    data = {k: str(world[v.lower()]) if v in ("WAITING", "BEAS") else v for k, v in data.items()}
    anna = signed_in(app, "anna@example.fi")
    response = post_step(anna, "/me/next-step", **data)
    assert response.status_code == 400
    assert message in field_errors(response, field)
    assert 'aria-invalid="true"' in response.text and f'aria-describedby="{field}-error"' in response.text
    assert rows(app, NextStep) == []


def test_a_next_step_without_the_csrf_token_is_refused(app, world):
    anna = signed_in(app, "anna@example.fi")
    assert anna.post("/me/next-step", data={"step": "work"}).status_code == 400
    assert rows(app, NextStep) == []


def test_the_labels_are_translated(app, world):
    html = signed_in(app, "anna@example.fi", lang="fi").get("/me/next-step").text
    assert "Kuntouttava työtoiminta" in html and "Koulutus tai opiskelu" in html
    html = signed_in(app, "anna@example.fi", lang="sv").get("/me/next-step").text
    assert "Arbetsprövning" in html


# ---------------------------------------------------------------- self-assessments: the youth's own

def post_assessment(client, **answers):
    return client.post("/me/self-assessment", data={"csrf_token": token(client, "/me/self-assessment"), **answers})


def test_a_youth_answers_and_sees_the_change_over_time(app, world):
    anna = signed_in(app, "anna@example.fi")
    page = anna.get("/me/self-assessment").text
    assert page.count('type="radio"') == 25
    assert re.search(r'<label for="daily_routine-1"><input [^>]*value="1"> 1 – Not well at all</label>', page)
    assert re.search(r'<label for="daily_routine-5"><input [^>]*value="5"> 5 – Very well</label>', page)
    assert "No self-assessments yet." in page
    response = post_assessment(anna, daily_routine="2", getting_along="3", work_skills="1")
    assert response.status_code == 303
    with app.app_context():  # the first one a week earlier, so the order is clear
        session = db.get_session()
        first = session.exec(select(SelfAssessment)).one()
        first.taken_at = utc(2026, 3, 1, 12)
        session.add(first)
        session.commit()
    assert post_assessment(anna, daily_routine="4", getting_along="3", health_coping="5",
                           work_skills="2", future_confidence="4").status_code == 303
    saved = sorted(rows(app, SelfAssessment), key=lambda a: a.taken_at.replace(tzinfo=None))
    assert [a.scores for a in saved] == [
        {"daily_routine": 2, "getting_along": 3, "work_skills": 1},
        {"daily_routine": 4, "getting_along": 3, "health_coping": 5, "work_skills": 2, "future_confidence": 4}]
    html = anna.get("/me/self-assessment").text
    table = re.search(r'<table class="openings-table" id="assessments">.*?</table>', html, re.S).group(0)
    cells = {m.group(1): re.findall(r"<td>(.*?)</td>", m.group(2))
             for m in re.finditer(r'<th scope="row">(.*?)</th>(.*?)</tr>', table)}
    hidden = '<span aria-hidden="true">–</span><span class="visually-hidden">not answered</span>'
    assert cells == {"Daily routine": ["2", "4"], "Getting along with others": ["3", "3"],
                     "Health and coping": [hidden, "5"], "Skills for work": ["1", "2"],
                     "Confidence about the future": [hidden, "4"]}
    assert 'src="/me/self-assessment/chart.svg"' in html
    root = parse_svg(anna.get("/me/self-assessment/chart.svg"))
    texts = svg_texts(root)
    assert "Self-assessment over time" in texts and "Daily routine" in texts and "Skills for work" in texts


@pytest.mark.parametrize("answers, field, message", [
    ({"daily_routine": "7"}, "daily_routine", "Choose a number from 1 to 5."),
    ({"daily_routine": "3", "work_skills": "x"}, "work_skills", "Choose a number from 1 to 5."),
    ({"getting_along": "0"}, "getting_along", "Choose a number from 1 to 5."),
    ({}, "daily_routine", "Answer at least one question."),
])
def test_bad_answers_save_nothing(app, world, answers, field, message):
    anna = signed_in(app, "anna@example.fi")
    response = post_assessment(anna, **answers)
    assert response.status_code == 400
    assert message in field_errors(response, field)
    assert rows(app, SelfAssessment) == []


def test_a_youth_sees_only_their_own_assessments(app, world):
    with app.app_context():
        session = db.get_session()
        session.add(SelfAssessment(youth_id=world["bea"], scores={"daily_routine": 1, "work_skills": 5}))
        session.commit()
    anna = signed_in(app, "anna@example.fi")
    assert "No self-assessments yet." in anna.get("/me/self-assessment").text
    root = parse_svg(anna.get("/me/self-assessment/chart.svg"))
    assert "No self-assessments yet." in svg_texts(root)


# ---------------------------------------------------------------- the coordinator: youths in scope only

def test_a_coordinator_lists_and_records_for_youths_in_scope(app, world):
    north = signed_in(app, "north@example.fi")
    html = north.get("/coordinator/outcomes").text
    anna_ref, bea_ref = ref_of(app, world["anna"]), ref_of(app, world["bea"])
    assert f"/coordinator/outcomes/{anna_ref}" in html and ">Anna<" in html
    assert bea_ref not in html and "Bea" not in html
    url = f"/coordinator/outcomes/{anna_ref}/next-step"
    response = post_step(north, url, step="education", activity=str(world["placed"]))
    assert response.status_code == 303 and response.location == f"/coordinator/outcomes/{anna_ref}"
    [saved] = rows(app, NextStep)
    assert (saved.youth_id, saved.step.value, saved.recorded_by) == (world["anna"], "education", world["north"])
    [entry] = rows(app, AuditEntry)
    assert (entry.user_id, entry.action, entry.subject) == (world["north"], "nextstep.record",
                                                            f"youthprofile:{world['anna']}")
    assert entry.details["step"] == "education"
    page = north.get(f"/coordinator/outcomes/{anna_ref}").text
    assert "A coordinator" in page and "Education or training" in page
    add_step(app, world["anna"], NextStepKind.WORK, utc(2020, 1, 1))  # older: not the latest
    add_step(app, world["bea"], NextStepKind.WORK, utc(2030, 1, 1))  # out of scope
    listed = north.get("/coordinator/outcomes").text
    assert re.search(r">Anna</a></th>\s*<td>Oulu</td>\s*<td>Education or training \(", listed)


def test_a_coordinators_bad_next_step_saves_nothing(app, world):
    north = signed_in(app, "north@example.fi")
    anna_ref = ref_of(app, world["anna"])
    response = post_step(north, f"/coordinator/outcomes/{anna_ref}/next-step", step="work",
                         activity=str(world["beas"]))
    assert response.status_code == 400
    assert "Choose one of the activities shown, or none." in field_errors(response, "activity")
    assert rows(app, NextStep) == [] and rows(app, AuditEntry) == []


def test_a_coordinator_sees_the_self_assessments_of_a_youth_in_scope(app, world):
    with app.app_context():
        session = db.get_session()
        session.add(SelfAssessment(youth_id=world["anna"], scores={"future_confidence": 2},
                                   taken_at=utc(2026, 2, 1)))
        session.add(SelfAssessment(youth_id=world["anna"], scores={"future_confidence": 4},
                                   taken_at=utc(2026, 5, 1)))
        session.commit()
    north = signed_in(app, "north@example.fi")
    ref = ref_of(app, world["anna"])
    html = north.get(f"/coordinator/outcomes/{ref}").text
    assert re.search(r'<th scope="row">Confidence about the future</th><td>2</td><td>4</td>', html)
    assert 'type="radio" name="daily_routine"' not in html  # only the youth answers
    parse_svg(north.get(f"/coordinator/outcomes/{ref}/self-assessment.svg"))


@pytest.mark.parametrize("who", ["north", "lapland"])
def test_youths_out_of_scope_are_not_found(app, world, who):
    """Bea has not agreed (pending) for the north; the Lapland coordinator has no referral of Anna at all."""
    client = signed_in(app, f"{who}@example.fi")
    refs = [ref_of(app, world["bea"])] + ([ref_of(app, world["anna"])] if who == "lapland" else [])
    for ref in refs:
        assert client.get(f"/coordinator/outcomes/{ref}").status_code == 404
        assert client.get(f"/coordinator/outcomes/{ref}/self-assessment.svg").status_code == 404
        response = client.post(f"/coordinator/outcomes/{ref}/next-step",
                               data={"csrf_token": token(client, "/coordinator/outcomes"), "step": "work"})
        assert response.status_code == 404
    assert rows(app, NextStep) == []
    if who == "lapland":
        assert "Anna" not in client.get("/coordinator/outcomes").text


COORDINATOR_PAGES = ["/coordinator/outcomes", "/coordinator/outcomes/REF",
                     "/coordinator/outcomes/REF/self-assessment.svg"]
YOUTH_PAGES = ["/me/next-step", "/me/self-assessment", "/me/self-assessment/chart.svg"]


@pytest.mark.parametrize("email", ["anna@example.fi", "ry@example.fi"])
def test_other_roles_cannot_open_the_coordinators_pages(app, world, email):
    client = signed_in(app, email)
    for url in COORDINATOR_PAGES:
        assert client.get(url.replace("REF", ref_of(app, world["anna"]))).status_code == 403
    response = client.post(f"/coordinator/outcomes/{ref_of(app, world['anna'])}/next-step",
                           data={"csrf_token": token(client, "/"), "step": "work"})
    assert response.status_code == 403 and rows(app, NextStep) == []


@pytest.mark.parametrize("email", ["north@example.fi", "ry@example.fi"])
def test_only_youths_have_the_youth_pages(app, world, email):
    client = signed_in(app, email)
    for url in YOUTH_PAGES:
        assert client.get(url).status_code == 403


def test_visitors_are_sent_to_sign_in(app, world, client):
    for url in COORDINATOR_PAGES + YOUTH_PAGES:
        response = client.get(url.replace("REF", ref_of(app, world["anna"])))
        assert response.status_code == 302 and response.location.startswith("/auth/signin")
