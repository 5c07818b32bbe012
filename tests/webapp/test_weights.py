from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from sqlmodel import col, select

from tests.support.catalogue import add_catalogue
from tests.support.clients import token
from tests.support.coordinators import LAPLAND, NORTH, add_user, add_youths
from tests.support.signin import signed_in
from matching import Weights
from matching.evaluate import evaluate
from matching.learn import learn
from matching.outcomes import Outcome as EngineOutcome
from webapp import db
from webapp.engine import matches
from webapp.engine.matches import Setting
from webapp.services import weights_preview as trial
from webapp.engine.convert import youth_from_row
from webapp.engine.matcher import get_matcher
from webapp.models import AuditEntry, Job, Opening, Outcome, User, WeightProfile, YouthProfile
from webapp.states import JobState, OutcomeKind, ReferralState, Role

COMPONENTS = ("interest", "themes", "schedule", "distance", "kind", "support", "goals", "exposure")
NEAR_ONLY = {**{c: "0" for c in COMPONENTS}, "distance": "1", "diversity": "0"}  # nothing but distance counts


@pytest.fixture
def world(app):
    """The catalogue (all open, in reach of an Oulu youth), coordinators of two regions, and their youths."""
    add_catalogue(app, **{"o-draft": None, "o-dog": {"start_date": None}})
    north = add_user(app, "kaisa@example.fi", region=NORTH)
    lapland = add_user(app, "lasse@example.fi", region=LAPLAND)
    return {"north": north, "lapland": lapland,
            "north_youths": add_youths(app, north, NORTH, 10, prefix="n"),
            "lapland_youths": add_youths(app, lapland, LAPLAND, 10, prefix="l", municipality="Tornio",
                                         interests="koirat", themes=["animals"])}


@pytest.fixture
def kaisa(app, world):
    return signed_in(app, "kaisa@example.fi")


@pytest.fixture
def lasse(app, world):
    return signed_in(app, "lasse@example.fi")


def create_profile(client, name="Syksy") -> int:
    response = client.post("/coordinator/weights", data={"name": name, "csrf_token": token(client, "/coordinator/")})
    assert response.status_code == 303, response.text
    return int(response.location.rsplit("/", 1)[1])


def sliders(**changes: str) -> dict[str, str]:
    values = {c: str(w) for c, w in Weights.default().values.items()}
    return {**values, "diversity": "0.2", **changes}


def post(client, url, data=None, page="/coordinator/"):
    return client.post(url, data={**(data or {}), "csrf_token": token(client, page)})


def counts(app) -> dict[str, int]:
    with app.app_context():
        session = db.get_session()
        return {t.__name__: session.exec(select(sa.func.count()).select_from(t)).one()
                for t in (WeightProfile, AuditEntry, Job, Outcome, Opening, YouthProfile)}


def rows(app, name="Syksy") -> list[WeightProfile]:
    with app.app_context():
        return list(db.get_session().exec(select(WeightProfile).where(WeightProfile.name == name)
                                          .order_by(col(WeightProfile.version))))


def audit_of(app, action) -> list[AuditEntry]:
    with app.app_context():
        return list(db.get_session().exec(select(AuditEntry).where(AuditEntry.action == action)
                                          .order_by(col(AuditEntry.id))))


def field_errors(html: str, field: str) -> str:
    found = re.search(rf'<ul class="errors" id="{field}-error">(.*?)</ul>', html, re.S)
    return found.group(1) if found else ""


def add_outcomes(app, pairs: list[tuple[str, str, OutcomeKind]]) -> None:
    with app.app_context():
        session = db.get_session()
        youths = dict(session.exec(select(YouthProfile.ref, YouthProfile.id)).all())
        openings = dict(session.exec(select(Opening.ref, Opening.id)).all())
        for y, o, kind in pairs:
            session.add(Outcome(youth_id=youths[y], opening_id=openings[o], outcome=kind))
        session.commit()


# ---------------------------------------------------------------- who may see the pages

PAGES = ["/coordinator/", "/coordinator/weights"]


@pytest.mark.parametrize("url", PAGES)
def test_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response.location.startswith("/auth/signin")


@pytest.mark.parametrize("role", [Role.YOUTH, Role.ASSOCIATION, Role.ADMIN])
def test_other_roles_are_forbidden(app, role):
    add_user(app, "other@example.fi", role=role, region=NORTH)
    client = signed_in(app, "other@example.fi")
    for url in PAGES:
        assert client.get(url).status_code == 403
    assert post(client, "/coordinator/weights", {"name": "X"}, page="/").status_code == 403
    assert counts(app)["WeightProfile"] == 0


def test_a_coordinator_without_a_region_may_not_manage_weights(app):
    add_user(app, "nora@example.fi")
    client = signed_in(app, "nora@example.fi")
    assert "You have no region yet" in client.get("/coordinator/").text
    assert client.get("/coordinator/weights").status_code == 403


def test_another_regions_coordinator_finds_none_of_its_profiles_even_by_guessing(app, kaisa, lasse, world):
    profile_id = create_profile(kaisa)
    assert "Syksy" not in lasse.get("/coordinator/weights").text
    assert lasse.get(f"/coordinator/weights/{profile_id}").status_code == 404
    for action in ("activate", "restore", "preview", "learn"):
        assert post(lasse, f"/coordinator/weights/{profile_id}/{action}", sliders()).status_code == 404
    assert post(lasse, f"/coordinator/weights/{profile_id}", {**sliders(), "action": "save"}).status_code == 404
    assert len(rows(app)) == 1 and not rows(app)[0].active


def test_the_preview_shows_only_youths_in_the_coordinators_own_scope(app, world):
    waiting = add_youths(app, world["north"], NORTH, 2, prefix="p", state=ReferralState.PENDING)
    ended = add_youths(app, world["north"], NORTH, 2, prefix="e", state=ReferralState.ENDED)
    with app.test_request_context():
        session = db.get_session()
        for who, mine, theirs in (("north", "north_youths", "lapland_youths"),
                                  ("lapland", "lapland_youths", "north_youths")):
            user = session.get(User, world[who])
            shown = trial.preview(session, user, get_matcher(), Setting.default(), Setting.default())
            refs = {y.youth_ref for y in shown.youths}
            assert refs == set(world[mine]) and not refs & set(world[theirs] + waiting + ended)
            assert shown.in_scope == 10
        nobody = User(email="x@example.fi", role=Role.COORDINATOR, region="Uusimaa", password_hash="x")
        empty = trial.preview(session, nobody, get_matcher(), Setting.default(), Setting.default())
        assert (empty.in_scope, empty.youths, empty.enough) == (0, (), False)


def test_with_few_youths_in_scope_the_preview_shows_no_one(app, world):
    add_user(app, "ulla@example.fi", region="Uusimaa")
    with app.app_context():
        ulla = db.get_session().exec(select(User).where(User.email == "ulla@example.fi")).one()
    add_youths(app, ulla.id, "Uusimaa", 3, prefix="u")
    client = signed_in(app, "ulla@example.fi")
    profile_id = create_profile(client, "Uusi")
    html = post(client, f"/coordinator/weights/{profile_id}", {**sliders(), "action": "preview"}).text
    assert "Only 3 young people in your region have agreed to a referral" in html
    assert "Young person 1" not in html and "data-opening=" not in html


# ---------------------------------------------------------------- versions, activation, restore, audit

def test_creating_a_profile_starts_from_the_default_weights(app, kaisa):
    profile_id = create_profile(kaisa)
    [v1] = rows(app)
    assert (v1.id, v1.version, v1.region, v1.active) == (profile_id, 1, NORTH, False)
    assert v1.weights == Weights.default().values and v1.diversity == 0.2
    html = kaisa.get(f"/coordinator/weights/{profile_id}").text
    for c in COMPONENTS:
        assert re.search(rf'<label for="{c}">[^<]+</label>', html)
        assert re.search(rf'<input aria-describedby="{c}-hint" id="{c}" max="1(\.0)?" min="0(\.0)?" name="{c}" '
                         rf'step="0.01" type="range" value="[0-9.]+">', html), c
        assert f'<output for="{c}" id="{c}-value">' in html
    assert '<output for="diversity" id="diversity-value">0.2</output>' in html
    [entry] = audit_of(app, "weights.create")
    assert entry.details["after"]["version"] == 1 and entry.details["before"] is None


def test_a_name_in_use_is_refused(app, kaisa, lasse):
    create_profile(kaisa)
    response = post(lasse, "/coordinator/weights", {"name": "Syksy"})
    assert response.status_code == 400 and "This name is in use already" in field_errors(response.text, "name")
    assert len(rows(app)) == 1


def test_save_makes_version_n_plus_one_and_logs_before_and_after(app, kaisa, world):
    profile_id = create_profile(kaisa)
    response = post(kaisa, f"/coordinator/weights/{profile_id}",
                    {**sliders(themes="0.5", goals="0"), "note": "Teemat tärkeämmiksi", "action": "save"})
    assert response.status_code == 303
    v1, v2 = rows(app)
    assert response.location == f"/coordinator/weights/{v2.id}"
    assert v1.weights == Weights.default().values  # never edited
    assert (v2.version, v2.weights["themes"], v2.weights["goals"], v2.note) == (2, 0.5, 0.0, "Teemat tärkeämmiksi")
    assert v2.created_by == world["north"] and not v2.active
    [entry] = audit_of(app, "weights.save")
    assert entry.user_id == world["north"] and entry.subject == f"weightprofile:{v2.id}"
    assert entry.details["before"]["version"] == 1 and entry.details["before"]["weights"]["themes"] == 0.2
    assert entry.details["after"]["version"] == 2 and entry.details["after"]["weights"]["themes"] == 0.5
    # saving from the old version still makes the next version, 3
    post(kaisa, f"/coordinator/weights/{v1.id}", {**sliders(), "action": "save"})
    assert [v.version for v in rows(app)] == [1, 2, 3]
    html = kaisa.get(f"/coordinator/weights/{v2.id}").text
    assert "saved a new version" in html and "Teemat tärkeämmiksi" in html


def test_one_active_version_per_region(app, kaisa, lasse):
    autumn = create_profile(kaisa, "Syksy")
    spring = create_profile(kaisa, "Kevät")
    north_of_lapland = create_profile(lasse, "Tunturi")
    assert post(lasse, f"/coordinator/weights/{north_of_lapland}/activate").status_code == 303
    assert post(kaisa, f"/coordinator/weights/{autumn}/activate").status_code == 303
    assert post(kaisa, f"/coordinator/weights/{spring}/activate").status_code == 303
    with app.app_context():
        active = db.get_session().exec(select(WeightProfile.name, WeightProfile.region)
                                       .where(col(WeightProfile.active).is_(True))).all()
    assert sorted(active) == [("Kevät", NORTH), ("Tunturi", LAPLAND)]
    last = audit_of(app, "weights.activate")[-1]
    assert last.details["before"]["name"] == "Syksy" and last.details["after"]["name"] == "Kevät"
    assert "in use in your region" in kaisa.get(f"/coordinator/weights/{spring}").text


def test_restore_re_activates_an_old_version_without_changing_any(app, kaisa):
    v1 = create_profile(kaisa)
    post(kaisa, f"/coordinator/weights/{v1}", {**sliders(interest="0.9"), "action": "save"})
    v2 = rows(app)[1].id
    post(kaisa, f"/coordinator/weights/{v2}/activate")
    html = kaisa.get(f"/coordinator/weights/{v2}").text
    assert f'action="/coordinator/weights/{v1}/restore"' in html
    response = post(kaisa, f"/coordinator/weights/{v1}/restore")
    assert response.status_code == 303
    first, second = rows(app)
    assert (first.active, second.active) == (True, False)
    assert second.weights["interest"] == 0.9 and first.weights == Weights.default().values
    [entry] = audit_of(app, "weights.restore")
    assert (entry.details["before"]["version"], entry.details["after"]["version"]) == (2, 1)


def test_the_region_s_active_weights_score_its_youths(app, kaisa, world):
    profile_id = create_profile(kaisa)
    post(kaisa, f"/coordinator/weights/{profile_id}", {**sliders(**NEAR_ONLY), "action": "save"})
    with app.test_request_context():
        session = db.get_session()
        oulu = session.exec(select(YouthProfile).where(YouthProfile.ref == "n-0")).one()
        tornio = session.exec(select(YouthProfile).where(YouthProfile.ref == "l-0")).one()
        assert matches.weights_for(oulu) is None  # nothing active yet: the defaults
    post(kaisa, f"/coordinator/weights/{rows(app)[1].id}/activate")
    with app.test_request_context():
        session = db.get_session()
        weights = matches.weights_for(oulu)
        assert weights.values["distance"] == 1.0 and weights.name == "Syksy v2"
        assert matches.weights_for(tornio) is None  # Lapland has none, and there is no general one
        matcher = matches.youth_matcher(oulu)
        assert matcher.diversity == 0.0 and matcher.index is get_matcher().index
        assert [m.opening_id for m in matcher.match(youth_from_row(oulu), 3)][-1] == "o-photo"
        assert [m.opening_id for m in get_matcher().match(youth_from_row(oulu), 3)][0] == "o-photo"
        session.add(WeightProfile(name="Koko maa", region=None, weights={"interest": 1.0}, active=True))
        session.commit()
    with app.test_request_context():  # a new request: the cache is per request
        session = db.get_session()
        assert matches.weights_for(tornio).values["interest"] == 1.0
        assert matches.weights_for(oulu).values["distance"] == 1.0


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize("field, value", [("interest", "-0.1"), ("themes", "abc"), ("distance", "inf"),
                                          ("kind", "1.5"), ("goals", ""), ("diversity", "0.99")])
def test_bad_slider_values_are_refused_by_the_field(app, kaisa, field, value):
    profile_id = create_profile(kaisa)
    before = counts(app)
    for action in ("save", "preview"):
        response = post(kaisa, f"/coordinator/weights/{profile_id}", {**sliders(**{field: value}), "action": action})
        assert response.status_code == 400
        assert "Enter a number between 0 and" in field_errors(response.text, field)
        assert f'aria-describedby="{field}-hint {field}-error"' in response.text
    response = post(kaisa, f"/coordinator/weights/{profile_id}/preview", sliders(**{field: value}))
    assert response.status_code == 400 and f'data-field="{field}"' in response.text
    assert counts(app) == before


def test_all_weights_zero_is_refused(app, kaisa):
    profile_id = create_profile(kaisa)
    before = counts(app)
    response = post(kaisa, f"/coordinator/weights/{profile_id}",
                    {**sliders(**{c: "0" for c in COMPONENTS}), "action": "save"})
    assert response.status_code == 400
    assert "Give at least one component a weight above zero." in field_errors(response.text, "weights")
    assert counts(app) == before


# ---------------------------------------------------------------- preview

def _moves(html: str) -> dict[str, tuple[str, str, str]]:
    """opening ref -> (before, after, movement) of the first youth's table."""
    table = re.search(r'<table class="openings-table preview-table">(.*?)</table>', html, re.S).group(1)
    return {ref: (before, after, move) for move, ref, before, after in re.findall(
        r'<tr class="move-(\w+)" data-opening="([^"]+)">\s*<td>[^<]*</td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>',
        table)}


def test_the_preview_shows_openings_moving_and_why_and_saves_nothing(app, kaisa):
    profile_id = create_profile(kaisa)
    before = counts(app)
    response = post(kaisa, f"/coordinator/weights/{profile_id}", {**sliders(**NEAR_ONLY), "action": "preview"})
    assert response.status_code == 200
    html = response.text
    assert "Young person 1" in html and "Young person 10" in html
    moves = _moves(html)
    # A photographer in Oulu: photography in Tornio is first by interest, last when only distance counts.
    assert moves["o-photo"] == ("1", "3", "down")
    assert moves["o-dog"][2] == "up" or moves["o-remote"][2] == "up"
    row = re.search(r'data-opening="o-photo">.*?</tr>', html, re.S).group(0)
    assert re.search(r"Interests -0\.\d\d", row) and re.search(r"Themes -0\.\d\d", row)
    fragment = post(kaisa, f"/coordinator/weights/{profile_id}/preview", sliders(**NEAR_ONLY))
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert _moves(fragment.text)["o-photo"] == ("1", "3", "down")
    assert counts(app) == before and not rows(app)[0].active
    with app.app_context():
        assert rows(app)[0].weights == Weights.default().values


def test_the_preview_compares_with_the_active_profile(app, kaisa):
    profile_id = create_profile(kaisa)
    post(kaisa, f"/coordinator/weights/{profile_id}", {**sliders(**NEAR_ONLY), "action": "save"})
    post(kaisa, f"/coordinator/weights/{rows(app)[1].id}/activate")
    html = post(kaisa, f"/coordinator/weights/{profile_id}", {**sliders(), "action": "preview"}).text
    assert _moves(html)["o-photo"] == ("3", "1", "up")  # from the active (distance only) back to the defaults


def test_the_page_loads_the_live_preview_script_and_works_without_it(app, kaisa):
    profile_id = create_profile(kaisa)
    html = kaisa.get(f"/coordinator/weights/{profile_id}").text
    assert '<script src="/static/weights.js" defer></script>' in html and "<script>" not in html
    assert f'data-preview-url="/coordinator/weights/{profile_id}/preview"' in html
    assert 'name="action" value="preview"' in html and 'style="' not in html
    script = kaisa.get("/static/weights.js")
    assert script.status_code == 200 and "data-preview-url" in script.get_data(as_text=True)
    script.close()


# ---------------------------------------------------------------- held-out quality from outcomes

def test_evaluation_figures_match_matching_evaluate(app, kaisa, world):
    refs = world["north_youths"][:6]
    add_outcomes(app, [(y, "o-photo", OutcomeKind.INTERESTED) for y in refs]
                 + [(y, "o-photo", OutcomeKind.COMPLETED) for y in refs[:3]]  # the furthest stage counts
                 + [(y, "o-dog", OutcomeKind.DECLINED) for y in refs]
                 + [(y, "o-remote", OutcomeKind.SHOWN) for y in world["lapland_youths"]])  # another region
    expected_qrels = {y: {"o-photo": 3 if i < 3 else 1, "o-dog": 0} for i, y in enumerate(refs)}
    profile_id = create_profile(kaisa)
    near = Setting({c: float(NEAR_ONLY[c]) for c in COMPONENTS}, 0.0)
    with app.test_request_context():
        session = db.get_session()
        kaisa_user = session.get(User, world["north"])
        assert trial.qrels(session, kaisa_user) == expected_qrels
        youths = [youth_from_row(p) for p in session.exec(select(YouthProfile).where(col(YouthProfile.ref).in_(refs))
                                                          .order_by(col(YouthProfile.id)))]
        matcher = get_matcher()
        want_before = evaluate(Setting.default().apply(matcher), youths, expected_qrels, k=10)
        want_after = evaluate(near.apply(matcher), youths, expected_qrels, k=10)
        got = trial.evaluation(session, kaisa_user, matcher, Setting.default(), near)
    assert got.enough and got.judged_youths == 6
    assert got.before == want_before and got.after == want_after
    assert want_before["ndcg@10"] == pytest.approx(1.0) and want_after["ndcg@10"] == pytest.approx(0.5)
    html = post(kaisa, f"/coordinator/weights/{profile_id}", {**sliders(**NEAR_ONLY), "action": "preview"}).text
    assert re.search(r'<tr data-figure="ndcg@10"><th scope="row">[^<]+</th><td>1\.000</td><td>0\.500</td></tr>', html)


def test_too_few_outcomes_say_so_instead_of_figures(app, kaisa, world):
    add_outcomes(app, [(y, "o-photo", OutcomeKind.COMPLETED) for y in world["north_youths"][:4]])
    profile_id = create_profile(kaisa)
    html = post(kaisa, f"/coordinator/weights/{profile_id}", {**sliders(), "action": "preview"}).text
    assert "Not enough outcomes yet: 4 young people have a relevant outcome" in html
    assert "data-figure=" not in html


@pytest.mark.parametrize("stages, grade", [
    ([], 0), (["shown"], 0), (["declined"], 0), (["dropped"], 0), (["interested"], 1), (["accepted"], 2),
    (["completed"], 3), (["interested", "declined"], 1), (["accepted", "dropped"], 2), (["shown", "completed"], 3)])
def test_relevance_of_outcomes(stages, grade):
    assert trial.relevance(stages) == grade


# ---------------------------------------------------------------- suggested weights

def _learning_outcomes(world) -> list[tuple[str, str, OutcomeKind]]:
    out = []
    for i, y in enumerate(world["north_youths"]):
        out += [(y, "o-photo", OutcomeKind.COMPLETED if i % 2 else OutcomeKind.ACCEPTED),
                (y, "o-dog", OutcomeKind.DECLINED), (y, "o-remote", OutcomeKind.SHOWN)]
    return out


def test_suggested_weights_are_learned_in_a_job_and_can_be_adopted(app, kaisa, world):
    app.config["JOBS_INLINE"] = True
    outcomes = _learning_outcomes(world)
    add_outcomes(app, outcomes + [(y, "o-dog", OutcomeKind.COMPLETED) for y in world["lapland_youths"]])
    profile_id = create_profile(kaisa)
    response = post(kaisa, f"/coordinator/weights/{profile_id}/learn")
    assert response.status_code == 303
    with app.app_context():
        job = db.get_session().exec(select(Job)).one()
    assert job.state == JobState.DONE and job.result["ok"], job.message
    assert response.location == f"/coordinator/weights/{profile_id}/learn/{job.ref}"
    with app.test_request_context():
        session = db.get_session()
        youths = [youth_from_row(p) for p in session.exec(select(YouthProfile).where(
            col(YouthProfile.ref).in_(world["north_youths"])))]
        matcher = get_matcher()
        want = learn([EngineOutcome(y, o, k.value) for y, o, k in outcomes], youths, list(matcher.index),
                     Setting.default().apply(matcher), k=10)
    assert job.result["weights"] == want.weights.normalised()
    assert job.result["report"]["ndcg@10"] == want.to_dict()["ndcg@10"]
    assert job.result["report"]["auc"] == want.to_dict()["auc"]
    html = kaisa.get(response.location).text
    assert "Adopt: save as a new version" in html and 'data-figure="auc"' in html
    assert f'{want.to_dict()["ndcg@10"]["learned"]:.3f}' in html
    adopted = post(kaisa, f"/coordinator/weights/{profile_id}/learn/{job.ref}/adopt")
    assert adopted.status_code == 303
    v1, v2 = rows(app)
    assert v2.version == 2 and v2.weights == pytest.approx(want.weights.normalised()) and not v2.active
    [entry] = audit_of(app, "weights.adopt")
    assert entry.details["job"] == job.ref and entry.details["before"]["version"] == 1


def test_too_few_outcomes_to_learn_start_no_job(app, kaisa, world):
    app.config["JOBS_INLINE"] = True
    add_outcomes(app, _learning_outcomes(world)[:9])  # 9 pairs of 3 youths
    profile_id = create_profile(kaisa)
    assert "Not enough outcomes yet to suggest weights." in kaisa.get(f"/coordinator/weights/{profile_id}").text
    response = post(kaisa, f"/coordinator/weights/{profile_id}/learn")
    assert response.status_code == 303
    assert "Not enough outcomes yet to suggest weights" in kaisa.get(response.location).text
    assert counts(app)["Job"] == 0


def test_a_learning_job_is_seen_only_from_its_own_region(app, kaisa, lasse, world):
    app.config["JOBS_INLINE"] = True
    add_outcomes(app, _learning_outcomes(world))
    profile_id = create_profile(kaisa)
    location = post(kaisa, f"/coordinator/weights/{profile_id}/learn").location
    own = create_profile(lasse, "Tunturi")
    ref = location.rsplit("/", 1)[1]
    assert lasse.get(location).status_code == 404
    assert lasse.get(f"/coordinator/weights/{own}/learn/{ref}").status_code == 404
    assert post(lasse, f"/coordinator/weights/{own}/learn/{ref}/adopt").status_code == 404
    assert len(rows(app, "Tunturi")) == 1 and len(rows(app)) == 1


def test_a_running_job_page_reloads_itself(app, kaisa, world):
    profile_id = create_profile(kaisa)
    with app.app_context():
        session = db.get_session()
        job = Job(kind="learn", state=JobState.RUNNING, progress=0.4,
                  params={"profile_id": profile_id, "region": NORTH})
        session.add(job)
        session.commit()
        ref = job.ref
    response = kaisa.get(f"/coordinator/weights/{profile_id}/learn/{ref}")
    assert response.status_code == 200 and response.headers["Refresh"] == "3"
    assert '<progress max="100" value="40"' in response.text
    assert post(kaisa, f"/coordinator/weights/{profile_id}/learn/{ref}/adopt").status_code == 409
    assert len(rows(app)) == 1


def test_a_second_worker_on_the_same_database_scores_with_the_newly_activated_weights(app, kaisa, world):
    # Each process keeps the weights in use until the weights version moves: a worker that did
    # not serve the activation must still pick it up on its next request.
    from webapp import db as webapp_db

    from .conftest import make_app

    other = make_app(app.config["DATABASE_URL"])
    try:
        def weights_seen_by(worker):
            with worker.test_request_context():
                session = webapp_db.get_session()
                oulu = session.exec(select(YouthProfile).where(YouthProfile.ref == "n-0")).one()
                found = matches.weights_for(oulu)
                return None if found is None else found.name

        assert weights_seen_by(other) is None  # kept by the other worker: no version active
        profile_id = create_profile(kaisa)
        post(kaisa, f"/coordinator/weights/{profile_id}", {**sliders(**NEAR_ONLY), "action": "save"})
        post(kaisa, f"/coordinator/weights/{rows(app)[1].id}/activate")
        assert weights_seen_by(other) == "Syksy v2" == weights_seen_by(app)
        post(kaisa, f"/coordinator/weights/{rows(app)[0].id}/activate")  # back to version 1
        assert weights_seen_by(other) == "Syksy v1"
    finally:
        webapp_db.dispose(other)
