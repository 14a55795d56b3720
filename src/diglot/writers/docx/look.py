"""DOCX output, the default theme's look: report.css as Word styles, in the theme's palette.

Class names. A `class` in the template selects the style of the same name (case-insensitive), as
pandoc's `custom-style` does; the styles below give the default theme's classes their look, so a
designer restyles them in Word without touching Python.
"""

from __future__ import annotations

from collections.abc import Mapping

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml.ns import qn
from docx.oxml.styles import CT_Style
from docx.shared import Mm, Pt, RGBColor
from docx.styles import BabelFish
from docx.styles.style import BaseStyle, StyleFactory

from diglot.writers.docx import oxmldefs
from diglot.writers.docx.palette import DEFAULT, Palette

# Inline classes that report.css sets on a line of their own (`display: block`).
LINE_BREAK_BEFORE = frozenset({"note"})
# Blocks that report.css sets as a small inline box before the next block (the person's number
# badge): Word has no inline block, so their text opens the next paragraph, in the character
# style of the class, and the contents entry of a heading starts with it too.
RUN_IN = frozenset({"person-number"})
# Blocks that report.css separates from a previous sibling of the same class with a rule
# (`.person + .person`): a paragraph of the named style stands between them.
RULE_BETWEEN = {"person": "person-rule"}
# The second language of a bilingual title or label (`.pair-gloss`, parallel editions), and
# where report.css sets it on a line of its own (`display: block`), smaller: the paragraph
# styles there and the character style of that line.
GLOSS = "pair-gloss"
BLOCK_GLOSSES = {"Title": "title-gloss", "Subtitle": "subtitle-gloss",
                 "Table Heading": "label-gloss", "block-title": "block-title-gloss",
                 "block-subtitle": "block-subtitle-gloss"}
# Paragraph styles that look otherwise inside a block of a class: the title and subtitle of a
# report without a cover (report.css `.title-block .title`, `.title-block .subtitle`).
PLACED = {"Title": ("title-block", "block-title"), "Subtitle": ("title-block", "block-subtitle")}
# The character style of the text the header repeats (report.css `string-set: section`).
RUNNING_HEAD = "section-name"
# Word's own names: created without w:customStyle so that Word takes them for its built-ins.
BUILTIN_NAMES = frozenset({"toc 1", "Hyperlink", "HTML Code"})


class _Named:
    """A document's styles by name, indexed once: python-docx searches the whole style sheet at
    every lookup and every addition, a time quadratic in the styles."""

    def __init__(self, document: Document) -> None:
        self.sheet = document.styles.element
        self._by_name: dict[str, CT_Style] = {}
        for element in self.sheet.findall(qn("w:style")):
            if element.name_val is not None:  # the first of a name, as python-docx finds it
                self._by_name.setdefault(element.name_val, element)

    def __getitem__(self, name: str) -> BaseStyle:
        return StyleFactory(self._by_name[BabelFish.ui2internal(name)])

    def __contains__(self, name: str) -> bool:
        return BabelFish.ui2internal(name) in self._by_name

    def add(self, name: str, kind: WD_STYLE_TYPE) -> BaseStyle:
        internal = BabelFish.ui2internal(name)
        element = self.sheet.add_style_of_type(internal, kind, name in BUILTIN_NAMES)
        self._by_name[internal] = element
        return StyleFactory(element)


def _style(styles: _Named, name: str, kind: WD_STYLE_TYPE, base: str | None = None
           ) -> BaseStyle:
    """The style called `name`, created when missing, with its own formatting cleared."""
    style = styles[name] if name in styles else styles.add(name, kind)
    element = style.element
    for tag in ("pPr", "rPr", "tblPr", "tcPr"):
        found = element.find(qn(f"w:{tag}"))
        if found is not None:
            keep = found.find(qn("w:numPr")) if tag == "pPr" else None
            if keep is not None and keep.find(qn("w:numId")) is None:
                keep = None
            element.remove(found)
            if keep is not None:
                element.get_or_add_pPr().append(keep)
    if base is not None:
        style.base_style = styles[base]
    style.hidden = False
    style.quick_style = kind in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER)
    return style


def _border(style: BaseStyle, side: str, color: str, eighths: int, space_pt: int) -> None:
    oxmldefs.paragraph_border(style.element.get_or_add_pPr(), side, color, eighths, space_pt)


def _outline_level(style: BaseStyle, level: int) -> None:
    oxmldefs.outline_level(style.element.get_or_add_pPr(), level)


def _no_hyphenation(style: BaseStyle) -> None:
    """Headings break at spaces only, as report.css sets them (`hyphens: manual`)."""
    oxmldefs.no_hyphenation(style.element.get_or_add_pPr())


def _letter_spacing(style: BaseStyle, twentieths: int) -> None:
    oxmldefs.letter_spacing(style.element.get_or_add_rPr(), twentieths)


def define_styles(document: Document, chinese: bool, look: Palette) -> None:
    """The default theme's look (report.css), as Word styles, in the theme's colours and body
    size; `chinese` for a CJK report."""
    P, C, T = WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER, WD_STYLE_TYPE.TABLE
    accent, muted = RGBColor.from_string(look.accent), RGBColor.from_string(look.muted)
    text_width = Mm(210 - 44)
    styles = _Named(document)

    normal = _style(styles, "Normal", P)
    normal.paragraph_format.widow_control = True
    normal.font.size, normal.font.color.rgb = Pt(look.font_size), RGBColor.from_string(look.ink)

    body = _style(styles, "Body Text", P, "Normal")
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if chinese:  # two characters, as Chinese paragraphs are set
        ind = body.element.get_or_add_pPr().get_or_add_ind()
        ind.set(qn("w:firstLineChars"), "200")
        ind.set(qn("w:firstLine"), "420")
    for name in ("commentary", "preface", "conclusion"):
        _style(styles, name, P, "Body Text")
    if not chinese:  # English indents every paragraph after the first by 1.5 em
        for name in ("commentary", "preface"):
            following = _style(styles, f"{name} indented", P, name)
            following.paragraph_format.first_line_indent = Pt(15.75)
            following.next_paragraph_style = following
            styles[name].next_paragraph_style = following

    title = _style(styles, "Title", P, "Normal")
    title.font.size, title.font.bold, title.font.color.rgb = Pt(30), True, accent
    title.paragraph_format.space_before, title.paragraph_format.space_after = Pt(0), Mm(6)
    title.paragraph_format.line_spacing = 1.1
    title.paragraph_format.keep_with_next = True
    _border(title, "top", look.accent, 10, 22)

    subtitle = _style(styles, "Subtitle", P, "Normal")
    subtitle.font.size = Pt(14)
    subtitle.paragraph_format.line_spacing = 1.3
    subtitle.paragraph_format.space_after = Pt(10)

    # Without a cover, a title block atop the first page under a thick rule (`.title-block`).
    block_title = _style(styles, "block-title", P, "Title")
    block_title.font.size = Pt(22)
    block_title.paragraph_format.space_after = Mm(2)
    _border(block_title, "top", look.accent, 32, 14)
    block_subtitle = _style(styles, "block-subtitle", P, "Subtitle")
    block_subtitle.font.size, block_subtitle.font.color.rgb = Pt(11), muted
    block_subtitle.paragraph_format.space_after = Pt(0)

    kicker = _style(styles, "cover-kicker", P, "Normal")
    kicker.font.size, kicker.font.all_caps, kicker.font.color.rgb = Pt(9), True, muted
    kicker.paragraph_format.space_before = Mm(58)
    kicker.paragraph_format.space_after = Mm(4)
    kicker.paragraph_format.keep_with_next = True
    _letter_spacing(kicker, 14)

    people = _style(styles, "cover-people", P, "Normal")
    people.font.size, people.font.color.rgb = Pt(9.5), accent
    people.paragraph_format.space_before = Mm(16)
    people.paragraph_format.line_spacing = 1.6

    meta = _style(styles, "cover-meta", P, "Normal")
    meta.font.color.rgb = muted
    meta.paragraph_format.space_after = Pt(2)

    for level, size, before, after in ((1, 16, 6, 4), (2, 13, 12, 3), (3, 11.5, 10, 2),
                                       (4, 10.5, 8, 2)):
        heading = _style(styles, f"Heading {level}", P, "Normal")
        heading.font.size, heading.font.bold = Pt(size), True
        heading.font.color.rgb = accent if level < 4 else RGBColor.from_string(look.ink)
        heading.paragraph_format.space_before = Pt(before)
        heading.paragraph_format.space_after = Pt(after)
        heading.paragraph_format.line_spacing = 1.15
        heading.paragraph_format.keep_with_next = True
        heading.paragraph_format.keep_together = True
        _outline_level(heading, level - 1)
        _no_hyphenation(heading)
        styles[f"Heading {level}"].next_paragraph_style = normal

    # Preface, conclusion and colophon titles (report.css `.section-title`): the contents
    # heading's size and rule. Based on Heading 1, so the contents and outline still list them.
    section = _style(styles, "section-title", P, "Heading 1")
    section.font.size = Pt(18)
    section.paragraph_format.space_before = Pt(0)
    section.paragraph_format.space_after = Mm(8)
    _border(section, "bottom", look.rule, 6, 4)

    # The rule between two people (`.person + .person`): an empty paragraph whose top border is
    # drawn, with the person's bottom margin above and the padding below.
    rule = _style(styles, "person-rule", P, "Normal")
    rule.font.size = Pt(2)
    rule.paragraph_format.space_before = Mm(4)
    rule.paragraph_format.space_after = Mm(7)
    rule.paragraph_format.line_spacing = Pt(2)
    rule.paragraph_format.keep_with_next = True
    _border(rule, "top", look.rule, 6, 0)

    toc_heading = _style(styles, "TOC Heading", P, "Normal")
    toc_heading.font.size, toc_heading.font.bold, toc_heading.font.color.rgb = Pt(18), True, accent
    toc_heading.paragraph_format.space_after = Mm(8)
    toc_heading.paragraph_format.line_spacing = 1.15
    _border(toc_heading, "bottom", look.rule, 6, 4)
    _outline_level(toc_heading, 9)

    toc1 = _style(styles, "toc 1", P, "Normal")
    toc1.paragraph_format.space_after = Pt(5)
    toc1.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT,
                                                 WD_TAB_LEADER.DOTS)

    headline = _style(styles, "headline", P, "Normal")
    headline.font.color.rgb = muted
    headline.font.italic = not chinese
    headline.paragraph_format.space_after = Pt(8)
    headline.paragraph_format.keep_with_next = True

    quote = _style(styles, "Quote", P, "Normal")
    quote.font.italic, quote.font.color.rgb = True, muted
    quote.paragraph_format.left_indent = Mm(8)

    # report.css sizes the facts in em of the body size (`.facts` 0.92 em, its th 0.85 em of
    # that): a theme with a smaller body has smaller tables.
    label = _style(styles, "Table Heading", P, "Normal")
    label.font.size, label.font.bold, label.font.color.rgb = _scaled(8.5, look), True, accent
    label.paragraph_format.space_after = Pt(0)
    cell = _style(styles, "Table Contents", P, "Normal")
    cell.font.size = _scaled(9.5, look)
    cell.paragraph_format.space_after = Pt(0)

    for name in ("List Bullet", "List Bullet 2", "List Bullet 3", "List Number", "List Number 2",
                 "List Number 3", "List Continue", "List Continue 2", "List Continue 3"):
        item = _style(styles, name, P, "Normal")
        item.paragraph_format.space_after = Pt(2)
    # Parallel editions: the second half of an interleaved pair, and the pair tables.
    translation = _style(styles, "Translation", P, "Normal")
    translation.font.size, translation.font.color.rgb = Pt(9.5), RGBColor.from_string("3B434C")
    translation.paragraph_format.left_indent = Mm(6)
    translation.paragraph_format.space_after = Pt(9)
    _border(translation, "left", look.rule, 8, 6)
    _pair_table_look(_style(styles, "pair-columns", T, "Normal Table"), look)

    lessons = _style(styles, "lessons", P, "List Number")
    lessons.paragraph_format.space_after = Pt(4)
    # A lesson of a parallel edition carries its number as text in each column (pairs.html),
    # so its style has no numbering of its own to run on from one column into the other.
    lesson = _style(styles, "lesson", P, "Normal")
    lesson.paragraph_format.space_after = Pt(4)

    # The editor's notes, the colophon's subheading and its closing line (report.css).
    note = _style(styles, "editor-note", P, "Normal")
    note.font.size, note.font.color.rgb = Pt(round(look.font_size * 0.88 * 2) / 2), muted
    note.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    note.paragraph_format.first_line_indent = Pt(0)
    note.paragraph_format.space_before, note.paragraph_format.space_after = Pt(2), Pt(5)
    colophon_title = _style(styles, "colophon-title", P, "Normal")
    colophon_title.font.bold, colophon_title.font.color.rgb = True, accent
    colophon_title.paragraph_format.space_before = Mm(7)
    colophon_title.paragraph_format.space_after = Mm(2)
    colophon_title.paragraph_format.keep_with_next = True
    colophon_tool = _style(styles, "colophon-tool", P, "Normal")
    colophon_tool.font.color.rgb = muted
    colophon_tool.paragraph_format.space_before = Mm(7)

    header = _style(styles, "Header", P, "Normal")
    footer = _style(styles, "Footer", P, "Normal")
    for style in (header, footer):
        style.font.size, style.font.color.rgb = Pt(8), muted
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.line_spacing = 1.0
    footer.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

    facts = _style(styles, "facts", T, "Normal Table")
    _facts_table_look(facts, look)

    characters = {
        "Hyperlink": {"color": look.accent},
        "toc-number": {"color": look.muted},
        "native-name": {"bold": False, "color": look.muted},
        "item-lead": {"bold": True},
        # report.css sets work titles in italic; a CJK face has none, and the PDF keeps a Chinese
        # report's titles upright (its Latin letters come from the CJK face too).
        "work-title": {"bold": False, "italic": not chinese},
        "sep": {"color": look.muted}, "duration": {"color": look.muted},
        "venue": {"color": look.muted},
        "note": {"color": look.muted, "size": 9},
        "sic": {"color": look.muted, "size": round(look.font_size * 0.78 * 2) / 2},
        "pair-gloss": {"bold": False, "color": look.muted},
        # report.css `.title .pair-gloss` (0.62 em), `.cover .subtitle .pair-gloss` (0.8 em),
        # `.facts th .pair-gloss` (0.92 em)
        "title-gloss": {"bold": False, "color": look.muted, "size": 18.5},
        "subtitle-gloss": {"bold": False, "color": look.muted, "size": 11},
        "label-gloss": {"bold": False, "color": look.muted, "size": _scaled(8, look).pt},
        "block-title-gloss": {"bold": False, "color": look.muted, "size": 13.5},
        "block-subtitle-gloss": {"bold": False, "color": look.muted, "size": 7},
        "item-number": {"bold": True, "color": look.accent},
        "HTML Code": {"size": 9.5},
    }
    for name, character in characters.items():
        style = _style(styles, name, C, "Default Paragraph Font")
        if "color" in character:
            style.font.color.rgb = RGBColor.from_string(str(character["color"]))
        if "bold" in character:
            style.font.bold = bool(character["bold"])
        if "italic" in character:
            style.font.italic = bool(character["italic"])
        if "size" in character:
            style.font.size = Pt(float(character["size"]))
    fallback = _style(styles, "fallback", C, "Default Paragraph Font")
    oxmldefs.underline(fallback.element.get_or_add_rPr(), "dotted", look.fallback_rule)
    _number_badge(_style(styles, "person-number", C, "Default Paragraph Font"), look)
    _style(styles, RUNNING_HEAD, C, "Default Paragraph Font")  # no look: a marker for STYLEREF


def follow_lengths(document: Document, lengths: Mapping[tuple[str, str], float]) -> None:
    """The sizes and spaces a theme's stylesheet gives the person's name and the space around
    the rule between people (brief.css: 13 pt, 7 mm and 5 mm), over report.css's that the
    styles above have (16 pt; `.person` 11 mm below, `.person + .person` 7 mm above the text:
    the rule's 4 mm and 7 mm)."""
    size = lengths.get((".person-name", "font-size"))
    if size is not None:
        document.styles["Heading 1"].font.size = Pt(round(size * 2) / 2)
    rule = document.styles["person-rule"].paragraph_format
    below = lengths.get((".person", "margin-bottom"))
    if below is not None:
        rule.space_before = Pt(below * 4 / 11)
    above = lengths.get((".person + .person", "padding-top"))
    if above is not None:
        rule.space_after = Pt(above)


def _scaled(size: float, look: Palette) -> Pt:
    """`size` points at the default body size, in proportion to the theme's (half points)."""
    return Pt(round(size * look.font_size / DEFAULT.font_size * 2) / 2)


def _number_badge(style: BaseStyle, look: Palette) -> None:
    """The person's number as report.css draws it: small, bold, white on the accent."""
    style.font.size, style.font.bold = Pt(8.5), True
    style.font.color.rgb = RGBColor.from_string("FFFFFF")
    oxmldefs.run_shading(style.element.get_or_add_rPr(), look.accent)


def _pair_table_look(style: BaseStyle, look: Palette) -> None:
    """Two columns with a hairline between them and a gutter (report.css `.pair-columns`)."""
    nil = {"val": "nil"}
    oxmldefs.table_style_look(
        style.element,
        {"top": nil, "left": nil, "bottom": nil, "right": nil, "insideH": nil,
         "insideV": {"val": "single", "sz": "4", "space": "0", "color": look.rule}},
        {"top": 0, "left": 198, "bottom": 0, "right": 198})


def _facts_table_look(style: BaseStyle, look: Palette) -> None:
    """A shaded table with white rules between rows and roomy cells (report.css `.facts`)."""
    nil = {"val": "nil"}
    oxmldefs.table_style_look(
        style.element,
        {"top": nil, "left": nil, "bottom": nil, "right": nil,
         "insideH": {"val": "single", "sz": "4", "space": "0", "color": "FFFFFF"},
         "insideV": nil},
        {"top": 91, "left": 170, "bottom": 91, "right": 170}, fill=look.accent_soft,
        spacing={"after": "0", "line": str(round(280 * look.font_size / DEFAULT.font_size)),
                 "lineRule": "atLeast"})


def define_lessons_numbering(document: Document, look: Palette) -> None:
    """Numbers of the `lessons` list in the heading face and the accent colour."""
    numbering = document.part.numbering_part.element
    abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.iter(qn("w:abstractNum"))]
    abstract_id = str(max(abstract_ids, default=-1) + 1)
    abstract = oxmldefs.abstract_numbering(int(abstract_id), "1D4E6E01", "lessons", "%1.", 454,
                                       look.accent)
    num_id = oxmldefs.add_numbering(numbering, abstract)
    oxmldefs.style_numbering(document.styles["lessons"].element, num_id)
    for abstract_num in numbering.iter(qn("w:abstractNum")):
        for lvl in abstract_num.iter(qn("w:lvl")):
            ind = lvl.find(f"{qn('w:pPr')}/{qn('w:ind')}")
            if ind is not None and lvl.find(qn("w:numFmt")).get(qn("w:val")) == "bullet":
                ind.set(qn("w:hanging"), "284")
