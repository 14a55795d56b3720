"""Settings tables checked by one declarative schema: each problem at its key's line."""

from __future__ import annotations

from pathlib import Path

import pytest

from diglot.schema import Key, check

SCHEMA = (Key("data", "path"), Key("locales", "strings"), Key("strict", "bool"),
          Key("page", "table"))


@pytest.mark.parametrize(("text", "line", "problem"), [
    ('data = "d.yaml"\nlocales = 3\n', 2, "locales in t.toml must be a string or a list"),
    ('locales = ["en", 7]\n', 1, "locales in t.toml must be a string or a list"),
    ('data = "d.yaml"\n\ncolour = "red"\n', 3, "unknown setting 'colour' in t.toml"),
    ("strict = 1\n", 1, "strict in t.toml must be true or false"),
    ('page = "A4"\n', 1, "page in t.toml must be a table"),
    ("data = true\n", 1, "data in t.toml must be a path"),
])
def test_a_wrong_key_is_named_at_its_line(text: str, line: int, problem: str,
                                          tmp_path: Path) -> None:
    import tomllib

    source = tmp_path / "t.toml"
    source.write_text(text, encoding="utf-8")
    errors, good = check(tomllib.loads(text), SCHEMA, source, "t.toml")
    assert [(e.location.file, e.location.line) for e in errors] == [(source, line)]
    assert errors[0].message.startswith(problem)
    assert len(good) == len(tomllib.loads(text)) - 1  # the wrong key is left out, once told


def test_a_good_table_passes_whole(tmp_path: Path) -> None:
    table = {"data": "d.yaml", "locales": ["en", "zh_CN"], "strict": True, "page": {}}
    assert check(table, SCHEMA, tmp_path / "t.toml", "t.toml") == ([], table)


def test_settings_and_themes_use_it(tiny_project: Path, run_cli) -> None:
    toml = tiny_project / "diglot.toml"
    text = toml.read_text(encoding="utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if t.startswith("formats"))
    toml.write_text(text.replace('formats = ["pdf"]', "formats = 5"), encoding="utf-8")
    result = run_cli("-C", tiny_project, "check")
    assert result.code == 1 and f"{toml}:{line}:" in result.err and "formats" in result.err
    toml.write_text(text, encoding="utf-8")
    theme = tiny_project / "theme"
    theme.mkdir()
    (theme / "theme.toml").write_text('name = "t"\n[page]\ncover = "yes"\n', encoding="utf-8")
    result = run_cli("-C", tiny_project, "check", "--theme", theme)
    assert result.code == 1 and f"{theme / 'theme.toml'}:3:" in result.err
