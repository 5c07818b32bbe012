"""Deleting an account closes everything the youth had open: no nameless applicant to accept, no place kept
by nobody, no referral or proposal waiting, no session left."""
from __future__ import annotations

import datetime as dt

from sqlmodel import select
from werkzeug.security import generate_password_hash

from tests.support.signin import sign_in_as
from webapp import db
from webapp.models import (Association, Cohort, Interest, Opening, Outcome, Proposal, Referral, User,
                           YouthProfile)
from webapp.services import decisions, privacy
from webapp.states import CohortState, InterestState, OpeningStatus, OutcomeKind, ProposalState, ReferralState, Role


def _world(app):
    with app.app_context():
        session = db.get_session()
        hashed = generate_password_hash("kissa-koira-42", method="pbkdf2:sha256:1000")
        club = Association(name="Lentopalloseura ry")
        youth = User(email="aino@example.fi", role=Role.YOUTH, name="Aino K", password_hash=hashed)
        member = User(email="seura@example.fi", role=Role.ASSOCIATION, association=club, password_hash=hashed)
        coordinator = User(email="c@example.fi", role=Role.COORDINATOR, region="Lappi", password_hash=hashed)
        session.add_all([club, youth, member, coordinator])
        session.flush()
        profile = YouthProfile(user_id=youth.id, age=17, municipality="Rovaniemi")
        two_places = Opening(ref="o-two", association=club, status=OpeningStatus.OPEN, title="Kioski",
                             capacity=2, filled=2)
        other = Opening(ref="o-other", association=club, status=OpeningStatus.OPEN, title="Talkoot")
        later = Opening(ref="o-later", association=club, status=OpeningStatus.OPEN, title="Leiri")
        session.add_all([profile, two_places, other, later])
        session.flush()
        now = dt.datetime.now(dt.timezone.utc)
        running = Interest(youth_id=profile.id, opening_id=two_places.id, state=InterestState.ACCEPTED,
                           accepted_at=now)
        waiting = Interest(youth_id=profile.id, opening_id=other.id, state=InterestState.INTERESTED, message="Moi!")
        cohort = Cohort(name="Syksy", region="Lappi", created_by=coordinator.id, state=CohortState.PROPOSED,
                        youth_ids=[profile.id], opening_ids=[later.id])
        sent = Cohort(name="Kevät", region="Lappi", created_by=coordinator.id, state=CohortState.SENT,
                      youth_ids=[profile.id], opening_ids=[other.id])
        session.add_all([running, waiting, cohort, sent,
                         Referral(youth_id=profile.id, coordinator_id=coordinator.id, region="Lappi",
                                  state=ReferralState.PENDING)])
        session.flush()
        session.add(Proposal(cohort_id=cohort.id, youth_id=profile.id, opening_id=later.id))
        session.add(Proposal(cohort_id=sent.id, youth_id=profile.id, opening_id=other.id,
                             state=ProposalState.SUGGESTED))  # waiting for the youth's answer
        session.commit()
        return {"youth": youth.id, "member": member.id, "running": running.id, "waiting": waiting.id,
                "two_places": two_places.id}


def test_deletion_withdraws_drops_frees_and_ends(app):
    ids = _world(app)
    member = sign_in_as(app.test_client(), ids["member"])
    with app.app_context():
        session = db.get_session()
        privacy.delete_account(session, session.get(User, ids["youth"]))
    with app.test_request_context():
        session = db.get_session()
        assert session.get(Interest, ids["waiting"]).state == InterestState.WITHDRAWN
        running = session.get(Interest, ids["running"])
        assert running.state == InterestState.DROPPED and running.finished_at is not None
        assert session.get(Opening, ids["two_places"]).filled == 1  # the place is free for someone else
        assert session.exec(select(Outcome.outcome).where(Outcome.opening_id == ids["two_places"])).all() \
            == [OutcomeKind.DROPPED]  # the statistics keep the activity, anonymously
        assert {r.state for r in session.exec(select(Referral))} == {ReferralState.ENDED}
        assert {p.state for p in session.exec(select(Proposal))} == {ProposalState.REMOVED}
        waiting = session.get(Interest, ids["waiting"])
        try:
            decisions.accept(session, waiting)
            accepted = True
        except decisions.DecisionRefused:
            accepted = False
        assert not accepted  # nobody can give a place to the deleted youth
    page = member.get("/association/openings/o-other/applicants", headers={"Accept-Language": "en"}).text
    assert "Accept" not in page and "Moi!" not in page
    token = member.get("/api/v1/csrf").get_json()["csrf_token"]
    answer = member.post(f"/api/v1/applicants/{ids['waiting']}/accept", headers={"X-CSRFToken": token})
    assert answer.status_code == 404  # a withdrawn youth is no applicant at all
