"""The key that signs session cookies: random per install, never in the repository.

Whoever knows the key can sign a cookie saying "I am user 62", so the key must be
secret and different on every install. `create` makes one (48 random bytes) in the
instance folder, readable by its owner only; `make run` calls it before starting the
server, and every later start reuses the same file, so sign-ins survive restarts.
`SECRET_KEY` (or `FLASK_SECRET_KEY`) in the environment wins over the file.

Outside tests the app refuses to start without a key, or with one anybody could guess
(a known placeholder or fewer than `MIN_LENGTH` characters): a clear error at start is
better than a server that anyone can sign in to.

    python -m webapp.secret_key [INSTANCE_FOLDER]   # makes instance/secret_key unless it exists
"""
from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

from flask import Flask

FILE_NAME = "secret_key"
MIN_LENGTH = 32
# Placeholders from tutorials and this project's own past: a key among these is no secret.
KNOWN_WEAK = frozenset({"dev", "development", "test", "testing", "secret", "secret-key", "secret_key", "changeme",
                        "change-me", "change_me", "default", "key", "password", "polku", "flask", "your-secret-key",
                        "super-secret", "supersecret", "crash-tests-only"})


class SecretKeyError(RuntimeError):
    """The app has no key, or one that anybody could guess; it will not start."""


def key_file(instance_path: str | os.PathLike[str]) -> Path:
    return Path(instance_path) / FILE_NAME


def create(instance_path: str | os.PathLike[str]) -> tuple[Path, bool]:
    """The key file of this install, made now (owner-only, 0600) if there was none; (path, made?).

    Made with O_EXCL, so two starts at once cannot end with two different keys."""
    path = key_file(instance_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path, False
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secrets.token_urlsafe(48) + "\n")
    return path, True


def weakness(key: object) -> str | None:
    """Why `key` cannot sign cookies (None: it can)."""
    if not isinstance(key, (str, bytes)) or not key:
        return "there is no secret key"
    text = key.decode("utf-8", "replace") if isinstance(key, bytes) else key
    if text.strip().lower() in KNOWN_WEAK:
        return "the secret key is a well-known placeholder"
    if len(text) < MIN_LENGTH:
        return f"the secret key is shorter than {MIN_LENGTH} characters"
    return None


def configure(app: Flask) -> None:
    """Keeps a configured `SECRET_KEY`, else reads the install's file.

    In tests (`TESTING`) a missing key becomes a random one for this app object; outside
    tests a missing or weak key raises `SecretKeyError`."""
    if not app.config.get("SECRET_KEY"):
        path = key_file(app.instance_path)
        if path.is_file():
            app.config["SECRET_KEY"] = path.read_text(encoding="ascii").strip()
        elif app.testing:
            app.config["SECRET_KEY"] = secrets.token_urlsafe(48)
    problem = weakness(app.config.get("SECRET_KEY"))
    if problem is not None and not app.testing:
        raise SecretKeyError(
            f"Polku will not start: {problem}. Run `python -m webapp.secret_key` once to make a random key in "
            f"{key_file(app.instance_path)}, or set SECRET_KEY in the environment (at least {MIN_LENGTH} random "
            "characters, e.g. from `python -c 'import secrets; print(secrets.token_urlsafe(48))'`).")


def main(argv: list[str]) -> int:
    if len(argv) > 1:
        print("usage: python -m webapp.secret_key [INSTANCE_FOLDER]", file=sys.stderr)
        return 2
    instance_path = argv[0] if argv else Flask("webapp", instance_relative_config=True).instance_path
    path, made = create(instance_path)
    print(f"{'made a new' if made else 'kept the'} secret key in {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
