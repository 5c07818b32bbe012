"""Long runs through the queue: progress and result kept in the row, failures with their reason, the same
run never started twice (parallel starts), and a run whose worker died failed by its silent heartbeat,
not by its age, and started again."""
from __future__ import annotations

import datetime as dt
import threading

from sqlmodel import select

from webapp import clock, db
from webapp.models import Job
from webapp.services import jobs
from webapp.states import JobState

seen: list[int] = []


def _steps(params, user_id, report):
    for i in range(1, 5):
        report(i / 4, f"step {i}")
        seen.append(i)
    return {"answer": 42, "user": user_id}


def _fails(params, user_id, report):
    report(0.5, "half way")
    raise ValueError("no youths chosen")


jobs.register("test-steps", _steps)
jobs.register("test-fails", _fails)


def _job(app, job_id: int) -> Job:
    with app.app_context():
        return db.get_session().get(Job, job_id)


def test_a_job_runs_on_the_queue_and_keeps_its_progress_and_result(app):
    seen.clear()
    app.config["QUEUE_IMMEDIATE"] = True  # huey runs the task at once, in this thread
    with app.test_request_context():
        job = jobs.start("test-steps", {"rows": 4}, user_id=None, key="test:1")
    done = _job(app, job.id)
    assert (done.state, done.progress, done.result, done.message) == (
        JobState.DONE, 1.0, {"answer": 42, "user": None}, "step 4")
    assert done.params == {"rows": 4} and done.finished_at is not None and seen == [1, 2, 3, 4]
    assert done.running_key is None and done.heartbeat_at is not None  # the key is free again


def test_a_failing_job_is_marked_failed_with_its_reason(app):
    app.config["JOBS_INLINE"] = True
    with app.test_request_context():
        job = jobs.start("test-fails", {}, key="test:2")
    done = _job(app, job.id)
    assert done.state == JobState.FAILED and done.message == "ValueError: no youths chosen"
    assert done.progress == 0.5 and done.running_key is None


def test_the_same_run_started_in_parallel_runs_once(app, tmp_path):
    """Without a worker the jobs stay queued: every parallel start gets the one job of the run back."""
    app.config["QUEUE_IMMEDIATE"] = False
    app.config["POLKU_QUEUE_URL"] = f"sqlite:///{tmp_path / 'queue.sqlite'}"
    started: list[int] = []
    errors: list[BaseException] = []
    gate = threading.Barrier(8)

    def start() -> None:
        try:
            gate.wait()
            with app.test_request_context():
                started.append(jobs.start("test-steps", {}, key="allocate:cohort:7").id)
        except BaseException as e:  # noqa: BLE001  (reported below)
            errors.append(e)

    threads = [threading.Thread(target=start) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(started) == 8 and len(set(started)) == 1
    with app.app_context():
        assert len(db.get_session().exec(select(Job.id)).all()) == 1


def test_a_running_job_whose_heartbeat_stopped_is_failed_and_can_start_again(app):
    app.config["JOBS_INLINE"] = True
    with app.app_context():
        session = db.get_session()
        now = clock.now()
        # Started two hours ago and still beating: a long healthy run, never failed for its length.
        healthy = Job(kind="learn", state=JobState.RUNNING, running_key="learn:profile:1",
                      created_at=now - dt.timedelta(hours=2), heartbeat_at=now - dt.timedelta(seconds=5))
        # Started a minute and a half ago, silent since: its worker died.
        dead = Job(kind="test-steps", state=JobState.RUNNING, running_key="test:dead",
                   created_at=now - dt.timedelta(seconds=90),
                   heartbeat_at=now - jobs.SILENT_AFTER - dt.timedelta(seconds=1))
        session.add_all([healthy, dead])
        session.commit()
        assert jobs.mark_stale(session, healthy).state == JobState.RUNNING
        dead_id = dead.id
    with app.test_request_context():  # starting the same run finds the dead one, fails it, and starts anew
        again = jobs.start("test-steps", {}, key="test:dead")
    assert again.id != dead_id
    failed = _job(app, dead_id)
    assert failed.state == JobState.FAILED and failed.running_key is None and "worker" in failed.message
    assert _job(app, again.id).state == JobState.DONE


def test_a_queued_job_no_worker_took_is_failed_after_a_while(app):
    with app.app_context():
        session = db.get_session()
        old = Job(kind="allocate", state=JobState.QUEUED,
                  created_at=clock.now() - jobs.QUEUED_TOO_LONG - dt.timedelta(minutes=1))
        fresh = Job(kind="allocate", state=JobState.QUEUED)
        session.add_all([old, fresh])
        session.commit()
        assert jobs.mark_stale(session, old).state == JobState.FAILED
        assert jobs.mark_stale(session, fresh).state == JobState.QUEUED
