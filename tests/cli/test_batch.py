"""`diglot batch`: many reports with one project's settings, locally or on a Dask cluster."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path

import pytest
from bench import gendata

from diglot.cache import RECORD

# Two generated reports of one or two people, and one whose YAML is broken on line 3.
BROKEN = "report:\n  id: broken\n  title: a: b\n  author: x\n"


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != RECORD}


def reports(project: Path, count: int = 2) -> list[Path]:
    files = []
    for number in range(count):
        data = gendata.generate(1 + number % 2, seed=number)
        data["report"]["id"] = f"team-{number}"
        path = project / "batch" / f"team-{number}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(gendata.dump(data), encoding="utf-8")
        files.append(path)
    return files


def broken(project: Path) -> Path:
    path = project / "batch" / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    return path


def test_keep_going_publishes_the_good_reports_and_locates_the_broken_one(
        tiny_project: Path, run_cli) -> None:
    good = reports(tiny_project)
    bad = broken(tiny_project)
    out = tiny_project / "out"
    result = run_cli("-C", tiny_project, "batch", *good, bad, "-o", out, "-f", "pdf",
                     "-f", "docx", "-j", "1", "--keep-going")
    assert result.code == 1
    assert set(digests(out)) == {f"{locale}/team-{n}.{ext}" for locale in ("zh_CN", "en")
                                 for n in (0, 1) for ext in ("pdf", "docx")}
    assert f"{bad}:3:" in result.err  # FILE:LINE:COL, as diglot locates every error
    assert "2 built, 0 unchanged, 1 failed" in result.out
    assert not list(out.glob(".staging-*"))


def test_without_keep_going_nothing_is_published(tiny_project: Path, run_cli) -> None:
    good = reports(tiny_project)
    bad = broken(tiny_project)
    out = tiny_project / "out"
    result = run_cli("-C", tiny_project, "batch", good[0], bad, good[1], "-o", out,
                     "-f", "pdf", "-j", "1")
    assert result.code == 1
    assert f"{bad}:3:" in result.err
    assert digests(out) == {}
    assert not list(out.glob(".staging-*"))


def test_a_report_that_fails_while_writing_publishes_nothing_without_keep_going(
        tiny_project: Path, run_cli) -> None:
    theme = tiny_project / "theme"
    theme.mkdir()
    (theme / "report.html").write_text(
        '{% extends "default/report.html" %}{% block commentary %}'
        '<img src="missing.png" alt="">{% endblock %}', encoding="utf-8")
    toml = tiny_project / "diglot.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + 'theme = "./theme"\n', encoding="utf-8")
    out = tiny_project / "out"
    result = run_cli("-C", tiny_project, "batch", *reports(tiny_project), "-o", out, "-j", "1")
    assert result.code == 1 and f"{theme / 'report.html'}:1:" in result.err
    assert ".staging" not in result.err and digests(out) == {}


def test_duplicate_report_ids_are_refused_naming_both_files(tiny_project: Path,
                                                            run_cli) -> None:
    first, second = reports(tiny_project)
    text = second.read_text(encoding="utf-8").replace("id: team-1", "id: team-0", 1)
    second.write_text(text, encoding="utf-8")
    out = tiny_project / "out"
    result = run_cli("-C", tiny_project, "batch", first, second, "-o", out, "-f", "html")
    assert result.code == 1
    assert "team-0" in result.err and "unique" in result.err
    assert f"{second}:" in result.err and str(first) in result.err
    assert digests(out) == {}


def test_a_second_run_with_nothing_changed_skips_everything(tiny_project: Path,
                                                            run_cli) -> None:
    files = reports(tiny_project)
    out = tiny_project / "out"
    first = run_cli("-C", tiny_project, "batch", *files, "-o", out, "-f", "pdf", "-f", "html",
                    "-j", "1")
    assert first.code == 0, first.err
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.*") if p.name != RECORD}
    second = run_cli("-C", tiny_project, "batch", *files, "-o", out, "-f", "pdf",
                     "-f", "html", "-j", "1")
    assert second.code == 0, second.err
    assert "0 built, 2 unchanged, 0 failed; 0 file(s) written, 8 unchanged" in second.out
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.*") if p.name != RECORD} == before
    # One report changed: only its outputs are written again.
    files[1].write_text(files[1].read_text(encoding="utf-8").replace(
        "diglot bench", "someone else"), encoding="utf-8")
    third = run_cli("-C", tiny_project, "batch", *files, "-o", out, "-f", "pdf", "-f", "html",
                    "-j", "1")
    assert "1 built, 1 unchanged" in third.out and "4 file(s) written" in third.out


def test_a_batch_into_the_build_folder_is_seen_by_the_next_build(tiny_project: Path,
                                                                 run_cli) -> None:
    """A batch that replaces an output of `diglot build` makes the next build look again."""
    assert run_cli("-C", tiny_project, "build", "-f", "html").code == 0
    target = tiny_project / "build/en/tiny-report.html"
    built = target.read_bytes()
    (data,) = reports(tiny_project, 1)
    data.write_text(data.read_text(encoding="utf-8").replace("id: team-0", "id: tiny-report",
                                                             1), encoding="utf-8")
    assert run_cli("-C", tiny_project, "batch", data, "-f", "html").code == 0
    assert target.read_bytes() != built
    again = run_cli("-C", tiny_project, "build", "-f", "html")
    assert again.code == 0 and "Nothing changed" not in again.out
    assert target.read_bytes() == built


def test_without_dask_the_error_says_how_to_install_it(tiny_project: Path, run_cli,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    result = run_cli("-C", tiny_project, "batch", *reports(tiny_project, 1),
                     "--executor", "dask")
    assert result.code == 2 and "pip install 'diglot[dask]'" in result.err


def test_a_scheduler_with_the_local_executor_is_bad_usage(tiny_project: Path, run_cli) -> None:
    result = run_cli("-C", tiny_project, "batch", *reports(tiny_project, 1),
                     "--executor", "local", "--scheduler", "tcp://127.0.0.1:1")
    assert result.code == 2


def test_a_theme_missing_on_the_worker_travels_with_the_job(tiny_project: Path,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    """A worker with no copy of the theme folders at the client's paths writes the same bytes
    from the files sent with the job."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    from diglot import batch, executors
    from diglot.config import load
    from diglot.writers import FORMATS

    (data,) = reports(tiny_project, 1)
    config = load(tiny_project, {"data": data, "formats": ["pdf", "docx"]}, FORMATS)
    result = batch.build(config, [data])
    assert not result.failed
    planned = [job for job in result.reports[0].jobs]
    bundles = executors._bundles(planned)
    for job in planned:
        outcome = executors.write_remote(job, bundles, copy=True)
        assert outcome.error is None
        assert outcome.data == job.target.read_bytes(), job.target


needs_dask = pytest.mark.skipif(importlib.util.find_spec("distributed") is None,
                                reason="dask[distributed] is not installed (pip install "
                                "'diglot[dask]')")


@needs_dask
def test_a_dask_cluster_writes_what_the_local_pool_writes(tiny_project: Path, run_cli,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    import logging

    import distributed

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    files = [*reports(tiny_project), broken(tiny_project)]
    local = run_cli("-C", tiny_project, "batch", *files, "-o", tiny_project / "local",
                    "-f", "pdf", "-f", "docx", "-j", "2", "--keep-going")
    assert local.code == 1
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, silence_logs=logging.CRITICAL
                                  ) as cluster:
        remote = run_cli("-C", tiny_project, "batch", *files, "-o", tiny_project / "dask",
                         "-f", "pdf", "-f", "docx", "--scheduler", cluster.scheduler_address,
                         "--keep-going")
    assert remote.code == 1
    assert f"{files[-1]}:3:" in remote.err
    expected = digests(tiny_project / "local")
    assert len(expected) == 8
    assert digests(tiny_project / "dask") == expected


def test_workers_with_other_versions_are_refused_by_name() -> None:
    from diglot import executors
    from diglot.errors import DiglotError

    ours = executors.worker_software()
    executors._same_software({"tcp://a:1": dict(ours)})  # the same: accepted
    other = {**ours, "weasyprint": "0.1"}
    with pytest.raises(DiglotError) as caught:
        executors._same_software({"tcp://a:1": dict(ours), "tcp://b:2": other})
    assert "tcp://b:2" in str(caught.value) and "weasyprint 0.1" in str(caught.value)
    assert "tcp://a:1" not in str(caught.value)
