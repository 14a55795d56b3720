"""The DOCX look on small documents: table borders in schema order, lists, no-break names,
indented paragraphs, run-in numbers, and valid OOXML."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree
from openxml_audit import FileFormat, OpenXmlValidator

from diglot.writers.docx import office

from ....conftest import paragraphs
from ..test_docx import headings_of, render, write

# ECMA-376 CT_TblBorders.
TABLE_BORDER_ORDER = ("top", "left", "start", "bottom", "right", "end", "insideH", "insideV")


def findings(path: Path) -> list[str]:
    """openxml-audit's findings for a package: strict, Microsoft 365, no limit."""
    validator = OpenXmlValidator(file_format=FileFormat.MICROSOFT_365, max_errors=0, strict=True)
    result = validator.validate(path)
    found = [str(error) for error in result.errors]
    assert result.is_valid == (not found)
    return found


def test_table_borders_are_in_schema_order(tmp_path: Path) -> None:
    document, _ = write(tmp_path, render("<p>x</p>"))
    borders = document.styles["facts"].element.find(f"{qn('w:tblPr')}/{qn('w:tblBorders')}")
    sides = [etree.QName(b).localname for b in borders]
    assert "insideH" in sides and "insideV" in sides
    assert sides == sorted(sides, key=TABLE_BORDER_ORDER.index)


def test_only_the_table_styles_in_use_are_kept(tmp_path: Path) -> None:
    # python-docx's template brings a hundred table styles no table uses.
    document, _ = write(tmp_path, render('<table class="facts"><tr><th>K</th><td>v</td></tr>'
                                         '</table>'))
    kinds = [(s.get(qn("w:type")), s.get(qn("w:styleId")))
             for s in document.styles.element.iter(qn("w:style"))]
    tables = {style_id for kind, style_id in kinds if kind == "table"}
    used = {e.get(qn("w:val")) for e in document.element.body.iter(qn("w:tblStyle"))}
    assert "facts" in used
    assert tables - used <= {"TableNormal", "TableGrid", "pair-columns"}
    assert len([kind for kind, _ in kinds if kind == "paragraph"]) > 20  # the rest is kept


@pytest.fixture
def no_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    """Contents without page numbers: the small documents need no LibreOffice layout."""
    monkeypatch.setattr(office, "soffice", lambda: None)


@pytest.mark.usefixtures("no_libreoffice")
def test_a_small_document_has_no_schema_findings(tmp_path: Path) -> None:
    body = ('<nav class="toc"><h2>Contents</h2></nav>'
            '<section class="person" id="a"><p class="person-number">1</p><h2>A B</h2>'
            '<table class="facts"><tr><th>K</th><td><ul><li>x</li><li>y</li></ul></td></tr>'
            '</table><div class="commentary"><p>one</p><p>two</p></div></section>'
            '<section class="person" id="b"><p class="person-number">2</p><h2>C</h2></section>')
    rendered = render(body, head="<style>.facts ul { list-style: none }</style>")
    write(tmp_path, rendered)
    assert findings(tmp_path / "out.docx") == []


def test_lists_without_markers_follow_the_stylesheet(tmp_path: Path) -> None:
    body = ('<div class="plain"><ul><li>inside</li></ul></div><ul class="bare"><li>own</li></ul>'
            '<ul><li>marked</li></ul><div class="again"><ul><li>restored</li></ul></div>')
    head = ("<style>.plain ul, ul.bare { list-style: none } .again ul { list-style: none }"
            " .again ul { list-style: disc }</style>")
    document, _ = write(tmp_path, render(body, head=head))
    found = {p.text: p for p in document.paragraphs}
    for text in ("inside", "own"):
        assert found[text].style.name == "Normal", text
        assert found[text]._p.find(f"{qn('w:pPr')}/{qn('w:numPr')}") is None
    for text in ("marked", "restored"):
        assert found[text].style.name == "List Bullet", text


def test_nowrap_classes_get_no_break_spaces(tmp_path: Path) -> None:
    head = "<style>.name { white-space: nowrap }</style>"
    document, _ = write(tmp_path, render('<p><span class="name">Eric Luhman</span> and '
                                         '<span class="other">Li Jing</span></p>', head=head))
    assert document.paragraphs[0].text == "Eric\u00a0Luhman and Li Jing"


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", ["commentary", "commentary indented", "commentary indented", "commentary"]),
    ("zh-CN", ["commentary"] * 4)])
def test_following_paragraphs_take_the_indented_style(tmp_path: Path, lang: str,
                                                      expected: list[str]) -> None:
    body = ('<div class="commentary"><p>one</p><p>two</p><p>three</p></div>'
            '<div class="commentary"><h3>h</h3><p>after a heading</p></div>')
    document, _ = write(tmp_path, render(body, lang=lang))
    styles = [p.style for p in paragraphs(document) if p.style != "Heading 2"]
    assert styles == expected


@pytest.mark.usefixtures("no_libreoffice")
def test_run_in_number_opens_the_heading_and_its_contents_entry(tmp_path: Path) -> None:
    body = ('<nav class="toc"><h2>Contents</h2></nav>'
            '<section class="person" id="a"><p class="person-number">7</p><h2>Ann Lee</h2>'
            '<p>text</p></section><section class="person" id="b"><h2>Bo</h2></section>')
    document, _ = write(tmp_path, render(body))
    assert headings_of(document) == [("7", "Ann Lee"), ("", "Bo")]
    assert not [p for p in paragraphs(document) if p.text == "7"]  # no paragraph of its own
    styles = [p.style for p in paragraphs(document)]
    assert styles.count("person-rule") == 1
    headings = [i for i, style in enumerate(styles) if style == "Heading 1"]
    assert styles.index("person-rule") == headings[1] - 1
    toc = [p for p in paragraphs(document) if p.style == "toc 1"]
    assert [p.text for p in toc] == ["7Ann Lee", "Bo"]  # number, tab (no text), name
    links = document.element.body.findall(f".//{qn('w:hyperlink')}")
    first = links[0].find(qn("w:r"))
    assert first.find(f"{qn('w:rPr')}/{qn('w:rStyle')}").get(qn("w:val")) == \
        document.styles["toc-number"].style_id
    assert first.getnext().find(qn("w:tab")) is not None
    assert links[1].find(f".//{qn('w:tab')}") is None


@pytest.mark.parametrize("lang", ("en", "zh-CN"))
def test_han_text_is_never_set_italic(tmp_path: Path, lang: str) -> None:
    body = ('<p><em>Read 《三体》 twice</em></p>'
            '<ul><li><span class="item-lead work-title">《三体》 The Three-Body Problem</span>'
            '</li></ul>')
    document, _ = write(tmp_path, render(body, lang=lang))
    runs = [run for p in document.paragraphs for run in p.runs if run.text.strip()]
    han = [run for run in runs if any("\u3000" <= c <= "\u9fff" for c in run.text)]
    assert len(han) == 2
    for run in han:  # `<w:i w:val="0"/>` over an italic style, or an upright style
        assert run.italic is False or (run.italic is None and not run.style.font.italic), run.text
    emphasis = [run for run in runs if run.text.strip() in ("Read", "twice")]
    assert len(emphasis) == 2 and all(run.italic for run in emphasis)
    title = next(run for run in runs if "Three-Body" in run.text)
    assert title.italic is None and title.style.name == "work-title"
    assert document.styles["work-title"].font.italic is (lang == "en")
    if lang == "en":  # the Han part of an italic title is a run of its own
        assert [run.text for run in han] == ["《三体》", "《三体》"]


def test_lengths_of_a_class_are_read_from_the_stylesheet(tmp_path: Path) -> None:
    head = ("<style>.person-name { font-size: 12pt } .person-name.x { font-size: 30pt }"
            " .person { margin-bottom: 22mm } .person + .person { padding-top: 0.5in }"
            " .person { margin-bottom: 11mm }</style>")
    document, _ = write(tmp_path, render("<p>x</p>", head=head))
    assert document.styles["Heading 1"].font.size == Pt(12)
    rule = document.styles["person-rule"].paragraph_format
    assert abs(rule.space_before.mm - 4) < 0.05 and abs(rule.space_after.pt - 36) < 0.05
