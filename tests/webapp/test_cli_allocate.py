"""`flask --app webapp allocate`: a proposal from the database's youths and open openings; it saves nothing."""
from __future__ import annotations

import csv

import pytest
from sqlmodel import select

from tests.support.catalogue import add_catalogue
from webapp import db
from webapp.models import Interest, Opening, User, YouthProfile
from webapp.states import Role
from webapp.engine.versions import catalogue_version

ANIMALS = "Oulun Eläinystävät ry"


def add_youth(app, ref: str, active: bool = True, **profile) -> None:
    fields = {"age": 17, "municipality": "Oulu", "max_travel_km": 30, "languages": ["fi"], "themes": ["animals"],
              "interests": "koirat ja ulkoilu", **profile}
    with app.app_context():
        session = db.get_session()
        user = User(email=f"{ref}@example.fi", role=Role.YOUTH, password_hash="x", active=active)
        session.add(YouthProfile(ref=ref, user=user, **fields))
        session.commit()


@pytest.fixture
def cohort(app):
    """o-dog has 2 free places (capacity 3, 1 filled); three Finnish-only youths of Oulu fit only it; one is 12."""
    add_catalogue(app)
    for ref in ("y-a", "y-b", "y-c"):
        add_youth(app, ref)
    add_youth(app, "y-young", age=12)
    return app


def snapshot(app):
    with app.app_context():
        session = db.get_session()
        openings = sorted((o.ref, o.status, o.filled, o.capacity, o.updated_at) for o in session.exec(select(Opening)))
        return openings, session.exec(select(Interest)).all(), catalogue_version(session)


def run(runner, *args):
    return runner.invoke(args=["allocate", *map(str, args)])


def test_the_proposal_fills_the_free_places_and_says_why_others_are_left_out(cohort, runner, tmp_path):
    before = snapshot(cohort)
    out = tmp_path / "plan.csv"
    result = run(runner, "--openings", "o-dog", "--out", out)
    assert result.exit_code == 0, result.output
    text = result.output
    assert "proposal: 2 of 4 youths placed" in text
    assert text.count("-> o-dog Koiranulkoiluttaja (Oulun Eläinystävät ry), fit ") == 2
    assert "y-young: no open opening with a place left fits their hard rules" in text
    assert "the openings that fit them were filled by others" in text
    assert f"{ANIMALS}: 2 of 2" in text  # capacity 3 - filled 1
    assert "first-come greedy would place 2" in text and "gain +0 placed" in text
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    placed = [r for r in rows if r["opening_id"]]
    assert len(placed) == 2 and {r["association"] for r in placed} == {ANIMALS}
    assert all(0 < float(r["score"]) <= 1 for r in placed)
    assert sorted(r["unplaced_reason"] for r in rows if not r["opening_id"]) == [
        "all_eligible_full", "no_eligible_opening"]
    assert snapshot(cohort) == before  # a proposal only: nothing in the database changed


def test_all_open_openings_and_all_youths_by_default(cohort, runner):
    result = run(runner)
    assert result.exit_code == 0, result.output
    assert "of 4 youths placed" in result.output
    assert "o-draft" not in result.output and "o-closed" not in result.output


def test_a_full_opening_offers_no_place(cohort, runner):
    with cohort.app_context():
        session = db.get_session()
        session.exec(select(Opening).where(Opening.ref == "o-dog")).one().filled = 3
        session.commit()
    result = run(runner, "--openings", "o-dog")
    assert result.exit_code == 0 and "proposal: 0 of 4 youths placed" in result.output


def test_chosen_youths_only_and_closed_accounts_never(cohort, runner):
    add_youth(cohort, "y-closed", active=False)
    result = run(runner, "--openings", "o-dog", "--youths", "y-a,y-young")
    assert result.exit_code == 0 and "proposal: 1 of 2 youths placed" in result.output
    assert "y-a -> o-dog" in result.output
    assert run(runner, "--youths", "y-closed").exit_code == 2
    assert "y-closed" not in run(runner).output


def test_the_top_choices_objective(cohort, runner):
    result = run(runner, "--objective", "top-1")
    assert result.exit_code == 0, result.output
    assert "placed at one of their own 1 best:" in result.output


@pytest.mark.parametrize(("args", "message"), [
    (["--objective", "best"], "--objective: expected 'fit' or 'top-N'"),
    (["--objective", "top-0"], "--objective"),
    (["--openings", "o-draft"], "--openings: no open opening with the ref(s) o-draft"),
    (["--openings", "o-dog,o-nope"], "o-nope"),
    (["--openings", " , "], "--openings: give refs"),
    (["--youths", "y-nope"], "--youths: no youth profile"),
])
def test_bad_options_exit_2_and_say_why(cohort, runner, args, message):
    result = run(runner, *args)
    assert result.exit_code == 2
    assert message in result.output
