"""Worker processes: forked from a server that loaded the writers, in their starter's env."""

from __future__ import annotations

import multiprocessing
import os
import sys
from multiprocessing.connection import Connection

import pytest

from diglot.writers import processes

MARK = "DIGLOT_TEST_WORKER_MARK"
FORKSERVER = "forkserver" in multiprocessing.get_all_start_methods()


def _seen() -> tuple[str | None, bool]:
    """What a worker sees: the mark in its environment, and whether WeasyPrint is loaded."""
    return os.environ.get(MARK), "weasyprint" in sys.modules


def _tell(connection: Connection) -> None:
    connection.send(_seen())
    connection.close()


def _nothing() -> None:
    pass


@pytest.mark.skipif(not FORKSERVER, reason="no fork server on this platform")
def test_a_process_starts_with_weasyprint_loaded_and_the_environment_of_now(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MARK, "before")
    processes.start_ahead()
    monkeypatch.setenv(MARK, "after the server started")
    parent_end, child_end = multiprocessing.Pipe()
    worker = processes.process(_tell, (child_end,), "diglot-test")
    worker.start()
    child_end.close()
    assert parent_end.recv() == ("after the server started", True)
    worker.join(10)
    assert worker.exitcode == 0


@pytest.mark.skipif(not FORKSERVER, reason="no fork server on this platform")
def test_a_pool_worker_and_its_replacement_take_the_environment_of_the_pool_start(
        monkeypatch: pytest.MonkeyPatch) -> None:
    processes.start_ahead()
    monkeypatch.setenv(MARK, "pool")
    with processes.pool(1, _nothing, (), jobs_per_process=1) as pool:
        monkeypatch.delenv(MARK)
        first, second = pool.apply(_seen), pool.apply(_seen)  # the second in a new process
    assert first == second == ("pool", True)
    assert MARK not in os.environ
