"""Extraction: every free-text field becomes a message; committed templates and catalogs agree."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract as babel_extract
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from ruamel.yaml import YAML

from diglot import data
from diglot.i18n import extract
from diglot.i18n.pofile import comparable, render_po
from diglot.themes import ThemeChain

from ...conftest import REPO

SORA = REPO / "data" / "sora-authors.yaml"

# PRODUCT.md's data format: the fields that are free text (everything not marked fixed).
FREE_TEXT = {
    "report": ("title", "subtitle"), "report[]": ("preface",),
    "conclusion": ("intro", "closing"), "conclusion[]": ("points",),
    "person": ("headline",), "person[]": ("honors", "commentary"),
    "links": ("label",), "education": ("institution", "field", "note"),
    "experience": ("organization", "role", "note"), "works": ("note",),
    "source": ("title", "author", "note"), "corrections": ("note",),
}


def free_text_values(raw: dict[str, Any]) -> list[str]:
    """The free-text values of a data file, read independently of diglot's loader."""
    out: list[str] = []

    def take(record: dict[str, Any], kind: str) -> None:
        out.extend(str(record[k]).strip() for k in FREE_TEXT.get(kind, ()) if k in record)
        for key in FREE_TEXT.get(kind + "[]", ()):
            out.extend(str(v).strip() for v in record.get(key, []))

    take(raw["report"], "report")
    if "source" in raw["report"]:
        take(raw["report"]["source"], "source")
    if "conclusion" in raw["report"]:
        take(raw["report"]["conclusion"], "conclusion")
    for item in raw["report"].get("corrections", []):
        take(item, "corrections")
    for person in raw["people"]:
        take(person, "person")
        for kind in ("links", "education", "experience", "works", "corrections"):
            for item in person.get(kind, []):
                take(item, kind)
    return out


def test_extractor_finds_every_free_text_field() -> None:
    raw = YAML(typ="safe", pure=True).load(SORA.read_text(encoding="utf-8"))
    expected = free_text_values(raw)
    with SORA.open("rb") as fp:
        found = list(babel_extract("diglot_data", fp))  # resolved through the entry point
    assert sorted(message for _, message, _, _ in found) == sorted(expected)
    assert len(expected) > 100
    lines = [line for line, _, _, _ in found]
    assert lines == sorted(lines)  # file order, as translators read it
    # fixed fields are not messages
    messages = {m for _, m, _, _ in found}
    assert "Alyosha Efros" not in messages and "InstructPix2Pix" not in messages
    assert "Tim Brooks" not in messages


def test_each_message_carries_its_data_path_and_line() -> None:
    with SORA.open("rb") as fp:
        found = list(babel_extract("diglot_data", fp))
    first_line, first, comments, _ = found[0]
    assert first == "Sora的作者们" and comments == ["data: report.title"]
    title_line = SORA.read_text(encoding="utf-8").splitlines().index("  title: Sora的作者们")
    assert first_line == title_line + 1
    assert any(c == ["data: people[tim-brooks].commentary[2]"] for _, _, c, _ in found)


def test_committed_templates_are_up_to_date() -> None:
    themes = ThemeChain.build().themes
    fresh = {
        "locales/messages.pot": extract.messages_catalog(themes, REPO),
        "locales/content.pot": extract.content_catalog(data.load(SORA), "data/sora-authors.yaml"),
        # The default theme's own template, beside its catalogs.
        "templates/locales/messages.pot": extract.messages_catalog(themes, REPO),
    }
    for name, catalog in fresh.items():
        committed = (REPO / name).read_bytes()
        assert comparable(render_po(catalog)) == comparable(committed), \
            f"{name} is stale: run `diglot extract`"


def test_extract_twice_does_not_rewrite(tiny_project: Path, run_cli) -> None:
    assert run_cli("-C", tiny_project, "extract").code == 0
    pot = tiny_project / "locales" / "content.pot"
    before = pot.read_bytes()
    second = run_cli("-C", tiny_project, "extract")
    assert "unchanged" in second.out
    assert pot.read_bytes() == before


def _catalog(path: Path):
    with path.open("rb") as fp:
        return read_po(fp)


def test_shipped_catalogs_are_complete() -> None:
    folders = [(REPO / "locales", locale, "content") for locale in ("en", "zh_TW")]
    folders += [(REPO / "templates" / "locales", locale, "messages")
                for locale in ("zh_CN", "zh_TW")]
    for folder, locale, domain in folders:
        template = _catalog(folder / f"{domain}.pot")
        catalog = _catalog(folder / locale / "LC_MESSAGES" / f"{domain}.po")
        for message in template:
            if not message.id:
                continue
            translated = catalog.get(message.id)
            assert translated is not None, f"{locale}/{domain}: missing {message.id!r}"
            assert not translated.fuzzy, f"{locale}/{domain}: fuzzy {message.id!r}"
            strings = translated.string if isinstance(translated.string, tuple) \
                else (translated.string,)
            assert all(strings), f"{locale}/{domain}: untranslated {message.id!r}"


def test_po_round_trip_keeps_comments() -> None:
    text = (REPO / "locales" / "en" / "LC_MESSAGES" / "content.po").read_text(encoding="utf-8")
    catalog = read_po(io.StringIO(text))
    message = catalog.get("Sora的作者们")
    assert message is not None and message.string == "The Authors of Sora"
    assert "data: report.title" in message.auto_comments


def test_plain_pybabel_reproduces_the_templates(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    commands = {
        "messages": ["-c", "TRANSLATORS:", "--strip-comment-tags", "templates"],
        "content": ["data"],
    }
    for domain, args in commands.items():
        out = tmp_path / f"{domain}.pot"
        CommandLineInterface().run(["pybabel", "-q", "extract", "-F", "babel.cfg",
                                    "-o", str(out), *args])
        ours, theirs = _catalog(REPO / "locales" / f"{domain}.pot"), _catalog(out)
        assert [(m.id, m.locations, m.auto_comments) for m in ours if m.id] == \
            [(m.id, m.locations, m.auto_comments) for m in theirs if m.id]
