"""The command line: JSON Lines out, exit code 2 with a message on bad input."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from matching.__main__ import main

FIXTURES = Path(__file__).parent.parent / "fixtures"
FILES = ["--openings", str(FIXTURES / "openings.jsonl"), "--youths", str(FIXTURES / "youths.jsonl"),
         "--today", "2026-11-23"]


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(args), out=out), out.getvalue()


def test_match_writes_one_json_line_per_youth_in_the_documented_shape():
    code, out = run("match", *FILES, "-k", "3")
    lines = [json.loads(line) for line in out.splitlines()]
    youths = [json.loads(line)["id"] for line in (FIXTURES / "youths.jsonl").read_text().splitlines() if line]
    assert code == 0 and [x["youth_id"] for x in lines] == youths
    for line in lines:
        assert len(line["matches"]) <= 3
        for m in line["matches"]:
            assert set(m) == {"opening_id", "score", "reasons"}
            assert set(m["reasons"][0]) == {"component", "contribution", "text"}
            assert abs(sum(r["contribution"] for r in m["reasons"]) - m["score"]) < 1e-5


def test_match_pretty_is_readable_text_in_the_asked_language():
    code, out = run("match", *FILES, "-k", "2", "--pretty", "--lang", "fi")
    assert code == 0 and "y-1:" in out and " 1. " in out and "Torniosta" in out


def test_explain_says_why_not():
    code, out = run("explain", *FILES, "--youth", "y-1", "--opening", "o-1", "--lang", "sv")
    report = json.loads(out)
    assert code == 0 and report["opening_id"] == "o-1" and isinstance(report["eligible"], bool)
    assert report["eligible"] == (report["blocks"] == []) == (report["rank"] is not None)


def test_evaluate_reports_the_metrics():
    code, out = run("evaluate", *FILES, "--qrels", str(FIXTURES / "qrels.csv"), "-k", "5")
    report = json.loads(out)
    assert code == 0
    assert {"ndcg@5", "recall@5", "mrr", "coverage", "gini_exposure", "openings_matched"} <= set(report)
    assert 0 < report["ndcg@5"] <= 1 and report["judged_youths"] > 0


@pytest.mark.parametrize("args, message", [
    (["match", "--openings", "nope.jsonl", "--youths", "nope.jsonl"], "cannot open"),
    (["explain", *FILES, "--youth", "y-404", "--opening", "o-1"], "no youth with id 'y-404'"),
    (["explain", *FILES, "--youth", "y-1", "--opening", "o-404"], "no opening with id 'o-404'"),
    (["match", *FILES, "--diversity", "1.5"], "--diversity must be in [0, 1)"),
])
def test_bad_input_exits_2_with_a_message(args, message, capsys):
    assert main(args, out=io.StringIO()) == 2
    assert message in capsys.readouterr().err


def test_bad_record_and_bad_weights_exit_2(tmp_path, capsys):
    bad = tmp_path / "o.jsonl"
    bad.write_text('{"id": "o-1", "title": "x", "kind": "party"}\n', encoding="utf-8")
    assert main(["match", "--openings", str(bad), "--youths", str(FIXTURES / "youths.jsonl")]) == 2
    assert f"{bad}, line 1, field 'kind': unknown kind 'party'" in capsys.readouterr().err
    weights = tmp_path / "w.json"
    weights.write_text('{"interest": -1}', encoding="utf-8")
    assert main(["match", *FILES, "--weights", str(weights)], out=io.StringIO()) == 2
    assert "must be a non-negative number" in capsys.readouterr().err


def test_argument_errors_exit_2_from_a_real_process():
    result = subprocess.run([sys.executable, "-m", "matching", "match", *FILES, "-k", "0"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "at least 1" in result.stderr
