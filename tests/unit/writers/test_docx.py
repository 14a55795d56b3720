"""The DOCX writer: the default report reopened with python-docx and checked by meaning."""

from __future__ import annotations

import base64
import importlib.util
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from babel.messages.pofile import read_po
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree
from pypdf import PdfReader

from diglot import data, pipeline
from diglot.cli import main
from diglot.config import load as load_config
from diglot.document import RenderedDocument, WriteContext
from diglot.errors import OutputError
from diglot.layout import PageSetup
from diglot.render import document_for
from diglot.themes import ThemeChain
from diglot.writers import FORMATS
from diglot.writers.docx import DocxWriter

from ...conftest import REPO, fold, paragraphs, squash

SORA = data.load(REPO / "data" / "sora-authors.yaml")
LOCALES = ("zh_CN", "en")
THEME_FONT_ATTRIBUTES = ("asciiTheme", "eastAsiaTheme", "hAnsiTheme", "cstheme")
# One pixel, transparent.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
                       "60e6kgAAAABJRU5ErkJggg==")


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


def render(body: str, lang: str = "en", head: str = "") -> RenderedDocument:
    html = (f'<!DOCTYPE html><html lang="{lang}"><head><title>T</title>{head}</head>'
            f"<body>{body}</body></html>")
    return document_for(html, lang.replace("-", "_"), lang, "T", None, ThemeChain.build(None),
                        Path("fake-template.html"))


def write(tmp_path: Path, rendered: RenderedDocument, roots: tuple[Path, ...] = ()
          ) -> tuple[docx.document.Document, list[str]]:
    dest = tmp_path / "out.docx"
    warnings = DocxWriter().write(rendered, dest, WriteContext(roots or (tmp_path,)))
    return docx.Document(str(dest)), [str(w) for w in warnings]


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


def heading_paragraphs(document: docx.document.Document) -> list[etree._Element]:
    """The body's Heading 1 paragraphs and those of styles based on it (section titles)."""
    found = []
    for p in document.element.body.iter(qn("w:p")):
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        current = document.styles.get_by_id(style.get(qn("w:val")) if style is not None else None,
                                            WD_STYLE_TYPE.PARAGRAPH)
        while current is not None and current.name != "Heading 1":
            current = current.base_style
        if current is not None:
            found.append(p)
    return found


def headings_of(document: docx.document.Document) -> list[tuple[str, str]]:
    """(number, name) of every heading: the number is the text of its person-number runs."""
    number_id = document.styles["person-number"].style_id
    found = []
    for p in heading_paragraphs(document):
        number = name = ""
        for run in p.iter(qn("w:r")):
            style = run.find(f"{qn('w:rPr')}/{qn('w:rStyle')}")
            text = "".join(t.text or "" for t in run.iter(qn("w:t")))
            if style is not None and style.get(qn("w:val")) == number_id:
                number += text
            else:
                name += text
        found.append((number.strip("\u00a0 "), name.strip("\u2002 ")))
    return found


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


# -- the writer on small documents ---------------------------------------------------------------

def test_unknown_tag_is_written_as_text_and_warned_once(tmp_path: Path) -> None:
    rendered = render("<p>before <marquee>moving</marquee> and <marquee>again</marquee></p>")
    document, warnings = write(tmp_path, rendered)
    assert [p.text for p in paragraphs(document)] == ["before moving and again"]
    assert len(warnings) == 1
    assert "<marquee>" in warnings[0] and "fake-template.html" in warnings[0]


def test_lists_restart_nest_and_continue(tmp_path: Path) -> None:
    rendered = render("<ol><li>one</li><li>two<ul><li>inner</li></ul>after</li></ol>"
                      "<ol><li>again</li></ol><ul class='inline'><li>a</li><li>b</li></ul>")
    document, warnings = write(tmp_path, rendered)
    found = paragraphs(document)
    assert [(p.style, p.text) for p in found] == [
        ("List Number", "one"), ("List Number", "two"), ("List Bullet 2", "inner"),
        ("List Continue", "after"), ("List Number", "again"), ("Normal", "a · b")]
    nums = [p.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
            for p in document.element.body.iter(qn("w:p"))]
    first, second = nums[0].get(qn("w:val")), nums[4].get(qn("w:val"))
    assert first != second  # the second list starts again at 1
    assert warnings == []


def test_inline_markup_links_and_languages(tmp_path: Path) -> None:
    rendered = render('<p><strong>bold</strong> <em>em</em> <code>x</code> '
                      '<a href="https://example.org/a">out</a> <a href="#there">in</a> '
                      '<span lang="zh-CN">中文</span> <span lang="fr">oui</span>'
                      '<br>next</p><blockquote><p>quoted</p></blockquote>'
                      '<h2 id="there">Target</h2><p class="page-break"></p><h3>Sub</h3>')
    document, warnings = write(tmp_path, rendered)
    body = document.element.body
    runs = {"".join(t.text for t in r.iter(qn("w:t"))): r for r in body.iter(qn("w:r"))}
    assert runs["bold"].find(f"{qn('w:rPr')}/{qn('w:b')}") is not None
    assert runs["em"].find(f"{qn('w:rPr')}/{qn('w:i')}") is not None
    assert runs["x"].find(f"{qn('w:rPr')}/{qn('w:rStyle')}").get(qn("w:val")) == "HTMLCode"
    assert runs["中文"].find(f"{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:eastAsia")) == "zh-CN"
    assert runs["oui"].find(f"{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:val")) == "fr-FR"
    out, inner = list(body.iter(qn("w:hyperlink")))
    assert document.part.rels[out.get(qn("r:id"))].target_ref == "https://example.org/a"
    assert runs["out"].find(f"{qn('w:rPr')}/{qn('w:rStyle')}").get(qn("w:val")) == "Hyperlink"
    assert inner.get(qn("w:anchor")) == "there"
    assert [b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))] == ["there"]
    assert len(list(body.iter(qn("w:br")))) == 1
    styles = [(p.style, p.text) for p in paragraphs(document)]
    assert ("Quote", "quoted") in styles and ("Heading 1", "Target") in styles
    assert ("Heading 2", "Sub") in styles
    assert body.xpath("//w:p[.//w:t='Sub']/w:pPr/w:pageBreakBefore")
    assert len(paragraphs(document)) == 4  # the empty page-break paragraph leaves nothing
    assert warnings == []


def test_links_to_missing_anchors_and_odd_schemes_warn(tmp_path: Path) -> None:
    rendered = render('<p><a href="#nowhere">a</a> <a href="ftp://x.example/f">b</a></p>')
    document, warnings = write(tmp_path, rendered)
    assert paragraphs(document)[0].text == "a b"
    assert not list(document.element.body.iter(qn("w:hyperlink")))
    assert len(warnings) == 2 and "#nowhere" in warnings[0] and "ftp://" in warnings[1]


def test_images_inside_the_project_only(tmp_path: Path) -> None:
    (tmp_path / "dot.png").write_bytes(PNG)
    document, _ = write(tmp_path, render(f'<p><img src="{(tmp_path / "dot.png").as_uri()}" '
                                         'width="20" alt="a dot"></p>'))
    pictures = document.inline_shapes
    assert len(pictures) == 1 and pictures[0].width == 20 * 9525
    inside = render('<img src="data:image/png;base64,'
                    + base64.b64encode(PNG).decode() + '">')
    assert len(write(tmp_path, inside)[0].inline_shapes) == 1
    outside = tmp_path.parent / "outside.png"
    outside.write_bytes(PNG)
    with pytest.raises(OutputError, match="outside the project"):
        write(tmp_path, render(f'<img src="{outside.as_uri()}">'), roots=(tmp_path / "x",))
    with pytest.raises(OutputError, match="refused"):
        write(tmp_path, render('<img src="https://example.org/x.png">'))


def test_traditional_chinese_fonts(tmp_path: Path) -> None:
    document, _ = write(tmp_path, render("<p>繁體</p>", lang="zh-TW"))
    styles = document.styles.element
    defaults = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    assert defaults.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "PMingLiU"
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-TW"


def test_tables_keep_cells_and_columns(tmp_path: Path) -> None:
    rendered = render('<table class="facts"><tr><th>Label</th><td><ul><li>x</li><li>y</li></ul>'
                      '</td></tr><tr><th>Two</th><td>plain</td></tr></table><p>after</p>')
    document, warnings = write(tmp_path, rendered)
    table = document.tables[0]
    assert table.style.name == "facts"
    assert [[c.text for c in row.cells] for row in table.rows] == [["Label", "x\ny"],
                                                                   ["Two", "plain"]]
    assert [p.style.name for p in table.cell(0, 1).paragraphs] == ["List Bullet"] * 2
    assert table.cell(1, 1).paragraphs[0].style.name == "Table Contents"
    assert warnings == []


def test_generated_report_links_and_fallbacks(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("gendata", REPO / "bench" / "gendata.py")
    assert spec is not None and spec.loader is not None
    gendata = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gendata)
    generated = gendata.generate(6, seed=3)
    source = gendata.write(tmp_path / "data.yaml", 6, seed=3)
    config = load_config(REPO, {"data": source, "formats": ["docx"], "locales": ["en"],
                                "output": tmp_path / "out"}, FORMATS)
    result = pipeline.build(config)
    assert [w for w in result.warnings if w.kind == "docx"] == []
    document = docx.Document(str(tmp_path / "out/en/generated.docx"))
    text = "\n".join(p.text for p in paragraphs(document))
    for person in generated["people"]:
        assert person["name"] in text
    urls = {link["url"] for person in generated["people"] for link in person.get("links", [])
            if "url" in link}
    assert urls  # seed 3 gives links with and without URLs
    targets = {document.part.rels[h.get(qn("r:id"))].target_ref
               for h in document.element.body.iter(qn("w:hyperlink")) if h.get(qn("r:id"))}
    assert targets == urls
    # No English catalog: the Chinese source shows, marked and in its own language.
    fallback = [r for r in document.element.body.iter(qn("w:r"))
                if r.find(f"{qn('w:rPr')}/{qn('w:rStyle')}") is not None
                and r.find(f"{qn('w:rPr')}/{qn('w:rStyle')}").get(qn("w:val")) == "fallback"]
    assert fallback
    assert all(r.find(f"{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:eastAsia")) == "zh-CN"
               for r in fallback)


def test_page_breaks_follow_the_stylesheets(tmp_path: Path) -> None:
    head = ("<style>.a, section.b { break-before: page } .c { page-break-after: always }"
            " .b { break-before: auto }</style>")
    rendered = render('<p>first</p><div class="a"><p>second</p></div><section class="b">'
                      '<p>third</p></section><div class="c"><p>fourth</p></div><p>fifth</p>',
                      head=head)
    document, _ = write(tmp_path, rendered)
    breaks = [p.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}") is not None
              for p in document.element.body.iter(qn("w:p"))]
    assert breaks == [False, True, False, False, True]


def test_a_reference_document_keeps_its_styles(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    theme.mkdir()
    reference = docx.Document()
    reference.styles["Heading 1"].font.color.rgb = docx.shared.RGBColor(0xAA, 0, 0)
    reference.add_paragraph("old content that must go")
    reference.save(str(theme / "reference.docx"))
    (theme / "theme.toml").write_text('name = "mine"\nreference_docx = "reference.docx"\n',
                                      encoding="utf-8")
    chain = ThemeChain.build(theme)
    rendered = render('<h2>Heading</h2><table><tr><td>cell</td></tr></table><p>text</p>')
    rendered = document_for(rendered.html, "en", "en", "T", None, chain, rendered.template)
    document, warnings = write(tmp_path, rendered)
    assert [p.text for p in paragraphs(document)] == ["Heading", "cell", "text"]
    assert document.styles["Heading 1"].font.color.rgb == docx.shared.RGBColor(0xAA, 0, 0)
    assert document.tables[0].cell(0, 0).paragraphs[0].style.name == "Table Contents"
    assert len(warnings) == 1 and "Table Contents" in warnings[0]


def test_deep_nesting_is_written_or_refused_cleanly(tmp_path: Path) -> None:
    def nested(depth: int) -> RenderedDocument:
        return render("<p>" + "<span>" * depth + "deep" + "</span>" * depth + "</p>")

    document, _ = write(tmp_path, nested(300))  # past libxml2's default limit of 256
    assert [p.text for p in paragraphs(document)] == ["deep"]
    with pytest.raises(OutputError):
        write(tmp_path, nested(5000))


# -- contents page numbers when LibreOffice is missing or fails ---------------------------------

def _contents_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read("word/document.xml").decode()


@pytest.mark.parametrize("soffice", [None, "exit 3"], ids=["missing", "failing"])
def test_docx_without_libreoffice_has_contents_without_numbers(
        tiny_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli,
        soffice: str | None) -> None:
    tools = tmp_path / "tools"
    tools.mkdir()
    if soffice is not None:  # an soffice that fails whatever it is asked
        fake = tools / "soffice"
        fake.write_text(f"#!/bin/sh\necho 'cannot start' >&2\n{soffice}\n", encoding="utf-8")
        fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tools))
    run = run_cli("-C", tiny_project, "build", "-f", "docx")
    assert run.code == 0, run.err
    notes = [line for line in run.err.splitlines() if "page numbers" in line]
    assert len(notes) == 1, run.err  # said once for both locales
    assert notes[0].startswith("note: ") and "LibreOffice" in notes[0]
    assert ("not on PATH" in notes[0]) == (soffice is None)
    assert "0 warning(s)" in run.out  # a note, not counted as a warning
    for locale in ("zh_CN", "en"):
        document = _contents_xml(tiny_project / "build" / locale / "tiny-report.docx")
        assert 'w:anchor="person_ada_lin"' in document  # the contents links each heading
        assert "PAGEREF" not in document


def test_an_svg_image_is_left_out_of_the_docx_with_a_warning(tiny_project: Path,
                                                             run_cli) -> None:
    theme = tiny_project / "theme"
    theme.mkdir()
    (theme / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="40" '
                                    'height="40"><circle cx="20" cy="20" r="15" fill="teal"/>'
                                    "</svg>", encoding="utf-8")
    (theme / "report.html").write_text(
        '{% extends "default/report.html" %}{% block commentary %}'
        '<img src="{{ asset(\'logo.svg\') }}" alt="A teal disc">{% endblock %}',
        encoding="utf-8")
    result = run_cli("-C", tiny_project, "build", "-l", "en", "-f", "pdf", "-f", "docx",
                     "--theme", theme)
    assert result.code == 0, result.err
    assert "logo.svg' is left out of the DOCX" in result.err
    document = docx.Document(str(tiny_project / "build/en/tiny-report.docx"))
    assert not document.inline_shapes
