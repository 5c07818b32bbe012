"""`flask --app webapp import-openings FILE`: upsert by ref, all or nothing, JSON Lines and CSV."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import select

from tests.support.apps import make_app
from tests.support.catalogue import add_catalogue
from webapp import db, migrate
from webapp.models import Association, Opening
from webapp.states import OpeningStatus
from webapp.engine.versions import catalogue_version

ANIMALS = "Oulun Eläinystävät ry"
CULTURE = "Tornion Kulttuuriseura ry"
FIELDS = ("id", "title", "description", "association", "kind", "themes", "municipality", "schedule", "capacity",
          "filled", "min_age", "languages", "support", "start_date")


def records() -> list[dict]:
    return [
        {"id": "o-new-1", "title": "Kahvilan apulainen", "description": "Keität kahvia tapahtumissa.",
         "association": ANIMALS, "kind": "volunteer", "themes": ["kitchen"], "municipality": "Oulu",
         "schedule": "la 10-14; su 10-14", "capacity": 2, "filled": 1, "min_age": 15, "languages": ["fi"],
         "support": ["no_experience_needed", "group"], "start_date": "2026-12-01"},
        {"id": "o-new-2", "title": "Teatterin lipunmyyjä", "description": "Myyt lippuja näytöksiin.",
         "association": CULTURE, "kind": "event", "themes": ["theatre"], "municipality": "Tornio",
         "languages": ["sv", "fi"]},
    ]


def write_jsonl(path, rows) -> str:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def write_csv(path, rows) -> str:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, FIELDS)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ";".join(v) if isinstance(v, list) else v for k, v in row.items()})
    return str(path)


@pytest.fixture
def catalogue(app):
    return add_catalogue(app)


def openings(app) -> dict[str, Opening]:
    with app.app_context():
        return {o.ref: o for o in db.get_session().exec(select(Opening))}


def version(app) -> int:
    with app.app_context():
        return catalogue_version(db.get_session())


def run(runner, *args):
    return runner.invoke(args=["import-openings", *map(str, args)])


@pytest.mark.parametrize("write", [write_jsonl, write_csv])
def test_a_good_file_creates_the_openings_in_their_associations(app, runner, catalogue, tmp_path, write):
    path = write(tmp_path / ("new.jsonl" if write is write_jsonl else "new.csv"), records())
    result = run(runner, path)
    assert result.exit_code == 0, result.output
    assert "2 created, 0 updated, 0 unchanged" in result.output
    rows = openings(app)
    cafe, tickets = rows["o-new-1"], rows["o-new-2"]
    assert cafe.association_id == catalogue["animals"] and tickets.association_id == catalogue["culture"]
    assert cafe.status is OpeningStatus.OPEN
    assert cafe.themes == ["kitchen"] and cafe.schedule == ["la 10-14", "su 10-14"]
    assert cafe.capacity == 2 and cafe.filled == 1
    assert sorted(cafe.support) == ["group", "no_experience_needed"] and cafe.start_date.isoformat() == "2026-12-01"
    assert sorted(tickets.languages) == ["fi", "sv"] and tickets.kind == "event"
    assert len(rows) == 7  # the five of the catalogue are untouched


def test_re_importing_the_same_file_changes_nothing(app, runner, catalogue, tmp_path):
    path = write_jsonl(tmp_path / "new.jsonl", records())
    assert run(runner, path).exit_code == 0
    before = version(app)
    result = run(runner, path)
    assert result.exit_code == 0 and "0 created, 0 updated, 2 unchanged" in result.output
    assert version(app) == before  # the engines have nothing to rebuild


def test_csv_and_jsonl_of_the_same_records_agree(app, runner, catalogue, tmp_path):
    assert run(runner, write_jsonl(tmp_path / "a.jsonl", records())).exit_code == 0
    result = run(runner, write_csv(tmp_path / "a.csv", records()))
    assert result.exit_code == 0 and "2 unchanged" in result.output


def test_a_changed_record_updates_its_opening_by_ref(app, runner, catalogue, tmp_path):
    assert run(runner, write_jsonl(tmp_path / "a.jsonl", records())).exit_code == 0
    changed = records()
    changed[0]["title"] = "Kahvilan vastaava"
    result = run(runner, write_jsonl(tmp_path / "b.jsonl", changed))
    assert result.exit_code == 0 and "0 created, 1 updated, 1 unchanged" in result.output
    assert openings(app)["o-new-1"].title == "Kahvilan vastaava"


@pytest.mark.parametrize("key", [ANIMALS, "business-id"])
def test_association_option_by_name_or_business_id(app, runner, catalogue, tmp_path, key):
    with app.app_context():
        session = db.get_session()
        session.get(Association, catalogue["animals"]).business_id = "1234567-1"
        session.commit()
    rows = [{k: v for k, v in r.items() if k != "association"} for r in records()]
    path = write_jsonl(tmp_path / "a.jsonl", rows)
    result = run(runner, path, "--association", "1234567-1" if key == "business-id" else key, "--status", "draft")
    assert result.exit_code == 0, result.output
    new = [o for o in openings(app).values() if o.ref.startswith("o-new")]
    assert {o.association_id for o in new} == {catalogue["animals"]}
    assert {o.status for o in new} == {OpeningStatus.DRAFT}


def test_status_applies_to_existing_openings_only_when_given(app, runner, catalogue, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", records())
    assert run(runner, path, "--status", "draft").exit_code == 0
    assert run(runner, path).output.count("2 unchanged") == 1
    assert openings(app)["o-new-1"].status is OpeningStatus.DRAFT
    assert "2 updated" in run(runner, path, "--status", "open").output
    assert openings(app)["o-new-1"].status is OpeningStatus.OPEN


def test_dry_run_counts_and_saves_nothing(app, runner, catalogue, tmp_path):
    result = run(runner, write_jsonl(tmp_path / "a.jsonl", records()), "--dry-run")
    assert result.exit_code == 0 and "2 created" in result.output and "dry run" in result.output
    assert "o-new-1" not in openings(app)


@pytest.mark.parametrize(("change", "line", "field"), [
    ({"capacity": 0}, 2, "capacity"),
    ({"kind": "party"}, 2, "kind"),
    ({"title": ""}, 2, "title"),
    ({"association": "Tuntematon ry"}, 2, "association"),
    ({"filled": 5}, 2, "filled"),  # more than the capacity of 2: the table would refuse it
    ({"id": "o-new-1"}, 3, "id"),  # the same id as the record on line 2
])
@pytest.mark.parametrize("write", [write_jsonl, write_csv])
def test_one_bad_record_imports_nothing_and_exits_2(app, runner, catalogue, tmp_path, change, line, field, write):
    rows = records()
    good = {**rows[0], "id": "o-first"}
    target = rows[1] if field == "id" else rows[0]
    target.update(change)
    if field == "filled":
        target["capacity"] = 2
    name = "bad.jsonl" if write is write_jsonl else "bad.csv"
    path = write(tmp_path / name, [good, *rows])
    before = version(app)
    result = run(runner, path)
    assert result.exit_code == 2, result.output
    jsonl_line = line if write is write_jsonl else line + 1  # the CSV header is line 1
    assert f"{name}, line {jsonl_line}, field '{field}'" in result.output
    assert "nothing was imported" in result.output
    assert set(openings(app)) == {"o-dog", "o-photo", "o-remote", "o-draft", "o-closed"}
    assert version(app) == before


def test_a_record_without_association_needs_the_option(app, runner, catalogue, tmp_path):
    rows = [{k: v for k, v in records()[0].items() if k != "association"}]
    result = run(runner, write_jsonl(tmp_path / "a.jsonl", rows))
    assert result.exit_code == 2 and "line 1, field 'association'" in result.output


def test_a_record_naming_another_association_than_the_option_is_refused(app, runner, catalogue, tmp_path):
    result = run(runner, write_jsonl(tmp_path / "a.jsonl", records()), "--association", ANIMALS)
    assert result.exit_code == 2 and "line 2, field 'association'" in result.output
    assert "o-new-1" not in openings(app)


def test_an_opening_is_never_moved_to_another_association(app, runner, catalogue, tmp_path):
    row = {**records()[1], "id": "o-dog"}  # o-dog belongs to the animals
    result = run(runner, write_jsonl(tmp_path / "a.jsonl", [records()[0], row]))
    assert result.exit_code == 2 and "line 2, field 'id'" in result.output
    rows = openings(app)
    assert rows["o-dog"].association_id == catalogue["animals"] and "o-new-1" not in rows


@pytest.mark.parametrize(("args", "message"), [
    (["--association", "Ei ole ry"], "no association with the name or Y-tunnus"),
    (["--status", "closed"], "Invalid value for '--status'"),
])
def test_bad_options_exit_2(app, runner, catalogue, tmp_path, args, message):
    result = run(runner, write_jsonl(tmp_path / "a.jsonl", records()), *args)
    assert result.exit_code == 2 and message in result.output


@pytest.mark.parametrize(("name", "content", "message"), [
    ("a.txt", "x", "unknown format"),
    ("a.jsonl", '{"id": "o-x", "title": "A"\n', "line 1: not valid JSON"),
    ("missing.jsonl", None, "cannot open"),
])
def test_unreadable_files_exit_2(app, runner, catalogue, tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = run(runner, path)
    assert result.exit_code == 2 and message in result.output


def test_a_broken_file_imports_nothing_and_names_its_line(app, runner, catalogue, tmp_path):
    path = write_csv(tmp_path / "a.csv", records())
    lines = Path(path).read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace("Kahvilan apulainen", '"Kahvilan apulainen', 1)  # a quote that never closes
    Path(path).write_text("".join(lines), encoding="utf-8")
    result = run(runner, path)
    assert result.exit_code == 2 and "line 2" in result.output and "closing quote" in result.output
    assert "nothing was imported" in result.output and len(openings(app)) == 5


def test_a_full_disk_imports_nothing_and_says_so(tmp_path):
    """SQLite's own limit on the file's pages stands in for the disk: past it every write fails with
    'database or disk is full', exactly as when the disk is."""
    app = make_app(f"sqlite:///{tmp_path / 'full.sqlite'}")
    migrate.upgrade(app)
    add_catalogue(app)
    engine = db.get_engine(app)
    with engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar_one()
    engine.dispose()
    sa.event.listen(engine, "connect", lambda dbapi, _record: dbapi.execute(f"PRAGMA max_page_count = {pages + 2}"))
    many = [{**records()[0], "id": f"o-many-{i}", "description": "Pitkä kuvaus. " * 200} for i in range(200)]
    result = run(app.test_cli_runner(), write_jsonl(tmp_path / "many.jsonl", many))
    assert result.exit_code == 2, result.output
    assert "could not save" in result.output and "full" in result.output and "nothing was imported" in result.output
    assert "Traceback" not in result.output
    assert len(openings(app)) == 5
    db.dispose(app)
