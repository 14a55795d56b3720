"""The default report end to end: both PDFs carry the right text, fonts, bookmarks and metadata."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from pypdf import PdfReader

from diglot import data, markup

from .conftest import REPO, DefaultBuild, fold, pdf_text, squash

pytestmark = pytest.mark.slow

SORA = data.load(REPO / "data" / "sora-authors.yaml")
HAN = re.compile(r"[\u3400-\u9fff]")


def translations(locale: str) -> dict[str, str]:
    with (REPO / f"locales/{locale}/LC_MESSAGES/content.po").open("rb") as fp:
        return {m.id: m.string for m in read_po(fp) if m.id}


def pdf(build: DefaultBuild, locale: str) -> Path:
    return build.out / locale / "sora-authors.pdf"


def test_the_default_build_is_clean(default_build: DefaultBuild) -> None:
    assert [str(w) for w in default_build.result.warnings] == []
    assert default_build.result.fallbacks == []
    assert sorted(str(p.relative_to(default_build.out)) for p in default_build.result.outputs) \
        == [f"{locale}/sora-authors.{ext}" for locale in ("en", "zh_CN", "zh_TW")
            for ext in ("html", "pdf")]


@pytest.mark.parametrize(("locale", "native", "other_script"), [
    ("zh_CN", "郭宇飞", "郭宇飛"), ("en", "郭宇飞", "郭宇飛"), ("zh_TW", "郭宇飛", "郭宇飞"),
])
def test_every_person_is_named(default_build: DefaultBuild, locale: str, native: str,
                               other_script: str) -> None:
    text = squash(pdf_text(pdf(default_build, locale)))
    for person in SORA.people:
        assert squash(person.name) in text
    # The native name in the edition's script; English shows the data's own script.
    assert native in text and other_script not in text


def test_chinese_pdf_has_the_chinese_commentary(default_build: DefaultBuild) -> None:
    text = fold(pdf_text(pdf(default_build, "zh_CN"), body_only=True))
    for person in SORA.people:
        for paragraph in person.commentary:
            assert fold(markup.plain_text(paragraph.value)) in text, paragraph.location.path


def test_english_pdf_has_the_english_commentary_and_no_chinese_paragraphs(
        default_build: DefaultBuild) -> None:
    raw = pdf_text(pdf(default_build, "en"), body_only=True)
    text = squash(raw)
    english = translations("en")
    for person in SORA.people:
        for paragraph in person.commentary:
            english_text = markup.plain_text(english[paragraph.value])
            assert squash(english_text) in text, paragraph.location.path
    # The only Chinese in the English report: native names, which are not translated, and
    # the slips the editor's notes quote from the source with their readings.
    quoted = [c for owner in (SORA.report, *SORA.people) for c in owner.corrections]
    for name in [p.native_name for p in SORA.people if p.native_name] \
            + [c.source for c in quoted] + [c.reading for c in quoted]:
        raw = squash(raw).replace(squash(name), "")
    assert HAN.findall(raw) == [], "Chinese text left in the English PDF"


def test_traditional_chinese_pdf_has_the_reviewed_conversion(default_build: DefaultBuild) -> None:
    text = fold(pdf_text(pdf(default_build, "zh_TW"), body_only=True))
    traditional = translations("zh_TW")
    for person in SORA.people:
        for paragraph in person.commentary:
            assert fold(markup.plain_text(traditional[paragraph.value])) in text
    assert "從十三位作者的求學與工作經歷看有什麼啟發" in pdf_text(pdf(default_build, "zh_TW"))


def test_fonts_are_embedded_subsets_in_the_right_script(default_build: DefaultBuild) -> None:
    for locale, expected in (("zh_CN", "Noto-Serif-CJK-SC"), ("en", "Caladea"),
                             ("zh_TW", "Noto-Serif-CJK-TC")):
        listing = subprocess.run(["pdffonts", str(pdf(default_build, locale))],
                                 capture_output=True, text=True, check=True).stdout
        rows = [line.split() for line in listing.splitlines()[2:]]
        assert rows and all(re.match(r"^[A-Z]{6}\+", row[0]) for row in rows)  # subsets
        assert all("yes" in row[-5:-3] for row in rows)  # emb column
        names = " ".join(row[0] for row in rows)
        assert expected in names
        assert "JP" not in names and "KR" not in names
        if locale == "zh_CN":
            assert "TC" not in names
        if locale == "zh_TW":  # Simplified only for the slips quoted from the source
            assert {n for n in names.split() if "SC" in n} <= {
                n for n in names.split() if n.endswith("+Noto-Serif-CJK-SC")}


@pytest.mark.parametrize("locale", ["zh_CN", "en", "zh_TW"])
def test_bookmarks_for_every_person(default_build: DefaultBuild, locale: str) -> None:
    reader = PdfReader(pdf(default_build, locale))
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    for person in SORA.people:
        assert any(t.startswith(person.name) for t in titles), person.name
    assert len(titles) == len(SORA.people) + 3  # plus preface, conclusion and colophon
    colophon = {"zh_CN": "版本说明", "en": "About this edition", "zh_TW": "版本說明"}
    assert titles[-1] == colophon[locale]


@pytest.mark.parametrize(("locale", "title", "lang", "page_words"), [
    ("zh_CN", "Sora的作者们", "zh-CN", r"第 2 页，共 (\d+) 页"),
    ("en", "The Authors of Sora", "en", r"Page 2 of (\d+)"),
    ("zh_TW", "Sora的作者們", "zh-TW", r"第 2 頁，共 (\d+) 頁"),
])
def test_metadata_and_page_numbers(default_build: DefaultBuild, locale: str, title: str,
                                   lang: str, page_words: str) -> None:
    path = pdf(default_build, locale)
    reader = PdfReader(path)
    assert reader.metadata is not None and reader.metadata.title == title
    assert reader.trailer["/Root"]["/Lang"] == lang
    page_two = pdf_text(path).split("\f")[1]
    found = re.search(page_words, page_two)
    assert found and int(found.group(1)) == len(reader.pages)
    assert float(reader.pages[0].mediabox.width) == pytest.approx(595.28, abs=0.1)  # A4


def test_table_of_contents_links_to_each_person(default_build: DefaultBuild) -> None:
    reader = PdfReader(pdf(default_build, "en"))
    toc_page = reader.pages[1]
    links = [a.get_object() for a in toc_page.get("/Annots") or []]
    assert len(links) >= len(SORA.people) + 2
