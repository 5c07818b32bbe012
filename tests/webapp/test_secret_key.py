"""The key that signs cookies: random per install, kept in the instance folder, never a constant."""
from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest
from flask.sessions import SecureCookieSessionInterface

from webapp import create_app
from webapp.secret_key import KNOWN_WEAK, MIN_LENGTH, SecretKeyError, create, key_file, weakness

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def no_key_in_the_environment(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)


def test_two_installs_get_different_keys_readable_by_their_owner_only(tmp_path):
    first, made = create(tmp_path / "one")
    second, _ = create(tmp_path / "two")
    assert made
    assert first.read_text() != second.read_text()
    assert len(first.read_text().strip()) >= MIN_LENGTH
    assert stat.S_IMODE(first.stat().st_mode) == 0o600


def test_the_key_is_made_once_and_then_reused(tmp_path):
    path, _ = create(tmp_path)
    key = path.read_text()
    again, made = create(tmp_path)
    assert (again, made) == (path, False)
    assert again.read_text() == key
    assert create_app(instance_path=str(tmp_path)).config["SECRET_KEY"] == key.strip()


def test_the_command_makes_the_key_in_the_instance_folder(tmp_path):
    result = subprocess.run([sys.executable, "-m", "webapp.secret_key", str(tmp_path)], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    assert "made a new secret key" in result.stdout
    assert key_file(tmp_path).is_file()
    result = subprocess.run([sys.executable, "-m", "webapp.secret_key", str(tmp_path)], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    assert "kept the secret key" in result.stdout


def test_the_app_will_not_start_without_a_key(tmp_path):
    with pytest.raises(SecretKeyError, match="python -m webapp.secret_key"):
        create_app(instance_path=str(tmp_path))


@pytest.mark.parametrize("key", ["dev", "test", "secret", "changeme", "x" * (MIN_LENGTH - 1)])
def test_the_app_will_not_start_with_a_weak_key(tmp_path, monkeypatch, key):
    create(tmp_path)  # a good key in the file does not excuse a weak one given explicitly
    with pytest.raises(SecretKeyError):
        create_app({"SECRET_KEY": key}, instance_path=str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(SecretKeyError):
        create_app(instance_path=str(tmp_path))


def test_the_environment_wins_over_the_file(tmp_path, monkeypatch):
    create(tmp_path)
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    assert create_app(instance_path=str(tmp_path)).config["SECRET_KEY"] == "k" * 40


def test_tests_get_a_random_key_of_their_own(tmp_path):
    one = create_app({"TESTING": True}, instance_path=str(tmp_path / "a")).config["SECRET_KEY"]
    two = create_app({"TESTING": True}, instance_path=str(tmp_path / "b")).config["SECRET_KEY"]
    assert one != two and weakness(one) is None


def test_weakness():
    assert weakness(None) == "there is no secret key"
    assert weakness("") == "there is no secret key"
    assert all(weakness(k) is not None for k in KNOWN_WEAK)
    assert weakness("DEV") is not None
    assert weakness("a" * MIN_LENGTH) is None


@pytest.mark.parametrize("constant", ["dev", "test", "secret", "bench-secret-not-for-production"])
def test_a_cookie_signed_with_a_constant_key_signs_in_nobody(tmp_path, constant):
    create(tmp_path)
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}, instance_path=str(tmp_path))
    forged_app = create_app({"TESTING": True, "SECRET_KEY": constant}, instance_path=str(tmp_path / "forger"))
    forged = SecureCookieSessionInterface().get_signing_serializer(forged_app).dumps(
        {"_user_id": "1", "_fresh": True})
    with app.test_request_context(headers={"Cookie": f"session={forged}"}):
        session = app.session_interface.open_session(app, __import__("flask").request)
        assert session is not None and "_user_id" not in session  # the signature fails: an empty session
