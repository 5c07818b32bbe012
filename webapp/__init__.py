"""Polku's web app: `create_app()` builds it (`flask --app webapp ...`).

Configuration, each step overriding the one before: the defaults below, the instance
folder's `config.py`, `FLASK_*` environment variables (`FLASK_SECRET_KEY`, ...), the
`DATABASE_URL`, `SECRET_KEY`, `POLKU_PROXIES`, `SESSION_MAX_AGE_HOURS`, `POLKU_QUEUE_URL` (the task
queue: `worker.queue`) and `POLKU_SMTP_*`/`POLKU_MAIL_FROM` (e-mail: `mail.settings`) environment
variables, then the `config` mapping given to `create_app`. With no key configured the
install's own random key is read from the instance folder; outside tests the app refuses to
start without a strong key (see `secret_key`). `POLKU_PROXIES` is the number of reverse
proxies in front (see `proxies`); `SESSION_MAX_AGE_HOURS` how long a sign-in lasts (default a
week, at most 30 days: see `auth.sessions`). The app refuses to start if either is not a
whole number in its range.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from .extensions import babel, csrf, login_manager


def create_app(config: Mapping[str, Any] | None = None, *, instance_path: str | None = None) -> Flask:
    """The app; `instance_path` moves the instance folder (the SQLite file, the secret key, config.py)."""
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path)
    app.config.from_mapping(
        SECRET_KEY=None,  # see secret_key.configure: the install's random key, never a constant
        DATABASE_URL="sqlite:///" + os.path.join(app.instance_path, "polku.sqlite"),
        SQLALCHEMY_ECHO=False,
        PASSWORD_HASH_METHOD="scrypt",
        BABEL_DEFAULT_LOCALE="fi",
        BABEL_DEFAULT_TIMEZONE="Europe/Helsinki",
        POLKU_PROXIES=0,  # not behind a reverse proxy (see proxies)
        SESSION_MAX_AGE_HOURS=7 * 24,  # a week, then sign in again (see auth.sessions: why a week)
    )
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env()
    from .mail import settings as mail_settings
    for name in ("DATABASE_URL", "SECRET_KEY", "POLKU_PROXIES", "SESSION_MAX_AGE_HOURS", "POLKU_QUEUE_URL",
                 "POLKU_BASE_URL", *mail_settings.NAMES):
        if os.environ.get(name):
            app.config[name] = os.environ[name]
    if config is not None:
        app.config.from_mapping(config)
    from . import secret_key
    secret_key.configure(app)  # the install's own key when none is configured; refuses a weak one
    from . import proxies
    proxies.init_app(app)  # the client's own address behind POLKU_PROXIES proxies; refuses a bad setting
    mail_settings.smtp(app.config)  # refuses an SMTP setting that cannot work (mail.settings)
    mail_settings.sender_address(app.config)

    from .cli import commands
    from . import db
    from . import models  # noqa: F401 (every table registered with the metadata before any query)
    db.init_app(app)
    from . import i18n
    i18n.init_app(app, babel)
    csrf.init_app(app)
    login_manager.init_app(app)

    from . import security
    security.init_app(app)
    from . import input_guard
    input_guard.init_app(app)  # NUL in any input: 400 before the views
    from . import ops
    app.register_blueprint(ops.bp)
    commands.init_app(app)
    from .engine import fragments, matcher
    matcher.init_app(app)
    fragments.init_app(app)
    from .auth import views as auth
    auth.init_app(app)
    from . import errors
    errors.init_app(app)  # before api: its handler answers /api/ and passes the rest on
    from .api import views as api
    api.init_app(app)
    from .api import reference  # the API's reference page, /api/docs
    app.register_blueprint(reference.bp)
    from . import admin, association, coordinator, notices, public, youth  # one blueprint per audience
    for audience in (public, youth, association, coordinator, admin, notices):
        app.register_blueprint(audience.bp)
    return app
