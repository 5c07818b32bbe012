"""The real worker process (`python -m webapp.worker`) as the tests start, kill and restart it."""
from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class WorkerProcess:
    """A worker on `database_url` and the queue file `queue_url`, with `env` added (SMTP, settings)."""

    def __init__(self, database_url: str, queue_url: str, log: Path, workers: int = 2, **env: str) -> None:
        self.workers = workers
        self.env = {**os.environ, "DATABASE_URL": database_url, "POLKU_QUEUE_URL": queue_url,
                    "SECRET_KEY": secrets.token_urlsafe(48), "FLASK_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                    "PYTHONPATH": str(ROOT), **env}
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> WorkerProcess:
        with self.log.open("ab") as out:
            command = [sys.executable, "-m", "webapp.worker", "--workers", str(self.workers)]
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        return self

    def kill(self) -> None:
        """SIGKILL: the worker dies at once, in whatever it was doing."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=30)
            self.process = None

    def stop(self) -> int:
        """SIGINT, as Ctrl-C: running tasks finish, then the worker exits; its exit code."""
        if self.process is None:
            return 0
        self.process.send_signal(signal.SIGINT)
        try:
            code = self.process.wait(timeout=30)
        finally:
            if self.process.poll() is None:
                self.process.kill()
        self.process = None
        return code
