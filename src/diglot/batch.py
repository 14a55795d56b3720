"""Batch builds: many data files with one project's settings, theme and catalogs, written by
the local process pool or by a Dask cluster, published together by this process.

Every report is loaded, checked and rendered here (a tenth of a second per locale); only the
writing, which takes the time, goes to the executor. A job travels whole (the rendered document,
its options, and the files of its theme folders), and a Dask worker sends back the output's
bytes and warnings, so that workers need no disk in common with the client. The build cache
of the output folder skips every output whose key did not change.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from diglot import cache, jobs, pipeline, publish
from diglot.config import Config
from diglot.document import WriteContext
from diglot.epoch import source_date_epoch
from diglot.errors import (
    NOTE,
    BuildWarning,
    DataError,
    DiglotError,
    ErrorGroup,
    Location,
    OutputError,
    UsageError,
    shown_path,
)
from diglot.writers import TABLE

Progress = Callable[[str], None]
EXECUTORS = ("local", "dask")
DASK_MISSING = "--executor dask needs Dask: pip install 'diglot[dask]'"
# A batch keeps each process of the local pool for this many outputs (a build, for 4): a new
# process loads WeasyPrint again, which cost a batch of small reports a fifth of its time.
JOBS_PER_PROCESS = 50


@dataclass
class Outcome:
    """What writing one output gave: its warnings, its bytes (from a Dask worker; a local
    worker writes the staging file itself), or the error that stopped it."""

    warnings: list[BuildWarning] = field(default_factory=list)
    data: bytes | None = None
    error: DiglotError | None = None


@dataclass
class Report:
    """One data file of the batch."""

    file: Path
    id: str | None = None
    error: DiglotError | None = None
    jobs: list[jobs.WriteJob] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)  # by output name
    unchanged: list[Path] = field(default_factory=list)
    written: dict[str, list[BuildWarning]] = field(default_factory=dict)  # by output name
    warnings: list[BuildWarning] = field(default_factory=list)


@dataclass
class BatchResult:
    reports: list[Report] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)  # published
    seconds: float = 0.0
    notes: list[BuildWarning] = field(default_factory=list)

    @property
    def failed(self) -> list[Report]:
        return [r for r in self.reports if r.error is not None]

    @property
    def built(self) -> list[Report]:
        return [r for r in self.reports if r.error is None and r.written]

    @property
    def skipped(self) -> list[Report]:
        return [r for r in self.reports if r.error is None and not r.written]

    @property
    def warnings(self) -> list[BuildWarning]:
        return [w for r in self.reports if r.error is None for w in r.warnings]

    @property
    def unchanged(self) -> list[Path]:
        return [p for r in self.reports if r.error is None for p in r.unchanged]


Executor = Callable[[list[jobs.WriteJob], bool], Iterator[tuple[jobs.WriteJob, Outcome]]]


def build(config: Config, files: Sequence[Path], progress: Progress = lambda _m: None,
          force: bool = False, keep_going: bool = False, executor: str = "local",
          scheduler: str | None = None) -> BatchResult:
    """Build every data file of `files` into `config.output/<edition>/<id>.<ext>`. Without
    `keep_going` the first failure stops the batch and nothing is published (every report
    that cannot be loaded or rendered is reported at once); with it, the other reports are
    published and the failures are in the result."""
    if executor not in EXECUTORS:
        raise UsageError(f"--executor {executor}: choose {' or '.join(EXECUTORS)}")
    if scheduler is not None and executor != "dask":
        raise UsageError("--scheduler needs --executor dask")
    started = time.perf_counter()
    run = _local if executor == "local" else _dask(scheduler)  # Dask missing: said at once
    epoch = source_date_epoch()
    inputs = cache.Inputs(config, epoch)
    record = cache.load(config.output)
    result = BatchResult(reports=[Report(Path(f).resolve())
                                  for f in dict.fromkeys(Path(f).resolve() for f in files)])
    staging = publish.open_staging(config.output)
    try:
        _prepare(config, result, inputs, staging, epoch, keep_going, progress)
        planned = [job for r in result.reports if r.error is None for job in r.jobs]
        to_write = planned if force else _skip_unchanged(config, result, record)
        total, failures = len(to_write), 0
        if result.unchanged:
            progress(f"{len(result.unchanged)} of {len(planned)} output(s) unchanged")
        owner = {id(job): report for report in result.reports for job in report.jobs}
        writing = time.perf_counter()
        workers = config.jobs or jobs.available_cores()
        for done, (job, outcome) in enumerate(run(to_write, workers), 1):
            report = owner[id(job)]
            if outcome.error is not None:
                failures += report.error is None
                report.error = report.error or outcome.error
                if not keep_going:
                    raise outcome.error
            elif report.error is None:
                if outcome.data is not None:
                    job.stage.parent.mkdir(parents=True, exist_ok=True)
                    job.stage.write_bytes(outcome.data)
                report.written[_name(config, job)] = outcome.warnings
                _take(report, result, outcome.warnings)
            progress(_progress_line(done, total, failures, time.perf_counter() - writing,
                                    report, job))
        good = [r for r in result.reports if r.error is None]
        staged = [(job.stage, job.target) for r in good for job in r.jobs
                  if _name(config, job) in r.written]

        def published(outputs: list[Path]) -> None:
            result.outputs = outputs
            _remember(config, record, good)

        publish.move_into_place(config.output, staging, staged, published)
    except OSError as exc:
        raise OutputError(f"cannot publish the outputs: {exc.strerror}",
                          Location(config.output)) from None
    except BaseException as exc:
        exc.outputs_published = bool(result.outputs)  # type: ignore[attr-defined]
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    result.seconds = time.perf_counter() - started
    return result


def _prepare(config: Config, result: BatchResult, inputs: cache.Inputs, staging: Path,
             epoch: int | None, keep_going: bool, progress: Progress) -> None:
    """Load, check and render every report; plan its jobs. A report that fails here is
    marked failed; without `keep_going` every such failure is raised together."""
    for number, report in enumerate(result.reports, 1):
        own = dataclasses.replace(config, data=report.file)
        try:
            data, theme, catalogs, warnings = pipeline.prepare(own)
            inputs.add(theme.dirs, tuple(p for p in (theme.reference_docx,) if p is not None))
            built = pipeline.BuildResult(warnings=warnings, catalogs=catalogs)
            parallel, notes = pipeline.parallel_editions(own, tuple(catalogs))
            documents = pipeline.render_all(data, theme, catalogs, built, parallel,
                                            own.parallel_layout)
        except UsageError:
            raise  # the same for every report: the command line is wrong
        except DiglotError as exc:
            report.error = exc
            progress(f"[{number}/{len(result.reports)}] {shown_path(report.file)}: failed")
            continue
        report.id = data.report.id
        report.warnings = built.warnings
        result.notes += [n for n in notes if n.message not in {m.message for m in result.notes}]
        options = {"pdf": {"standard": own.pdf_standard or theme.pdf_standard}}
        context = WriteContext((own.root, report.file.parent), epoch)
        report.jobs = [jobs.WriteJob(
            edition, name, document, staging / edition / f"{report.id}{suffix}",
            config.output / edition / f"{report.id}{suffix}", context, options.get(name, {}))
            for edition, document in documents.items()
            for name, suffix in ((n, TABLE[n].suffix) for n in config.formats)]
        report.keys = {_name(config, job): inputs.job_key(job.document, job.format,
                                                          job.options, context)
                       for job in report.jobs}
        progress(f"[{number}/{len(result.reports)}] {shown_path(report.file)}: "
                 f"{report.id}, {len(documents)} edition(s) rendered")
    _refuse_duplicates(result.reports)
    failed = [r.error for r in result.reports if r.error is not None]
    if failed and not keep_going:
        raise ErrorGroup(failed) if len(failed) > 1 else failed[0]


def _refuse_duplicates(reports: list[Report]) -> None:
    """Reports that share an id would overwrite each other's outputs: each of them fails,
    naming the others (either could be the one meant)."""
    by_id: dict[str, list[Report]] = {}
    for report in reports:
        if report.error is None and report.id is not None:
            by_id.setdefault(report.id, []).append(report)
    for same in by_id.values():
        if len(same) < 2:
            continue
        for report in same:
            others = ", ".join(shown_path(r.file) for r in same if r is not report)
            report.error = DataError(f"report id {report.id!r} is also the id of {others}; "
                                     "report ids must be unique across the batch",
                                     _id_location(report.file))


def _id_location(file: Path) -> Location:
    """Where `id:` is written under `report:` (the file alone when it cannot be found)."""
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return Location(file)
    inside = False
    for number, line in enumerate(lines, 1):
        if re.match(r"report\s*:", line):
            inside = True
        elif inside and (match := re.match(r"(\s+)id\s*:", line)):
            return Location(file, number, len(match.group(1)) + 1, "report.id")
        elif inside and line[:1].strip() and not line.startswith("#"):
            inside = False
    return Location(file, path="report.id")


def _skip_unchanged(config: Config, result: BatchResult, record: cache.Record
                    ) -> list[jobs.WriteJob]:
    to_write = []
    for report in result.reports:
        if report.error is not None:
            continue
        for job in report.jobs:
            entry = record.fresh(config.output, _name(config, job),
                                 report.keys[_name(config, job)])
            if entry is None:
                to_write.append(job)
            else:
                report.unchanged.append(job.target)
                _take(report, result, entry.warnings)
    return to_write


def _take(report: Report, result: BatchResult, found: list[BuildWarning]) -> None:
    report.warnings += [w for w in found if w.kind != NOTE]
    result.notes += [w for w in found if w.kind == NOTE and
                     w.message not in {n.message for n in result.notes}]


def _name(config: Config, job: jobs.WriteJob) -> str:
    return job.target.relative_to(config.output).as_posix()


def _progress_line(done: int, total: int, failures: int, elapsed: float, report: Report,
                   job: jobs.WriteJob) -> str:
    left = elapsed / done * (total - done)
    state = "failed" if report.error is not None else shown_path(job.target)
    return (f"[{done}/{total}] {report.id} {job.locale} {job.format}: {state}"
            f"  ({failures} failed, about {_duration(left)} left)")


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def _remember(config: Config, record: cache.Record, reports: list[Report]) -> None:
    """Record the outputs published. The record's whole-build key is cleared: an output of
    `diglot build` may have been replaced, so its next build compares output by output."""
    for report in reports:
        for name, found in report.written.items():
            digest = cache.sha256_file(config.output / name)
            if digest is not None:
                record.outputs[name] = cache.Entry(report.keys[name], digest, found)
    if any(report.written for report in reports):
        record.build_key = ""  # matches no build (None would make the record unreadable)
    cache.save(config.output, record)


# The executors: each yields every job with its outcome, as jobs finish.

def _local(to_write: list[jobs.WriteJob], workers: int
           ) -> Iterator[tuple[jobs.WriteJob, Outcome]]:
    yield from jobs.run_all(to_write, workers, lambda _m: None, task=write_local,
                            jobs_per_process=JOBS_PER_PROCESS)


def write_local(job: jobs.WriteJob) -> Outcome:
    """Write one output into its staging file (a worker of the local pool)."""
    try:
        return Outcome(jobs.run(job))
    except DiglotError as exc:
        return Outcome(error=exc)


def _dask(scheduler: str | None) -> Executor:
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
