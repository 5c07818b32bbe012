"""Accepting under contention: many members press "Accept" at once, and the capacity still holds.

Real concurrency: one thread per request, each with its own test client (its own session
cookie), all released together by a barrier, on SQLite and on PostgreSQL.
"""
from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import select

from tests.support.applicants import add_user, add_youths, opening_row, outcomes
from tests.support.catalogue import add_catalogue
from tests.support.clients import csrf_header
from tests.support.signin import sign_in_as
from webapp import db
from webapp.models import Interest
from webapp.states import InterestState, Role
from webapp.engine.versions import catalogue_version

CAPACITY = 5
YOUTHS = 100


@pytest.fixture
def crowd(app):
    """An opening with 5 places and 100 interested youths; a member of its association."""
    ids = add_catalogue(app, **{"o-dog": {"capacity": CAPACITY, "filled": 0}})
    member = add_user(app, "jasen@elaimet.example", Role.ASSOCIATION, association_id=ids["animals"])
    return {"member": member, "interests": add_youths(app, YOUTHS, "o-dog")}


def together(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run each call in its own thread, all starting at the same moment; their results (or exceptions)."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = calls[i]()
        except Exception as e:  # noqa: BLE001 - reported by the assertions, not lost in the thread
            results[i] = e

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a request never finished"
    return results


def accept_call(app, member: int, interest_id: int, via: str, action: str = "accept") -> Callable[[], tuple[int, str]]:
    """A signed-in member's own browser (page form) or API client, ready to accept `interest_id`."""
    client = sign_in_as(app.test_client(), member)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    headers = csrf_header(client)
    if via == "page":
        url = f"/association/openings/o-dog/applicants/{interest_id}/{action}"
        return lambda: _answer(client.post(url, data={"csrf_token": headers["X-CSRFToken"]}))
    return lambda: _answer(client.post(f"/api/v1/applicants/{interest_id}/{action}", headers=headers))


def _answer(response: Any) -> tuple[int, str]:
    return response.status_code, response.get_data(as_text=True)


def _version(app) -> int:
    with app.app_context():
        return catalogue_version(db.get_session())


def _states(app) -> Counter[InterestState]:
    with app.app_context():
        return Counter(db.get_session().exec(select(Interest.state)).all())


@pytest.mark.parametrize("via", ["page", "api"])
def test_a_hundred_accepts_for_five_places(app, crowd, via):
    calls = [accept_call(app, crowd["member"], i, via) for i in crowd["interests"]]
    before = _version(app)
    results = together(calls)
    assert not [r for r in results if isinstance(r, Exception)]
    statuses = Counter(status for status, _ in results)
    won = 303 if via == "page" else 200
    assert statuses == {won: CAPACITY, 409: YOUTHS - CAPACITY}, statuses
    refusals = [body for status, body in results if status == 409]
    assert all("full" in body for body in refusals)  # a clear reason, not a crash
    assert opening_row(app, "o-dog").filled == CAPACITY
    assert _states(app) == {InterestState.ACCEPTED: CAPACITY, InterestState.INTERESTED: YOUTHS - CAPACITY}
    assert len(outcomes(app, "accepted")) == CAPACITY
    assert _version(app) == before + CAPACITY  # the refused ones rolled their bump back


@pytest.mark.parametrize("via", ["page", "api"])
def test_the_same_applicant_accepted_twice_at_once(app, crowd, via):
    interest = crowd["interests"][0]
    results = together([accept_call(app, crowd["member"], interest, via) for _ in range(2)])
    assert not [r for r in results if isinstance(r, Exception)]
    won = 303 if via == "page" else 200
    assert sorted(status for status, _ in results) == sorted([won, 409])
    assert "already accepted" in next(body for status, body in results if status == 409)
    assert opening_row(app, "o-dog").filled == 1
    assert len(outcomes(app, "accepted")) == 1


def test_accepts_and_drops_at_once_never_overfill(app, crowd):
    """Three accepted; then two of them dropped while twenty others are accepted: never more than 5."""
    member = crowd["member"]
    first = crowd["interests"][:3]
    for status, _ in together([accept_call(app, member, i, "api") for i in first]):
        assert status == 200
    drops = [accept_call(app, member, i, "api", action="drop") for i in first[:2]]
    accepts = [accept_call(app, member, i, "api") for i in crowd["interests"][3:23]]
    results = together(drops + accepts)
    assert not [r for r in results if isinstance(r, Exception)]
    assert [status for status, _ in results[:2]] == [200, 200]
    accepted = sum(status == 200 for status, _ in results[2:])
    assert 2 <= accepted <= 4  # 2 places were free; each drop may free one more before or after the accepts
    assert opening_row(app, "o-dog").filled == _states(app)[InterestState.ACCEPTED] <= CAPACITY
