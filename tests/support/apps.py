"""The web app as the tests build it: test settings on a database of the test's own."""
from __future__ import annotations

from flask import Flask

from webapp import create_app


def make_app(database_url: str, **config: object) -> Flask:
    """An app on `database_url` with the test settings; `config` adds or overrides settings."""
    return create_app({
        "TESTING": True,
        "SECRET_KEY": "test",
        "DATABASE_URL": database_url,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # fast: demo and test passwords only
        # The queue's tasks (mail, long runs) run at once in the calling thread; the tests of the worker
        # itself (test_worker, ...) turn this off and start the real worker process.
        "QUEUE_IMMEDIATE": True,
        **config,
    })


def with_whoami(app: Flask) -> Flask:
    """`app` with a page /whoami answering the signed-in user's e-mail address (or "anonymous"): what the
    session tests read to see who a cookie signs in. Add it before the app's first request."""
    from flask import Blueprint
    from flask_login import current_user

    pages = Blueprint("whoami", __name__)

    @pages.get("/whoami")
    def whoami() -> str:
        return str(current_user.email) if current_user.is_authenticated else "anonymous"

    app.register_blueprint(pages)
    return app
