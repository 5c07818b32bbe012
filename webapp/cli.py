"""Flask CLI: `flask --app webapp db upgrade|downgrade|current|revision` and `seed`."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlmodel import select
from werkzeug.security import generate_password_hash

from matching.io import FieldError, iter_records, opening_from_record, youth_from_record

from . import migrate, ytunnus
from .db import get_session
from .models import SHAREABLE_FIELDS, Association, Opening, OpeningStatus, Role, User, YouthProfile

db_cli = AppGroup("db", help="Database migrations (Alembic).")
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
DEMO_DOMAIN = "demo.polku.fi"


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def upgrade_command(revision: str) -> None:
    """Migrate the database up to REVISION (default: the newest)."""
    migrate.upgrade(current_app, revision)
    click.echo(f"database at revision {migrate.current_revision(current_app)}")


@db_cli.command("downgrade")
@click.argument("revision", default="-1")
def downgrade_command(revision: str) -> None:
    """Migrate the database down to REVISION (default: one step; 'base' empties it)."""
    migrate.downgrade(current_app, revision)
    click.echo(f"database at revision {migrate.current_revision(current_app) or 'base'}")


@db_cli.command("current")
def current_command() -> None:
    """Print the database's revision and the newest one."""
    click.echo(f"database: {migrate.current_revision(current_app) or 'base'}, newest: {migrate.head_revision()}")


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
def revision_command(message: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    migrate.revision(current_app, message)


# ---------------------------------------------------------------- seed

def slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def demo_business_id(name: str) -> str:
    """A valid Y-tunnus derived from the name, the same on every run (demo data only)."""
    return ytunnus.make(int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big") % 9_000_000 + 1_000_000)


def demo_password(email: str) -> str:
    """Demo accounts' passwords follow one public scheme; never use it for real accounts."""
    return "demo-" + email.split("@", 1)[0]


def _opening_fields(record: dict[str, Any]) -> dict[str, Any]:
    fields = {k: v for k, v in record.items() if k not in ("id", "association")}
    if isinstance(fields.get("schedule"), str):
        fields["schedule"] = [fields["schedule"]]
    for name in ("start_date", "end_date"):
        if fields.get(name):
            fields[name] = dt.date.fromisoformat(fields[name])
    return fields


def _check(convert: Any, record: dict[str, Any], where: str) -> None:
    """The engine's own reading of the record, so bad fixture lines are refused with their place."""
    try:
        convert(record)
    except FieldError as e:
        raise click.ClickException(f"{where}, field '{e.field}': {e.message}") from None


def _youth_fields(record: dict[str, Any]) -> dict[str, Any]:
    fields = {k: v for k, v in record.items() if k != "id"}
    if isinstance(fields.get("availability"), str):
        fields["availability"] = [fields["availability"]]
    return fields


@click.command("seed")
@with_appcontext
@click.option("--openings", "openings_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=FIXTURES / "openings.jsonl", show_default=True)
@click.option("--youths", "youths_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=FIXTURES / "youths.jsonl", show_default=True)
def seed_command(openings_path: Path, youths_path: Path) -> None:
    """Load demo associations, openings, youths and accounts (skips what is already there)."""
    session = get_session()
    method = current_app.config["PASSWORD_HASH_METHOD"]
    accounts: list[tuple[str, str, str]] = []
    added = {"associations": 0, "openings": 0, "youths": 0, "users": 0}

    def account(email: str, role: Role, name: str, association: Association | None = None) -> User:
        user = session.exec(select(User).where(User.email == email)).first()
        if user is None:
            user = User(email=email, role=role, name=name, association=association,
                        password_hash=generate_password_hash(demo_password(email), method=method))
            session.add(user)
            added["users"] += 1
        accounts.append((role.value, email, demo_password(email)))
        return user

    associations = {a.name: a for a in session.exec(select(Association))}
    known_openings = set(session.exec(select(Opening.ref)))
    for line, record in iter_records(openings_path):
        _check(opening_from_record, record, f"{openings_path}, line {line}")
        name = record.get("association") or "Polku demo ry"
        association = associations.get(name)
        if association is None:
            association = associations[name] = Association(
                name=name, business_id=demo_business_id(name), municipality=record.get("municipality"),
                contact=f"{slug(name)}@{DEMO_DOMAIN}", description="")
            session.add(association)
            added["associations"] += 1
        if record["id"] not in known_openings:
            session.add(Opening(ref=record["id"], association=association, status=OpeningStatus.OPEN,
                                **_opening_fields(record)))
            known_openings.add(record["id"])
            added["openings"] += 1
    for association in associations.values():
        account(f"{slug(association.name)}@{DEMO_DOMAIN}", Role.ASSOCIATION, association.name, association)

    known_youths = set(session.exec(select(YouthProfile.ref)))
    for line, record in iter_records(youths_path):
        _check(youth_from_record, record, f"{youths_path}, line {line}")
        user = account(f"{slug(record['id'])}@{DEMO_DOMAIN}", Role.YOUTH, record["id"])
        if record["id"] not in known_youths:
            session.add(YouthProfile(ref=record["id"], user=user, shared_fields=list(SHAREABLE_FIELDS),
                                     **_youth_fields(record)))
            known_youths.add(record["id"])
            added["youths"] += 1
    account(f"coordinator@{DEMO_DOMAIN}", Role.COORDINATOR, "Demo coordinator")
    session.commit()

    click.echo("added " + ", ".join(f"{n} {what}" for what, n in added.items()))
    click.echo("demo accounts (demo data only; password = 'demo-' + the part before @):")
    for role, email, password in accounts:
        click.echo(f"  {role:<12} {email:<48} {password}")


def init_app(app: Flask) -> None:
    app.cli.add_command(db_cli)
    app.cli.add_command(seed_command)
