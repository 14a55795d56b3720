"""Catalogs at build time: compiled from the .po in memory, fallbacks shown, bad ones refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from diglot.errors import BuildWarning, CatalogError, ErrorGroup
from diglot.i18n.catalogs import compile_mo, load_translator, read_catalog

HEADER = """msgid ""
msgstr ""
"Language: {locale}\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Plural-Forms: {plurals}\\n"

"""
PLURALS = {"en": "nplurals=2; plural=(n != 1);", "zh_CN": "nplurals=1; plural=0;",
           "de": "nplurals=2; plural=(n != 1);"}


def write_po(root: Path, locale: str, domain: str, body: str) -> Path:
    path = root / locale / "LC_MESSAGES" / f"{domain}.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER.format(locale=locale, plurals=PLURALS[locale]) + body,
                    encoding="utf-8")
    return path


def load(root: Path, locale: str = "en", domain: str = "content", source: str = "zh_CN"):
    warnings: list[BuildWarning] = []
    return load_translator((root,), locale, domain, source, warnings), warnings


def test_source_locale_needs_no_catalog(tmp_path: Path) -> None:
    translator, warnings = load(tmp_path, locale="zh_CN")
    assert translator.lookup("你好") == "你好"
    assert not translator.fallbacks and not warnings


def test_missing_catalog_warns_once_and_falls_back(tmp_path: Path) -> None:
    translator, warnings = load(tmp_path)
    assert translator.lookup("你好") == "你好"
    assert translator.lookup("再见") == "再见"
    assert len(warnings) == 1 and "no content catalog for en" in str(warnings[0])
    assert [f.reason for f in translator.fallbacks] == ["no catalog", "no catalog"]


def test_translations_fuzzy_and_untranslated(tmp_path: Path) -> None:
    write_po(tmp_path, "en", "content", 'msgid "你好"\nmsgstr "Hello"\n\n'
             '#, fuzzy\nmsgid "再见"\nmsgstr "Bye"\n\nmsgid "谢谢"\nmsgstr ""\n')
    translator, warnings = load(tmp_path)
    assert translator.lookup("你好") == "Hello"
    assert translator.lookup("再见") == "再见"  # fuzzy is never used
    assert translator.lookup("谢谢") == "谢谢"
    assert {f.msgid: f.reason for f in translator.fallbacks} == {
        "再见": "fuzzy", "谢谢": "untranslated"}
    assert not warnings


def test_placeholder_mismatch_is_rejected_with_location(tmp_path: Path) -> None:
    po = write_po(tmp_path, "de", "messages",
                  'msgid "since %(date)s"\nmsgstr "seit %(datum)s"\n\n'
                  'msgid "Page {page}"\nmsgstr "Seite {seite}"\n\n'
                  'msgid "Born"\nmsgstr "Geboren"\n')
    translator, warnings = load(tmp_path, locale="de", domain="messages", source="en")
    assert translator.gettext("since %(date)s") == "since %(date)s"
    assert translator.gettext("Page {page}") == "Page {page}"
    assert translator.gettext("Born") == "Geboren"
    assert len(warnings) == 2
    assert str(warnings[0]).startswith(f"{po}:7:")
    assert {f.reason for f in translator.fallbacks} == {"rejected"}


def test_a_mo_file_is_never_read_the_po_is(tmp_path: Path) -> None:
    po = write_po(tmp_path, "en", "content", 'msgid "你好"\nmsgstr "Hello"\n')
    mo = po.with_suffix(".mo")
    assert load(tmp_path)[0].lookup("你好") == "Hello"
    assert not mo.exists()  # the build compiles in memory and leaves no cache behind
    other = po.with_name("other.po")
    other.write_text(po.read_text(encoding="utf-8").replace("Hello", "<hr>ab"), encoding="utf-8")
    mo.write_bytes(compile_mo(read_catalog(other, "en", "content")))
    os.utime(mo, ns=(po.stat().st_mtime_ns + 10**9,) * 2)  # newer than the .po
    assert load(tmp_path)[0].lookup("你好") == "Hello"
    for damaged in (b"", b"\xde\x12\x04\x95", b"not a catalog at all" * 3):
        mo.write_bytes(damaged)
        assert load(tmp_path)[0].lookup("你好") == "Hello"


def test_plural_forms_that_gettext_refuses_name_the_header_line(tmp_path: Path) -> None:
    po = write_po(tmp_path, "de", "messages", 'msgid "Born"\nmsgstr "Geboren"\n')
    text = po.read_text(encoding="utf-8")
    lines = text.splitlines()
    line = next(n for n, t in enumerate(lines, 1) if t.startswith('"Plural-Forms:'))
    po.write_text(text.replace(lines[line - 1],
                               '"Plural-Forms: nplurals=2; plural=__import__(\'os\');\\n"'),
                  encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load(tmp_path, locale="de", domain="messages", source="en")
    assert caught.value.location.file == po
    assert caught.value.location.line == line


def test_broken_po_names_file_and_line(tmp_path: Path) -> None:
    write_po(tmp_path, "en", "content", 'msgid "a"\nmsgstr "b"\nthis is not po syntax\n')
    with pytest.raises(CatalogError) as caught:
        load(tmp_path)
    po = tmp_path / "en/LC_MESSAGES/content.po"
    assert str(caught.value) == f"{po}:9: not a catalog line: 'this is not po syntax'"


def test_damage_babel_accepts_silently_is_reported(tmp_path: Path) -> None:
    # Babel drops the last character of an unterminated string and keeps the first of two
    # identical msgids without a word; both must be reported with their line.
    write_po(tmp_path, "en", "content",
             'msgid "a"\nmsgstr "b\n\nmsgid "c"\nmsgstr "d"\n\nmsgid "c"\nmsgstr "e"\n')
    with pytest.raises(ErrorGroup) as caught:
        load(tmp_path)
    po = tmp_path / "en/LC_MESSAGES/content.po"
    assert [str(e) for e in caught.value.errors] == [
        f"{po}:8: unterminated or malformed string: '\"b'",
        f"{po}:13: duplicate msgid 'c' (first at line 10)",
    ]


def test_wrong_number_of_plural_forms(tmp_path: Path) -> None:
    write_po(tmp_path, "zh_CN", "messages",
             'msgid "%(num)s paper"\nmsgid_plural "%(num)s papers"\n'
             'msgstr[0] "%(num)s篇"\nmsgstr[1] "%(num)s篇"\n')
    with pytest.raises(CatalogError) as caught:
        load(tmp_path, locale="zh_CN", domain="messages", source="en")
    po = tmp_path / "zh_CN/LC_MESSAGES/messages.po"
    assert str(caught.value).startswith(f"{po}:7: invalid catalog: msg has more translations")


@pytest.mark.parametrize(("source", "translation", "problem"), [
    ("他的**主页**见[这里](https://a.org)", "His **homepage** is [here](https://b.org)",
     "links ['https://b.org'] differ"),
    ("非常**扎实**", "very **solid", "unbalanced inline Markdown"),
    ("2019年有两篇，引用14.5k", "Two in 2019, many citations", "number(s) 14.5 of the source"),
    ("非常*扎实*", "very solid", "inline Markdown (bold, italic, code, links) differs"),
])
def test_content_checks(tmp_path: Path, source: str, translation: str, problem: str) -> None:
    write_po(tmp_path, "en", "content", f'msgid "{source}"\nmsgstr "{translation}"\n')
    translator, warnings = load(tmp_path)
    assert translator.lookup(source) == source
    assert len(warnings) == 1 and problem in str(warnings[0])


def test_content_checks_accept_a_faithful_translation(tmp_path: Path) -> None:
    write_po(tmp_path, "en", "content",
             'msgid "22年拿到**基金**，见[主页](https://a.org)"\n'
             'msgstr "Won a **grant** in 2022; see the [homepage](https://a.org)"\n')
    translator, warnings = load(tmp_path)
    assert translator.lookup("22年拿到**基金**，见[主页](https://a.org)").startswith("Won")
    assert warnings == []


def test_plurals_follow_the_catalog(tmp_path: Path) -> None:
    write_po(tmp_path, "zh_CN", "messages",
             'msgid "%(num)s paper"\nmsgid_plural "%(num)s papers"\nmsgstr[0] "%(num)s篇论文"\n')
    translator, _ = load(tmp_path, locale="zh_CN", domain="messages", source="en")
    assert translator.ngettext("%(num)s paper", "%(num)s papers", 1) == "%(num)s篇论文"
    assert translator.ngettext("%(num)s paper", "%(num)s papers", 6) == "%(num)s篇论文"
