from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from sqlmodel import select

from matching import Matcher, Youth
from webapp import db, engine
from webapp.engine import get_matcher
from webapp.models import Association, Opening, OpeningStatus

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


def test_one_matcher_per_process_rebuilt_only_when_the_version_moves(app):
    _add_opening(app, "o-1")
    with app.test_request_context():
        first = get_matcher()
    with app.test_request_context():
        assert get_matcher() is first
    _add_opening(app, "o-2")
    with app.test_request_context():
        second = get_matcher()
    assert second is not first and _ids(second) == ["o-1", "o-2"]


def test_the_version_is_read_once_per_request(app):
    _add_opening(app, "o-1")
    with app.test_request_context():
        matcher = get_matcher()
        _add_opening(app, "o-2")  # committed by another session during this request
        assert get_matcher() is matcher and _ids(matcher) == ["o-1"]
    assert _matcher_ids(app) == ["o-1", "o-2"]


def test_the_old_matcher_is_served_while_another_thread_rebuilds(app):
    _add_opening(app, "o-1")
    assert _matcher_ids(app) == ["o-1"]
    _add_opening(app, "o-2")
    state = app.extensions[engine._KEY]
    with state.lock:  # as if another thread were rebuilding right now
        assert _matcher_ids(app) == ["o-1"]
    assert _matcher_ids(app) == ["o-1", "o-2"]


def test_a_bad_row_is_left_out_and_logged(app, caplog):
    _add_opening(app, "o-good")
    _add_opening(app, "o-bad", kind="not-a-kind")
    with caplog.at_level(logging.WARNING, logger="webapp.engine"):
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
from webapp.engine import get_matcher
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
    state = app.extensions[engine._KEY]
    assert state.matcher is not None and _ids(state.matcher) == ["o-warm"]
    assert db._KEY not in app.extensions  # no pooled connection for the forked workers to share
    built = state.matcher
    assert _matcher_ids(app) == ["o-warm"] and app.extensions[engine._KEY].matcher is built  # no second build
    _add_opening(app, "o-later")
    assert _matcher_ids(app) == ["o-later", "o-warm"]  # and it still follows the catalogue
