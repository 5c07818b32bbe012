"""A readers-writer lock: the requests of a worker read its matcher together, a change waits for them.

Writers come first: once one waits, new readers wait behind it, so a stream of requests cannot
keep a change out. A writer waits at most `timeout` seconds and then gives up (the change is
applied by a later request), so a long request, or a thread that holds a read while asking for
the write itself, delays a change instead of locking the worker.
"""
from __future__ import annotations

import threading
import time


class ReadWriteLock:
    """Many readers or one writer; a waiting writer holds back new readers (for at most its timeout)."""

    def __init__(self) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._readers = 0
        self._writer = False
        self._waiting_writers = 0

    def acquire_read(self) -> None:
        with self._cond:
            while self._writer or self._waiting_writers:
                self._cond.wait()
            self._readers += 1

    def release_read(self) -> None:
        with self._cond:
            self._readers -= 1
            if self._readers == 0:
                self._cond.notify_all()

    def acquire_write(self, timeout: float) -> bool:
        """True once this thread alone holds the lock; False after `timeout` seconds of readers."""
        deadline = time.monotonic() + timeout
        with self._cond:
            self._waiting_writers += 1
            try:
                while self._writer or self._readers:
                    left = deadline - time.monotonic()
                    if left <= 0 or not self._cond.wait(left):
                        if self._writer or self._readers:
                            return False
                self._writer = True
                return True
            finally:
                self._waiting_writers -= 1
                self._cond.notify_all()  # readers held back by this writer may go on if it gave up

    def release_write(self) -> None:
        with self._cond:
            self._writer = False
            self._cond.notify_all()

    @property
    def readers(self) -> int:
        return self._readers
