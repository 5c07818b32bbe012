from __future__ import annotations

import dataclasses
import json
from collections import Counter
from pathlib import Path

import pytest
from sqlmodel import func, select
from werkzeug.security import check_password_hash

import matching
from webapp.engine import convert
from webapp import db, ytunnus
from webapp.cli.commands import demo_password
from webapp.models import Association, Opening, User, YouthProfile
from webapp.states import OpeningStatus, Role
from webapp.engine.versions import catalogue_version

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
OPENINGS = FIXTURES / "openings.jsonl"
YOUTHS = FIXTURES / "youths.jsonl"


def _records(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture
def seeded(app, runner):
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    return result.output


def _count(session, model):
    return session.exec(select(func.count()).select_from(model)).one()


def test_seed_loads_the_fixtures(app, seeded):
    names = {r["association"] for r in _records(OPENINGS)}
    youths = _records(YOUTHS)
    with app.app_context():
        session = db.get_session()
        assert _count(session, Association) == len(names)
        assert _count(session, Opening) == len(_records(OPENINGS))
        assert _count(session, YouthProfile) == len(youths)
        roles = Counter(u.role for u in session.exec(select(User)))
        assert roles == {Role.ASSOCIATION: len(names), Role.YOUTH: len(youths), Role.COORDINATOR: 1, Role.ADMIN: 1}
        associations = session.exec(select(Association)).all()
        assert {a.name for a in associations} == names
        assert all(ytunnus.is_valid(a.business_id) for a in associations)
        assert len({a.business_id for a in associations}) == len(associations)
        assert {o.status for o in session.exec(select(Opening))} == {OpeningStatus.OPEN}
        members = session.exec(select(User).where(User.role == Role.ASSOCIATION)).all()
        assert all(u.association_id is not None for u in members)
        assert catalogue_version(session) >= 1


def test_seeded_openings_convert_to_the_engines_openings(app, seeded):
    expected = {o.id: o for o in matching.load_openings(OPENINGS)}
    with app.app_context():
        got = {o.id: o for o in map(convert.opening_from_row, db.get_session().exec(select(Opening)))}
    # the demo history takes places (see test below); apart from that, the rows are the records
    assert {ref: dataclasses.replace(o, filled=0) for ref, o in got.items()} == expected
    assert sum(o.filled for o in got.values()) > 0


def test_seeded_youths_convert_to_the_engines_youths(app, seeded):
    expected = {y.id: y for y in matching.load_youths(YOUTHS)}
    with app.app_context():
        got = {y.id: y for y in map(convert.youth_from_row, db.get_session().exec(select(YouthProfile)))}
    assert got == expected


def test_demo_accounts_are_printed_and_sign_in_with_their_scheme(app, seeded):
    assert "coordinator@demo.polku.fi" in seeded
    assert demo_password("coordinator@demo.polku.fi") in seeded
    with app.app_context():
        users = db.get_session().exec(select(User)).all()
    assert all(check_password_hash(u.password_hash, demo_password(u.email)) for u in users)
    assert all(u.email in seeded for u in users)


def test_seeding_twice_adds_nothing(app, runner, seeded):
    with app.app_context():
        version = catalogue_version(db.get_session())
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "added 0 associations, 0 openings, 0 youths, 0 users" in result.output
    with app.app_context():
        session = db.get_session()
        assert _count(session, Opening) == len(_records(OPENINGS))
        assert catalogue_version(session) == version


def test_a_bad_record_is_refused_with_its_place(app, runner, tmp_path):
    bad = tmp_path / "openings.jsonl"
    bad.write_text(json.dumps({"id": "o-1", "title": "x", "kind": "party"}) + "\n", encoding="utf-8")
    result = runner.invoke(args=["seed", "--openings", str(bad)])
    assert result.exit_code != 0
    assert "line 1, field 'kind'" in result.output
    with app.app_context():
        assert _count(db.get_session(), Opening) == 0


def test_the_demo_coordinator_has_a_region_referrals_and_a_history_that_adds_up(app, seeded):
    from webapp.models import Interest, NextStep, Outcome, Referral, User
    from webapp.states import InterestState, ReferralState

    with app.app_context():
        session = db.get_session()
        coordinator = session.exec(select(User).where(User.role == Role.COORDINATOR)).one()
        referrals = session.exec(select(Referral).where(Referral.coordinator_id == coordinator.id)).all()
        assert coordinator.region == "Lappi" and len(referrals) >= 10
        assert {r.state for r in referrals} == {ReferralState.ACTIVE}
        interests = session.exec(select(Interest)).all()
        states = {i.state for i in interests}
        assert {InterestState.COMPLETED, InterestState.ACCEPTED, InterestState.INTERESTED} <= states
        for opening in session.exec(select(Opening)):  # places taken = accepted + completed
            taken = [i for i in interests if i.opening_id == opening.id
                     and i.state in (InterestState.ACCEPTED, InterestState.COMPLETED)]
            assert opening.filled == len(taken)
        completed = [i for i in interests if i.state == InterestState.COMPLETED]
        assert all(i.finished_at and i.reference for i in completed)
        assert len(session.exec(select(NextStep)).all()) == len(completed)
        assert len(session.exec(select(Outcome)).all()) >= len(interests)


def test_no_demo_accounts_go_into_a_database_with_real_accounts(app, runner):
    with app.app_context():
        session = db.get_session()
        session.add(User(email="real.person@example.fi", role=Role.YOUTH, password_hash="x"))
        session.commit()
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "no demo data added: this database has 1 real account" in result.output
    with app.app_context():
        session = db.get_session()
        assert _count(session, User) == 1 and _count(session, Opening) == 0


def test_the_demo_accounts_are_printed_as_demo(seeded):
    assert "DEMO accounts, for trying Polku out only" in seeded
