"""`scripts/run-together`, which `make run` uses to start the web server and the worker as one command:
Ctrl-C stops both, and when one exits the other is stopped too."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.support.smtp import wait_until

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "run-together"
# A child that writes its pid, then waits for a signal (SIGINT ends it as Ctrl-C ends a Python program).
CHILD = "import os, sys, time; open(sys.argv[1], 'w').write(str(os.getpid())); time.sleep(600)"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _start(tmp_path: Path, second: list[str]) -> tuple[subprocess.Popen[bytes], Path]:
    first_pid = tmp_path / "first.pid"
    process = subprocess.Popen([sys.executable, str(SCRIPT), "--", sys.executable, "-c", CHILD, str(first_pid),
                                "--", *second])
    wait_until(lambda: first_pid.exists() and first_pid.read_text() != "", 30, "the first command to start")
    return process, first_pid


def test_ctrl_c_stops_both_commands(tmp_path: Path) -> None:
    second_pid = tmp_path / "second.pid"
    process, first_pid = _start(tmp_path, [sys.executable, "-c", CHILD, str(second_pid)])
    wait_until(lambda: second_pid.exists() and second_pid.read_text() != "", 30, "the second command to start")
    pids = [int(first_pid.read_text()), int(second_pid.read_text())]
    assert all(_alive(pid) for pid in pids)
    process.send_signal(signal.SIGINT)
    process.wait(timeout=60)
    wait_until(lambda: not any(_alive(pid) for pid in pids), 30, "both commands to stop")


def test_when_one_command_exits_the_other_is_stopped(tmp_path: Path) -> None:
    # Exits with 3 once the first command has started.
    ends = "import os, sys, time\nwhile not os.path.getsize(sys.argv[1]): time.sleep(0.05)\nsys.exit(3)"
    (tmp_path / "first.pid").touch()
    process, first_pid = _start(tmp_path, [sys.executable, "-c", ends, str(tmp_path / "first.pid")])
    assert process.wait(timeout=60) == 3  # the exit code of the command that ended first
    wait_until(lambda: not _alive(int(first_pid.read_text())), 30, "the other command to stop")
