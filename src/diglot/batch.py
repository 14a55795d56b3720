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
import re
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from diglot import cache, executors, jobs, pipeline, publish
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



def build(config: Config, files: Sequence[Path], progress: Progress = lambda _m: None,
          force: bool = False, keep_going: bool = False, executor: str = "local",
          scheduler: str | None = None) -> BatchResult:
    """Build every data file of `files` into `config.output/<edition>/<id>.<ext>`. Without
    `keep_going` the first failure stops the batch and nothing is published (every report
    that cannot be loaded or rendered is reported at once); with it, the other reports are
    published and the failures are in the result."""
    if executor not in executors.EXECUTORS:
        raise UsageError(f"--executor {executor}: choose "
                         f"{' or '.join(executors.EXECUTORS)}")
    if scheduler is not None and executor != "dask":
        raise UsageError("--scheduler needs --executor dask")
    started = time.perf_counter()
    # Chosen first, so that a missing Dask is said before any work.
    run = executors.local if executor == "local" else executors.dask(scheduler)
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
