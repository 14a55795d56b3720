"""DOCX output, the bottom: WordprocessingML elements of the document body (python-docx oxml).

Paragraphs, runs, fields and tables; `oxmldefs` makes those of the definition parts (styles,
numbering, settings, font table) with the helpers here. Elements come from python-docx's parser
(`OxmlElement`, or `SubElement` of one of its elements), so they are its element classes, and a
child python-docx knows goes into its place through `get_or_add_*`. The few children python-docx
does not model are put in place by `child`, before their successors in the schema's order
(ECMA-376 part 1).
"""

from __future__ import annotations

import copy
import functools

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
TABLE_BORDER_SIDES = ("top", "left", "bottom", "right", "insideH", "insideV")
CELL_MARGIN_SIDES = ("top", "left", "bottom", "right")

# What follows a run property python-docx does not model, in the schema's order (CT_RPr).
AFTER_RPR_SPACING = ("w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr",
                     "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout",
                     "specVanish", "oMath")
AFTER_RPR_LANG = AFTER_RPR_SPACING[16:]


@functools.cache
def wqn(name: str) -> str:
    """The Clark name of `w:name` (cached: the writer asks for the same few names many times)."""
    return qn(f"w:{name}")


def element(tag: str, **attributes: str) -> etree._Element:
    """A new `<w:tag w:attr=...>`, not yet in a document."""
    return OxmlElement(f"w:{tag}", {wqn(k): v for k, v in attributes.items()})


def append(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    """Append `<w:tag w:attr=...>` to `parent` (the last child, where the schema puts it)."""
    return etree.SubElement(parent, wqn(tag), {wqn(k): v for k, v in attributes.items()})


def child(parent: etree._Element, tag: str, successors: tuple[str, ...]) -> etree._Element:
    """The `w:tag` child of `parent`, made before the first of `successors` present if missing."""
    found = parent.find(wqn(tag))
    if found is None:
        found = element(tag)
        parent.insert_element_before(found, *(f"w:{name}" for name in successors))
    return found


# -- paragraphs -----------------------------------------------------------------------------------

def start_paragraph(p: etree._Element, style: str | None, page_break: bool = False,
                    num_id: int | None = None, space_before: str | None = None) -> None:
    """The properties of a new paragraph `p`: its style, a page break before it, its list
    number, its space above; none at all when it has none of them."""
    if style is None and not page_break and num_id is None and space_before is None:
        return
    ppr = p.get_or_add_pPr()
    if style is not None:
        ppr.get_or_add_pStyle().set(wqn("val"), style)
    if page_break:
        ppr.get_or_add_pageBreakBefore()
    if num_id is not None:
        numpr = ppr.get_or_add_numPr()
        append(numpr, "ilvl", val="0")
        append(numpr, "numId", val=str(num_id))
    if space_before is not None:
        ppr.get_or_add_spacing().set(wqn("before"), space_before)


def set_style(p: etree._Element, style: str) -> None:
    """Give paragraph `p` the paragraph style `style`."""
    p.get_or_add_pPr().get_or_add_pStyle().set(wqn("val"), style)


def keep_together(p: etree._Element) -> None:
    """Keep the lines of paragraph `p` on one page."""
    p.get_or_add_pPr().get_or_add_keepLines()


def keep_with_next(p: etree._Element) -> None:
    """Keep paragraph `p` on the page of the next one."""
    p.get_or_add_pPr().get_or_add_keepNext()


def flush_left(p: etree._Element) -> None:
    """No first-line indent in paragraph `p`, unless it sets an indent of its own."""
    ppr = p.get_or_add_pPr()
    if ppr.ind is None:
        ind = ppr.get_or_add_ind()
        ind.set(wqn("firstLineChars"), "0")
        ind.set(wqn("firstLine"), "0")


def tab_stop(p: etree._Element, align: str, position: int) -> None:
    """A tab stop of paragraph `p` at `position` twips."""
    append(p.get_or_add_pPr().get_or_add_tabs(), "tab", val=align, pos=str(position))


def page_break_paragraph() -> etree._Element:
    """A paragraph that holds only a page break."""
    p = element("p")
    append(append(p, "r"), "br", type="page")
    return p


def bookmark_start(p: etree._Element, bookmark_id: int, name: str) -> None:
    append(p, "bookmarkStart", id=str(bookmark_id), name=name)


def bookmark_end(p: etree._Element, bookmark_id: int) -> None:
    append(p, "bookmarkEnd", id=str(bookmark_id))


def hyperlink(p: etree._Element, anchor: str | None = None, rid: str | None = None
              ) -> etree._Element:
    """A hyperlink in `p` to a bookmark (`anchor`) or to the relationship `rid`."""
    link = append(p, "hyperlink")
    if anchor is not None:
        link.set(wqn("anchor"), anchor)
    else:
        link.set(qn("r:id"), rid or "")
    link.set(wqn("history"), "1")
    return link


# -- runs -----------------------------------------------------------------------------------------

def run_properties(style: str | None = None, bold: bool = False, italic: bool = False,
                   vert: str | None = None, lang: tuple[str, str] | None = None,
                   upright: bool = False) -> etree._Element | None:
    """A run's `w:rPr`: character style, bold, italic (or `upright`: not italic, over its
    styles), vertical alignment and a language (`("val" | "eastAsia", tag)`); None when it has
    none of them."""
    rpr = element("rPr")
    if style:
        rpr.get_or_add_rStyle().set(wqn("val"), style)
    if bold:
        rpr.get_or_add_b()
    if upright:
        rpr.get_or_add_i().set(wqn("val"), "0")
    elif italic:
        rpr.get_or_add_i()
    if vert:
        rpr.get_or_add_vertAlign().set(wqn("val"), vert)
    if lang is not None:
        language(rpr).set(wqn(lang[0]), lang[1])
    return rpr if len(rpr) else None


def language(rpr: etree._Element) -> etree._Element:
    """The `w:lang` of run properties `rpr`, made if missing."""
    return child(rpr, "lang", AFTER_RPR_LANG)


def run(parent: etree._Element, rpr: etree._Element | None = None) -> etree._Element:
    """A new run at the end of `parent`, with a copy of `rpr`."""
    r = append(parent, "r")
    if rpr is not None:
        r.append(copy.copy(rpr))
    return r


def text(r: etree._Element, value: str) -> etree._Element:
    """Text in run `r`, its spaces kept."""
    t = etree.SubElement(r, wqn("t"), {XML_SPACE: "preserve"})
    t.text = value
    return t


def text_run(p: etree._Element, value: str) -> None:
    text(append(p, "r"), value)


def styled_run(parent: etree._Element, value: str, style: str | None) -> None:
    """A run of `value` in character style `style` (plain when None)."""
    r = append(parent, "r")
    if style is not None:
        append(append(r, "rPr"), "rStyle", val=style)
    append(r, "t").text = value


def tab_run(parent: etree._Element) -> None:
    append(append(parent, "r"), "tab")


def line_break(r: etree._Element) -> None:
    append(r, "br")


def drawing(r: etree._Element, inline: etree._Element) -> None:
    """A picture in run `r` (`inline` is python-docx's `wp:inline`)."""
    append(r, "drawing").append(inline)


def field_start(parent: etree._Element, instruction: str) -> None:
    """The runs that open a field (PAGE, NUMPAGES, TOC) and begin its shown result."""
    append(append(parent, "r"), "fldChar", fldCharType="begin")
    instr = append(append(parent, "r"), "instrText")
    instr.text = instruction
    instr.set(XML_SPACE, "preserve")
    append(append(parent, "r"), "fldChar", fldCharType="separate")


def field_end(parent: etree._Element) -> None:
    """The run that closes the field `field_start` opened."""
    append(append(parent, "r"), "fldChar", fldCharType="end")


def page_reference(link: etree._Element, bookmark: str) -> etree._Element:
    """Append a tab and a `PAGEREF bookmark \\h` field to a contents link, as Word writes a
    contents; returns the field's shown result (a `w:t`)."""

    def hidden_run() -> etree._Element:  # Word hides the number and its tab in web layout
        r = append(link, "r")
        append(append(r, "rPr"), "webHidden")
        return r

    append(hidden_run(), "tab")
    append(hidden_run(), "fldChar", fldCharType="begin")
    instr = append(hidden_run(), "instrText")
    instr.text = f" PAGEREF {bookmark} \\h "
    instr.set(XML_SPACE, "preserve")
    append(hidden_run(), "fldChar", fldCharType="separate")
    result = append(hidden_run(), "t")
    result.text = "0"
    append(hidden_run(), "fldChar", fldCharType="end")
    return result


# -- tables ---------------------------------------------------------------------------------------

def table(width: int, columns: list[int], style: str | None, borderless: bool = False
          ) -> etree._Element:
    """A table `width` twips wide with grid columns of `columns` twips, in table style `style`;
    `borderless` draws no borders of its own."""
    tbl = element("tbl")
    tbl_pr = append(tbl, "tblPr")
    if style is not None:
        append(tbl_pr, "tblStyle", val=style)
    append(tbl_pr, "tblW", w=str(width), type="dxa")
    if borderless:
        borders = append(tbl_pr, "tblBorders")
        for side in TABLE_BORDER_SIDES:
            append(borders, side, val="nil")
    append(tbl_pr, "tblLayout", type="fixed")
    append(tbl_pr, "tblLook", val="0000", firstRow="0", lastRow="0", firstColumn="0",
           lastColumn="0", noHBand="1", noVBand="1")
    grid = append(tbl, "tblGrid")
    for column in columns:
        append(grid, "gridCol", w=str(column))
    return tbl


def row(tbl: etree._Element, cant_split: bool = True, header: bool = False) -> etree._Element:
    """A new row of `tbl`; `cant_split` keeps it on one page, `header` repeats it on each."""
    tr = append(tbl, "tr")
    if cant_split or header:
        tr_pr = append(tr, "trPr")
        if cant_split:
            append(tr_pr, "cantSplit")
        if header:
            append(tr_pr, "tblHeader")
    return tr


def cell(tr: etree._Element, width: int, span: int = 1, merge: str | None = None
         ) -> etree._Element:
    """A new cell of row `tr`, `width` twips wide over `span` grid columns; `merge` is
    "restart" for the first cell of a vertical merge, "continue" for a cell it covers."""
    tc = append(tr, "tc")
    tc_pr = tc.get_or_add_tcPr()
    tc_w = tc_pr.get_or_add_tcW()
    tc_w.set(wqn("w"), str(width))
    tc_w.set(wqn("type"), "dxa")
    if span > 1:
        tc_pr.get_or_add_gridSpan().set(wqn("val"), str(span))
    if merge == "restart":
        tc_pr.get_or_add_vMerge().set(wqn("val"), "restart")
    elif merge == "continue":
        tc_pr.get_or_add_vMerge()
    return tc


def end_cell(tc: etree._Element) -> None:
    """A cell ends with a paragraph: add an empty one where it does not."""
    if tc.find(wqn("p")) is None or tc[-1].tag != wqn("p"):
        append(tc, "p")
