"""The garbage collector in a build's processes: rare collections, and none of the cycles an
earlier output left kept into the next."""

from __future__ import annotations

import gc
import multiprocessing
import subprocess
import sys
import textwrap

import pytest

from diglot.writers import processes

FORKSERVER = "forkserver" in multiprocessing.get_all_start_methods()


def _nothing() -> None:
    pass


def _collections_while_allocating() -> int:
    """How many times the youngest generation is collected while 200 000 lists live."""
    before = gc.get_stats()[0]["collections"]
    kept = [[] for _ in range(200_000)]
    after = gc.get_stats()[0]["collections"]
    del kept
    return after - before


@pytest.mark.skipif(not FORKSERVER, reason="no fork server on this platform")
def test_a_worker_collects_a_few_times_where_python_collects_hundreds() -> None:
    processes.start_ahead()
    with processes.pool(1, _nothing, (), jobs_per_process=1) as pool:
        in_worker = pool.apply(_collections_while_allocating)
    assert in_worker <= 5
    default = subprocess.run(
        [sys.executable, "-c", "import gc\nkept = [[] for _ in range(200_000)]\n"
         "print(gc.get_stats()[0]['collections'])"],
        capture_output=True, text=True, check=True)
    assert int(default.stdout) >= 100  # what the worker is compared with


def test_the_cycles_an_output_leaves_are_freed_before_the_next_begins() -> None:
    # A process of its own: relaxing the collector is for the whole of a process's life.
    script = textwrap.dedent("""
        import weakref
        from diglot import collector

        class Node:
            pass

        collector.relax()
        collector.before_job()  # the first output
        node = Node()
        node.self = node  # a cycle: its reference count alone never frees it
        alive = weakref.ref(node)
        del node
        print(alive() is not None)  # still there: no collection since
        collector.before_job()  # the second output
        print(alive() is None)
    """)
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           check=True).stdout.split()
    assert shown == ["True", "True"]
