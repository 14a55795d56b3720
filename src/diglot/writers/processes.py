"""Worker processes, forked from a server that loaded the PDF writer (and WeasyPrint) once.

WeasyPrint's libraries must not be forked once they have laid something out (fontconfig and
Pango keep caches and threads), but importing them sets up nothing of the kind. So the
workers of a build come from multiprocessing's fork server, which imports the PDF writer as
it starts and is forked, before any layout, for every worker: a worker starts at once, where a
spawned one loaded WeasyPrint again (0.6 s of a core each, five times over for a long PDF in
chunks). Where the platform has no fork server, workers are spawned. A worker takes the
environment of the process that starts it, as a spawned one would, not the server's.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import multiprocessing.forkserver
import multiprocessing.pool
import os
from collections.abc import Callable
from typing import Any

from diglot import collector

# Imported by the server before it forks any worker: it imports the PDF writer's modules.
PRELOAD = ("diglot.writers.preload",)


def context() -> multiprocessing.context.BaseContext:
    """The context workers start in: the fork server, its modules set, else spawn."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    server = multiprocessing.get_context("forkserver")
    server.set_forkserver_preload(list(PRELOAD))  # read only when the server starts
    return server


def preloaded() -> bool:
    """Whether workers come from the fork server, with its PRELOAD modules imported."""
    return context().get_start_method() == "forkserver"


def start_ahead() -> None:
    """Start the fork server now, so that it loads the PDF writer while this process renders
    (a no-op once it runs, or where there is none)."""
    if preloaded():
        multiprocessing.forkserver.ensure_running()


def pool(workers: int, initializer: Callable[..., None], initargs: tuple[Any, ...],
         jobs_per_process: int) -> multiprocessing.pool.Pool:
    """A pool of `workers` processes, each replaced after `jobs_per_process` jobs, each
    running `initializer(*initargs)` in this process's environment as it starts."""
    return context().Pool(workers, initializer=_in_environment,
                          initargs=(dict(os.environ), initializer, initargs),
                          maxtasksperchild=jobs_per_process)


def process(target: Callable[..., None], args: tuple[Any, ...], name: str
            ) -> multiprocessing.process.BaseProcess:
    """A daemon process (not started) that runs `target(*args)` in this process's
    environment."""
    return context().Process(target=_in_environment, args=(dict(os.environ), target, args),
                             daemon=True, name=name)


def _in_environment(environment: dict[str, str], target: Callable[..., None],
                    args: tuple[Any, ...]) -> None:
    os.environ.clear()
    os.environ.update(environment)
    collector.relax()  # a spawned worker's own; a forked one has the server's already
    target(*args)
