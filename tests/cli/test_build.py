"""`diglot build` on a tiny project: outputs by meaning, exit codes, strictness, atomicity."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from ..conftest import pdf_text, squash


def outputs(project: Path) -> dict[str, bytes]:
    build = project / "build"
    return {str(p.relative_to(build)): p.read_bytes() for p in sorted(build.rglob("*"))
            if p.is_file()}


def test_tiny_project_builds_both_languages(tiny_project: Path, run_cli) -> None:
    result = run_cli("-C", tiny_project, "build", "-f", "pdf", "-f", "html")
    assert result.code == 0, result.err
    assert "Wrote 4 file(s)" in result.out
    assert "en content: 1 string(s) shown in the source language (1 fuzzy)" in result.out
    zh = squash(pdf_text(tiny_project / "build/zh_CN/tiny-report.pdf"))
    en = squash(pdf_text(tiny_project / "build/en/tiny-report.pdf"))
    assert squash("她的工作非常扎实，详见主页。") in zh
    assert squash("Her work is very solid; see her homepage.") in en
    assert "他是一位工程师。" in en  # fuzzy: the source text is shown, never the fuzzy guess
    assert "Heisanengineer" not in en
    for text in ("Ada Lin", "林雅", "Bo Chen"):
        assert squash(text) in zh and squash(text) in en
    assert squash("Sep 2012 – Jun 2017") in en and squash("2012年9月 – 2017年6月") in zh
    assert "14.5Kcitations" in en and "1.45万次引用" in zh
    pages = {name: len(PdfReader(tiny_project / f"build/{name}/tiny-report.pdf").pages)
             for name in ("en", "zh_CN")}
    assert f"Page2of{pages['en']}" in en and f"第2页，共{pages['zh_CN']}页" in zh


def test_links_are_clickable(tiny_project: Path, run_cli) -> None:
    assert run_cli("-C", tiny_project, "build", "-l", "en").code == 0
    reader = PdfReader(tiny_project / "build/en/tiny-report.pdf")
    uris, internal = set(), 0
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action and "/URI" in action:
                uris.add(action["/URI"])
            elif annot.get_object().get("/Dest") is not None or (action and "/D" in action):
                internal += 1
    assert uris == {"https://example.org/ada"}
    assert internal >= 4  # the table of contents: preface, two people, conclusion


def test_strict_fails_and_writes_nothing(tiny_project: Path, run_cli) -> None:
    assert run_cli("-C", tiny_project, "build").code == 0
    before = outputs(tiny_project)
    result = run_cli("-C", tiny_project, "build", "--strict")
    assert result.code == 1
    assert "--strict" in result.err and "1 content string(s) not translated for en" in result.err
    assert outputs(tiny_project) == before
    assert not list((tiny_project / "build").glob(".staging-*"))


def test_bad_data_is_located_and_exits_1(tiny_project: Path, run_cli) -> None:
    data = tiny_project / "data/people.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("start: 2012-09", "start: 2012-13")
                    .replace("year: 1990", "year: nineteen"), encoding="utf-8")
    result = run_cli("-C", tiny_project, "build")
    assert result.code == 1
    assert "Traceback" not in result.err
    assert f"{data}:21:18: expected a whole number, got 'nineteen' (at people[ada-lin].born.year)" \
        in result.err
    assert f"{data}:31:16: invalid month in '2012-13' (at people[ada-lin].education[0].start)" \
        in result.err
    assert not (tiny_project / "build").exists()


def test_debug_shows_the_traceback(tiny_project: Path, run_cli) -> None:
    (tiny_project / "data/people.yaml").write_text("report: [", encoding="utf-8")
    result = run_cli("-C", tiny_project, "--debug", "build")
    assert result.code == 1 and "Traceback" in result.err


@pytest.mark.parametrize("args", [("build", "-f", "odt"), ("frobnicate",), ("build", "--nope")])
def test_bad_usage_exits_2(tiny_project: Path, run_cli, args: tuple[str, ...]) -> None:
    assert run_cli("-C", tiny_project, *args).code == 2


def test_unknown_setting_is_reported(tiny_project: Path, run_cli) -> None:
    config = tiny_project / "diglot.toml"
    config.write_text(config.read_text(encoding="utf-8") + 'colour = "blue"\n', encoding="utf-8")
    result = run_cli("-C", tiny_project, "build")
    assert result.code == 1 and "unknown setting 'colour'" in result.err


def test_malformed_source_date_epoch(tiny_project: Path, run_cli,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = run_cli("-C", tiny_project, "build")
    assert result.code == 1 and "SOURCE_DATE_EPOCH" in result.err


def test_same_epoch_same_bytes(tiny_project: Path, tmp_path: Path, run_cli,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    for out in ("one", "two"):
        assert run_cli("-C", tiny_project, "build", "-l", "en", "-o", tmp_path / out).code == 0
    one = (tmp_path / "one/en/tiny-report.pdf").read_bytes()
    assert one == (tmp_path / "two/en/tiny-report.pdf").read_bytes()


@pytest.mark.parametrize("reference", [
    '<link rel="stylesheet" href="file:///etc/passwd">',
    '<link rel="stylesheet" href="../../../../../../etc/hostname">',
    '<style>@import url("http://example.invalid/x.css");</style>',
    '<img src="missing.png">',
])
def test_references_outside_the_project_fail_the_build(
        tiny_project: Path, run_cli, reference: str) -> None:
    assert run_cli("-C", tiny_project, "build", "-l", "en").code == 0
    before = outputs(tiny_project)
    theme = tiny_project / "theme"
    theme.mkdir()
    (theme / "report.html").write_text(
        '{% extends "default/report.html" %}{% block head %}' + reference + "{% endblock %}",
        encoding="utf-8")
    result = run_cli("-C", tiny_project, "build", "-l", "en", "--theme", theme)
    assert result.code == 1
    assert "refused" in result.err
    assert outputs(tiny_project) == before


def test_a_large_report_is_announced_before_the_work(tiny_project: Path, run_cli,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from diglot import limits

    monkeypatch.setattr(limits, "WARN_PEOPLE", 1)  # the tiny report's two people are "many"
    result = run_cli("-C", tiny_project, "build", "-l", "en", "-f", "html")
    assert result.code == 0, result.err
    lines = result.err.splitlines()
    first_output = next(n for n, line in enumerate(lines) if line.startswith("[1/"))
    assert any("a large report (2 people" in line for line in lines[:first_output])


def _settings(project: Path, **flags: object):
    from diglot.config import load
    from diglot.writers import FORMATS

    return load(project, flags, FORMATS)


def test_the_fork_server_starts_early_only_for_builds_likely_to_use_it(
        tiny_project: Path, monkeypatch: pytest.MonkeyPatch, run_cli) -> None:
    from diglot import jobs
    from diglot.cli.build import _likely_in_processes

    monkeypatch.setattr(jobs, "available_cores", lambda: 2)
    two_pdfs = _settings(tiny_project, formats=["pdf", "html"])  # zh_CN and en
    assert _likely_in_processes(two_pdfs, force=False)  # nothing built yet
    assert not _likely_in_processes(_settings(tiny_project, formats=["pdf"], jobs=1), True)
    assert not _likely_in_processes(_settings(tiny_project, formats=["pdf"], locales=["en"]),
                                    True)
    assert not _likely_in_processes(_settings(tiny_project, formats=["html"]), True)
    assert _likely_in_processes(_settings(tiny_project, formats=["pdf", "docx"],
                                          locales=["en"]), True)
    assert run_cli("-C", tiny_project, "build", "-f", "html").code == 0
    assert not _likely_in_processes(two_pdfs, force=False)  # only what changed is written
    assert _likely_in_processes(two_pdfs, force=True)
    monkeypatch.setattr(jobs, "available_cores", lambda: 1)
    assert not _likely_in_processes(two_pdfs, True)
