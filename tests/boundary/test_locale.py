"""Locale strings, from the command line, the settings, a data file or `diglot init`, are
canonical identifiers only: none of them can choose a path outside the output or catalog
folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from . import assert_refused, assert_untouched, snapshot

HOSTILE = ["en@../../x", "en.x/../../y", "../x", "zh_CN.UTF-8", "en/../../z", "EN", "en-US",
           "zh_Hans_CN_x", "", " en"]


def outside(tmp_path: Path) -> list[str]:
    """Everything next to the project: must stay the project alone."""
    return sorted(p.name for p in tmp_path.iterdir())


@pytest.mark.parametrize("locale", HOSTILE)
def test_on_the_command_line_it_is_bad_usage(locale: str, tiny_project: Path, tmp_path: Path,
                                             run_cli) -> None:
    assert run_cli("-C", tiny_project, "build", "-f", "html").code == 0
    before = snapshot(tiny_project)
    for command in ("build", "check", "status"):
        result = run_cli("-C", tiny_project, command, "-l", locale)
        assert_refused(result, "-l", code=2)
    assert_refused(run_cli("-C", tiny_project, "init", locale), "", code=2)
    assert_untouched(tiny_project, before)
    assert sorted(p.name for p in (tiny_project / "locales").iterdir()) == ["en"]
    assert outside(tmp_path) == ["tiny"]


@pytest.mark.parametrize("locale", HOSTILE[:5])
def test_in_the_settings_it_is_a_located_error(locale: str, tiny_project: Path, tmp_path: Path,
                                               run_cli) -> None:
    toml = tiny_project / "diglot.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'locales = ["zh_CN", "en"]', f'locales = ["zh_CN", "{locale}"]'), encoding="utf-8")
    assert_refused(run_cli("-C", tiny_project, "build", "-f", "html"), str(toml))
    assert not (tiny_project / "build").exists()
    assert outside(tmp_path) == ["tiny"]


@pytest.mark.parametrize("locale", HOSTILE[:5])
def test_in_a_data_file_it_is_a_located_error(locale: str, tiny_project: Path, tmp_path: Path,
                                              run_cli) -> None:
    data = tiny_project / "data/people.yaml"
    text = data.read_text(encoding="utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "source_locale" in t)
    data.write_text(text.replace("source_locale: zh_CN", f'source_locale: "{locale}"'),
                    encoding="utf-8")
    for command in ("check", "build", "init de"):
        result = run_cli("-C", tiny_project, *command.split())
        assert_refused(result, f"{data}:{line}")
    assert not (tiny_project / "build").exists()
    assert outside(tmp_path) == ["tiny"]
