"""Every catalog diglot writes is one GNU gettext reads, and Babel reads back unchanged."""

from __future__ import annotations

import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from diglot.i18n.catalogs import load_translator, read_catalog
from diglot.i18n.pofile import render_po, write_catalog

from ...conftest import REPO

PARAGRAPH = "第二段评论，提到 2019 年。"
LONG = PARAGRAPH * 12  # a paragraph far longer than one .po line
LONG_CHANGED = LONG.replace("第二段", "第三段", 1)

needs_msgfmt = pytest.mark.skipif(shutil.which("msgfmt") is None,
                                  reason="GNU gettext's msgfmt is not installed")


def msgfmt_check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)],
                          capture_output=True, text=True)


def every_catalog(folder: Path) -> list[Path]:
    return sorted([*folder.rglob("*.po"), *folder.rglob("*.pot")])


def read(path: Path) -> Catalog:
    """A .po as the build reads it; a .pot (no language) as it is."""
    locale = None if path.suffix == ".pot" else path.parent.parent.name
    return read_catalog(path, locale, path.stem)


def with_long_paragraph(project: Path) -> None:
    data = project / "data" / "people.yaml"
    text = data.read_text(encoding="utf-8")
    assert PARAGRAPH in text
    data.write_text(text.replace(PARAGRAPH, LONG, 1), encoding="utf-8")


@needs_msgfmt
def test_committed_catalogs_pass_msgfmt() -> None:
    paths = every_catalog(REPO / "locales") + every_catalog(REPO / "templates" / "locales")
    assert len(paths) >= 7
    for path in paths:
        checked = msgfmt_check(path)
        assert checked.returncode == 0, f"{path}: {checked.stderr}"


@needs_msgfmt
def test_update_of_a_long_paragraph_keeps_its_previous_text(tiny_project: Path,
                                                            run_cli) -> None:
    with_long_paragraph(tiny_project)
    po = tiny_project / "locales/en/LC_MESSAGES/content.po"
    assert run_cli("-C", tiny_project, "update").code == 0
    catalog = read(po)
    catalog.get(LONG).string = "A second comment, mentioning 2019. " * 12
    catalog.get(LONG).flags.discard("fuzzy")
    po.write_bytes(render_po(catalog))

    with_long_paragraph_changed = (tiny_project / "data/people.yaml").read_text(encoding="utf-8")
    (tiny_project / "data/people.yaml").write_text(
        with_long_paragraph_changed.replace(LONG, LONG_CHANGED), encoding="utf-8")
    for _ in range(2):  # a second update must not lose the previous text
        updated = run_cli("-C", tiny_project, "update")
        assert updated.code == 0, updated.err
        for path in every_catalog(tiny_project / "locales"):
            checked = msgfmt_check(path)
            assert checked.returncode == 0, f"{path.name}: {checked.stderr}"
        message = read(po).get(LONG_CHANGED)
        assert message is not None and message.fuzzy
        assert message.previous_id == [LONG]
        assert not any(c.lstrip().startswith("|") for c in message.user_comments)
    # The previous text is written as msgmerge writes it: one `#| msgid` line, unwrapped.
    lines = po.read_text(encoding="utf-8").splitlines()
    assert f'#| msgid "{LONG}"' in lines


def test_written_catalogs_read_back_unchanged(tiny_project: Path, run_cli) -> None:
    with_long_paragraph(tiny_project)
    assert run_cli("-C", tiny_project, "init", "de").code == 0
    assert run_cli("-C", tiny_project, "update").code == 0
    for path in every_catalog(tiny_project / "locales"):
        payload = path.read_bytes()
        assert render_po(read(path)) == payload, path


def catalog_with(*messages: tuple) -> Catalog:
    """A German catalog of (msgid, msgstr) or (msgid, msgstr, context) entries."""
    catalog = Catalog(locale="de", domain="messages", charset="utf-8", fuzzy=False)
    for msgid, string, *context in messages:
        catalog.add(msgid, string, context=context[0] if context else None)
    return catalog


@needs_msgfmt
def test_plural_context_obsolete_and_multiline_entries(tmp_path: Path) -> None:
    catalog = catalog_with(
        (("%(n)s paper", "%(n)s papers"), ("%(n)s Artikel", "%(n)s Artikel")),
        ("Page", "Seite", "footer"),
        ("Page", "Blatt"),
        ("Line one\nline two", "Zeile eins\nZeile zwei"),
    )
    message = catalog.get("Line one\nline two")
    message.flags.add("fuzzy")
    message.previous_id = ["First line\nsecond line"]
    plural = catalog.get("%(n)s paper")
    plural.flags.add("fuzzy")
    plural.previous_id = ["%(n)s article", "%(n)s articles"]
    catalog.obsolete["Gone"] = catalog_with(("Gone", "Weg")).get("Gone")
    path = tmp_path / "de" / "LC_MESSAGES" / "messages.po"
    assert write_catalog(catalog, path)
    checked = msgfmt_check(path)
    assert checked.returncode == 0, checked.stderr
    again = read(path)
    assert again.get("Line one\nline two").previous_id == ["First line\nsecond line"]
    assert again.get("%(n)s paper").previous_id == ["%(n)s article", "%(n)s articles"]
    assert again.get("Page", "footer").string == "Seite"
    assert "Gone" in again.obsolete
    assert render_po(again) == path.read_bytes()


def test_rewrite_keeps_the_file_mode_and_skips_generator_only_changes(tmp_path: Path) -> None:
    path = tmp_path / "messages.pot"
    catalog = catalog_with(("Education", ""))
    write_catalog(catalog, path)
    path.chmod(0o640)
    older = path.read_bytes().replace(b"Generated-By: Babel", b"Generated-By: Babel 0.0 was")
    path.write_bytes(older)
    assert not write_catalog(catalog, path)  # only the generator differs
    assert path.read_bytes() == older
    catalog.add("Career")
    assert write_catalog(catalog, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_pgettext_and_npgettext_honour_the_context(tmp_path: Path) -> None:
    catalog = catalog_with(
        ("May", "Mai"), ("May", "darf", "verb"),
        (("%(n)s result", "%(n)s results"), ("%(n)s Ergebnis", "%(n)s Ergebnisse")),
        (("%(n)s result", "%(n)s results"), ("%(n)s Treffer", "%(n)s Treffer"), "search"),
    )
    write_catalog(catalog, tmp_path / "de" / "LC_MESSAGES" / "messages.po")
    translator = load_translator([tmp_path], "de", "messages", "en", [])
    assert translator.gettext("May") == "Mai"
    assert translator.pgettext("verb", "May") == "darf"
    assert translator.ngettext("%(n)s result", "%(n)s results", 2) == "%(n)s Ergebnisse"
    assert translator.npgettext("search", "%(n)s result", "%(n)s results", 2) == "%(n)s Treffer"
    assert translator.pgettext("month", "May") == "May"  # no such context: the msgid
    assert [f.reason for f in translator.fallbacks] == ["untranslated"]


def test_extract_in_a_new_project_cites_no_machine_path(tmp_path: Path, run_cli) -> None:
    assert run_cli("-C", tmp_path, "new", "report").code == 0
    project = tmp_path / "report"
    with (project / "theme/report.html").open("a", encoding="utf-8") as fp:
        fp.write('{% block colophon %}{{ _("Reviewed") }}{% endblock %}\n')
    assert run_cli("-C", project, "extract").code == 0
    assert run_cli("-C", project, "init", "de").code == 0
    for path in (project / "locales/messages.pot", project / "locales/de/LC_MESSAGES/messages.po"):
        text = path.read_text(encoding="utf-8")
        refs = [line for line in text.splitlines() if line.startswith("#:")]
        assert refs, path
        for ref in refs:
            for item in ref[2:].split():
                assert not item.startswith("/") and ".." not in item, (path, item)
        # the project's own theme by its path, the built-in default by name
        assert "#: theme/report.html:" in text
        assert "diglot:default/macros.html:" in text
