"""gunicorn's settings for `make run`: worker processes share the matcher built before they fork.

One Python process serves Python-bound requests one at a time (the GIL), so the app runs
as one worker process per core. `preload_app` loads the app in the master; `when_ready`
builds the matching engine there before the workers fork, so every worker starts with the
fitted matcher (shared copy-on-write) instead of building its own, and closes the database
connections used for it, so each worker opens its own. Each worker keeps its matcher fresh
from the catalogue version on its own (webapp.engine). gthread workers: a few threads per
process for keep-alive connections and requests waiting on the database.

Override with gunicorn's own options or environment (e.g. WEB_CONCURRENCY=4 for 4 workers).
"""
import gc
import logging
import os
from typing import Any

bind = "127.0.0.1:5000"
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 2))
worker_class = "gthread"
threads = 4
# A gthread worker accepts every connection it can, so a handful of keep-alive clients can all
# land on one worker while the others idle (measured: 20 wrk connections gave the throughput of
# one worker). Capping each worker's connections spreads them; more wait briefly in the listen
# backlog (keep-alive is 2 s). With 20 connections on 2 workers this doubled /openings' req/s.
worker_connections = int(os.environ.get("POLKU_WORKER_CONNECTIONS", 10))
preload_app = True
accesslog = None  # one line per request costs throughput; errors still go to the error log
control_socket_disable = True  # one fixed socket path in $HOME: a second server (a benchmark) would take it over


def when_ready(server: Any) -> None:
    """In the master, after the app is loaded and before the workers fork (server: gunicorn's Arbiter)."""
    from webapp.engine import matcher as engine

    try:
        engine.warm(server.app.wsgi())
    except Exception:  # e.g. no database yet: each worker then builds its own on its first request
        logging.getLogger("gunicorn.error").exception("could not build the matcher before forking")
    # What the master built lives as long as the workers: out of the garbage collector's sight, its pages
    # stay shared after the fork and the workers' collections do not walk it again and again.
    gc.freeze()
