"""The DOCX writer on small documents: each construct of the HTML written and reopened with
python-docx."""

from __future__ import annotations

import base64
import importlib.util
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from lxml import etree

from diglot import pipeline
from diglot.config import load as load_config
from diglot.document import RenderedDocument, WriteContext
from diglot.errors import OutputError
from diglot.render import document_for
from diglot.themes import ThemeChain
from diglot.writers import FORMATS
from diglot.writers.docx import DocxWriter

from ...conftest import REPO, paragraphs

# One pixel, transparent.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
                       "60e6kgAAAABJRU5ErkJggg==")


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
    notes = [line for line in run.err.splitlines() if line.startswith("note: ")]
    assert len(notes) == 1, run.err  # said once for both locales
    assert "page numbers" in notes[0] and "LibreOffice" in notes[0]
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
