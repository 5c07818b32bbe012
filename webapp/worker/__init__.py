"""Background work outside the web requests: a huey task queue (`queue`), its tasks (`tasks`), and the
worker process that runs them (`python -m webapp.worker`, started by `make run` with the web server)."""
