"""The default report end to end: both PDFs carry the right text, fonts, bookmarks and metadata."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from pypdf import PdfReader

from diglot import data, markup

from ..conftest import REPO, DefaultBuild, fold, pdf_text, squash

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
        == sorted(f"{edition}/sora-authors.{ext}" for ext in ("html", "pdf")
                  for edition in ("en", "zh_CN", "zh_CN+en", "zh_TW"))


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
        assert ("SC" in names) != ("TC" in names) or locale == "en"


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


# -- what the editor adds: the source, the slips, the colophon ------------------------------------

CORRECTIONS = [c for owner in (SORA.report, *SORA.people) for c in owner.corrections]
SOURCE_LINE = {"zh_CN": "来源：", "en": "Source:", "zh_TW": "來源："}


@pytest.mark.parametrize("locale", ["zh_CN", "en", "zh_TW"])
def test_the_source_is_credited_in_every_edition(default_build: DefaultBuild,
                                                 locale: str) -> None:
    assert SORA.report.source is not None and SORA.report.source.note is not None
    note = SORA.report.source.note.value
    said = note if locale == "zh_CN" else translations(locale)[note]
    text = squash(pdf_text(pdf(default_build, locale)))
    assert squash(SOURCE_LINE[locale] + said) in text
    # Nothing the data does not give: no author, date or address is printed for it.
    assert SORA.report.source.url is None and SORA.report.source.author is None


def test_each_slip_is_marked_where_the_chinese_shows_it(default_build: DefaultBuild) -> None:
    assert len(CORRECTIONS) == 9
    text = squash(pdf_text(pdf(default_build, "zh_CN"), body_only=True))
    assert text.count("〔原文如此〕") >= len(CORRECTIONS)
    for c in CORRECTIONS:
        assert squash(c.source) + "〔原文如此〕" in text, c.source
        note = f"编者注：原文作“{c.source}”，据文意应为“{c.reading}”。"
        assert squash(note) in text, c.source
    # The facts table reads the slip: "Oracle Cloud" as a fact, "Orach cloud" only as quoted.
    assert "OracleCloud" in text


def test_the_english_edition_reads_the_slips_and_says_so(default_build: DefaultBuild) -> None:
    text = squash(pdf_text(pdf(default_build, "en"), body_only=True))
    # The translation uses the readings: no mark, except where the colophon explains it.
    assert "[sic]" not in text.replace("marked“[sic]”", "")
    assert "marked“[sic]”" in text
    for c in CORRECTIONS:
        note = f"Editor’s note: the source has “{c.source}”, read here as “{c.reading}”."
        assert squash(note) in text, c.source
    assert "InstructPix2Pix" in text and "instrucPix2Pix" not in text.replace(
        squash("“instrucPix2Pix”"), "")


@pytest.mark.parametrize(("locale", "words"), [
    ("zh_CN", ["版本说明", "中文（简体，中国）·原文", "英语·译者：diglotEnglishteam",
               "已译116段，共116段（100%）", "由diglot"]),
    ("en", ["Aboutthisedition", "Chinese(Simplified,China)·theoriginaltext",
            "English·translatedbydiglotEnglishteam", "116of116passagestranslated(100%)",
            "Typesetwithdiglot"]),
])
def test_the_colophon_says_who_translated_and_how_much(default_build: DefaultBuild,
                                                       locale: str, words: list[str]) -> None:
    from diglot import __version__

    text = squash(pdf_text(pdf(default_build, locale)))
    for word in words:
        assert word in text, word
    assert squash(__version__) in text.split(words[-1], 1)[1][:40]


@pytest.mark.parametrize(("locale", "papers", "born", "not_said"), [
    ("zh_CN", "6篇论文（其中一作2篇）", "约1994年", ["推测", "6篇论文和2篇"]),
    ("en", "6papers(2asfirstauthor)", "c.1994", ["(estimated)", "6papersand2"]),
    ("zh_TW", "6篇論文（其中第一作者2篇）", "約1994年", ["推測", "6篇論文和2篇"]),
])
def test_template_words_say_a_subset_and_one_estimate(default_build: DefaultBuild, locale: str,
                                                      papers: str, born: str,
                                                      not_said: list[str]) -> None:
    text = squash(pdf_text(pdf(default_build, locale)))
    assert papers in text and born in text
    assert not [w for w in not_said if w in text]


@pytest.mark.parametrize(("locale", "said"), [
    ("zh_CN", "原文仅列名称，未附网址"), ("en", "namedinthesourcewithoutanaddress"),
    ("zh_TW", "原文僅列名稱，未附網址"),
])
def test_links_without_an_address_say_so(default_build: DefaultBuild, locale: str,
                                         said: str) -> None:
    text = squash(pdf_text(pdf(default_build, locale)))
    without = [p for p in SORA.people if p.links and not any(link.url for link in p.links)]
    assert without and text.count(said) >= len(without)


def test_chinese_punctuation_is_full_width_in_print_only(default_build: DefaultBuild) -> None:
    paragraph = SORA.people[0].commentary[0].value
    assert "硕士的, 但是" in paragraph  # the data keeps the post's keyboard punctuation
    text = squash(pdf_text(pdf(default_build, "zh_CN"), body_only=True))
    assert "硕士的，但是硕士学历" in text and "硕士的,但是" not in text
    assert "gap了，否则应该有早于2019年的文章，这或许" in text
    assert "FAIR,Adobe,NVIDIA" in text  # a list of Latin names keeps its commas
    counts = default_build.result.typography
    assert counts["zh_CN"].punctuation > 100 and counts["zh_TW"].punctuation > 100
    assert counts["en"].punctuation == 0


def test_han_and_latin_are_spaced_by_layout_not_by_the_text(default_build: DefaultBuild) -> None:
    html = (default_build.out / "zh_CN" / "sora-authors.html").read_text(encoding="utf-8")
    assert re.search(r'在<span class="cjk-space">\u2005</span>2019<span class="cjk-space">'
                     r'\u2005</span>年就有两篇', html)
    english = (default_build.out / "en" / "sora-authors.html").read_text(encoding="utf-8")
    assert "\u2005" not in english.split("<body", 1)[1].split('class="colophon"')[0]


def test_the_traditional_edition_marks_its_own_form_of_each_slip(
        default_build: DefaultBuild) -> None:
    text = squash(pdf_text(pdf(default_build, "zh_TW"), body_only=True))
    for c in CORRECTIONS:
        shown = c.in_script("Hant")
        assert squash(shown.source) + "〔原文如此〕" in text, shown.source
        note = f"編者註：原文作「{shown.source}」，據文意應為「{shown.reading}」。"
        assert squash(note) in text, shown.source
    assert "從體來說〔原文如此〕" in text and "从体来说" not in text
