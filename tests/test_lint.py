"""The code base stays clean: ruff finds nothing (configuration in pyproject.toml)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_finds_nothing():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent))
    if ruff is None:
        pytest.fail("ruff is not installed in the test environment: `make test` installs the test extra")
    result = subprocess.run([ruff, "check", "matching", "webapp", "fixtures", "benchmarks", "tests"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_engine_never_imports_the_web_layer():
    offenders = [str(p) for p in (ROOT / "matching").rglob("*.py")
                 if any(line.lstrip().startswith(("import flask", "from flask", "import sqlmodel", "from sqlmodel",
                                                  "import webapp", "from webapp", "import sqlalchemy"))
                        for line in p.read_text(encoding="utf-8").splitlines())]
    assert offenders == []
