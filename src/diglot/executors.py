"""Where a batch's jobs are written: the local process pool or a Dask cluster."""

from __future__ import annotations

import dataclasses
import hashlib
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from diglot import cache, jobs
from diglot.errors import BuildWarning, DiglotError, ErrorGroup, Location, OutputError, UsageError

EXECUTORS = ("local", "dask")
DASK_MISSING = "--executor dask needs Dask: pip install 'diglot[dask]'"
# A batch keeps each process of the local pool for this many outputs (a build, for 4): a new
# process starts with WeasyPrint's caches cold (and, where workers are spawned, loads it
# again, which cost a batch of small reports a fifth of its time).
JOBS_PER_PROCESS = 50


@dataclass
class Outcome:
    """What writing one output gave: its warnings, its bytes (from a Dask worker; a local
    worker writes the staging file itself), or the error that stopped it."""

    warnings: list[BuildWarning] = field(default_factory=list)
    data: bytes | None = None
    error: DiglotError | None = None


Executor = Callable[[list[jobs.WriteJob], int], Iterator[tuple[jobs.WriteJob, Outcome]]]


def local(to_write: list[jobs.WriteJob], workers: int
          ) -> Iterator[tuple[jobs.WriteJob, Outcome]]:
    yield from jobs.run_all(to_write, workers, lambda _m: None, task=write_local,
                            jobs_per_process=JOBS_PER_PROCESS)


def write_local(job: jobs.WriteJob) -> Outcome:
    """Write one output into its staging file (a worker of the local pool)."""
    try:
        return Outcome(jobs.run(job))
    except DiglotError as exc:
        return Outcome(error=exc)


def dask(scheduler: str | None) -> Executor:
    try:
        import distributed  # noqa: F401  (only to know it is there)
    except ImportError:
        raise UsageError(DASK_MISSING) from None

    def run(to_write: list[jobs.WriteJob], workers: int
            ) -> Iterator[tuple[jobs.WriteJob, Outcome]]:
        if not to_write:
            return
        with _client(scheduler, workers) as client:
            _same_software(client.run(worker_software))
            bundles = _bundles(to_write)
            shipped = client.scatter(bundles, broadcast=True) if bundles else {}
            futures = {client.submit(write_remote, job, shipped, pure=False): job
                       for job in to_write}
            import distributed

            for future in distributed.as_completed(futures):
                yield futures[future], future.result()

    return run


def worker_software() -> dict[str, str]:
    """The versions a worker writes with (run on each worker)."""
    return {k: v for k, v in cache.software().items() if k != "libreoffice"}


def _same_software(found: dict[str, dict[str, str]]) -> None:
    """Refuse workers whose diglot or writing libraries are not the client's: their outputs
    would be recorded under keys made from the client's versions."""
    ours = worker_software()
    errors: list[DiglotError] = []
    for worker, theirs in sorted(found.items()):
        differ = [f"{name} {theirs.get(name, '-')} (here {version})" if name != "diglot code"
                  else "diglot's code" for name, version in ours.items()
                  if theirs.get(name) != version]
        if differ:
            errors.append(OutputError(f"the Dask worker {worker} writes with other versions: "
                                      f"{', '.join(differ)}; install the client's"))
    if errors:
        raise ErrorGroup(errors) if len(errors) > 1 else errors[0]


class _client:
    """A `distributed.Client` of the scheduler, or of a LocalCluster made and closed here."""

    def __init__(self, scheduler: str | None, workers: int) -> None:
        self.scheduler, self.workers = scheduler, workers
        self.cluster: Any = None
        self.client: Any = None

    def __enter__(self) -> Any:
        import logging

        import distributed

        try:
            if self.scheduler is None:
                self.cluster = distributed.LocalCluster(
                    n_workers=self.workers, threads_per_worker=1, processes=True,
                    dashboard_address=None, silence_logs=logging.CRITICAL)
                self.client = distributed.Client(self.cluster)
            else:
                self.client = distributed.Client(self.scheduler, timeout="20s")
        except (OSError, TimeoutError) as exc:
            self.__exit__()
            where = self.scheduler or "a local cluster"
            raise OutputError(f"cannot reach the Dask scheduler ({where}): {exc}") from None
        return self.client

    def __exit__(self, *_exc: object) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()


# Theme folders travel with the jobs: a worker elsewhere has no copy of the client's.

Bundle = dict[str, dict[str, bytes]]  # a folder or file of the client -> its files' bytes


def _bundles(to_write: list[jobs.WriteJob]) -> Bundle:
    """The files of every folder a job's document reads from (its theme folders), and the
    reference DOCX, by the client's path."""
    found: Bundle = {}
    for job in to_write:
        for folder in job.document.asset_dirs:
            if str(folder) not in found:
                found[str(folder)] = {
                    p.relative_to(folder).as_posix(): p.read_bytes()
                    for p in sorted(folder.rglob("*"))
                    if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}
        reference = job.document.reference_docx
        if reference is not None and str(reference) not in found:
            found[str(reference)] = {"": reference.read_bytes()}
    return found


def write_remote(job: jobs.WriteJob, bundles: Bundle, copy: bool = False) -> Outcome:
    """Write one output in a temporary folder (a Dask worker) and return its bytes. Theme
    folders not found on this machine as the client has them are made from the bundle, and
    the document points at them; `copy` does so whatever is found."""
    with tempfile.TemporaryDirectory(prefix="diglot-job-") as tmp:
        job = _localised(job, bundles, Path(tmp), copy)
        job = dataclasses.replace(job, stage=Path(tmp) / "out" / job.target.name)
        try:
            warnings = jobs.run(job)
            return Outcome(warnings, job.stage.read_bytes())
        except DiglotError as exc:
            return Outcome(error=exc)
        except OSError as exc:
            return Outcome(error=OutputError(f"cannot read the output: {exc.strerror}",
                                             Location(job.target)))


def _localised(job: jobs.WriteJob, bundles: Bundle, tmp: Path, copy: bool) -> jobs.WriteJob:
    document = job.document
    html, dirs, reference = document.html, [], document.reference_docx
    for number, folder in enumerate(document.asset_dirs):
        files = bundles.get(str(folder))
        if files is None or (not copy and _same(folder, files)):
            dirs.append(folder)
            continue
        local = tmp / "themes" / str(number)
        for name, data in files.items():
            (local / name).parent.mkdir(parents=True, exist_ok=True)
            (local / name).write_bytes(data)
        html = html.replace(folder.as_uri() + "/", local.as_uri() + "/")
        dirs.append(local)
    if reference is not None and str(reference) in bundles:
        data = bundles[str(reference)][""]
        if copy or cache.sha256_file(reference) != hashlib.sha256(data).hexdigest():
            reference = tmp / reference.name
            reference.write_bytes(data)
    if dirs == list(document.asset_dirs) and reference == document.reference_docx:
        return job
    document = dataclasses.replace(document, html=html, asset_dirs=tuple(dirs),
                                   reference_docx=reference)
    return dataclasses.replace(job, document=document)


def _same(folder: Path, files: dict[str, bytes]) -> bool:
    """Whether `folder` holds each of `files` with the same bytes."""
    for name, data in files.items():
        try:
            if (folder / name).read_bytes() != data:
                return False
        except OSError:
            return False
    return True
