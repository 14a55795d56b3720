"""The DOCX looks like the PDF of the same template, and every DOCX is valid OOXML."""

from __future__ import annotations

import itertools
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree

from diglot import data
from diglot.cli import main

from ..conftest import REPO, paragraphs
from ..unit.writers.docx.test_look import findings
from ..unit.writers.test_docx import heading_paragraphs, headings_of

SORA = data.load(REPO / "data" / "sora-authors.yaml")
THEMES = ("default", "brief")
ALL_LOCALES = ("zh_CN", "en", "zh_TW")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
EXTENDED = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's report as DOCX, every locale, in both built-in themes."""
    out = tmp_path_factory.mktemp("docx-look")
    for theme in THEMES:
        assert main(["-C", str(REPO), "build", "-f", "docx", "--theme", theme,
                     "-o", str(out / theme)]) == 0
    return out


def report(reports: Path, locale: str, theme: str = "default") -> docx.document.Document:
    return docx.Document(str(reports / theme / locale / "sora-authors.docx"))


def style_chain(document: docx.document.Document, name: str) -> list[str]:
    style, chain = document.styles[name], []
    while style is not None:
        chain.append(style.name)
        style = style.base_style
    return chain


# -- every DOCX of the repository's report -------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("locale", ALL_LOCALES)
def test_every_docx_has_no_schema_findings(reports: Path, locale: str, theme: str) -> None:
    assert findings(reports / theme / locale / "sora-authors.docx") == []


@pytest.mark.slow
@pytest.mark.parametrize("theme", THEMES)
def test_facts_lists_are_flush_text_of_one_size(reports: Path, theme: str) -> None:
    document = report(reports, "en", theme)
    # 0.92 em of the body, as report.css sets `.facts` (brief.css's body is 9.5 pt)
    assert document.styles["Table Contents"].font.size == Pt(9.5 if theme == "default" else 8.5)
    for table in document.tables:
        for p in table._tbl.iter(qn("w:p")):
            ppr = p.find(qn("w:pPr"))
            assert ppr is None or ppr.find(qn("w:numPr")) is None  # no bullet
            assert ppr is None or ppr.find(qn("w:ind")) is None  # no indent
    # Every value cell (the last of each row) is Table Contents, list items included, and a
    # list item's style sets no size of its own.
    values = [p for table in document.tables for row in table.rows
              for p in row.cells[-1].paragraphs if p.text]  # brief's last pair may be empty
    assert {p.style.name for p in values} == {"Table Contents"}
    assert len(values) > sum(len(table.rows) for table in document.tables)  # lists are here
    assert all(run.font.size is None for p in values for run in p.runs)


@pytest.mark.slow
def test_colour_and_size_are_normal_s_not_the_defaults(reports: Path) -> None:
    document = report(reports, "en")
    defaults = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}")
    assert defaults.find(f"{qn('w:rPr')}/{qn('w:sz')}") is None
    assert defaults.find(f"{qn('w:rPr')}/{qn('w:color')}") is None
    normal = document.styles["Normal"]
    assert normal.font.size == Pt(10.5) and normal.font.color.rgb is not None
    note = document.styles["note"]
    assert note.font.size == Pt(9) and note.font.color.rgb != normal.font.color.rgb


@pytest.mark.slow
@pytest.mark.parametrize("locale", ALL_LOCALES)
def test_notes_and_marks_are_small_and_grey_as_in_the_pdf(reports: Path, locale: str) -> None:
    document = report(reports, locale)
    normal = document.styles["Normal"]
    muted = document.styles["note"].font.color.rgb
    paragraphs = {p.style.name: p for p in document.paragraphs if p.text.strip()}
    # The editor's notes, the colophon's subheading and its closing line have their own look.
    for name in ("editor-note", "colophon-title", "colophon-tool"):
        assert name in paragraphs, name
    assert document.styles["editor-note"].font.size < normal.font.size
    assert document.styles["editor-note"].font.color.rgb == muted
    assert document.styles["colophon-tool"].font.color.rgb == muted
    title = document.styles["colophon-title"]
    assert title.font.bold and title.font.color.rgb == document.styles["Title"].font.color.rgb
    sic = [run for p in document.paragraphs for run in p.runs
           if run.style is not None and run.style.name == "sic"]
    if locale == "zh_CN":  # the marks stand where the source's own words are shown
        assert sic and all(run.text.strip() for run in sic)
    assert document.styles["sic"].font.color.rgb == muted
    assert document.styles["sic"].font.size < normal.font.size


@pytest.mark.slow
@pytest.mark.parametrize("locale", ALL_LOCALES)
def test_header_has_the_running_section_name_on_the_right(reports: Path, locale: str) -> None:
    header = report(reports, locale).sections[0].header._element
    p = header.find(qn("w:p"))
    tabs = p.findall(f"{qn('w:pPr')}/{qn('w:tabs')}/{qn('w:tab')}")
    assert [t.get(qn("w:val")) for t in tabs] == ["right"]
    children = [etree.QName(c).localname for r in p.iter(qn("w:r")) for c in r
                if c.tag != qn("w:rPr")]
    # title, tab, then the field: begin, instruction, separate, end
    assert children[:2] == ["t", "tab"]
    assert children[2:] == ["fldChar", "instrText", "fldChar", "fldChar"]
    instruction = p.find(f".//{qn('w:instrText')}").text.split()
    assert instruction == ["STYLEREF", '"section-name"']
    # The style marks the text of every heading the PDF's header repeats, and only that: each
    # person's name (not the number) and the titles of the sections and of the contents.
    document = report(reports, locale)
    marker = document.styles["section-name"].style_id
    marked = []
    for q in document.element.body.iter(qn("w:p")):
        text = "".join(t.text for r in q.iter(qn("w:r")) for t in r.iter(qn("w:t"))
                       if (s := r.find(f"{qn('w:rPr')}/{qn('w:rStyle')}")) is not None
                       and s.get(qn("w:val")) == marker)
        if text:
            marked.append(text.strip())
    names = [name for _number, name in headings_of(document)]
    assert len(marked) == len(names) + 1  # and the contents heading, first
    for mark, name in zip(marked[1:], names, strict=True):
        assert name.startswith(mark) and mark  # a native name after it keeps its own style


@pytest.mark.slow
@pytest.mark.parametrize("locale", ("zh_CN", "en"))
def test_section_titles_are_18_pt_with_a_rule(reports: Path, locale: str) -> None:
    document = report(reports, locale)
    section = document.styles["section-title"]
    assert style_chain(document, "section-title")[:2] == ["section-title", "Heading 1"]
    assert section.font.size == Pt(18)
    assert section.element.find(f".//{qn('w:pBdr')}/{qn('w:bottom')}") is not None
    titled = [p.text for p in paragraphs(document) if p.style == "section-title"]
    assert len(titled) == 3  # preface, conclusion, about this edition


@pytest.mark.slow
@pytest.mark.parametrize("theme", THEMES)
def test_a_rule_stands_between_two_people(reports: Path, theme: str) -> None:
    document = report(reports, "en", theme)
    rule = document.styles["person-rule"]
    assert rule.element.find(f".//{qn('w:pBdr')}/{qn('w:top')}") is not None
    assert rule.paragraph_format.space_after > 0 and rule.paragraph_format.keep_with_next
    headings = {id(p): p for p in heading_paragraphs(document)}
    rules = [p for p in document.element.body.iter(qn("w:p"))
             if p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}") is not None
             and p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val")) == rule.style_id]
    assert len(rules) == len(SORA.people) - 1
    for p in rules:
        assert not "".join(p.itertext())
        assert id(p.getnext()) in headings  # right before the next person's name


@pytest.mark.slow
@pytest.mark.parametrize("locale", ALL_LOCALES)
def test_the_person_number_is_a_small_badge_on_the_heading_line(reports: Path,
                                                                locale: str) -> None:
    document = report(reports, locale)
    badge = document.styles["person-number"]
    assert badge.type == WD_STYLE_TYPE.CHARACTER
    assert badge.font.size <= Pt(9)
    assert badge.element.find(f"{qn('w:rPr')}/{qn('w:shd')}").get(qn("w:fill")) != "FFFFFF"
    people = [(n, name) for n, name in headings_of(document) if n]
    assert [n for n, _ in people] == [str(i) for i in range(1, len(SORA.people) + 1)]
    numbered = [p for p in heading_paragraphs(document)
                if p.find(qn("w:bookmarkStart")).get(qn("w:name")).startswith("person_")]
    assert len(numbered) == len(SORA.people)
    for p in numbered:  # the bookmark the contents point to, then the badge, then the name
        assert etree.QName(p[1]).localname == "bookmarkStart"
        style = p[2].find(f"{qn('w:rPr')}/{qn('w:rStyle')}")
        assert style is not None and style.get(qn("w:val")) == badge.style_id


@pytest.mark.slow
@pytest.mark.parametrize("locale", ALL_LOCALES)
def test_contents_entries_have_the_person_numbers(reports: Path, locale: str) -> None:
    document = report(reports, locale)
    number_style = document.styles["toc-number"].style_id
    entries = [p for p in document.element.body.iter(qn("w:p"))
               if p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}") is not None
               and p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val"))
               == document.styles["toc 1"].style_id]
    numbers = []
    for entry in entries:
        link = entry.find(qn("w:hyperlink"))
        first = link.find(qn("w:r"))
        style = first.find(f"{qn('w:rPr')}/{qn('w:rStyle')}")
        own_tabs = entry.findall(f"{qn('w:pPr')}/{qn('w:tabs')}/{qn('w:tab')}")
        if style is not None and style.get(qn("w:val")) == number_style:
            numbers.append(first.find(qn("w:t")).text)
            assert first.getnext().find(qn("w:tab")) is not None  # then the 8 mm column
            assert [t.get(qn("w:val")) for t in own_tabs] == ["left"]
        else:  # a short title (前言) must reach the page number's tab, not a number column
            assert own_tabs == []
    assert numbers == [str(i) for i in range(1, len(SORA.people) + 1)]
    assert len(entries) == len(SORA.people) + 3  # preface, conclusion, colophon: no number
    tabs = document.styles["toc 1"].paragraph_format.tab_stops
    assert [t.alignment for t in tabs] == [WD_TAB_ALIGNMENT.RIGHT]


@pytest.mark.slow
def test_english_paragraphs_after_the_first_are_indented(reports: Path) -> None:
    english, chinese = report(reports, "en"), report(reports, "zh_CN")
    found = [p.style for p in paragraphs(english)]
    assert "commentary indented" in found and "preface indented" in found
    for name in ("commentary", "preface"):
        following = english.styles[f"{name} indented"]
        assert following.base_style.name == name
        assert following.paragraph_format.first_line_indent == Pt(15.75)  # 1.5 em of 10.5 pt
    # Each run of commentary starts without the indent.
    for before, after in itertools.pairwise(found):
        if after == "commentary indented":
            assert before in ("commentary", "commentary indented")
    assert found.count("commentary") == len([p for p in SORA.people if p.commentary])
    assert not any(p.style.endswith("indented") for p in paragraphs(chinese))


@pytest.mark.slow
@pytest.mark.parametrize("locale", ALL_LOCALES)
def test_settings_hyphenate_and_headings_do_not(reports: Path, locale: str) -> None:
    document = report(reports, locale)
    assert document.settings.element.find(qn("w:autoHyphenation")) is not None
    heading = document.styles["Heading 1"].element
    assert heading.find(f"{qn('w:pPr')}/{qn('w:suppressAutoHyphens')}") is not None


@pytest.mark.slow
def test_cover_names_do_not_break_inside(reports: Path) -> None:
    cover = next(p.text for p in paragraphs(report(reports, "en")) if p.style == "cover-people")
    for person in SORA.people:
        assert person.name.replace(" ", "\u00a0") in cover, person.name


@pytest.mark.slow
@pytest.mark.parametrize("name", ("toc 1", "Hyperlink"))
def test_word_s_own_styles_are_built_in(reports: Path, name: str) -> None:
    style = report(reports, "en").styles[name]
    assert style.builtin
    assert style.element.get(qn("w:customStyle")) is None


@pytest.mark.slow
def test_app_properties_are_honest(reports: Path) -> None:
    with zipfile.ZipFile(reports / "default" / "en" / "sora-authors.docx") as package:
        app = etree.fromstring(package.read("docProps/app.xml"))
    names = {etree.QName(e).localname: e.text for e in app}
    assert names["Application"] == "diglot"
    for stale in ("Template", "Pages", "Words", "AppVersion", "TotalTime", "Characters"):
        assert stale not in names, stale
    assert "Normal.dotm" not in etree.tostring(app).decode()


@pytest.mark.slow
@pytest.mark.parametrize("locale", ALL_LOCALES)
def test_work_titles_are_upright_in_chinese_as_in_the_pdf(reports: Path, locale: str) -> None:
    document = report(reports, locale)
    style = document.styles["work-title"]
    titles = [run for p in document.paragraphs for run in p.runs
              if run.style is not None and run.style.name == "work-title"]
    titles += [run for table in document.tables for row in table.rows for cell in row.cells
               for p in cell.paragraphs for run in p.runs
               if run.style is not None and run.style.name == "work-title"]
    assert titles
    # report.css sets them italic; the PDF of a Chinese report keeps them upright (CJK faces
    # have no italic, and its Latin letters come from the CJK face).
    assert style.font.italic is (locale == "en")
    assert all(run.italic is None for run in titles)


@pytest.mark.slow
@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("locale", ALL_LOCALES)
def test_the_leading_and_table_sizes_follow_the_theme(reports: Path, theme: str,
                                                      locale: str) -> None:
    """report.css `--line-height` (1.6, Chinese 1.75) and brief.css's (1.5, Chinese 1.6) at
    their body sizes (10.5 pt, 9.5 pt); the facts tables are sized in em of the body."""
    document = report(reports, locale, theme)
    defaults = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}")
    spacing = defaults.find(f"{qn('w:pPr')}/{qn('w:spacing')}")
    size, leading = {("default", True): (10.5, 1.75), ("default", False): (10.5, 1.6),
                     ("brief", True): (9.5, 1.6), ("brief", False): (9.5, 1.5)}[
        theme, locale.startswith("zh")]
    assert document.styles["Normal"].font.size == Pt(size)
    assert spacing.get(qn("w:line")) == str(round(size * leading * 20))
    assert spacing.get(qn("w:lineRule")) == "atLeast"
    cells, labels = document.styles["Table Contents"].font, document.styles["Table Heading"].font
    assert (cells.size.pt, labels.size.pt) == ((9.5, 8.5) if theme == "default" else (8.5, 7.5))


@pytest.mark.slow
@pytest.mark.parametrize("theme", THEMES)
def test_a_report_without_a_cover_has_the_title_block_s_smaller_title(reports: Path,
                                                                      theme: str) -> None:
    document = report(reports, "en", theme)
    first = [p for p in document.paragraphs if p.text.strip()][:2]
    if theme == "default":  # the cover
        assert [p.style.name for p in first] == ["cover-kicker", "Title"]
        return
    # report.css `.title-block .title` (22 pt, under a 4 pt rule), `.title-block .subtitle`
    assert [p.style.name for p in first] == ["block-title", "block-subtitle"]
    title, subtitle = (document.styles[name] for name in ("block-title", "block-subtitle"))
    assert title.base_style.name == "Title" and title.font.size == Pt(22)
    rule = title.element.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:top')}")
    assert rule.get(qn("w:sz")) == "32"
    assert subtitle.base_style.name == "Subtitle" and subtitle.font.size == Pt(11)
    assert subtitle.font.color.rgb == document.styles["note"].font.color.rgb


@pytest.mark.slow
@pytest.mark.parametrize("theme", THEMES)
def test_the_person_s_name_and_the_rule_s_spaces_follow_the_theme(reports: Path,
                                                                  theme: str) -> None:
    """report.css: `.person-name` 16 pt, `.person` 11 mm below, `.person + .person` 7 mm
    above; brief.css: 13 pt, 7 mm, 5 mm (the rule's space above is 4/11 of the margin)."""
    document = report(reports, "zh_CN", theme)
    size, below, above = (16, 11, 7) if theme == "default" else (13, 7, 5)
    assert document.styles["Heading 1"].font.size == Pt(size)
    rule = document.styles["person-rule"].paragraph_format
    assert abs(rule.space_before.mm - below * 4 / 11) < 0.05
    assert abs(rule.space_after.mm - above) < 0.05
