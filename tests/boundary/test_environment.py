"""The environment around a build: variables, folders, pipes, reference documents and errors
nobody foresaw all end in one clear line and an exit status, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

from diglot import pipeline

from . import assert_refused, assert_untouched, snapshot

EPOCHS = {"too late": "99999999999999", "superscript digit": "²", "negative": "-1",
          "fraction": "1.5", "space": " 1", "words": "yesterday", "huge": "9" * 400}


@pytest.mark.parametrize("case", sorted(EPOCHS))
def test_a_bad_source_date_epoch_is_refused(case: str, tiny_project: Path, run_cli,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    assert run_cli("-C", tiny_project, "build", "-f", "html", "-f", "docx").code == 0
    before = snapshot(tiny_project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCHS[case])
    result = run_cli("-C", tiny_project, "build", "-f", "html", "-f", "docx")
    assert_refused(result, "SOURCE_DATE_EPOCH")
    assert_untouched(tiny_project, before)


@pytest.mark.parametrize("epoch", ["0", "315532800", "253402300799"])
def test_source_date_epoch_at_its_limits_builds(epoch: str, tiny_project: Path, run_cli,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    result = run_cli("-C", tiny_project, "build", "-l", "en", "-f", "docx", "-f", "pdf")
    assert result.code == 0, result.err
    with zipfile.ZipFile(tiny_project / "build/en/tiny-report.docx") as package:
        years = {info.date_time[0] for info in package.infolist()}
    assert years <= set(range(1980, 2108))


def test_a_missing_project_folder_is_bad_usage(tmp_path: Path, run_cli) -> None:
    result = run_cli("-C", tmp_path / "nowhere", "build")
    assert_refused(result, "nowhere", code=2)
    assert "pyproject.toml" not in result.err and "diglot.toml" not in result.err


def test_a_closed_pipe_is_not_an_error(tiny_project: Path) -> None:
    reader = subprocess.Popen([sys.executable, "-m", "diglot", "-C", str(tiny_project),
                               "status"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.close()  # like `| head -0`: nothing will be read
    err = reader.stderr.read().decode()
    assert reader.wait(timeout=120) == 0, err
    assert "Traceback" not in err and "Broken pipe" not in err


@pytest.mark.parametrize("command", ["status", "build -f html --force",
                                     "build --data nowhere.yaml"])
def test_the_program_hands_over_its_whole_output_and_its_status(
        command: str, tiny_project: Path, run_cli) -> None:
    # The program ends without tearing the interpreter down: what it left in a pipe's buffer
    # must still reach the reader, and its exit status stand, as when main() returns.
    args = ["-C", str(tiny_project), *command.split()]
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    done = subprocess.run([sys.executable, "-m", "diglot", *args], capture_output=True,
                          text=True, timeout=300, env=buffered)
    inside = run_cli(*args)
    assert done.returncode == inside.code
    assert done.stdout.splitlines()[-3:] == inside.out.splitlines()[-3:]
    assert len(done.stdout.splitlines()) == len(inside.out.splitlines())
    assert done.stderr.splitlines()[-1:] == inside.err.splitlines()[-1:]


@pytest.mark.parametrize("command", [
    "theme doc -o {file}/REFERENCE.md",
    "theme init {file}/theme",
    "new {file}/project",
])
def test_file_system_errors_name_the_path(command: str, tmp_path: Path, run_cli) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = run_cli("-C", tmp_path, *command.format(file="a-file").split())
    assert_refused(result, "a-file")
    assert blocker.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.parametrize("command", ["update", "compile", "init de"])
def test_catalog_commands_report_a_blocked_catalog_folder(command: str, tiny_project: Path,
                                                          run_cli) -> None:
    blocked = tiny_project / "locales/en/LC_MESSAGES"
    if command == "init de":
        blocked = tiny_project / "locales/de"
        blocked.write_text("in the way", encoding="utf-8")
    else:  # a folder where the .mo or the .po's temporary neighbour must go
        for name in ("content.mo",):
            (blocked / name).mkdir()
        if command == "update":
            po = blocked / "content.po"
            po.unlink()
            po.mkdir()
    result = run_cli("-C", tiny_project, *command.split())
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    assert "locales" in result.err


def test_an_unforeseen_error_is_one_line(tiny_project: Path, run_cli,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("something nobody expected")

    monkeypatch.setattr(pipeline, "build", broken)
    result = run_cli("-C", tiny_project, "build")
    assert result.code == 1
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("diglot: internal error:")
    assert "something nobody expected" in lines[0] and "--debug" in lines[0]
    debug = run_cli("--debug", "-C", tiny_project, "build")
    assert debug.code == 1 and "Traceback" in debug.err


def _bomb(path: Path, unpacked: int) -> Path:
    """A real Word package plus one part of `unpacked` zero bytes (a few hundred KiB packed)."""
    base = path.with_name("base.docx")
    docx.Document().save(base)
    with zipfile.ZipFile(base) as source, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        with target.open("word/media/large.bin", "w", force_zip64=True) as part:
            chunk = bytes(2**20)
            for _ in range(unpacked // 2**20):
                part.write(chunk)
    return path


REFERENCES = {
    "zip bomb": lambda tmp: _bomb(tmp / "bomb.docx", 200 * 2**20),
    "a folder": lambda tmp: (tmp / "folder.docx").mkdir() or tmp / "folder.docx",
    "a FIFO": lambda tmp: os.mkfifo(tmp / "fifo.docx") or tmp / "fifo.docx",
    "text": lambda tmp: (tmp / "text.docx").write_text("hello") and tmp / "text.docx",
}


@pytest.mark.parametrize("case", sorted(REFERENCES))
def test_a_bad_reference_document_is_refused(case: str, tiny_project: Path,
                                             tmp_path: Path) -> None:
    reference = REFERENCES[case](tmp_path)
    # In a subprocess with a time limit: a FIFO or a bomb must not hang the test run.
    result = subprocess.run([sys.executable, "-m", "diglot", "-C", str(tiny_project), "build",
                             "-l", "en", "-f", "docx", "--reference-docx", str(reference)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert reference.name in result.stderr
    assert not (tiny_project / "build/en").exists()
