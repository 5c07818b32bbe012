"""The worker process: `python -m webapp.worker` runs the queue's tasks until Ctrl-C (SIGINT: finish the
running tasks, then stop) or SIGTERM (stop now). `make run` starts it with the web server
(`scripts/run-together`). At its start it sends what mail is due and fails the long runs that a
worker before it left running.
"""
from __future__ import annotations

import argparse
import logging

from webapp import create_app
from webapp.worker import queue


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m webapp.worker", description=__doc__)
    parser.add_argument("--workers", type=int, default=2, help="tasks run at once (threads; default 2)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    app = create_app()
    huey = queue.huey_for(app)
    queue.task(app, "mail.send")()  # mail that waited while no worker ran
    consumer = huey.create_consumer(workers=args.workers, worker_type="thread", periodic=True,
                                    initial_delay=0.05, backoff=1.5, max_delay=1.0, check_worker_health=True)
    consumer.run()


if __name__ == "__main__":
    main()
