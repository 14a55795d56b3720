"""The build cache: a build writes only the outputs whose inputs changed since the last one."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from diglot import cache
from diglot.cache import RECORD

EPOCH = "1700000000"


@pytest.fixture(autouse=True)
def _fixed_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def outputs(project: Path) -> dict[str, tuple[int, int, str]]:
    """Every output by its path in the build folder: inode, mtime and SHA-256. Publishing
    moves a new file into place, so a rewritten output has a new inode."""
    found = {}
    for path in sorted((project / "build").rglob("*")):
        if path.is_file() and path.name != RECORD and ".staging-" not in str(path):
            info = path.stat()
            found[path.relative_to(project / "build").as_posix()] = (
                info.st_ino, info.st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest())
    return found


def rewritten(before: dict[str, tuple[int, int, str]], after: dict[str, tuple[int, int, str]]
              ) -> set[str]:
    return {name for name, state in after.items() if before.get(name) != state}


def said_unchanged(err: str) -> set[str]:
    return {f"{m[1]}/tiny-report.{m[2]}" for m in
            re.finditer(r"^\[\d+/\d+\] (\S+) (\w+): unchanged \(", err, re.MULTILINE)}


def build(run_cli, project: Path, *args: str):
    result = run_cli("-C", project, "build", "-f", "pdf", "-f", "html", *args)
    assert result.code == 0, result.err
    return result


ALL = {f"{locale}/tiny-report.{ext}" for locale in ("zh_CN", "en") for ext in ("pdf", "html")}


def test_a_second_build_with_nothing_changed_writes_nothing(tiny_project: Path,
                                                             run_cli) -> None:
    build(run_cli, tiny_project)
    before = outputs(tiny_project)
    assert set(before) == ALL
    again = build(run_cli, tiny_project)
    assert "Nothing changed since the last build: 4 file(s) up to date" in again.out
    assert outputs(tiny_project) == before


def test_inputs_that_change_no_output_skip_every_job(tiny_project: Path, run_cli) -> None:
    build(run_cli, tiny_project)
    before = outputs(tiny_project)
    settings = tiny_project / "diglot.toml"
    settings.write_text(settings.read_text(encoding="utf-8") + "# a comment\n",
                        encoding="utf-8")
    again = build(run_cli, tiny_project)
    assert said_unchanged(again.err) == ALL
    assert "Wrote 0 file(s)" in again.out and "(4 unchanged)" in again.out
    assert outputs(tiny_project) == before
    assert "Nothing changed" in build(run_cli, tiny_project).out  # the record was updated


def test_a_reworded_english_translation_rebuilds_the_english_outputs_only(
        tiny_project: Path, run_cli) -> None:
    build(run_cli, tiny_project)
    before = outputs(tiny_project)
    catalog = tiny_project / "locales/en/LC_MESSAGES/content.po"
    text = catalog.read_text(encoding="utf-8")
    assert 'msgstr "Thank you for reading."' in text
    catalog.write_text(text.replace('msgstr "Thank you for reading."',
                                    'msgstr "Thanks for reading."'), encoding="utf-8")
    again = build(run_cli, tiny_project)
    after = outputs(tiny_project)
    assert rewritten(before, after) == {"en/tiny-report.pdf", "en/tiny-report.html"}
    assert {name for name in after if after[name][2] != before[name][2]} == {
        "en/tiny-report.pdf", "en/tiny-report.html"}
    assert said_unchanged(again.err) == {"zh_CN/tiny-report.pdf", "zh_CN/tiny-report.html"}


def test_a_changed_theme_stylesheet_rebuilds_every_pdf(tiny_project: Path, run_cli) -> None:
    assert run_cli("theme", "init", tiny_project / "theme").code == 0
    settings = tiny_project / "diglot.toml"
    settings.write_text(settings.read_text(encoding="utf-8") + 'theme = "./theme"\n',
                        encoding="utf-8")
    build(run_cli, tiny_project)
    before = outputs(tiny_project)
    css = tiny_project / "theme/custom.css"
    css.write_text(css.read_text(encoding="utf-8") + "\nh1 { letter-spacing: 0.1em; }\n",
                   encoding="utf-8")
    build(run_cli, tiny_project)
    after = outputs(tiny_project)
    pdfs = {"zh_CN/tiny-report.pdf", "en/tiny-report.pdf"}
    assert pdfs <= rewritten(before, after)
    assert all(after[name][2] != before[name][2] for name in pdfs)


def test_force_rebuilds_everything(tiny_project: Path, run_cli) -> None:
    build(run_cli, tiny_project)
    before = outputs(tiny_project)
    again = build(run_cli, tiny_project, "--force")
    after = outputs(tiny_project)
    assert rewritten(before, after) == ALL
    assert {name: state[2] for name, state in after.items()} == {
        name: state[2] for name, state in before.items()}  # the same bytes, written again
    assert not said_unchanged(again.err)
    assert "Nothing changed" in build(run_cli, tiny_project).out  # --force wrote the record


def test_a_deleted_or_edited_output_is_rebuilt(tiny_project: Path, run_cli) -> None:
    build(run_cli, tiny_project)
    before = outputs(tiny_project)
    (tiny_project / "build/en/tiny-report.pdf").unlink()
    with (tiny_project / "build/zh_CN/tiny-report.html").open("a", encoding="utf-8") as html:
        html.write("<!-- edited by hand -->")
    again = build(run_cli, tiny_project)
    after = outputs(tiny_project)
    assert rewritten(before, after) == {"en/tiny-report.pdf", "zh_CN/tiny-report.html"}
    assert {name: state[2] for name, state in after.items()} == {
        name: state[2] for name, state in before.items()}
    assert said_unchanged(again.err) == {"zh_CN/tiny-report.pdf", "en/tiny-report.html"}


@pytest.mark.parametrize("record", [b"{not json", b"[]", b'{"format": 1, "build": 3}',
                                    b"\xff\xfe", b""])
def test_a_damaged_record_is_ignored_and_rewritten(record: bytes, tiny_project: Path,
                                                   run_cli) -> None:
    build(run_cli, tiny_project, "-f", "html", "-l", "en")
    (tiny_project / "build" / RECORD).write_bytes(record)
    again = build(run_cli, tiny_project)
    assert not said_unchanged(again.err)
    assert "Wrote 4 file(s)" in again.out
    assert json.loads((tiny_project / "build" / RECORD).read_bytes())["format"] == 1
    assert "Nothing changed" in build(run_cli, tiny_project).out


def test_the_warnings_of_skipped_outputs_are_reported_again(tiny_project: Path,
                                                            run_cli) -> None:
    catalog = tiny_project / "locales/en/LC_MESSAGES/content.po"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace("her [homepage](https://example.org/ada)", "her homepage"),
                       encoding="utf-8")  # a translation that drops a link is not used
    first = build(run_cli, tiny_project)
    warnings = [line for line in first.err.splitlines() if "warning:" in line]
    assert warnings
    settings = tiny_project / "diglot.toml"
    settings.write_text(settings.read_text(encoding="utf-8") + "# a comment\n",
                        encoding="utf-8")
    skipped = build(run_cli, tiny_project)
    assert said_unchanged(skipped.err) == ALL
    assert [line for line in skipped.err.splitlines() if "warning:" in line] == warnings
    noop = build(run_cli, tiny_project)
    assert "Nothing changed" in noop.out
    assert [line for line in noop.err.splitlines() if "warning:" in line] == warnings
    assert f"{len(warnings)} warning(s)." in noop.out


def test_a_build_of_fewer_locales_keeps_the_others_cached(tiny_project: Path,
                                                          run_cli) -> None:
    build(run_cli, tiny_project)
    before = outputs(tiny_project)
    build(run_cli, tiny_project, "-l", "en", "--force")
    again = build(run_cli, tiny_project)
    # The colophon lists every edition of the build: English alone changed it, and back.
    assert said_unchanged(again.err) == {"zh_CN/tiny-report.pdf", "zh_CN/tiny-report.html"}
    after = outputs(tiny_project)
    assert rewritten(before, after) == {"en/tiny-report.pdf", "en/tiny-report.html"}
    assert {name: state[2] for name, state in after.items()} == {
        name: state[2] for name, state in before.items()}


def test_the_pool_writes_only_what_changed(tiny_project: Path, run_cli) -> None:
    assert "writing 4 outputs in 2 processes" in build(run_cli, tiny_project, "-j", "2").err
    settings = tiny_project / "diglot.toml"
    settings.write_text(settings.read_text(encoding="utf-8") + "# a comment\n",
                        encoding="utf-8")
    again = build(run_cli, tiny_project, "-j", "2")
    assert said_unchanged(again.err) == ALL and "processes" not in again.err
    catalog = tiny_project / "locales/en/LC_MESSAGES/content.po"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace(
        'msgstr "Thank you for reading."', 'msgstr "Thanks for reading."'), encoding="utf-8")
    third = build(run_cli, tiny_project, "-j", "2")
    assert "writing 2 outputs in 2 processes" in third.err
    assert said_unchanged(third.err) == {"zh_CN/tiny-report.pdf", "zh_CN/tiny-report.html"}


def _loaded(argv: list[str], modules: tuple[str, ...]) -> tuple[str, str]:
    """What `diglot argv` prints in a fresh process, and its last line: the exit code and
    which of `modules` it loaded."""
    probe = (f"import sys; from diglot.cli import main; code = main({argv!r}); "
             f"print(code, sorted(m for m in {modules!r} if m in sys.modules))")
    ran = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True)
    return ran.stdout, ran.stdout.splitlines()[-1]


def test_a_build_with_nothing_changed_loads_no_renderer_nor_writer(tiny_project: Path,
                                                                   run_cli) -> None:
    build(run_cli, tiny_project)
    out, last = _loaded(["-C", str(tiny_project), "build", "-f", "pdf", "-f", "html"],
                        ("weasyprint", "docx", "jinja2", "diglot.render", "diglot.data", "lxml",
                         "importlib.metadata"))
    assert "Nothing changed" in out
    assert last == "0 []"


def test_help_loads_neither_the_settings_nor_a_library() -> None:
    out, last = _loaded(["--help"], ("diglot.config", "babel", "lxml", "importlib.metadata",
                                     "jinja2"))
    assert "build the report" in out
    assert last == "0 []"


def test_the_keys_hold_the_installed_versions_of_the_writing_libraries() -> None:
    from importlib.metadata import version

    assert cache._versions(cache.LIBRARIES) == {name: version(name) for name in cache.LIBRARIES}
    assert cache._versions(("no-such-distribution-here",)) == {"no-such-distribution-here": "-"}
