"""The cohort of the cohort tests: four openings in Oulu and five referred youths with a known best
allocation, a coordinator signed in, and the steps of the pages as functions."""
from __future__ import annotations

import re

import pytest
from sqlmodel import select

from tests.support.clients import token
from tests.support.referrals import REGION, add_user
from tests.support.signin import signed_in
from webapp import db
from webapp.models import Association, Cohort, Interest, Opening, Proposal, Referral
from webapp.states import InterestState, OpeningStatus, ProposalState, ReferralState, Role

FI = ["fi"]


@pytest.fixture
def case(app):
    """Four openings in Oulu and five referred youths, built so that the best allocation is known.

    - dog (1 place): everyone near Oulu may go; Ville, Sami and Liisa like animals most.
    - cat (2 places, 1 filled): 18 and over, so only Aino.
    - art (1 place): Swedish needed, so only Ville.
    - full (1 place, filled): no one.
    Best: Ville -> art, Aino -> cat, Sami -> dog (he fits it best); Liisa is left out because
    the dog walks are full; Eero lives in Helsinki and travels 10 km, so nothing suits him.
    First come, first served (Ville first) sends Ville to the dogs and places only two.
    """
    app.config["JOBS_INLINE"] = True
    with app.app_context():
        session = db.get_session()
        animals = Association(name="Oulun Eläinystävät ry", municipality="Oulu")
        culture = Association(name="Oulun Kulttuuriseura ry", municipality="Oulu")
        common = dict(status=OpeningStatus.OPEN, municipality="Oulu", kind="volunteer")
        openings = {
            "dog": Opening(ref="c-dog", association=animals, title="Koiranulkoiluttaja", description="Koirien lenkitys",
                           themes=["animals"], capacity=1, **common),
            "cat": Opening(ref="c-cat", association=animals, title="Kissalan hoitaja", description="Kissojen hoito",
                           themes=["animals"], capacity=2, filled=1, min_age=18, **common),
            "art": Opening(ref="c-art", association=culture, title="Konstverkstad", description="Måla och rita",
                           themes=["arts"], capacity=1, languages=["sv"], **common),
            "full": Opening(ref="c-full", association=culture, title="Täynnä oleva", description="Ei paikkoja",
                            themes=["animals"], capacity=1, filled=1, **common),
            "far": Opening(ref="c-far", association=culture, title="Helsingin museo", description="Museo",
                           themes=["culture"], capacity=1, status=OpeningStatus.OPEN, municipality="Helsinki"),
        }
        session.add_all(openings.values())
        session.commit()
        opening_ids = {name: o.id for name, o in openings.items()}
    near = dict(municipality="Oulu", max_travel_km=30, remote_ok=False)
    ids = {
        "coordinator": add_user(app, "kaisa@example.fi", Role.COORDINATOR, region=REGION, name="Kaisa"),
        "ville": add_user(app, "ville@example.fi", Role.YOUTH, name="Ville", age=17, languages=["fi", "sv"],
                          interests="koirat", themes=["animals"], **near),
        "aino": add_user(app, "aino@example.fi", Role.YOUTH, name="Aino", age=20, languages=FI, **near),
        "sami": add_user(app, "sami@example.fi", Role.YOUTH, name="Sami", age=17, languages=FI,
                         interests="koirien ulkoilutus, koirat", themes=["animals", "outdoors"], **near),
        "liisa": add_user(app, "liisa@example.fi", Role.YOUTH, name="Liisa", age=17, languages=FI, **near),
        "eero": add_user(app, "eero@example.fi", Role.YOUTH, name="Eero", age=17, languages=FI, municipality="Helsinki",
                         max_travel_km=10, remote_ok=False),
        "pending": add_user(app, "pekka@example.fi", Role.YOUTH, name="Pekka", age=17, languages=FI, **near),
    }
    with app.app_context():
        session = db.get_session()
        for name in ("ville", "aino", "sami", "liisa", "eero", "pending"):
            state = ReferralState.PENDING if name == "pending" else ReferralState.ACTIVE
            session.add(Referral(youth_id=ids[name], coordinator_id=ids["coordinator"], region=REGION, state=state))
        session.commit()
    return {**ids, **{f"o_{name}": i for name, i in opening_ids.items()}}


@pytest.fixture
def kaisa(app, case):
    return signed_in(app, "kaisa@example.fi")


YOUTHS = ("ville", "aino", "sami", "liisa", "eero")
OPENINGS = ("dog", "cat", "art", "full")


def send_form(client, url, page, **data):
    return client.post(url, data={**data, "csrf_token": token(client, page)})


def create(client, name="Syksyn ryhmä") -> int:
    response = send_form(client, "/coordinator/cohorts/", "/coordinator/cohorts/", name=name)
    assert response.status_code == 303
    return int(re.search(r"/coordinator/cohorts/(\d+)/choose", response.location).group(1))


def choose(client, cohort_id, case, youths=YOUTHS, openings=OPENINGS):
    url = f"/coordinator/cohorts/{cohort_id}/choose"
    return send_form(client, url, url, youths=[case[y] for y in youths], openings=[case[f"o_{o}"] for o in openings])


def act(client, cohort_id, action, **data):
    return send_form(client, f"/coordinator/cohorts/{cohort_id}/{action}", f"/coordinator/cohorts/{cohort_id}", **data)


def allocated(client, case) -> int:
    cohort_id = create(client)
    assert choose(client, cohort_id, case).status_code == 303
    assert act(client, cohort_id, "allocate").status_code == 303
    return cohort_id


def names(case) -> tuple[dict[int, str], dict[int, str]]:
    """Youth names by profile id, opening names by opening id."""
    youths = {case[y]: y for y in (*YOUTHS, "pending")}
    openings = {v: k.removeprefix("o_") for k, v in case.items() if k.startswith("o_")}
    return youths, openings


def proposals(app, cohort_id, case) -> dict[str, tuple[str, ProposalState, bool]]:
    """youth name -> (opening name, state, by hand)."""
    youths, openings = names(case)
    with app.app_context():
        rows = db.get_session().exec(select(Proposal).where(Proposal.cohort_id == cohort_id)).all()
        return {youths[p.youth_id]: (openings[p.opening_id], p.state, p.by_hand) for p in rows}


def interests(app, case) -> dict[tuple[str, str], InterestState]:
    youths, openings = names(case)
    with app.app_context():
        rows = db.get_session().exec(select(Interest)).all()
        return {(youths[i.youth_id], openings[i.opening_id]): i.state for i in rows}


def cohort_row(app, cohort_id) -> Cohort:
    with app.app_context():
        return db.get_session().get(Cohort, cohort_id)


def flashes(client, cohort_id) -> str:
    page = client.get(f"/coordinator/cohorts/{cohort_id}").text
    return " ".join(re.findall(r'<p class="flash[^>]*>([^<]*)</p>', page))
