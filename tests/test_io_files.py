"""Files that cannot fool the loader: each way a file can be broken ends in a message naming the file,
the line (and field) and exit code 2, never a traceback and never a row silently lost."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from matching import io

HEADER = "id,title,description,municipality,themes\n"


def rows(n: int) -> list[str]:
    return [f"o{i},Title {i},Desc {i},Oulu,animals\n" for i in range(n)]


def csv_file(tmp_path: Path, lines: list[str], name: str = "o.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def refused(path: Path) -> io.RecordError:
    with pytest.raises(io.RecordError) as info:
        io.load_openings(path)
    return info.value


def test_an_unclosed_quote_is_refused_with_its_line_not_swallowing_rows(tmp_path: Path) -> None:
    lines = rows(10)
    lines[3] = 'o3,"Title 3,Desc 3,Oulu,animals\n'  # nothing closes it: the loader used to read on to the end
    error = refused(csv_file(tmp_path, lines))
    assert error.line == 5 and "closing quote" in error.message
    lines[6] = 'o6,Title 6,"Desc, 6",Oulu,animals\n'  # a later quote "closes" it: rows 4-6 used to vanish
    error = refused(csv_file(tmp_path, lines))
    assert error.line == 5 and "closing quote" in error.message


def test_a_cell_over_lines_with_its_quotes_closed_still_loads(tmp_path: Path) -> None:
    lines = rows(3)
    lines[1] = 'o1,Title 1,"We offer:\nfood, drinks, fun, games, more",Oulu,animals\n'
    loaded = io.load_openings(csv_file(tmp_path, lines))
    assert [o.id for o in loaded] == ["o0", "o1", "o2"] and "games" in loaded[1].description


@pytest.mark.parametrize(("data", "line", "message"), [
    ((HEADER + "o1,Kesätyö,Kuvaus,Oulu,animals\n").encode("latin-1"), 2, "not UTF-8 text (byte 0xe4 at column 7)"),
    (json.dumps({"id": "o1", "title": "t", "description": "d", "municipality": "Oulu"}).encode("utf-16"), 1,
     "UTF-16"),
])
def test_text_that_is_not_utf8_is_refused_with_its_line(tmp_path: Path, data: bytes, line: int, message: str) -> None:
    path = tmp_path / ("o.csv" if data.startswith(HEADER[:2].encode()) else "o.jsonl")
    path.write_bytes(data)
    error = refused(path)
    assert error.line == line and message in error.message


def test_a_utf8_byte_order_mark_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "o.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + rows(1)[0]).encode())
    assert [o.id for o in io.load_openings(path)] == ["o0"]


def test_a_huge_cell_and_deep_json_are_refused(tmp_path: Path) -> None:
    error = refused(csv_file(tmp_path, [f'o1,T,"{"x" * 140_000}",Oulu,animals\n']))
    assert error.line == 2 and "longer than 131,072 characters" in error.message
    deep = tmp_path / "deep.jsonl"
    deep.write_text('{"id": "o1", "title": ' + "[" * 100_000 + "]" * 100_000 + "}\n", encoding="utf-8")
    assert "nested too deeply" in refused(deep).message


@pytest.mark.parametrize(("title", "message"), [("t\\u0000x", "NUL"), ("t\\ud800", "half of a UTF-16 pair")])
def test_characters_no_database_can_hold_are_refused(tmp_path: Path, title: str, message: str) -> None:
    path = tmp_path / "o.jsonl"
    path.write_text('{"id": "o1", "title": "%s", "description": "d", "municipality": "Oulu"}\n' % title)
    error = refused(path)
    assert (error.line, error.field) == (1, "title") and message in error.message


def test_a_number_where_a_place_belongs_names_the_field(tmp_path: Path) -> None:
    path = tmp_path / "o.jsonl"
    path.write_text(json.dumps({"id": "o1", "title": "t", "description": "d", "municipality": 5}) + "\n")
    error = refused(path)
    assert error.field == "municipality" and "unknown municipality '5'" in error.message


def test_the_cli_exits_2_with_the_line_and_when_the_disk_is_full(tmp_path: Path) -> None:
    lines = rows(4)
    lines[1] = 'o1,"Title 1,Desc,Oulu,animals\n'
    youths = Path(__file__).resolve().parent.parent / "fixtures" / "youths.jsonl"
    bad = subprocess.run([sys.executable, "-m", "matching", "match", "--openings", str(csv_file(tmp_path, lines)),
                          "--youths", str(youths)], capture_output=True, text=True)
    assert bad.returncode == 2 and "o.csv, line 3" in bad.stderr and "Traceback" not in bad.stderr
    good = csv_file(tmp_path, rows(4), "good.csv")
    with open("/dev/full", "w") as full:  # every write fails: "No space left on device"
        result = subprocess.run([sys.executable, "-m", "matching", "match", "--openings", str(good),
                                 "--youths", str(youths)], stdout=full, stderr=subprocess.PIPE, text=True)
    assert result.returncode == 2 and "No space left on device" in result.stderr and "Traceback" not in result.stderr
