"""The DOCX writer: the default report reopened with python-docx and checked by meaning."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from babel.messages.pofile import read_po
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree
from pypdf import PdfReader

from diglot import data
from diglot.cli import main
from diglot.layout import PageSetup

from ..conftest import REPO, fold, paragraphs, squash
from ..unit.writers.test_docx import heading_paragraphs, headings_of

SORA = data.load(REPO / "data" / "sora-authors.yaml")
LOCALES = ("zh_CN", "en")
THEME_FONT_ATTRIBUTES = ("asciiTheme", "eastAsiaTheme", "hAnsiTheme", "cstheme")


def english_translation(msgid: str) -> str | None:
    path = REPO / "locales/en/LC_MESSAGES/content.po"
    if not path.exists():
        return None
    with path.open("rb") as fp:
        message = read_po(fp).get(msgid)
    if message is None or message.fuzzy or not message.string:
        return None
    return str(message.string)


def build(out: Path, *formats: str) -> None:
    args = ["-C", str(REPO), "build", "-o", str(out)]
    for locale in LOCALES:
        args += ["-l", locale]
    for name in formats:
        args += ["-f", name]
    assert main(args) == 0


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default report in both languages, as DOCX, PDF and HTML."""
    out = tmp_path_factory.mktemp("docx-build")
    build(out, "docx", "pdf", "html")
    return out


def opened(built: Path, locale: str) -> docx.document.Document:
    return docx.Document(str(built / locale / "sora-authors.docx"))


# -- the default report -------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("locale", LOCALES)
def test_headings_are_the_pdf_bookmarks(built: Path, locale: str) -> None:
    document = opened(built, locale)
    headings = [name for _number, name in headings_of(document)]
    outline = PdfReader(built / locale / "sora-authors.pdf").outline
    bookmarks = [item.title for item in outline if not isinstance(item, list)]
    assert [" ".join(h.split()) for h in headings] == [" ".join(b.split()) for b in bookmarks]
    html = (built / locale / "sora-authors.html").read_text(encoding="utf-8")
    sections = re.findall(r'<h2 class="(?:section-title|person-name)">(.*?)</h2>', html)
    assert len(headings) == len(sections) == len(SORA.people) + 3  # and the colophon


@pytest.mark.slow
@pytest.mark.parametrize("locale", LOCALES)
def test_every_person_and_the_right_commentary(built: Path, locale: str) -> None:
    text = fold("\n".join(p.text for p in paragraphs(opened(built, locale))))
    for person in SORA.people:
        assert squash(person.name) in text, person.name
    source = SORA.people[0].commentary[0].value
    if locale == "zh_CN":
        assert fold(source) in text
        return
    english = english_translation(source)
    if english is None:
        pytest.skip("locales/en/LC_MESSAGES/content.po has no translation of the first "
                    "commentary paragraph yet")
    assert squash(english) in text
    assert squash(source) not in text


@pytest.mark.slow
@pytest.mark.parametrize("locale", LOCALES)
def test_paragraphs_use_named_word_styles(built: Path, locale: str) -> None:
    document = opened(built, locale)
    found = paragraphs(document)
    used = {p.style for p in found}
    assert {"Title", "Subtitle", "Heading 1", "section-title", "TOC Heading", "toc 1",
            "commentary", "headline", "person-rule", "lessons", "Table Heading",
            "Table Contents"} <= used
    assert [p.text for p in found if p.style == "Title"] == [SORA_TITLES[locale]]
    numbers = [number for number, _name in headings_of(document) if number]
    assert numbers == [str(n) for n in range(1, len(SORA.people) + 1)]
    assert len([p for p in found if p.style == "lessons"]) == len(SORA.report.conclusion.points)
    tables = document.tables
    assert len(tables) == sum(1 for p in SORA.people if p.education or p.experience or p.works
                              or p.honors or p.metrics or p.links or p.born)
    assert {t.style.name for t in tables} == {"facts"}
    assert tables[0].cell(0, 0).paragraphs[0].style.name == "Table Heading"


SORA_TITLES = {"zh_CN": "Sora的作者们", "en": "The Authors of Sora"}


@pytest.mark.slow
@pytest.mark.parametrize("locale", LOCALES)
def test_styles_name_east_asian_fonts_and_no_theme_fonts(built: Path, locale: str) -> None:
    with zipfile.ZipFile(built / locale / "sora-authors.docx") as package:
        styles = etree.fromstring(package.read("word/styles.xml"))
        settings = package.read("word/settings.xml").decode()
        names = package.namelist()
    for attribute in THEME_FONT_ATTRIBUTES:
        assert not styles.xpath(f"//w:rFonts[@w:{attribute}]", namespaces=NS), attribute
    assert "word/stylesWithEffects.xml" not in names
    defaults = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    assert defaults.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "SimSun"
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    checked = 0
    for style in styles.iter(qn("w:style")):
        kind = style.get(qn("w:type"))
        if kind not in ("paragraph", "character"):
            continue
        rpr = style.find(qn("w:rPr"))
        assert rpr is not None, style.get(qn("w:styleId"))
        lang = rpr.find(qn("w:lang"))
        assert lang is not None and lang.get(qn("w:eastAsia")) == "zh-CN"
        fonts = rpr.find(qn("w:rFonts"))
        if kind == "paragraph" or fonts is not None:
            # A character style without fonts inherits its paragraph's (checked above).
            assert fonts.get(qn("w:eastAsia")) in ("SimSun", "Microsoft YaHei")
        checked += 1
    assert checked > 50
    assert 'w:eastAsia="zh-CN"' in settings and "updateFields" not in settings
    heading = styles.xpath("//w:style[@w:styleId='Heading1']//w:rFonts", namespaces=NS)[0]
    assert heading.get(qn("w:eastAsia")) == "Microsoft YaHei"


NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}


@pytest.mark.slow
@pytest.mark.parametrize("locale", LOCALES)
def test_toc_links_reach_bookmarks_on_the_headings(built: Path, locale: str) -> None:
    document = opened(built, locale)
    body = document.element.body
    bookmarks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    anchors = [h.get(qn("w:anchor")) for h in body.iter(qn("w:hyperlink"))]
    external = [h.get(qn("r:id")) for h in body.iter(qn("w:hyperlink"))
                if h.get(qn("w:anchor")) is None]
    assert all(a in bookmarks for a in anchors if a)
    for rid in external:
        rel = document.part.rels[rid]
        assert rel.is_external and rel.reltype == RT.HYPERLINK and rel.target_ref
    instructions = "".join(t.text for t in body.iter(qn("w:instrText")))
    assert 'TOC \\o "1-1" \\h' in instructions
    headings = heading_paragraphs(document)
    heading_marks = [p.find(qn("w:bookmarkStart")).get(qn("w:name")) for p in headings]
    assert anchors[:len(headings)] == heading_marks
    assert "person_tim_brooks" in heading_marks and "preface" in heading_marks
    for name in heading_marks:
        assert len(name) <= 40 and name[0].isalpha()


@pytest.mark.slow
@pytest.mark.parametrize(("locale", "words"), [("zh_CN", ["第 ", " 页，共 ", " 页"]),
                                               ("en", ["Page ", " of "])])
def test_header_footer_page_setup_and_properties(built: Path, locale: str,
                                                 words: list[str]) -> None:
    document = opened(built, locale)
    section = document.sections[0]
    page = PageSetup()
    for value, expected in ((section.page_width, page.width_mm),
                            (section.page_height, page.height_mm),
                            (section.left_margin, page.margin_left_mm),
                            (section.top_margin, page.margin_top_mm)):
        assert value.mm == pytest.approx(expected, abs=0.05)  # twips: 1/20 pt
    assert section.different_first_page_header_footer  # the cover has neither
    footer = section.footer._element
    fields = [t.text.strip() for t in footer.iter(qn("w:instrText"))]
    assert fields == ["PAGE", "NUMPAGES"]
    texts = [t.text for t in footer.iter(qn("w:t"))]
    assert [t for t in texts if t != "1"] == words
    header = section.header.paragraphs[0]
    assert header.text.split("\t")[0] == SORA_TITLES[locale]
    assert [t.text.strip() for t in header._p.iter(qn("w:instrText"))] == \
        ['STYLEREF "section-name"']
    core = document.core_properties
    assert core.title == SORA_TITLES[locale]
    assert core.language == ("zh-CN" if locale == "zh_CN" else "en-US")  # full tags
    assert core.subject and core.author == ""



@pytest.mark.slow
def test_the_docx_credits_the_source_marks_slips_and_leaves_spacing_to_word(built: Path) -> None:
    document = opened(built, "zh_CN")
    text = "\n".join(p.text for p in paragraphs(document))
    squashed = squash(text)
    assert SORA.report.source is not None and SORA.report.source.note is not None
    assert squash("来源：" + SORA.report.source.note.value) in squashed
    corrections = [c for owner in (SORA.report, *SORA.people) for c in owner.corrections]
    for c in corrections:
        assert squash(c.source) + "〔原文如此〕" in squashed, c.source
        assert squash(f"编者注：原文作“{c.source}”，据文意应为“{c.reading}”。") in squashed
    assert "已译116段，共116段（100%）" in squashed
    # The same full-width punctuation as the PDF; the quarter-em gaps are Word's to make.
    assert "硕士的，但是" in text and "\u2005" not in text
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    assert defaults.find(qn("w:autoSpaceDE")) is not None
    assert defaults.find(qn("w:autoSpaceDN")) is not None
    # Names never break: the advisor's name is held together by a no-break space.
    assert "Alyosha\u00a0Efros" in text and "Alyosha Efros" not in text

def test_same_epoch_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    for out in ("one", "two"):
        build(tmp_path / out, "docx")
    for locale in LOCALES:
        one = (tmp_path / "one" / locale / "sora-authors.docx").read_bytes()
        assert one == (tmp_path / "two" / locale / "sora-authors.docx").read_bytes()
    document = docx.Document(str(tmp_path / "one/en/sora-authors.docx"))
    assert document.core_properties.created.isoformat()[:19] == "2023-11-14T22:13:20"
    assert document.core_properties.modified == document.core_properties.created
    with zipfile.ZipFile(tmp_path / "one/en/sora-authors.docx") as package:
        assert {info.date_time for info in package.infolist()} == {(2023, 11, 14, 22, 13, 20)}


@pytest.mark.slow
def test_libreoffice_reads_both_documents(built: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install "
                    "libreoffice-writer-nogui")
    for locale in LOCALES:
        shutil.copy(built / locale / "sora-authors.docx", tmp_path / f"{locale}.docx")
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--headless", "--convert-to", "txt:Text", "--outdir", str(tmp_path / "txt"),
                    *(str(tmp_path / f"{locale}.docx") for locale in LOCALES)],
                   check=True, capture_output=True, timeout=300)
    for locale in LOCALES:
        text = fold((tmp_path / "txt" / f"{locale}.txt").read_text(encoding="utf-8-sig"))
        for person in SORA.people:
            assert squash(person.name) in text, (locale, person.name)
        source = SORA.people[1].commentary[0].value
        expected = source if locale == "zh_CN" else english_translation(source)
        if expected is not None:
            assert fold(expected) in text
