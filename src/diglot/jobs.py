"""Write jobs: one (locale, format) output as a function of picklable inputs, run one after
another or in a pool of worker processes.

Workers come from the fork server of `writers.processes`, which has loaded the writers once.
A job writes its staging file and returns its warnings; errors travel back whole (with
locations) and say the output's own path, not the staging file's.
"""

from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import dataclasses
import functools
import multiprocessing
import multiprocessing.pool
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from diglot import collector
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
from diglot.writers import TABLE, Writer, processes, writer_class


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
    """Write one output into its staging file, finished; return its warnings, located at the
    target."""
    return write(job) + finish([job])[0]


def write(job: WriteJob) -> list[BuildWarning]:
    """Write one output into its staging file, leaving its writer's `finish` step undone;
    return its warnings, located at the target."""
    writer = _writer(job)
    job.stage.parent.mkdir(parents=True, exist_ok=True)
    with _at_targets([job]):
        return _located(job, writer.write(job.document, job.stage, job.context))


def finish(batch: Sequence[WriteJob]) -> list[list[BuildWarning]]:
    """The `finish` step of written outputs of one format, done once for all of them; return
    each one's warnings, located at its target."""
    if not batch or not TABLE[batch[0].format].finishes:
        return [[] for _ in batch]
    writer = _writer(batch[0])
    with _at_targets(batch):
        found = writer.finish([job.stage for job in batch], batch[0].context)
    return [_located(job, warnings) for job, warnings in zip(batch, found, strict=True)]


def _writer(job: WriteJob) -> Writer:
    return writer_class(job.format)(**job.options)


@contextlib.contextmanager
def _at_targets(batch: Sequence[WriteJob]) -> Iterator[None]:
    """Errors while writing `batch` said at the outputs' own paths, not the staging files'."""
    try:
        yield
    except OSError as exc:
        raise OutputError(f"cannot write {batch[0].format} output: {exc.strerror}",
                          Location(batch[0].target)) from None
    except DiglotError as exc:
        for job in batch:
            exc = _error_at(exc, job.stage, job.target)
        raise exc from None


def _located(job: WriteJob, warnings: list[BuildWarning]) -> list[BuildWarning]:
    # A note is about the build (LibreOffice is missing), not about one of its files.
    return [w if w.kind == NOTE else _warning_at(w, job.stage, job.target) for w in warnings]


T = TypeVar("T")


def run_all(jobs: Sequence[WriteJob], workers: int, progress: Callable[[str], None],
            skipped: int = 0, task: Callable[[WriteJob], T] = run,  # type: ignore[assignment]
            jobs_per_process: int = 4, pool: multiprocessing.pool.Pool | None = None
            ) -> Iterator[tuple[WriteJob, T]]:
    """Every job, in order with one worker, as they finish with more; the first error stops
    the rest (a pool is terminated when the caller stops iterating or an error comes).
    Progress counts `skipped` outputs (said unchanged before) as done. `task` runs one job
    (`run` by default; one of another module's top level, for a pool's workers to import).
    A process of the pool is replaced after `jobs_per_process` jobs, which bounds its memory
    and costs the next one a second or so loading WeasyPrint. A `pool` given (of
    `workers` processes, see `start_pool`) runs the jobs, and is terminated after them."""
    total = len(jobs) + skipped
    if not jobs:
        if pool is not None:
            pool.terminate()
        return
    if pool is None and (workers <= 1 or len(jobs) <= 1):
        for number, job in enumerate(jobs, skipped + 1):
            progress(f"[{number}/{total}] {job.describe()}")
            collector.before_job()
            yield job, task(job)
        return
    if pool is None:
        workers = min(workers, len(jobs))
        pool = start_pool(workers, jobs_per_process)
    progress(f"writing {len(jobs)} outputs in {workers} processes")
    with pool:
        finished = pool.imap_unordered(functools.partial(_run_numbered, task=task),
                                       enumerate(jobs))
        for done, (index, outcome) in enumerate(finished, skipped + 1):
            progress(f"[{done}/{total}] {jobs[index].describe()}")
            yield jobs[index], outcome


def start_pool(workers: int, jobs_per_process: int = 4, formats: Sequence[str] = ()
               ) -> multiprocessing.pool.Pool:
    """A pool of `workers` processes (see `writers.processes`), each of which has the writers of
    `formats` imported as it starts: started ahead of its jobs, the processes get ready while
    this one renders. Workers forked from the server import none ahead: they have the PDF
    writer from the server, and a writer of a format few jobs have is imported by the worker
    that takes one."""
    ahead = () if processes.preloaded() else tuple(formats)
    return processes.pool(workers, _import_writers, (ahead,), jobs_per_process)


def _import_writers(formats: tuple[str, ...]) -> None:
    for name in formats:
        writer_class(name)


def write_all(batch: Sequence[WriteJob], workers: int, progress: Callable[[str], None],
              skipped: int = 0, pool: multiprocessing.pool.Pool | None = None
              ) -> Iterator[tuple[WriteJob, list[BuildWarning]]]:
    """Every job written and finished, with its warnings, as they are done (see `run_all`).
    A writer's `finish` step runs once for all of a format's outputs, in a thread of this
    process, as soon as the last is written: beside the outputs still being written. See
    `schedule` for the order."""
    ordered = schedule(batch, workers)
    waiting = collections.Counter(job.format for job in ordered)
    written: dict[str, list[tuple[WriteJob, list[BuildWarning]]]] = collections.defaultdict(list)
    steps: list[tuple[str, concurrent.futures.Future[list[list[BuildWarning]]]]] = []
    with concurrent.futures.ThreadPoolExecutor(1) as finisher, \
            contextlib.closing(run_all(ordered, workers, progress, skipped, task=write,
                                            pool=pool)) as done:
        for job, warnings in done:
            what = TABLE[job.format].finishes
            if not what:
                yield job, warnings
                continue
            written[job.format].append((job, warnings))
            waiting[job.format] -= 1
            if not waiting[job.format]:
                progress(f"{job.format}: {what}, for {len(written[job.format])} output(s)")
                steps.append((job.format, finisher.submit(
                    finish, [one for one, _ in written[job.format]])))
        for name, step in steps:
            for (job, warnings), more in zip(written[name], step.result(), strict=True):
                yield job, warnings + more


def schedule(batch: Sequence[WriteJob], workers: int) -> list[WriteJob]:
    """The order the pool takes `batch` in (each free process takes the next job): the
    longest of the outputs without a `finish` step (a document's length standing for its
    cost), one for every process but the last; then the outputs whose writer has one, all
    written by that last process, so that the step starts early and runs beside the long
    ones; then the rest, the longest first. Four PDFs, one of them half as long again as the
    others, and four DOCX split evenly over two processes this way; with every DOCX first,
    one process ended with two of the longer PDFs, the other idle for their difference."""
    by_length = sorted(batch, key=lambda job: -len(job.document.html))
    finishing = [job for job in by_length if TABLE[job.format].finishes]
    rest = [job for job in by_length if not TABLE[job.format].finishes]
    ahead = max(workers - 1, 0) if finishing else 0
    return [*rest[:ahead], *finishing, *rest[ahead:]]


def _run_numbered(numbered: tuple[int, WriteJob], task: Callable[[WriteJob], T] = run
                  ) -> tuple[int, T]:  # type: ignore[assignment]
    index, job = numbered
    collector.before_job()
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
