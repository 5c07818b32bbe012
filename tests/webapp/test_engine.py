from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import select

from tests.support.apps import make_app
from matching import Matcher, Youth
from webapp import db
from webapp.engine import matcher as engine
from webapp.engine import matches
from webapp.engine.matches import Setting
from webapp.engine.matcher import get_matcher
from webapp.models import Association, Opening
from webapp.states import OpeningStatus

ROOT = Path(__file__).resolve().parents[2]


def _ids(matcher: Matcher) -> list[str]:
    return sorted(o.id for o in matcher.index)


def _matcher_ids(app) -> list[str]:
    with app.test_request_context():
        return _ids(get_matcher())


def _add_opening(app, ref: str, status: OpeningStatus = OpeningStatus.OPEN, **fields) -> None:
    with app.app_context():
        session = db.get_session()
        association = session.exec(select(Association).where(Association.name == "Moottori ry")).first()
        session.add(Opening(ref=ref, status=status, association=association or Association(name="Moottori ry"),
                            **{"title": "Koiran ulkoiluttaja", **fields}))
        session.commit()


def _set_status(app, ref: str, status: OpeningStatus) -> None:
    with app.app_context():
        session = db.get_session()
        opening = session.exec(select(Opening).where(Opening.ref == ref)).one()
        opening.status = status
        session.commit()


def test_the_matcher_holds_only_the_open_openings(app):
    _add_opening(app, "o-open")
    _add_opening(app, "o-draft", OpeningStatus.DRAFT)
    _add_opening(app, "o-closed", OpeningStatus.CLOSED)
    assert _matcher_ids(app) == ["o-open"]


def test_a_newly_opened_opening_is_matched_after_the_version_bump(app):
    _add_opening(app, "o-dogs", OpeningStatus.DRAFT, title="Koirien ulkoiluttaja")
    assert _matcher_ids(app) == []
    _set_status(app, "o-dogs", OpeningStatus.OPEN)
    with app.test_request_context():
        matches = get_matcher().match(Youth("y-1", interests="koirat"), k=3)
    assert [m.opening_id for m in matches] == ["o-dogs"]
    _set_status(app, "o-dogs", OpeningStatus.CLOSED)
    assert _matcher_ids(app) == []


def test_one_matcher_per_process_changed_in_place_when_the_version_moves(app):
    _add_opening(app, "o-1")
    with app.test_request_context():
        first = get_matcher()
    with app.test_request_context():
        assert get_matcher() is first
    _add_opening(app, "o-2")
    with app.test_request_context():
        second = get_matcher()
    assert second is first and _ids(second) == ["o-1", "o-2"]
    state = engine.state(app)
    assert (state.builds, state.applied) == (1, 1)  # built once, then the change applied


def test_the_version_is_read_once_per_request(app):
    _add_opening(app, "o-1")
    with app.test_request_context():
        matcher = get_matcher()
        _add_opening(app, "o-2")  # committed by another session during this request
        assert get_matcher() is matcher and _ids(matcher) == ["o-1"]
    assert _matcher_ids(app) == ["o-1", "o-2"]


def test_the_old_state_is_served_while_another_thread_applies_changes(app):
    _add_opening(app, "o-1")
    assert _matcher_ids(app) == ["o-1"]
    _add_opening(app, "o-2")
    state = engine.state(app)
    with state.lock:  # as if another thread were applying changes right now (this one waits a second, then serves)
        assert _matcher_ids(app) == ["o-1"]
    assert _matcher_ids(app) == ["o-1", "o-2"]


def test_a_bad_row_is_left_out_and_logged(app, caplog):
    _add_opening(app, "o-good")
    _add_opening(app, "o-bad")
    with app.app_context():  # stored before the tables refused such values, or written past them
        session = db.get_session()
        table = Opening.__table__
        session.connection().execute(table.update().where(table.c.ref == "o-bad").values(schedule=["kuutamolla"]))
        session.commit()
    with caplog.at_level(logging.WARNING, logger="webapp.engine.matcher"):
        assert _matcher_ids(app) == ["o-good"]
    assert "o-bad" in caplog.text


def test_matcher_options_come_from_the_config(app):
    app.config["MATCHER_OPTIONS"] = {"diversity": 0.5}
    with app.test_request_context():
        assert get_matcher().diversity == 0.5


# A second app process on the same database: prints its matcher's opening ids per input line.
WORKER = """
import json, sys
from webapp import create_app
from webapp.engine.matcher import get_matcher
app = create_app({"TESTING": True, "DATABASE_URL": sys.argv[1]})
for line in sys.stdin:
    with app.test_request_context():
        print(json.dumps(sorted(o.id for o in get_matcher().index)), flush=True)
"""


def test_another_process_sees_a_change_on_its_next_request(app, database_url):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    worker = subprocess.Popen([sys.executable, "-c", WORKER, database_url], cwd=ROOT, env=env, text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def worker_ids() -> list[str]:
        assert worker.stdin is not None and worker.stdout is not None
        worker.stdin.write("ids\n")
        worker.stdin.flush()
        line = worker.stdout.readline()
        assert line, f"the worker died: {worker.stderr.read() if worker.stderr else ''}"
        return json.loads(line)

    try:
        _add_opening(app, "o-1")
        assert worker_ids() == ["o-1"] == _matcher_ids(app)  # both processes have built a matcher

        _add_opening(app, "o-2")  # this process changes the catalogue ...
        assert worker_ids() == ["o-1", "o-2"]  # ... the other sees it on its next request
        _set_status(app, "o-1", OpeningStatus.CLOSED)
        assert worker_ids() == ["o-2"]
        assert _matcher_ids(app) == ["o-2"]
    finally:
        if worker.stdin:
            worker.stdin.close()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:  # pragma: no cover
            worker.kill()
            worker.wait()
        if worker.stdout:
            worker.stdout.close()
        if worker.stderr:
            worker.stderr.close()
    assert worker.returncode == 0


def test_warm_builds_the_matcher_before_any_request_and_closes_its_connections(app):
    # gunicorn's master calls this before forking the workers (scripts/gunicorn.conf.py)
    _add_opening(app, "o-warm")
    db.dispose(app)
    engine.warm(app)
    state = engine.state(app)
    assert state.matcher is not None and _ids(state.matcher) == ["o-warm"]
    assert db._KEY not in app.extensions  # no pooled connection for the forked workers to share
    built = state.matcher
    assert _matcher_ids(app) == ["o-warm"] and engine.state(app).matcher is built  # no second build
    _add_opening(app, "o-later")
    assert _matcher_ids(app) == ["o-later", "o-warm"]  # and it still follows the catalogue


# ---------------------------------------------------------------- the cache of matches

def _engine_match(app, youth: Youth, k: int = 3, lang: str = "fi", matcher: Matcher | None = None) -> list:
    with app.test_request_context():
        return matches.match(matcher or get_matcher(), youth, k, lang)


def _counting(monkeypatch) -> list[str]:
    """The ids of the youths the engine actually scored (cache misses)."""
    calls: list[str] = []
    original = Matcher.ranked

    def ranked(self, youth, *args, **kwargs):
        calls.append(youth.id)
        return original(self, youth, *args, **kwargs)

    monkeypatch.setattr(Matcher, "ranked", ranked)
    return calls


def test_a_youths_matches_are_computed_once_while_nothing_changes(app, monkeypatch):
    _add_opening(app, "o-dogs", title="Koirien ulkoiluttaja")
    calls = _counting(monkeypatch)
    youth = Youth("y-1", interests="koirat")
    first = _engine_match(app, youth)
    again = _engine_match(app, youth)
    assert [m.opening_id for m in first] == ["o-dogs"] and again == first
    assert calls == ["y-1"]
    _engine_match(app, youth, lang="sv")  # the reasons are in another language
    _engine_match(app, youth, k=5)
    assert calls == ["y-1"] * 3


def test_a_changed_profile_is_matched_afresh(app, monkeypatch):
    _add_opening(app, "o-dogs", title="Koirien ulkoiluttaja")
    _add_opening(app, "o-music", title="Musiikkileirin ohjaaja")
    calls = _counting(monkeypatch)
    assert [m.opening_id for m in _engine_match(app, Youth("y-1", interests="koirat"), k=1)] == ["o-dogs"]
    assert [m.opening_id for m in _engine_match(app, Youth("y-1", interests="musiikki"), k=1)] == ["o-music"]
    assert len(calls) == 2


def test_a_catalogue_change_starts_an_empty_cache(app):
    youth = Youth("y-1", interests="koirat")
    _add_opening(app, "o-dogs", title="Koirien ulkoiluttaja")
    assert [m.opening_id for m in _engine_match(app, youth)] == ["o-dogs"]
    _add_opening(app, "o-more-dogs", title="Koirien ulkoiluttaja Kalliossa")
    assert sorted(m.opening_id for m in _engine_match(app, youth)) == ["o-dogs", "o-more-dogs"]
    _set_status(app, "o-dogs", OpeningStatus.CLOSED)
    assert [m.opening_id for m in _engine_match(app, youth)] == ["o-more-dogs"]


def test_other_weights_are_not_served_the_lists_of_the_defaults(app, monkeypatch):
    _add_opening(app, "o-dogs", title="Koirien ulkoiluttaja")
    calls = _counting(monkeypatch)
    youth = Youth("y-1", interests="koirat")
    plain = _engine_match(app, youth)
    setting = Setting.default()
    only_interest = Setting({name: (1.0 if name == "interest" else 0.0) for name in setting.weights}, 0.0)
    with app.test_request_context():
        other = matches.match(only_interest.apply(get_matcher()), youth, 3, "fi")
    assert len(calls) == 2
    assert [r.component for r in other[0].reasons] == ["interest"] != [r.component for r in plain[0].reasons]


def test_a_matcher_not_built_by_the_engine_is_never_cached(app, monkeypatch):
    _add_opening(app, "o-dogs", title="Koirien ulkoiluttaja")
    calls = _counting(monkeypatch)
    with app.test_request_context():
        stranger = Matcher().fit(list(get_matcher().index))
    youth = Youth("y-1", interests="koirat")
    _engine_match(app, youth, matcher=stranger)
    _engine_match(app, youth, matcher=stranger)
    assert len(calls) == 2


@pytest.fixture
def sized(app):
    """An app on the same database whose engine keeps at most `size` lists of matches."""
    made = []

    def make(size: int):
        made.append(make_app(app.config["DATABASE_URL"], MATCH_CACHE_SIZE=size))
        return made[-1]

    yield make
    for other in made:
        db.dispose(other)


def test_a_cache_size_of_zero_turns_the_cache_off(sized, monkeypatch):
    app = sized(0)
    _add_opening(app, "o-dogs", title="Koirien ulkoiluttaja")
    calls = _counting(monkeypatch)
    youth = Youth("y-1", interests="koirat")
    assert _engine_match(app, youth) == _engine_match(app, youth)
    assert len(calls) == 2


def test_the_cache_keeps_at_most_its_size(sized, monkeypatch):
    app = sized(2)
    _add_opening(app, "o-dogs", title="Koirien ulkoiluttaja")
    calls = _counting(monkeypatch)
    for name in ("y-1", "y-2", "y-3", "y-1"):  # y-1 was the least recently used when y-3 came
        _engine_match(app, Youth(name, interests="koirat"))
    assert calls == ["y-1", "y-2", "y-3", "y-1"]
    assert len(engine.state(app).matches) == 2
