"""A worker follows the catalogue by its changes: each applied in place to the matcher it has, with the very
state a full build from the database gives; a full build only at start or after too many changes, then in
the background (webapp.engine.changes, webapp.engine.matcher)."""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlmodel import select

from matching import Youth, geo
from tests.support.applicants import add_youths
from tests.support.apps import make_app
from webapp import db
from webapp.engine import matcher as engine
from webapp.engine.matcher import build_matcher, get_matcher
from webapp.engine.versions import catalogue_version
from webapp.models import Association, Interest, Opening, OpeningTombstone
from webapp.services import associations, decisions
from webapp.states import OpeningStatus

YOUTHS = [
    Youth("y-dogs", interests="koirat ulkoilu", place=geo.locate("Oulu"), age=17),
    Youth("y-music", interests="musiikki ja bändi", place=geo.locate("Tampere"), age=20, languages=frozenset({"fi"})),
    Youth("y-nothing"),
    Youth("y-far", interests="kioski myyjä", place=geo.locate("Inari"), max_travel_km=30),
]
ROOT = Path(__file__).resolve().parents[2]
TITLES = ["Koiran ulkoiluttaja", "Bändin roudari", "Kioskimyyjä", "Musiikkileirin ohjaaja", "Talkoot rannalla",
          "Kirjaston lukukaveri", "Koirien hoitaja", "Kesäleirin apuohjaaja"]
PLACES = ["Oulu", "Tampere", "Helsinki", "Inari", "Turku"]


def _session_do(app, change) -> None:
    with app.app_context():
        session = db.get_session()
        change(session)
        session.commit()


def _opening(session, ref: str) -> Opening:
    return session.exec(select(Opening).where(Opening.ref == ref)).one()


def _add(app, ref: str, status: OpeningStatus = OpeningStatus.OPEN, **fields) -> None:
    def add(session):
        association = session.exec(select(Association).where(Association.name == "Muutos ry")).first()
        session.add(Opening(ref=ref, status=status, association=association or Association(name="Muutos ry"),
                            **{"title": "Koiran ulkoiluttaja", **fields}))
    _session_do(app, add)


def _set(app, ref: str, **values) -> None:
    def change(session):
        opening = _opening(session, ref)
        for name, value in values.items():
            setattr(opening, name, value)
    _session_do(app, change)


def _served(app) -> dict[str, Opening]:
    """The openings this process's matcher holds, by id, as the next request sees them."""
    with app.test_request_context():
        return {o.id: o for o in get_matcher().index}


def _fresh(app) -> dict[str, Opening]:
    """The openings a full build from the database holds now."""
    with app.app_context():
        matcher, _ = build_matcher(db.get_session(), app)
    return {o.id: o for o in matcher.index}


def _scores(matcher, youth: Youth) -> dict[str, float]:
    scored = matcher.score(youth)
    return dict(zip(matcher.index.ids(scored.rows), scored.scores.tolist()))


def test_each_kind_of_change_is_applied_in_place(app):
    _add(app, "o-1")
    _add(app, "o-2", title="Kioskimyyjä", capacity=2)
    assert sorted(_served(app)) == ["o-1", "o-2"]
    state = engine.state(app)
    built = state.matcher

    _set(app, "o-1", title="Koirien hoitaja")  # an open opening edited
    assert _served(app)["o-1"].title == "Koirien hoitaja"
    _set(app, "o-2", filled=1)  # a place taken: only `filled` moves
    assert _served(app)["o-2"].filled == 1
    _add(app, "o-3", title="Bändin roudari")  # published
    _set(app, "o-1", status=OpeningStatus.CLOSED)  # closed
    assert sorted(_served(app)) == ["o-2", "o-3"]

    def delete(session):
        session.delete(_opening(session, "o-3"))
    _session_do(app, delete)  # deleted: its tombstone tells
    assert sorted(_served(app)) == ["o-2"]
    with app.app_context():
        assert [t.ref for t in db.get_session().exec(select(OpeningTombstone))] == ["o-3"]
    assert state.matcher is built and state.builds == 1  # never rebuilt
    assert _served(app) == _fresh(app)


def test_a_draft_save_moves_neither_the_version_nor_its_row(app):
    _add(app, "o-draft", OpeningStatus.DRAFT)
    _served(app)
    with app.app_context():
        before = catalogue_version(db.get_session())
    for n in range(5):
        _set(app, "o-draft", description=f"luonnos {n}", capacity=n + 1)
    with app.app_context():
        session = db.get_session()
        assert catalogue_version(session) == before
        assert _opening(session, "o-draft").changed_in == 0
    assert engine.state(app).applied == 0 and _served(app) == {}


def test_accept_and_drop_stamp_the_opening_and_reach_the_matcher(app):
    _add(app, "o-few", capacity=1)
    assert _served(app)["o-few"].filled == 0
    interest_id, = add_youths(app, 1, "o-few")
    with app.app_context():
        session = db.get_session()
        decisions.accept(session, session.get(Interest, interest_id))
        stamped = _opening(session, "o-few").changed_in
        assert stamped == catalogue_version(session) > 0
    assert _served(app)["o-few"].filled == 1
    with app.test_request_context():  # full now: nobody's match
        assert get_matcher().explain(Youth("y"), "o-few").blocks[0].code == "full"
    with app.app_context():
        session = db.get_session()
        decisions.drop(session, session.get(Interest, interest_id))
    assert _served(app)["o-few"].filled == 0


def test_renaming_the_association_changes_its_open_openings(app):
    _add(app, "o-1")
    _add(app, "o-draft", OpeningStatus.DRAFT)
    assert _served(app)["o-1"].association == "Muutos ry"
    with app.app_context():
        session = db.get_session()
        association = session.exec(select(Association)).one()
        page = associations.PageFields(name="Uusi nimi ry", municipality=association.municipality or "",
                                       contact=association.contact, description=association.description)
        associations.update_page(session, association, page)
        assert _opening(session, "o-draft").changed_in == 0
    assert _served(app)["o-1"].association == "Uusi nimi ry"


@pytest.mark.parametrize("seed", [16, 3])
def test_after_a_random_run_of_changes_the_matcher_equals_a_fresh_build(app, seed):
    rng = random.Random(seed)
    refs: list[str] = []
    _served(app)  # the worker's matcher exists from the start: everything after is applied in place
    for step in range(60):
        action = rng.choice(["add", "add", "edit", "close", "open", "fill", "draft", "delete"]) if refs else "add"
        ref = rng.choice(refs) if refs else ""
        if action == "add":
            ref = f"o-{step}"
            refs.append(ref)
            _add(app, ref, rng.choice([OpeningStatus.OPEN, OpeningStatus.OPEN, OpeningStatus.DRAFT]),
                 title=rng.choice(TITLES), municipality=rng.choice(PLACES), capacity=rng.choice([None, 3]))
        elif action == "edit":
            _set(app, ref, title=rng.choice(TITLES), description=rng.choice(TITLES), min_age=rng.choice([None, 18]))
        elif action in ("close", "open", "draft"):
            _set(app, ref, status={"close": OpeningStatus.CLOSED, "open": OpeningStatus.OPEN,
                                   "draft": OpeningStatus.DRAFT}[action])
        elif action == "fill":
            _set(app, ref, capacity=3, filled=rng.randint(0, 3))
        else:
            _session_do(app, lambda session: session.delete(_opening(session, ref)))
            refs.remove(ref)
        if rng.random() < 0.5:  # a request now and then: changes arrive one by one or in batches
            _served(app)
    served = _served(app)
    assert served == _fresh(app)
    assert engine.state(app).builds == 1
    with app.test_request_context():
        incremental = get_matcher()
        with app.app_context():
            fresh, _ = build_matcher(db.get_session(), app)
        for youth in YOUTHS:
            assert _scores(incremental, youth) == _scores(fresh, youth)  # bit for bit


def test_too_many_changes_rebuild_in_the_background_while_the_old_matcher_serves(app):
    other = make_app(app.config["DATABASE_URL"], MATCHER_REBUILD_AFTER=3)
    try:
        _add(app, "o-0")
        assert sorted(_served(other)) == ["o-0"]
        state = engine.state(other)
        old = state.matcher
        for n in range(1, 6):
            _add(app, f"o-{n}")
        gate = threading.Event()
        started = threading.Event()
        original = engine.build_matcher

        def slow_build(session, app_):
            started.set()
            gate.wait(30)
            return original(session, app_)

        engine.build_matcher = slow_build  # type: ignore[assignment]  # holds the background build until released
        try:
            assert sorted(_served(other)) == ["o-0"]  # served at once, from the old matcher
            assert started.wait(30) and state.rebuild_running()
            assert sorted(_served(other)) == ["o-0"]
            gate.set()
            assert state.rebuilding is not None
            state.rebuilding.join(30)
        finally:
            engine.build_matcher = original  # type: ignore[assignment]
        assert state.matcher is not old and state.builds == 2
        assert sorted(_served(other)) == [f"o-{n}" for n in range(6)]
        _add(app, "o-6")  # and after the swap, changes apply in place again
        assert "o-6" in _served(other) and state.builds == 2 and state.applied == 1
    finally:
        db.dispose(other)


def test_threads_matching_while_changes_apply_never_see_a_half_changed_index(app):
    for n in range(20):
        _add(app, f"o-{n}", title=TITLES[n % len(TITLES)], municipality=PLACES[n % len(PLACES)])
    _served(app)
    errors: list[BaseException] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                with app.test_request_context():
                    matcher = get_matcher()
                    for youth in YOUTHS:
                        for match in matcher.match(youth, k=5):
                            assert matcher.explain(youth, match.opening_id).score == match.score
            except BaseException as e:  # noqa: BLE001  # reported below
                errors.append(e)
                return

    readers = [threading.Thread(target=read) for _ in range(3)]
    for thread in readers:
        thread.start()
    try:
        for n in range(20, 60):
            _add(app, f"o-{n}", title=TITLES[n % len(TITLES)])
            _set(app, f"o-{n - 20}", status=OpeningStatus.CLOSED)
            _served(app)
    finally:
        stop.set()
        for thread in readers:
            thread.join(30)
    assert errors == []
    assert _served(app) == _fresh(app)


# A worker process of its own on the same database: per input line, what its next request's matcher holds.
WORKER = """
import json, sys
from webapp import create_app
from webapp.engine import matcher as engine
app = create_app({"TESTING": True, "DATABASE_URL": sys.argv[1]})
for line in sys.stdin:
    with app.test_request_context():
        held = {o.id: [o.title, o.filled] for o in engine.get_matcher().index}
    state = engine.state(app)
    print(json.dumps({"openings": held, "version": state.version, "builds": state.builds}), flush=True)
"""


class Worker:
    """`WORKER` running in a process of its own."""

    def __init__(self, database_url: str) -> None:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        self.process = subprocess.Popen([sys.executable, "-c", WORKER, database_url], cwd=ROOT, env=env, text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def next_request(self) -> dict:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write("next\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, f"the worker died: {self.process.stderr.read() if self.process.stderr else ''}"
        return json.loads(line)

    def stop(self) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None and self.process.stderr is not None
        self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # pragma: no cover
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        self.process.stderr.close()


def test_two_worker_processes_see_each_change_on_their_next_request(app, database_url):
    _add(app, "o-1", capacity=2)
    _add(app, "o-draft", OpeningStatus.DRAFT)
    workers = [Worker(database_url), Worker(database_url)]
    try:
        for worker in workers:
            assert list(worker.next_request()["openings"]) == ["o-1"]
        with app.app_context():
            start = catalogue_version(db.get_session())

        def each_sees(check) -> None:
            for worker in workers:
                seen = worker.next_request()
                assert check(seen["openings"]), seen
                assert seen["builds"] == 1  # applied in place, never rebuilt

        _set(app, "o-draft", title="Luonnos, tallennettu taas")  # a draft saved: nothing moves
        for worker in workers:
            assert worker.next_request()["version"] == start
        _set(app, "o-1", title="Koirien hoitaja")
        each_sees(lambda held: held["o-1"] == ["Koirien hoitaja", 0])
        interest_id, = add_youths(app, 1, "o-1")
        with app.app_context():
            session = db.get_session()
            decisions.accept(session, session.get(Interest, interest_id))
        each_sees(lambda held: held["o-1"][1] == 1)
        _add(app, "o-2", title="Bändin roudari")
        each_sees(lambda held: sorted(held) == ["o-1", "o-2"])
        _set(app, "o-1", status=OpeningStatus.CLOSED)
        each_sees(lambda held: sorted(held) == ["o-2"])
    finally:
        for worker in workers:
            worker.stop()
