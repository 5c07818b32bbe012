"""The matcher's readers-writer lock (webapp.engine.locks): readers share it, a writer waits for them but
holds back new ones, and gives up after its timeout rather than lock a worker."""
from __future__ import annotations

import threading

from webapp.engine.locks import ReadWriteLock


def test_readers_share_and_a_writer_waits_for_them():
    lock = ReadWriteLock()
    lock.acquire_read()
    lock.acquire_read()
    assert lock.readers == 2
    assert not lock.acquire_write(0.05)  # two requests still read: the change is left for later
    lock.release_read()
    lock.release_read()
    assert lock.acquire_write(0.05)
    lock.release_write()


def test_a_waiting_writer_holds_back_new_readers_until_it_is_done():
    lock = ReadWriteLock()
    lock.acquire_read()
    order: list[str] = []
    writer_waiting = threading.Event()

    def write() -> None:
        writer_waiting.set()
        assert lock.acquire_write(30)
        order.append("write")
        lock.release_write()

    def read() -> None:
        lock.acquire_read()
        order.append("read")
        lock.release_read()

    writer = threading.Thread(target=write)
    writer.start()
    assert writer_waiting.wait(30)
    while lock._waiting_writers == 0:  # noqa: SLF001  # until the writer is queued
        threading.Event().wait(0.001)
    reader = threading.Thread(target=read)
    reader.start()
    reader.join(0.2)
    assert reader.is_alive() and order == []  # the new reader waits behind the writer
    lock.release_read()  # the old reader ends: the writer goes first, then the new reader
    writer.join(30)
    reader.join(30)
    assert order == ["write", "read"]


def test_a_writer_that_gives_up_lets_the_held_back_readers_go():
    lock = ReadWriteLock()
    lock.acquire_read()
    assert not lock.acquire_write(0.05)
    lock.acquire_read()  # no writer waits any more: a reader in the same thread is not stuck
    assert lock.readers == 2
