"""The code type-checks: mypy finds nothing (configuration in pyproject.toml, [tool.mypy])."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["matching", "webapp"]  # the packages mypy checks
# an ignore names its error codes and says why: `# type: ignore[attr-defined]  # why ...`
IGNORE = re.compile(r"#\s*type:\s*ignore\b(?P<rest>.*)$")
EXPLAINED = re.compile(r"\[[a-z-]+(,\s*[a-z-]+)*\]\s+#\s*\S")


@pytest.mark.slow
def test_mypy_finds_nothing():
    mypy = shutil.which("mypy", path=str(Path(sys.executable).parent))
    if mypy is None:
        pytest.fail("mypy is not installed in the test environment: `make test` installs the test extra")
    result = subprocess.run([mypy, "--config-file", "pyproject.toml", *PACKAGES], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _unexplained(lines: list[str]) -> list[str]:
    return [line.strip() for line in lines
            if (m := IGNORE.search(line)) and not EXPLAINED.match(m.group("rest"))]


def test_every_type_ignore_names_its_code_and_says_why():
    offenders = [f"{path.relative_to(ROOT)}: {line}" for package in PACKAGES
                 for path in sorted((ROOT / package).rglob("*.py"))
                 for line in _unexplained(path.read_text(encoding="utf-8").splitlines())]
    assert offenders == []


def test_the_ignore_rule_reads_comments_as_meant():
    assert _unexplained(["x = f()  # type: ignore[attr-defined]  # libfoo has no stubs for f",
                         "y = g()  # type: ignore[arg-type, union-attr]  # checked above", "z = 1"]) == []
    assert len(_unexplained(["x = f()  # type: ignore", "x = f()  # type: ignore[attr-defined]",
                             "x = f()  # type: ignore  # no code"])) == 3
