"""DOCX output, parallel editions: a run of passage pairs as one borderless two-column table.

The HTML contract is `pairs.html`'s: `div.pair.pair-columns > div.pair-row > div.pair-half`
twice. Consecutive pairs share one Word table (one row each), so that Word's table tools
select a section's pairs at once; every row but those of `.pair-long` pairs is kept on one page
(`w:cantSplit`, which Word honours even for a row taller than a page, hence not the long ones).
"""

from __future__ import annotations

from lxml import etree

from diglot.writers.docx.oxml import _w, paragraph_properties, wqn

PAIR = "pair"
COLUMNS = "pair-columns"
ROW = "pair-row"
HALF = "pair-half"
SECOND = "pair-second"
TRANSLATION_STYLE = "Translation"  # the second half of an interleaved pair
TABLE_STYLE = "pair-columns"  # the table's look, where the reference document defines it

LONG = "pair-long"  # a pair that may break across pages (pairs.html estimates it)


def new_table(width: int, style: str | None) -> etree._Element:
    """An empty two-column table `width` twips wide, without borders unless `style` has them."""
    tbl = etree.Element(wqn("tbl"))
    tbl_pr = _w(tbl, "tblPr")
    if style is not None:
        _w(tbl_pr, "tblStyle", val=style)
    _w(tbl_pr, "tblW", w=str(width), type="dxa")
    if style is None:
        borders = _w(tbl_pr, "tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            _w(borders, side, val="nil")
    _w(tbl_pr, "tblLayout", type="fixed")
    _w(tbl_pr, "tblLook", val="0000", firstRow="0", lastRow="0", firstColumn="0",
       lastColumn="0", noHBand="1", noVBand="1")
    grid = _w(tbl, "tblGrid")
    for _ in range(2):
        _w(grid, "gridCol", w=str(width // 2))
    return tbl


def add_row(tbl: etree._Element, short: bool) -> etree._Element:
    tr = _w(tbl, "tr")
    if short:
        _w(_w(tr, "trPr"), "cantSplit")
    return tr


def add_cell(tr: etree._Element, width: int) -> etree._Element:
    tc = _w(tr, "tc")
    _w(_w(tc, "tcPr"), "tcW", w=str(width), type="dxa")
    return tc


def flush_left(tc: etree._Element) -> None:
    """No first-line indent in the paragraphs of a cell: a Latin half of a Chinese document,
    whose body styles indent two characters, reads as one paragraph per cell (report.css)."""
    for p in tc.iter(wqn("p")):
        ppr = paragraph_properties(p)
        if ppr.find(wqn("ind")) is None:
            ind = etree.Element(wqn("ind"), {wqn("firstLineChars"): "0", wqn("firstLine"): "0"})
            anchor = next((ppr.find(wqn(n)) for n in _AFTER_IND
                           if ppr.find(wqn(n)) is not None), None)
            if anchor is not None:
                anchor.addprevious(ind)
            else:
                ppr.append(ind)


# CT_PPrBase children that come after w:ind.
_AFTER_IND = ("contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
              "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
              "sectPr", "pPrChange")

