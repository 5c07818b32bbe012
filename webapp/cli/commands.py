"""Flask CLI: `flask --app webapp db upgrade|downgrade|current|revision`, `seed`, `import-openings`, `allocate`,
`invite-admin`.

Bad input to `import-openings`, `allocate` and `invite-admin` exits with code 2 and a message naming the
file, line and field (or the option), as the engine's own CLI does.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
import unicodedata
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app, url_for
from flask_babel import force_locale
from flask.cli import AppGroup, with_appcontext
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, col, select
from werkzeug.security import generate_password_hash

from matching.io import FieldError, RecordError, iter_records, opening_from_record, youth_from_record
from matching.allocate import ALL_FULL, NO_ELIGIBLE, Allocation, allocate
from matching.model import Opening as EngineOpening
from matching.model import Youth as EngineYouth

from . import demo_history
from .. import clock, migrate, ytunnus
from ..services import accounts as account_service
from ..services.importing import find_association, import_openings
from ..engine.convert import openings_from_rows, youths_from_rows
from ..db import get_session
from ..engine.matcher import build_matcher
from ..services.privacy import DELETED_DOMAIN
from ..models import SHAREABLE_FIELDS, Association, Opening, User, YouthProfile
from ..states import OpeningStatus, Role

db_cli = AppGroup("db", help="Database migrations (Alembic).")
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
DEMO_DOMAIN = "demo.polku.fi"


class BadInput(click.ClickException):
    """Bad input or options: the message on stderr, exit code 2, nothing saved."""

    exit_code = 2


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def upgrade_command(revision: str) -> None:
    """Migrate the database up to REVISION (default: the newest)."""
    migrate.upgrade(current_app, revision)
    click.echo(f"database at revision {migrate.current_revision(current_app)}")


@db_cli.command("downgrade")
@click.argument("revision", default="-1")
@click.option("--drop-data", is_flag=True, help="Delete the data that the older schema has no place for.")
@click.option("--yes", is_flag=True, help="Do not ask before emptying the database ('base').")
def downgrade_command(revision: str, drop_data: bool, yes: bool) -> None:
    """Migrate the database down to REVISION (default: one step; 'base' empties it, after asking).

    A step that would delete data refuses (exit code 2, nothing changed) unless --drop-data."""
    if revision == "base" and not yes:
        click.confirm("Downgrading to 'base' removes every table of Polku and all their data. Go on?", abort=True)
        drop_data = True
    try:
        migrate.downgrade(current_app, revision, drop_data=drop_data)
    except (migrate.DataWouldBeLost, migrate.IntegrityError) as refused:
        raise BadInput(str(refused)) from None
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
    """Load demo associations, openings, youths and accounts (skips what is already there).

    Demo accounts have published passwords, so they never go into a database that holds
    real accounts: then nothing is added and the command says why."""
    session = get_session()
    real = session.exec(select(sa.func.count(col(User.id))).where(
        ~col(User.email).endswith("@" + DEMO_DOMAIN), ~col(User.email).endswith("@" + DELETED_DOMAIN))).one()
    if real:
        click.echo(f"no demo data added: this database has {real} real account(s), and demo accounts have "
                   "published passwords")
        return
    method = current_app.config["PASSWORD_HASH_METHOD"]
    accounts: list[tuple[str, str, str]] = []
    added = {"associations": 0, "openings": 0, "youths": 0, "users": 0, "referrals": 0}

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
                contact=f"{slug(name)}@{DEMO_DOMAIN}", description="", verified=True, verified_at=clock.now())
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
    coordinator = account(f"coordinator@{DEMO_DOMAIN}", Role.COORDINATOR, "Demo coordinator")
    account(f"admin@{DEMO_DOMAIN}", Role.ADMIN, "Demo administrator")
    session.flush()
    added["referrals"] = demo_history.add(session, coordinator, dt.date.today())
    session.commit()

    click.echo("added " + ", ".join(f"{n} {what}" for what, n in added.items()))
    click.echo("DEMO accounts, for trying Polku out only (password = 'demo-' + the part before @; anyone can "
               "read this scheme, so never keep these accounts in a real database):")
    for role, email, password in accounts:
        click.echo(f"  {role:<12} {email:<48} {password}")


# ---------------------------------------------------------------- import-openings

@click.command("import-openings")
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--association", "association_key", metavar="NAME_OR_YTUNNUS",
              help="import every record into this association (else each record's 'association', by name)")
@click.option("--status", type=click.Choice([OpeningStatus.OPEN.value, OpeningStatus.DRAFT.value]),
              help="status of every imported opening (default: new ones open, existing ones unchanged)")
@click.option("--dry-run", is_flag=True, help="check and count, save nothing")
@with_appcontext
def import_openings_command(path: Path, association_key: str | None, status: str | None, dry_run: bool) -> None:
    """Create or update openings from FILE (.jsonl or .csv), matched by id: all of them or, on any error, none."""
    session = get_session()
    association = None
    if association_key is not None:
        association = find_association(session, association_key)
        if association is None:
            raise BadInput(f"--association: no association with the name or Y-tunnus {association_key!r}")
    try:
        counts = import_openings(session, path, association, OpeningStatus(status) if status else None)
        if dry_run:
            session.rollback()
        else:
            session.commit()
    except RecordError as e:
        session.rollback()
        raise BadInput(f"{e}; nothing was imported") from None
    except IntegrityError as e:  # a rule of the table the checks above missed
        session.rollback()
        raise BadInput(f"{path}: the database refused the openings ({e.orig}); nothing was imported") from None
    except OperationalError as e:  # the disk is full, the database went away, ...
        session.rollback()
        raise BadInput(f"{path}: the database could not save the openings ({e.orig}); nothing was imported") from None
    click.echo(f"{path}: {counts.created} created, {counts.updated} updated, {counts.unchanged} unchanged"
               + (" (dry run: nothing saved)" if dry_run else ""))


# ---------------------------------------------------------------- allocate

ALL_OPEN, ALL_YOUTHS = "all-open", "all"
REASONS = {NO_ELIGIBLE: "no open opening with a place left fits their hard rules",
           ALL_FULL: "the openings that fit them were filled by others"}


def _refs(value: str, everything: str, option: str) -> list[str] | None:
    """None for `everything`, else the comma-separated refs (at least one)."""
    if value.strip() == everything:
        return None
    refs = [r.strip() for r in value.split(",") if r.strip()]
    if not refs:
        raise BadInput(f"{option}: give refs separated by commas, or {everything!r}")
    return refs


def parse_objective(value: str) -> int | None:
    """'fit' -> None; 'top-N' -> N (prefer each youth's N best openings)."""
    if value == "fit":
        return None
    match = re.fullmatch(r"top-([1-9][0-9]*)", value)
    if match is None:
        raise BadInput(f"--objective: expected 'fit' or 'top-N' (N a whole number of at least 1), got {value!r}")
    return int(match.group(1))


def _selected(rows: dict[str, Any], wanted: list[str] | None, what: str, option: str) -> list[Any]:
    if wanted is None:
        return list(rows.values())
    unknown = [ref for ref in wanted if ref not in rows]
    if unknown:
        raise BadInput(f"{option}: no {what} with the ref(s) {', '.join(unknown)}")
    return [rows[ref] for ref in dict.fromkeys(wanted)]


def allocation_inputs(session: Session, openings: list[str] | None, youths: list[str] | None
                      ) -> tuple[list[EngineOpening], list[EngineYouth], dict[str, tuple[str, str]]]:
    """The engine's openings (open only; places = capacity - filled) and youths (active accounts) to allocate,
    and each opening's (title, association)."""
    open_rows = {row.ref: (row, name) for row, name in session.exec(
        select(Opening, Association.name).join(Association).where(Opening.status == OpeningStatus.OPEN)
        .order_by(col(Opening.id)))}
    youth_rows = {row.ref: row for row in session.exec(
        select(YouthProfile).join(User).where(User.active == True).order_by(col(YouthProfile.id)))}  # noqa: E712
    chosen_openings = openings_from_rows(_selected(open_rows, openings, "open opening", "--openings"))
    chosen_youths = youths_from_rows(_selected(youth_rows, youths, "youth profile of an active account", "--youths"))
    for what, skipped in (("opening", chosen_openings.skipped), ("youth", chosen_youths.skipped)):
        for one in skipped:
            click.echo(f"warning: {what} {one.ref} left out: field '{one.field}': {one.message}", err=True)
    titles = {ref: (row.title, name) for ref, (row, name) in open_rows.items()}
    return chosen_openings.items, chosen_youths.items, titles


def print_allocation(plan: Allocation, titles: dict[str, tuple[str, str]]) -> None:
    youths = plan.placed + len(plan.unplaced)
    click.echo(f"proposal: {plan.placed} of {youths} youths placed, total fit {plan.total_score:.3f}")
    click.echo(f"first-come greedy would place {plan.greedy_placed} (fit {plan.greedy_total_score:.3f}): "
               f"gain {plan.gain_placed:+d} placed, {plan.gain_score:+.3f} fit")
    if plan.top_choices is not None:
        click.echo(f"placed at one of their own {plan.top_choices} best: {plan.top_choice_placed}")
    click.echo("\nplaced:")
    for youth_id, opening_id, score in plan.assignments:
        title, association = titles[opening_id]
        click.echo(f"  {youth_id} -> {opening_id} {title} ({association}), fit {score:.3f}")
    if plan.unplaced:
        click.echo("\nunplaced:")
        for youth_id, reason in plan.unplaced:
            click.echo(f"  {youth_id}: {REASONS.get(reason, reason)}")
    click.echo("\nfill per association (places filled of offered):")
    for association, (offered, filled) in sorted(plan.fill.items()):
        click.echo(f"  {association}: {filled} of {offered}")
    click.echo("\nnothing was saved: this is a proposal")


def write_allocation_csv(plan: Allocation, titles: dict[str, tuple[str, str]], out: Path) -> None:
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["youth_id", "opening_id", "opening_title", "association", "score", "unplaced_reason"])
        for youth_id, opening_id, score in plan.assignments:
            writer.writerow([youth_id, opening_id, *titles[opening_id], f"{score:.6f}", ""])
        for youth_id, reason in plan.unplaced:
            writer.writerow([youth_id, "", "", "", "", reason])


@click.command("allocate")
@click.option("--openings", "openings_option", default=ALL_OPEN, show_default=True, metavar="REF,...|all-open",
              help="the open openings to fill")
@click.option("--youths", "youths_option", default=ALL_YOUTHS, show_default=True, metavar="REF,...|all",
              help="the youths to place (profiles of active accounts)")
@click.option("--objective", default="fit", show_default=True, metavar="fit|top-N",
              help="fit: most youths placed, then the largest total fit; top-N: most placed, then most placed "
                   "at one of their own N best openings, then fit")
@click.option("--out", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="also write the proposal as CSV here")
@with_appcontext
def allocate_command(openings_option: str, youths_option: str, objective: str, out: Path | None) -> None:
    """Propose who goes where among the open openings, within their free places; changes nothing."""
    top_choices = parse_objective(objective)
    openings_wanted = _refs(openings_option, ALL_OPEN, "--openings")
    youths_wanted = _refs(youths_option, ALL_YOUTHS, "--youths")
    session = get_session()
    openings, youths, titles = allocation_inputs(session, openings_wanted, youths_wanted)
    matcher, _version = build_matcher(session, current_app)
    plan = allocate(youths, openings, matcher, top_choices=top_choices)
    session.rollback()  # read only, whatever happened
    if out is not None:
        write_allocation_csv(plan, titles, out)
    print_allocation(plan, titles)
    if out is not None:
        click.echo(f"written to {out}")


# ---------------------------------------------------------------- invite-admin

@click.command("invite-admin")
@click.argument("email")
@click.option("--name", default="", help="the administrator's name, as others see it")
@click.option("--base-url", default="http://127.0.0.1:5000", show_default=True,
              help="where people reach this Polku (the link is printed with it)")
@with_appcontext
def invite_admin_command(email: str, name: str, base_url: str) -> None:
    """Make an administrator account for EMAIL and print its one-time link, with which that person chooses
    their own password (the first administrator of an install, or another one). Run again for an administrator
    who never used the link, it prints a new one (the old one stops working). Refused if EMAIL has any other account."""
    if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", base_url):
        raise BadInput(f"--base-url: expected an http:// or https:// address such as https://polku.example.fi, "
                       f"got {base_url!r}")
    session = get_session()
    with force_locale("en"):  # the messages of the service, in the command line's language
        try:
            again = account_service.find_account(session, email) is not None  # refused below unless a new link
            user, token = account_service.invite_admin(session, email, name)
        except account_service.AccountRefused as e:
            session.rollback()
            where = "--name" if e.field == "name" else "EMAIL"
            raise BadInput(f"{where}: {e.message} Nothing was made.") from None
        except IntegrityError:  # the same address, made by another process just now
            session.rollback()
            raise BadInput("EMAIL: An account with this e-mail address exists already. Nothing was made.") from None
    with current_app.test_request_context(base_url=base_url):
        link = url_for("auth.accept_invitation", token=token, _external=True)
    click.echo(f"Administrator account {'invited again (the earlier link no longer works)' if again else 'made'} "
               f"for {user.email}. Give them this one-time link, in person or where "
               f"only they read it; with it they choose their own password. It works once, for "
               f"{account_service.INVITATION_DAYS} days:")
    click.echo(link)


def init_app(app: Flask) -> None:
    app.cli.add_command(db_cli)
    app.cli.add_command(seed_command)
    app.cli.add_command(import_openings_command)
    app.cli.add_command(allocate_command)
    app.cli.add_command(invite_admin_command)
