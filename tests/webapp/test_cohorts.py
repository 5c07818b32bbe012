"""Cohort placement: choose, allocate (inline job), review, adjust by hand, send once, track."""
from __future__ import annotations

import re
import time

import pytest
from sqlmodel import col, select

from tests.support.cohort_case import (OPENINGS, YOUTHS, act, allocated, choose, cohort_row, create, flashes,
                                       interests, proposals, send_form)
from tests.support.clients import token
from tests.support.referrals import REGION, add_user
from tests.support.signin import signed_in
from tests.support.worker import WorkerProcess
from webapp import db
from webapp.models import AuditEntry, Cohort, Interest, Job, Opening, Proposal, Referral
from webapp.states import CohortState, InterestState, JobState, OpeningStatus, ProposalState, ReferralState, Role

# ---------------------------------------------------------------- create and choose

def test_a_cohort_is_created_in_the_coordinators_region_and_chosen(app, case, kaisa):
    cohort_id = create(kaisa, "  Syksyn   ryhmä ")
    page = kaisa.get(f"/coordinator/cohorts/{cohort_id}/choose").text
    for name in ("Ville", "Aino", "Sami", "Liisa", "Eero"):
        assert f">{name}" in page
    assert "Pekka" not in page  # pending referral: not in scope
    assert "Koiranulkoiluttaja" in page and "Helsingin museo" not in page  # openings of the region only
    assert "Helsingin museo" in kaisa.get(f"/coordinator/cohorts/{cohort_id}/choose?where=all").text
    assert choose(kaisa, cohort_id, case).status_code == 303
    cohort = cohort_row(app, cohort_id)
    assert (cohort.name, cohort.region, cohort.state) == ("Syksyn ryhmä", REGION, CohortState.DRAFT)
    assert cohort.youth_ids == sorted(case[y] for y in YOUTHS)
    assert cohort.opening_ids == sorted(case[f"o_{o}"] for o in OPENINGS)
    assert "Syksyn ryhmä" in kaisa.get("/coordinator/cohorts/").text


def test_a_cohort_needs_a_name(app, case, kaisa):
    response = send_form(kaisa, "/coordinator/cohorts/", "/coordinator/cohorts/", name="  ")
    assert response.status_code == 400 and 'id="name-error"' in response.text
    with app.app_context():
        assert db.get_session().exec(select(Cohort)).all() == []


def test_only_youths_in_scope_and_open_openings_may_be_chosen(app, case, kaisa):
    cohort_id = create(kaisa)
    response = choose(kaisa, cohort_id, case, youths=("ville", "pending"))
    assert response.status_code == 400 and 'id="youths-error"' in response.text
    url = f"/coordinator/cohorts/{cohort_id}/choose"
    response = send_form(kaisa, url, url, youths=["x"], openings=[str(case["o_dog"])])
    assert response.status_code == 400 and "Choose only from the options shown." in response.text
    with app.app_context():
        session = db.get_session()
        dog = session.get(Opening, case["o_dog"])
        dog.status = OpeningStatus.CLOSED
        session.add(dog)
        session.commit()
    response = choose(kaisa, cohort_id, case, youths=("ville",), openings=("dog",))
    assert response.status_code == 400 and 'id="openings-error"' in response.text
    assert cohort_row(app, cohort_id).youth_ids == []


# ---------------------------------------------------------------- allocate and review

def test_the_allocation_places_the_constructed_case_as_expected(app, case, kaisa):
    cohort_id = allocated(kaisa, case)
    assert proposals(app, cohort_id, case) == {
        "ville": ("art", ProposalState.PROPOSED, False),
        "aino": ("cat", ProposalState.PROPOSED, False),
        "sami": ("dog", ProposalState.PROPOSED, False),
    }
    cohort = cohort_row(app, cohort_id)
    assert cohort.state == CohortState.PROPOSED
    summary = cohort.summary
    assert summary["unplaced"] == {str(case["liisa"]): "all_eligible_full", str(case["eero"]): "no_eligible_opening"}
    assert (summary["placed"], summary["greedy"]["placed"], summary["gain"]["placed"]) == (3, 2, 1)
    assert summary["fill"] == {"Oulun Eläinystävät ry": {"offered": 2, "filled": 2},
                               "Oulun Kulttuuriseura ry": {"offered": 1, "filled": 1}}
    with app.app_context():
        job = db.get_session().get(Job, cohort.job_id)
        assert (job.kind, job.state, job.progress, job.result) == ("allocate", JobState.DONE, 1.0,
                                                                    {"placed": 3, "unplaced": 2})

    page = kaisa.get(f"/coordinator/cohorts/{cohort_id}").text
    assert "placed 3 of 5 youths" in page and "First come, first served would have placed 2" in page
    assert "first served: +1 placed" in page
    assert "Who goes where (3)" in page and "Left out (2)" in page
    left = kaisa.get(f"/coordinator/cohorts/{cohort_id}?show=left").text.split("<h3>Left out</h3>")[1].split("<h3>")[0]
    assert re.search(r"Liisa</a>: Suitable openings were full", left)
    assert re.search(r"Eero</a>: No chosen opening with a free place suits the youth", left)
    places = page.split("<h3>Places per association</h3>")[1]
    assert "<td>Oulun Eläinystävät ry</td><td>2</td><td>2</td>" in places


def test_the_allocation_runs_in_the_background_too(app, case, kaisa, database_url, tmp_path):
    """On the real worker process, through the queue, as `make run` does."""
    app.config.update(JOBS_INLINE=False, QUEUE_IMMEDIATE=False, POLKU_QUEUE_URL=f"sqlite:///{tmp_path / 'q.sqlite'}")
    worker = WorkerProcess(database_url, app.config["POLKU_QUEUE_URL"], tmp_path / "worker.log").start()
    try:
        _allocate_in_the_background(app, case, kaisa)
    finally:
        worker.kill()


def _allocate_in_the_background(app, case, kaisa):
    cohort_id = create(kaisa)
    choose(kaisa, cohort_id, case)
    assert act(kaisa, cohort_id, "allocate").status_code == 303
    deadline = time.monotonic() + 60
    while cohort_row(app, cohort_id).state != CohortState.PROPOSED and time.monotonic() < deadline:
        time.sleep(0.05)
    while "Refresh" in kaisa.get(f"/coordinator/cohorts/{cohort_id}").headers and time.monotonic() < deadline:
        time.sleep(0.05)  # the job row is marked done just after the proposals are saved
    assert {name: place for name, (place, _state, _hand) in proposals(app, cohort_id, case).items()} == {
        "ville": "art", "aino": "cat", "sami": "dog"}
    with app.app_context():
        job = db.get_session().get(Job, cohort_row(app, cohort_id).job_id)
        assert job.state == JobState.DONE and job.created_by == case["coordinator"]


def test_a_running_allocation_shows_its_progress_and_reloads(app, case, kaisa):
    cohort_id = create(kaisa)
    choose(kaisa, cohort_id, case)
    with app.app_context():
        session = db.get_session()
        job = Job(kind="allocate", state=JobState.RUNNING, progress=0.4)
        session.add(job)
        session.flush()
        cohort = session.get(Cohort, cohort_id)
        cohort.job_id = job.id
        session.add(cohort)
        session.commit()
    response = kaisa.get(f"/coordinator/cohorts/{cohort_id}")
    assert response.headers["Refresh"] == "2"
    assert 'value="40"' in response.text and "40 % done" in response.text
    assert act(kaisa, cohort_id, "allocate").status_code == 303
    assert "still running" in flashes(kaisa, cohort_id)
    with app.app_context():
        assert len(db.get_session().exec(select(Job)).all()) == 1  # no second run
    assert "Refresh" not in kaisa.get("/coordinator/cohorts/").headers


# ---------------------------------------------------------------- adjust by hand

def test_moves_that_break_a_rule_are_refused(app, case, kaisa):
    cohort_id = allocated(kaisa, case)
    before = proposals(app, cohort_id, case)
    refusals = [
        ("sami", "art", "does not suit the youth"),  # no Swedish
        ("liisa", "dog", "“Koiranulkoiluttaja” has no free place left."),  # Sami has it
        ("aino", "full", "does not suit the youth"),  # the engine: no places left
        ("liisa", "far", "Choose one of the cohort&#39;s openings."),  # not the cohort's
        ("sami", "dog", "already proposed for this opening"),
    ]
    for youth, opening, message in refusals:
        response = act(kaisa, cohort_id, f"youths/{case[youth]}/move", opening=case[f"o_{opening}"])
        assert response.status_code == 303
        assert message in flashes(kaisa, cohort_id), (youth, opening)
    assert act(kaisa, cohort_id, f"youths/{case['pending']}/move", opening=case["o_dog"]).status_code == 404
    assert proposals(app, cohort_id, case) == before
    with app.app_context():
        assert not db.get_session().exec(select(AuditEntry).where(AuditEntry.action == "cohort.move")).all()


def test_remove_then_move_by_hand(app, case, kaisa):
    cohort_id = allocated(kaisa, case)
    assert act(kaisa, cohort_id, f"youths/{case['sami']}/remove").status_code == 303
    assert act(kaisa, cohort_id, f"youths/{case['liisa']}/move", opening=case["o_dog"]).status_code == 303
    assert proposals(app, cohort_id, case) == {
        "ville": ("art", ProposalState.PROPOSED, False),
        "aino": ("cat", ProposalState.PROPOSED, False),
        "sami": ("dog", ProposalState.REMOVED, True),
        "liisa": ("dog", ProposalState.PROPOSED, True),
    }
    assert "(by hand)" in kaisa.get(f"/coordinator/cohorts/{cohort_id}").text
    assert re.search(r"Sami</a>: Removed by hand", kaisa.get(f"/coordinator/cohorts/{cohort_id}?show=left").text)
    # Sami's removal freed nothing more: the dog walks are Liisa's now
    act(kaisa, cohort_id, f"youths/{case['sami']}/move", opening=case["o_dog"])
    assert "no free place left" in flashes(kaisa, cohort_id)
    with app.app_context():
        actions = [e.action for e in db.get_session().exec(select(AuditEntry).order_by(col(AuditEntry.id)))]
    assert actions == ["cohort.create", "cohort.choose", "cohort.allocate", "cohort.remove", "cohort.move"]


# ---------------------------------------------------------------- send and track

def answer(app, email, case, opening, action):
    youth = signed_in(app, email)
    with app.app_context():
        proposal = db.get_session().exec(select(Proposal).where(Proposal.opening_id == case[f"o_{opening}"],
                                                                Proposal.state == ProposalState.SUGGESTED)).first()
    proposal_id = proposal.id if proposal else 0
    return youth, youth.post(f"/me/suggestions/{proposal_id}/{action}",
                             data={"csrf_token": token(youth, "/me/referrals")})


def test_sending_suggests_to_the_youths_and_nothing_reaches_an_association_before_a_yes(app, case, kaisa):
    cohort_id = allocated(kaisa, case)
    with app.app_context():  # Aino found the cats herself already; Eero is not proposed at all
        session = db.get_session()
        session.add(Interest(youth_id=case["aino"], opening_id=case["o_cat"], message="Oma viesti"))
        session.commit()
    assert act(kaisa, cohort_id, "send").status_code == 303
    assert "Sent to the youths: 2 suggestions to answer, 1 interested already, 0 skipped." in flashes(kaisa,
                                                                                                       cohort_id)
    assert interests(app, case) == {("aino", "cat"): InterestState.INTERESTED}  # nothing made in anyone's name
    assert proposals(app, cohort_id, case) == {"ville": ("art", ProposalState.SUGGESTED, False),
                                               "aino": ("cat", ProposalState.SENT, False),
                                               "sami": ("dog", ProposalState.SUGGESTED, False)}
    assert cohort_row(app, cohort_id).state == CohortState.SENT

    ville = signed_in(app, "ville@example.fi")
    page = ville.get("/me/referrals").text
    assert "Referrals (1 waiting)" in page and "Konstverkstad" in page and "Koiranulkoiluttaja" not in page
    assert "Syksyn ryhmä" not in page  # the cohort's name is the coordinators' word, not the youth's
    ville, response = answer(app, "ville@example.fi", case, "art", "yes")
    assert response.status_code == 303 and response.location == "/youth/activities"
    assert "waiting)" not in ville.get("/me/referrals").text
    _sami, response = answer(app, "sami@example.fi", case, "dog", "no")
    assert response.status_code == 303
    assert interests(app, case) == {("aino", "cat"): InterestState.INTERESTED,
                                    ("ville", "art"): InterestState.INTERESTED}
    with app.app_context():
        session = db.get_session()
        notes = dict(session.exec(select(Interest.youth_id, Interest.message)).all())
        assert notes == {case["ville"]: "", case["aino"]: "Oma viesti"}  # nothing about a coordinator or cohort
    page = kaisa.get(f"/coordinator/cohorts/{cohort_id}").text
    assert "the youth said no" in page and "the youth is interested" in page

    assert act(kaisa, cohort_id, "send").status_code == 303  # again: nothing new
    assert "Sent to the youths: 0 suggestions to answer, 0 interested already, 0 skipped." in flashes(kaisa,
                                                                                                       cohort_id)
    with app.app_context():  # the associations decide
        session = db.get_session()
        for youth, opening, state in [("aino", "o_cat", InterestState.ACCEPTED), ("ville", "o_art",
                                                                                  InterestState.DECLINED)]:
            interest = session.exec(select(Interest).where(Interest.youth_id == case[youth],
                                                           Interest.opening_id == case[opening])).one()
            interest.state = state
            session.add(interest)
        session.commit()
    page = kaisa.get(f"/coordinator/cohorts/{cohort_id}").text
    assert "accepted by the association (interest: accepted)" in page
    assert proposals(app, cohort_id, case) == {
        "ville": ("art", ProposalState.DECLINED, False),
        "aino": ("cat", ProposalState.ACCEPTED, False),
        "sami": ("dog", ProposalState.REFUSED, False),
    }
    # a sent cohort stays as sent
    act(kaisa, cohort_id, f"youths/{case['aino']}/remove")
    assert "has been sent already" in flashes(kaisa, cohort_id)
    with app.app_context():
        entries = db.get_session().exec(select(AuditEntry).where(AuditEntry.action == "cohort.send")
                                        .order_by(col(AuditEntry.id))).all()
        assert [e.details for e in entries] == [{"suggested": 2, "reused": 1, "skipped": 0},
                                                {"suggested": 0, "reused": 0, "skipped": 0}]


def test_a_youth_answers_only_their_own_waiting_suggestions(app, case, kaisa):
    cohort_id = allocated(kaisa, case)
    act(kaisa, cohort_id, "send")
    with app.app_context():
        by_youth = {p.youth_id: p.id for p in db.get_session().exec(select(Proposal)).all()}
    ville = signed_in(app, "ville@example.fi")
    sami_s = by_youth[case["sami"]]
    for action in ("yes", "no"):  # another youth's suggestion is not there for Ville
        assert ville.post(f"/me/suggestions/{sami_s}/{action}",
                          data={"csrf_token": token(ville, "/me/referrals")}).status_code == 404
    assert proposals(app, cohort_id, case)["sami"][1] == ProposalState.SUGGESTED
    _ville, response = answer(app, "ville@example.fi", case, "art", "no")
    assert response.status_code == 303
    ville_s = by_youth[case["ville"]]
    assert ville.post(f"/me/suggestions/{ville_s}/yes",  # answered already: no second answer
                      data={"csrf_token": token(ville, "/me/referrals")}).status_code == 404
    assert interests(app, case) == {}
    add_user(app, "ry@example.fi", Role.ASSOCIATION, association="Oulun Kulttuuriseura ry")
    member = signed_in(app, "ry@example.fi")
    assert member.post(f"/me/suggestions/{sami_s}/yes",
                       data={"csrf_token": token(member, "/association/openings")}).status_code == 403


def test_a_suggestion_whose_opening_closed_cannot_be_taken(app, case, kaisa):
    cohort_id = allocated(kaisa, case)
    act(kaisa, cohort_id, "send")
    with app.app_context():
        session = db.get_session()
        opening = session.get(Opening, case["o_art"])
        opening.status = OpeningStatus.CLOSED
        session.add(opening)
        session.commit()
    ville = signed_in(app, "ville@example.fi")
    assert "This opening has closed, so you cannot say yes to it any more." in ville.get("/me/referrals").text
    ville, response = answer(app, "ville@example.fi", case, "art", "yes")
    assert response.status_code == 303 and response.location == "/me/referrals"
    assert "not open" in ville.get("/me/referrals").text
    assert interests(app, case) == {}
    assert proposals(app, cohort_id, case)["ville"][1] == ProposalState.SUGGESTED


def test_a_closed_interest_is_not_reopened_and_an_ended_referral_is_not_sent(app, case, kaisa):
    cohort_id = allocated(kaisa, case)
    with app.app_context():
        session = db.get_session()
        session.add(Interest(youth_id=case["ville"], opening_id=case["o_art"], state=InterestState.WITHDRAWN))
        referral = session.exec(select(Referral).where(Referral.youth_id == case["sami"])).one()
        referral.state = ReferralState.ENDED
        session.add(referral)
        session.commit()
    page = "".join(kaisa.get(f"/coordinator/cohorts/{cohort_id}{show}").text for show in ("", "?show=left"))
    assert "Sami" not in page and "1 chosen youth has ended the referral and is not shown." in page
    act(kaisa, cohort_id, "send")
    assert "Sent to the youths: 1 suggestions to answer, 0 interested already, 2 skipped." in flashes(kaisa,
                                                                                                       cohort_id)
    assert interests(app, case) == {("ville", "art"): InterestState.WITHDRAWN}
    assert proposals(app, cohort_id, case)["aino"][1] == ProposalState.SUGGESTED


def test_sending_before_the_allocation_is_refused(app, case, kaisa):
    cohort_id = create(kaisa)
    choose(kaisa, cohort_id, case)
    act(kaisa, cohort_id, "send")
    assert "Run the allocation first." in flashes(kaisa, cohort_id)
    assert interests(app, case) == {} and cohort_row(app, cohort_id).state == CohortState.DRAFT


# ---------------------------------------------------------------- who may see a cohort

def test_only_coordinators_of_the_region_see_a_cohort(app, case, kaisa, client):
    cohort_id = allocated(kaisa, case)
    add_user(app, "lassi@example.fi", Role.COORDINATOR, region="Lappi")
    add_user(app, "kalle@example.fi", Role.COORDINATOR, region=REGION)
    add_user(app, "ry@example.fi", Role.ASSOCIATION, association="Oulun Eläinystävät ry")
    gets = [f"/coordinator/cohorts/{cohort_id}", f"/coordinator/cohorts/{cohort_id}/choose",
            f"/coordinator/cohorts/{cohort_id}/youths/{case['liisa']}"]
    posts = ["send", "allocate", f"youths/{case['liisa']}/remove", f"youths/{case['liisa']}/move"]
    lassi = signed_in(app, "lassi@example.fi")
    assert "Syksyn ryhmä" not in lassi.get("/coordinator/cohorts/").text
    for url in gets:
        assert lassi.get(url).status_code == 404
    for action in posts:
        assert send_form(lassi, f"/coordinator/cohorts/{cohort_id}/{action}", "/coordinator/cohorts/",
                         opening=case["o_dog"]).status_code == 404
    for email in ("ry@example.fi", "ville@example.fi"):
        other = signed_in(app, email)
        for url in [*gets, "/coordinator/cohorts/"]:
            assert other.get(url).status_code == 403
        assert send_form(other, f"/coordinator/cohorts/{cohort_id}/send", "/").status_code == 403
    for url in gets:
        assert client.get(url).location.startswith("/auth/signin")
    assert interests(app, case) == {}
    kalle = signed_in(app, "kalle@example.fi")  # a colleague in the same region shares the cohort
    assert kalle.get(f"/coordinator/cohorts/{cohort_id}").status_code == 200


@pytest.mark.parametrize("language, words", [("fi", ["Kuka menee minne", "Sijoita Liisa käsin"]),
                                             ("sv", ["Vem går vart", "Placera Liisa för hand"])])
def test_the_pages_speak_finnish_and_swedish(app, case, kaisa, language, words):
    cohort_id = allocated(kaisa, case)
    kaisa.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    placed, left = (kaisa.get(f"/coordinator/cohorts/{cohort_id}{show}") for show in ("", "?show=left"))
    assert placed.status_code == left.status_code == 200 and all(word in placed.text + left.text for word in words)
    for url in ("/coordinator/cohorts/", f"/coordinator/cohorts/{cohort_id}/choose", "/coordinator/referrals/",
                f"/coordinator/referrals/youths/{case['sami']}"):
        assert kaisa.get(url).status_code == 200


def test_sending_tells_each_youth_and_their_answers_tell_the_coordinator(app, case, kaisa):
    from tests.support.talk import notices_of
    from webapp.models import User, YouthProfile

    def user_of(email):
        with app.app_context():
            return db.get_session().exec(select(User.id).where(User.email == email)).one()

    cohort_id = allocated(kaisa, case)
    assert act(kaisa, cohort_id, "send").status_code == 303
    ville, sami, coordinator = user_of("ville@example.fi"), user_of("sami@example.fi"), user_of("kaisa@example.fi")
    [told] = notices_of(app, ville)
    assert (told.kind, told.params["opening"], told.link) == ("suggestion", "Konstverkstad", "/me/referrals")
    assert "Syksyn ryhmä" not in str(told.params)  # the cohort's name is the coordinators' word
    before = len(notices_of(app, coordinator))
    answer(app, "ville@example.fi", case, "art", "yes")
    answer(app, "sami@example.fi", case, "dog", "no")
    kinds = [(n.kind, n.params["cohort_id"]) for n in notices_of(app, coordinator)[before:]]
    assert kinds == [("suggestion_yes", cohort_id), ("suggestion_no", cohort_id)]
    with app.app_context():  # the association hears of Ville's interest as of anyone's: nothing of a cohort
        session = db.get_session()
        opening = session.get(Opening, case["o_art"])
        members = session.exec(select(User.id).where(User.association_id == opening.association_id)).all()
        assert {profile.user_id for profile in session.exec(select(YouthProfile))} >= {ville, sami}
    for member in members:
        assert [(n.kind, n.params) for n in notices_of(app, member)] == [
            ("interest", {"opening": "Konstverkstad", "ref": opening.ref})]
    assert notices_of(app, sami)[-1].kind == "suggestion"  # a no tells nobody but the coordinator
