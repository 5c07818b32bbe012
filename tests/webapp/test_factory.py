from __future__ import annotations

import os
import secrets

import pytest
from flask import Flask

import webapp
from webapp import create_app


@pytest.fixture(autouse=True)
def no_database_env(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(48))  # create_app() outside tests needs a strong key


def test_no_app_at_import_time():
    assert not any(isinstance(value, Flask) for value in vars(webapp).values())


def test_config_override_wins():
    assert not create_app().testing
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://"})
    assert app.testing and app.config["DATABASE_URL"] == "sqlite://"


def test_default_database_is_a_file_in_the_instance_folder():
    app = create_app()
    path = os.path.join(app.instance_path, "polku.sqlite")
    assert app.config["DATABASE_URL"] == "sqlite:///" + path


def test_database_url_from_the_environment_and_the_override_over_it(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://polku@db.invalid/polku")
    assert create_app().config["DATABASE_URL"] == "postgresql://polku@db.invalid/polku"
    assert create_app({"DATABASE_URL": "sqlite://"}).config["DATABASE_URL"] == "sqlite://"


def test_healthz_answers_ok_without_touching_the_database():
    # a server nobody listens on: any connection attempt would fail the request
    app = create_app({"TESTING": True, "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/nothing"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"
    assert response.mimetype == "text/plain"
    assert "polku.db" not in app.extensions  # no engine was even made


def test_unknown_page_is_404():
    assert create_app({"TESTING": True, "DATABASE_URL": "sqlite://"}).test_client().get("/nope").status_code == 404
