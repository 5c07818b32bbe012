"""A server killed mid-write leaves a consistent database, and starts again on it.

The production server (waitress, as `make run` starts it) serves a temp SQLite file or a
PostgreSQL database of its own. Many clients write at once: youths save their profile and
express or withdraw interest, members accept, decline and drop applicants of an opening
with few places (through the API and the applicants page). When half of the requests have
answered, the server gets SIGKILL: no clean shutdown, transactions cut anywhere. Then the
database must hold what the code guarantees (`webapp.applications`, `webapp.services`, `webapp.youth`):

- SQLite's own integrity and foreign-key checks pass;
- every opening's `filled` is its number of accepted plus completed youths (a drop frees
  its place, a completion keeps it) and never exceeds its capacity;
- each decision wrote its `Outcome` in the same transaction: an interest has exactly one
  "accepted" outcome if it was ever accepted, one "declined", "completed" or "dropped" if
  it is so now, and at least one "interested" (written with the interest itself);
- every accept and drop raised the catalogue version in its transaction: the version grew
  by at least the number of new "accepted" and "dropped" outcomes;
- a profile save writes the profile and the account's name together: each youth's name
  and interests come from the same save.

Then the server starts again on the same database and serves pages and writes.
"""
from __future__ import annotations

import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from tests.support.apps import make_app
from tests.support.clients import csrf_token_in
from tests.support.signin import PASSWORD
from tests.support.worlds import build
from webapp import db, migrate
from webapp.models import Interest, Opening, Outcome, User, YouthProfile
from webapp.states import InterestState, OpeningStatus, OutcomeKind, Role
from webapp.engine.versions import catalogue_version

ROOT = Path(__file__).resolve().parents[2]
YOUTHS = 30
MEMBERS = 3
CAPACITY = 4
ROUNDS = 3  # profile saves per youth
WORKERS = 12
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


# ---------------------------------------------------------------- the server

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`python -m waitress --call webapp:create_app` on `database_url`, its output in `log`."""

    def __init__(self, database_url: str, log: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "DATABASE_URL": database_url, "FLASK_SECRET_KEY": secrets.token_urlsafe(48),
               "FLASK_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}
        with log.open("a") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "waitress", "--host", "127.0.0.1", f"--port={self.port}", "--threads=8",
                 "--call", "webapp:create_app"], env=env, cwd=ROOT, stdout=out, stderr=out)
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(self.base + "/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                pytest.fail("the server did not start:\n" + log.read_text())
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: no shutdown handler, no rollback, no flush."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


def signed_in(base: str, email: str) -> dict[str, str]:
    """The cookies and CSRF header of a fresh sign-in as `email`, over HTTP."""
    browser = requests.Session()
    page = browser.get(base + "/auth/signin", timeout=30)
    token = csrf_token_in(page.text)
    response = browser.post(base + "/auth/signin", data={"email": email, "password": PASSWORD, "csrf_token": token},
                            allow_redirects=False, timeout=30)
    assert response.status_code == 302, response.text
    header = {"X-CSRFToken": browser.get(base + "/api/v1/csrf", timeout=30).json()["csrf_token"]}
    return {"cookies": browser.cookies.get_dict(), "headers": header}  # type: ignore[dict-item]


# ---------------------------------------------------------------- the data

def _crowd(app) -> dict[str, object]:
    """An opening of association A with few places, youths interested in it, and members to decide."""
    world = build(app)
    hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    with app.app_context():
        session = db.get_session()
        opening = Opening(ref="o-crash", association_id=world.a.association_id, status=OpeningStatus.OPEN,
                          title="Tapahtuman järjestäjä", kind="volunteer", themes=["animals"], municipality="Oulu",
                          languages=["fi"], capacity=CAPACITY)
        members = [User(email=f"jasen{n}.crash@example.fi", role=Role.ASSOCIATION, password_hash=hashed,
                        association_id=world.a.association_id) for n in range(MEMBERS)]
        youths = []
        for n in range(YOUTHS):
            user = User(email=f"nuori{n}.crash@example.fi", role=Role.YOUTH, password_hash=hashed, name="Nimi-0")
            youths.append(YouthProfile(user=user, age=18, interests="kierros-0", themes=["animals"],
                                       municipality="Oulu", languages=["fi"], kinds=["volunteer"]))
        session.add_all([opening, *members, *youths])
        session.flush()
        interests = [Interest(youth_id=y.id, opening_id=opening.id) for y in youths]
        session.add_all(interests)
        session.add_all([Outcome(youth_id=y.id, opening_id=opening.id, outcome=OutcomeKind.INTERESTED)
                         for y in youths])
        session.commit()
        return {"world": world, "members": [m.email for m in members], "youths": [y.user.email for y in youths],
                "interests": [i.id for i in interests], "others": [world.a.open_ref, world.b.open_ref]}


def _tasks(crowd: dict, sessions: dict[str, dict]) -> list[Callable[[str], int]]:
    """Every request of the storm, shuffled: each takes the server's base URL and returns the status."""
    def call(email: str, method: str, path: str, **kwargs: object) -> Callable[[str], int]:
        def run(base: str) -> int:
            signed = sessions[email]
            return requests.request(method, base + path, cookies=signed["cookies"], headers=signed["headers"],
                                    allow_redirects=False, timeout=60, **kwargs).status_code
        return run

    tasks = []
    members = crowd["members"]
    for n, interest in enumerate(crowd["interests"]):
        for action in ("accept", "accept", "drop", "complete" if n % 3 else "decline"):
            member = members[(n + len(tasks)) % len(members)]
            if len(tasks) % 2:  # half through the JSON API, half through the applicants page's forms
                tasks.append(call(member, "POST", f"/api/v1/applicants/{interest}/{action}", json={}))
            else:
                tasks.append(call(member, "POST", f"/association/openings/o-crash/applicants/{interest}/{action}",
                                  data={"confirm": "yes"} if action == "decline" else {}))
    for n, email in enumerate(crowd["youths"]):
        for k in range(1, ROUNDS + 1):
            tasks.append(call(email, "POST", "/youth/profile", data={
                "name": f"Nimi-{k}", "interests": f"kierros-{k}", "themes": ["animals"], "municipality": "Oulu",
                "languages": ["fi"], "kinds": ["volunteer"], "age": "18"}))
        other = crowd["others"][n % 2]
        tasks.append(call(email, "POST", f"/api/v1/openings/{other}/interest", json={"message": "Hei"}))
        tasks.append(call(email, "DELETE", f"/api/v1/openings/{other}/interest"))
        if n % 4 == 0:
            tasks.append(call(email, "DELETE", "/api/v1/openings/o-crash/interest"))
    random.Random(7).shuffle(tasks)
    return tasks


def _storm(base: str, tasks: list[Callable[[str], int]], kill: Callable[[], None]) -> tuple[list[int], int]:
    """Runs `tasks` on WORKERS threads and calls `kill` once half of them have answered.

    Returns the statuses of the answered requests and the number that found no server.
    """
    answered: list[int] = []
    failed = 0
    lock = threading.Lock()
    killed = threading.Event()

    def run(task: Callable[[str], int]) -> None:
        nonlocal failed
        if killed.is_set():
            with lock:
                failed += 1
            return
        try:
            status = task(base)
        except requests.RequestException:
            with lock:
                failed += 1
            return
        with lock:
            answered.append(status)
            due = len(answered) >= len(tasks) // 2 and not killed.is_set()
            if due:
                killed.set()
        if due:
            kill()

    with ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(run, tasks))
    return answered, failed


# ---------------------------------------------------------------- the checks

def check_consistent(database_url: str, version_before: int, outcomes_before: dict[str, int]) -> dict[str, int]:
    """Asserts the invariants of the module docstring; returns the interest states counted."""
    engine = db.create_db_engine(database_url)
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                assert connection.exec_driver_sql("PRAGMA integrity_check").scalars().all() == ["ok"]
                assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            interest, opening, outcome = (Interest.__table__, Opening.__table__,  # type: ignore[attr-defined]
                                          Outcome.__table__)  # type: ignore[attr-defined]
            taken = sa.func.count().filter(interest.c.state.in_([InterestState.ACCEPTED.value,
                                                                 InterestState.COMPLETED.value]))
            rows = connection.execute(
                sa.select(opening.c.ref, opening.c.capacity, opening.c.filled, taken)
                .select_from(opening.outerjoin(interest, interest.c.opening_id == opening.c.id))
                .group_by(opening.c.id, opening.c.ref, opening.c.capacity, opening.c.filled)).all()
            for ref, capacity, filled, count in rows:
                assert filled == count, f"{ref}: filled {filled}, but {count} youths accepted or completed"
                assert capacity is None or filled <= capacity, ref

            counts = {(y, o, k): n for y, o, k, n in connection.execute(
                sa.select(outcome.c.youth_id, outcome.c.opening_id, outcome.c.outcome, sa.func.count())
                .group_by(outcome.c.youth_id, outcome.c.opening_id, outcome.c.outcome))}
            states: dict[str, int] = {}
            for youth_id, opening_id, state in connection.execute(
                    sa.select(interest.c.youth_id, interest.c.opening_id, interest.c.state)):
                states[state] = states.get(state, 0) + 1
                had = {k: counts.get((youth_id, opening_id, k.value), 0) for k in OutcomeKind}
                where = f"interest of youth {youth_id} in opening {opening_id}, now {state}"
                assert had[OutcomeKind.INTERESTED] >= 1, where
                ever_accepted = state in ("accepted", "completed", "dropped")
                assert had[OutcomeKind.ACCEPTED] == int(ever_accepted), (where, had)
                for kind in (OutcomeKind.DECLINED, OutcomeKind.COMPLETED, OutcomeKind.DROPPED):
                    assert had[kind] == int(state == kind.value), (where, had)

            totals = dict(connection.execute(sa.select(outcome.c.outcome, sa.func.count())
                                             .group_by(outcome.c.outcome)).all())
            changes = sum(totals.get(k, 0) - outcomes_before.get(k, 0) for k in ("accepted", "dropped"))
            version = connection.execute(sa.text("SELECT version FROM catalogueversion WHERE id = 1")).scalar_one()
            assert version - version_before >= changes, (version, version_before, changes)

            user, profile = User.__table__, YouthProfile.__table__  # type: ignore[attr-defined]
            for name, interests in connection.execute(
                    sa.select(user.c.name, profile.c.interests).join(profile, profile.c.user_id == user.c.id)
                    .where(user.c.email.like("%.crash@example.fi"))):
                assert name.split("-")[-1] == interests.split("-")[-1], (name, interests)
            return states
    finally:
        engine.dispose()


def _totals(database_url: str) -> tuple[int, dict[str, int]]:
    engine = db.create_db_engine(database_url)
    try:
        with engine.connect() as connection:
            table = Outcome.__table__  # type: ignore[attr-defined]
            totals = dict(connection.execute(
                sa.select(table.c.outcome, sa.func.count()).group_by(table.c.outcome)).all())
            version = connection.execute(sa.text("SELECT version FROM catalogueversion WHERE id = 1")).scalar_one()
            return version, totals
    finally:
        engine.dispose()


@pytest.fixture
def prepared(database_url: str) -> Iterator[dict]:
    """The migrated database with the crowd in it, and no app holding a connection to it."""
    app = make_app(database_url)
    migrate.upgrade(app)
    crowd = _crowd(app)
    with app.app_context():
        assert catalogue_version(db.get_session()) >= 1
    db.dispose(app)
    yield crowd


def test_a_killed_server_leaves_a_consistent_database_and_starts_again(database_url, prepared, tmp_path):
    log = tmp_path / "server.log"
    version_before, outcomes_before = _totals(database_url)
    check_consistent(database_url, version_before, outcomes_before)  # the starting point holds the rules too

    server = Server(database_url, log)
    try:
        everyone = prepared["members"] + prepared["youths"]
        sessions = {email: signed_in(server.base, email) for email in everyone}
        tasks = _tasks(prepared, sessions)
        answered, failed = _storm(server.base, tasks, server.kill)
    finally:
        if server.process.poll() is None:
            server.kill()
    assert server.process.returncode == -signal.SIGKILL
    assert len(answered) >= len(tasks) // 2 and failed > 0, (len(answered), failed)  # killed mid-way
    assert all(status < 500 for status in answered), sorted(answered)
    assert 200 in answered and 303 in answered  # decisions and profile saves went through before the kill

    states = check_consistent(database_url, version_before, outcomes_before)
    assert states.get("accepted", 0) + states.get("completed", 0) + states.get("dropped", 0) > 0, states

    again = Server(database_url, log)
    try:
        assert requests.get(again.base + "/openings", timeout=30).status_code == 200
        member = signed_in(again.base, prepared["members"][0])
        assert requests.get(again.base + "/api/v1/openings/o-crash/applicants", cookies=member["cookies"],
                            timeout=30).status_code == 200
        youth = signed_in(again.base, prepared["youths"][0])
        response = requests.post(again.base + "/youth/profile", cookies=youth["cookies"], headers=youth["headers"],
                                 allow_redirects=False, timeout=30, data={
                                     "name": "Nimi-9", "interests": "kierros-9", "themes": ["animals"],
                                     "municipality": "Oulu", "languages": ["fi"], "kinds": ["volunteer"]})
        assert response.status_code == 303, response.text
    finally:
        again.stop()
    check_consistent(database_url, version_before, outcomes_before)

    output = log.read_text().lower()
    assert not EMAIL.search(output) and "mrka" not in output and "mrkb" not in output, output[-2000:]
