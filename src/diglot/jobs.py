"""Write jobs: one (locale, format) output as a function of picklable inputs, run one after
another or in a pool of worker processes.

Workers are spawned, never forked: WeasyPrint's libraries must not be forked once loaded. A job
writes its staging file and returns its warnings; errors travel back whole (with locations)
and say the output's own path, not the staging file's.
"""

from __future__ import annotations

import dataclasses
import functools
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from diglot.document import RenderedDocument, WriteContext
from diglot.errors import (
    NOTE,
    BuildWarning,
    DiglotError,
    ErrorGroup,
    Location,
    OutputError,
    shown_path,
)


@dataclass(frozen=True)
class WriteJob:
    """One output: which writer (and its options), the document, and where it goes."""

    locale: str
    format: str
    document: RenderedDocument
    stage: Path  # the staging file the writer writes
    target: Path  # the output it will replace, for messages
    context: WriteContext
    options: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        return f"{self.locale} {self.format} -> {shown_path(self.target)}"


def available_cores() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def run(job: WriteJob) -> list[BuildWarning]:
    """Write one output into its staging file; return its warnings, located at the target."""
    from diglot.writers import registry  # deferred: WeasyPrint is slow to import

    writer = registry()[job.format](**job.options)
    job.stage.parent.mkdir(parents=True, exist_ok=True)
    try:
        warnings = writer.write(job.document, job.stage, job.context)
    except OSError as exc:
        raise OutputError(f"cannot write {job.format} output: {exc.strerror}",
                          Location(job.target)) from None
    except DiglotError as exc:
        raise _error_at(exc, job.stage, job.target) from None
    # A note is about the build (LibreOffice is missing), not about one of its files.
    return [w if w.kind == NOTE else _warning_at(w, job.stage, job.target) for w in warnings]


T = TypeVar("T")


def run_all(jobs: Sequence[WriteJob], workers: int, progress: Callable[[str], None],
            skipped: int = 0, task: Callable[[WriteJob], T] = run,  # type: ignore[assignment]
            jobs_per_process: int = 4) -> Iterator[tuple[WriteJob, T]]:
    """Every job, in order with one worker, as they finish with more; the first error stops
    the rest (a pool is terminated when the caller stops iterating or an error comes).
    Progress counts `skipped` outputs (said unchanged before) as done. `task` runs one job
    (`run` by default; one of another module's top level, for a pool's workers to import).
    A process of the pool is replaced after `jobs_per_process` jobs, which bounds its memory
    and costs the next one a second or so loading WeasyPrint."""
    total = len(jobs) + skipped
    if workers <= 1 or len(jobs) <= 1:
        for number, job in enumerate(jobs, skipped + 1):
            progress(f"[{number}/{total}] {job.describe()}")
            yield job, task(job)
        return
    workers = min(workers, len(jobs))
    progress(f"writing {len(jobs)} outputs in {workers} processes")
    spawn = multiprocessing.get_context("spawn")
    with spawn.Pool(workers, maxtasksperchild=jobs_per_process) as pool:
        finished = pool.imap_unordered(functools.partial(_run_numbered, task=task),
                                       enumerate(jobs))
        for done, (index, outcome) in enumerate(finished, skipped + 1):
            progress(f"[{done}/{total}] {jobs[index].describe()}")
            yield jobs[index], outcome


def _run_numbered(numbered: tuple[int, WriteJob], task: Callable[[WriteJob], T] = run
                  ) -> tuple[int, T]:  # type: ignore[assignment]
    index, job = numbered
    return index, task(job)


def _error_at(exc: DiglotError, stage: Path, target: Path) -> DiglotError:
    """The error with the staging file in its location replaced by the target."""
    if isinstance(exc, ErrorGroup):
        exc.errors = [_error_at(e, stage, target) for e in exc.errors]
    elif exc.location.file == stage:
        exc.location = dataclasses.replace(exc.location, file=target)
    return exc


def _warning_at(warning: BuildWarning, stage: Path, target: Path) -> BuildWarning:
    """The warning located at the target when it was at the staging file or nowhere."""
    if warning.location is None:
        return dataclasses.replace(warning, location=Location(target))
    if warning.location.file == stage:
        return dataclasses.replace(warning, location=dataclasses.replace(warning.location,
                                                                        file=target))
    return warning
