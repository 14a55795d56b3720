"""Write jobs in a pool of processes: the same bytes as one process, errors located as ever."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from diglot import jobs, limits, pipeline
from diglot.cache import RECORD
from diglot.config import load
from diglot.document import RenderedDocument, WriteContext
from diglot.errors import BuildWarning
from diglot.writers import FORMATS


def digests(folder: Path) -> dict[str, str]:
    """Every output's digest (the build cache's record names its own folder: left out)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != RECORD}


def test_two_processes_write_what_one_writes(tiny_project: Path, tmp_path: Path, run_cli,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    one = run_cli("-C", tiny_project, "build", "-f", "pdf", "-f", "docx", "-f", "html",
                  "-j", "1", "-o", tmp_path / "one")
    two = run_cli("-C", tiny_project, "build", "-f", "pdf", "-f", "docx", "-f", "html",
                  "-j", "2", "-o", tmp_path / "two")
    assert one.code == two.code == 0, two.err
    assert "6 outputs in 2 processes" in two.err and "outputs in" not in one.err
    assert len(digests(tmp_path / "one")) == 6
    assert digests(tmp_path / "one") == digests(tmp_path / "two")


def test_an_error_in_a_worker_is_located(tiny_project: Path, run_cli) -> None:
    theme = tiny_project / "theme"
    theme.mkdir()
    (theme / "report.html").write_text(
        '{% extends "default/report.html" %}{% block commentary %}'
        '<img src="missing.png" alt="">{% endblock %}', encoding="utf-8")
    result = run_cli("-C", tiny_project, "build", "-j", "2", "--theme", theme)
    assert result.code == 1 and "Traceback" not in result.err
    assert f"{theme / 'report.html'}:1: resource" in result.err
    assert ".staging" not in result.err
    assert not (tiny_project / "build/en").exists()


@pytest.mark.parametrize("value", ["0", "-3"])
def test_a_number_of_processes_below_one_is_bad_usage(value: str, tiny_project: Path,
                                                      run_cli) -> None:
    assert run_cli("-C", tiny_project, "build", "-j", value).code == 2


def test_jobs_in_the_settings_is_checked(tiny_project: Path, run_cli) -> None:
    toml = tiny_project / "diglot.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + 'jobs = "many"\n', encoding="utf-8")
    result = run_cli("-C", tiny_project, "build")
    assert result.code == 1 and f"{toml}:" in result.err and "jobs" in result.err


def test_a_short_build_stays_in_one_process(tiny_project: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    config = load(tiny_project, {}, FORMATS)
    data, *_ = pipeline.prepare(config)
    # A pool would cost more than it saves.
    assert pipeline._workers(config, data, ["pdf", "pdf"]) == 1
    monkeypatch.setattr(limits, "PARALLEL_ABOVE_SECONDS", 0.0)
    monkeypatch.setattr(pipeline.jobs, "available_cores", lambda: 4)
    assert pipeline._workers(config, data, ["pdf", "pdf"]) == 4


def _job(fmt: str, html: str, tmp_path: Path) -> jobs.WriteJob:
    document = RenderedDocument(html, "en", "en", "T", None, tmp_path / "report.html")
    return jobs.WriteJob(f"en-{len(html)}", fmt, document, tmp_path / f"{len(html)}.{fmt}",
                         tmp_path / f"out-{len(html)}.{fmt}", WriteContext())


def test_outputs_with_a_finish_step_finish_together(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    planned = [_job("pdf", "x" * 10, tmp_path), _job("docx", "x" * 20, tmp_path),
               _job("pdf", "x" * 30, tmp_path), _job("docx", "x" * 40, tmp_path)]
    order: list[str] = []
    finished: list[list[str]] = []

    def run_all(batch: list[jobs.WriteJob], workers: int, progress: object, skipped: int,
                task: object, pool: object) -> Iterator[tuple[jobs.WriteJob, list[BuildWarning]]]:
        for job in batch:
            order.append(job.locale)
            yield job, [BuildWarning("x", f"written {job.locale}")]

    def finish(batch: list[jobs.WriteJob]) -> list[list[BuildWarning]]:
        finished.append([job.locale for job in batch])
        return [[BuildWarning("x", f"finished {job.locale}")] for job in batch]

    monkeypatch.setattr(jobs, "run_all", run_all)
    monkeypatch.setattr(jobs, "finish", finish)
    done = dict((job.locale, [w.message for w in found])
                for job, found in jobs.write_all(planned, 2, lambda _m: None))
    # the longest PDF for one process, the DOCX files (the longest first) for the other,
    # then the other PDF
    assert order == ["en-30", "en-40", "en-20", "en-10"]
    assert finished == [["en-40", "en-20"]]  # one step for both, once both are written
    assert done["en-20"] == ["written en-20", "finished en-20"]
    assert done["en-30"] == ["written en-30"]


def test_the_schedule_gives_the_finish_step_one_process_beside_the_longest_outputs(
        tmp_path: Path) -> None:
    planned = [_job(name, "x" * size, tmp_path) for name, size in (
        ("pdf", 30), ("docx", 31), ("pdf", 45), ("docx", 46), ("pdf", 32), ("docx", 33),
        ("pdf", 29), ("docx", 28))]

    def order(workers: int) -> list[str]:
        return [f"{job.format} {job.locale}" for job in jobs.schedule(planned, workers)]

    docx = ["docx en-46", "docx en-33", "docx en-31", "docx en-28"]
    assert order(2) == ["pdf en-45", *docx, "pdf en-32", "pdf en-30", "pdf en-29"]
    assert order(3) == ["pdf en-45", "pdf en-32", *docx, "pdf en-30", "pdf en-29"]
    assert order(1) == [*docx, "pdf en-45", "pdf en-32", "pdf en-30", "pdf en-29"]
    only_pdf = [job for job in planned if job.format == "pdf"]
    assert [job.locale for job in jobs.schedule(only_pdf, 2)] == [
        "en-45", "en-32", "en-30", "en-29"]


def test_workers_start_ahead_only_when_everything_is_written(
        tiny_project: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[int] = []
    real = jobs.start_pool

    def counted(workers: int, *args: Any, **kwargs: Any) -> Any:
        started.append(workers)
        return real(workers, *args, **kwargs)

    monkeypatch.setattr(jobs, "start_pool", counted)
    args = ("-C", tiny_project, "build", "-f", "pdf", "-f", "html", "-j", "2")
    assert run_cli(*args).code == 0
    assert started == [2]  # the first build: before rendering
    assert run_cli(*args).code == 0
    assert started == [2]  # nothing changed: no process started
