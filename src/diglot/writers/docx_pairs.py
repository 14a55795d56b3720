"""DOCX output, parallel editions: a run of passage pairs as one borderless two-column table.

The HTML contract is `pairs.html`'s: `div.pair.pair-columns > div.pair-row > div.pair-half`
twice. Consecutive pairs share one Word table (one row each), so that Word's table tools
select a section's pairs at once; a row short enough to fit on a page is kept on one page
(`w:cantSplit`, which Word honours even for a row taller than a page, hence only short ones).
"""

from __future__ import annotations

from lxml import etree

from diglot.typography import HAN
from diglot.writers.docx_xml import _w, wqn

PAIR = "pair"
COLUMNS = "pair-columns"
INTERLEAVED = "pair-interleaved"
ROW = "pair-row"
HALF = "pair-half"
FIRST = "pair-first"
SECOND = "pair-second"
TRANSLATION_STYLE = "Translation"  # the second half of an interleaved pair
TABLE_STYLE = "pair-columns"  # the table's look, where the reference document defines it

# A half column of A4 at 10.5 pt holds some 21 Han characters or 45 Latin ones a line, and a
# page some 44 lines: a row under 30 such lines fits on a page whatever comes before it.
_HAN_PER_LINE, _LATIN_PER_LINE, _SHORT_LINES = 21, 45, 30
_SPACE_BEFORE = "120"  # twips between two rows' paragraphs: the HTML's paragraph margin


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


def is_short(row: etree._Element) -> bool:
    """Whether a `div.pair-row` surely fits on one page: the taller half, in estimated lines."""
    def lines(half: etree._Element) -> float:
        text = "".join(half.itertext())
        han = len(HAN.findall(text))
        return han / _HAN_PER_LINE + (len(text) - han) / _LATIN_PER_LINE + 1
    halves = [child for child in row if HALF in child.get("class", "").split()]
    return max((lines(h) for h in halves), default=0) < _SHORT_LINES


def space_rows(tbl: etree._Element) -> None:
    """Room between rows: the first paragraph of every row but the first gets space above."""
    for tr in tbl.findall(wqn("tr"))[1:]:
        for tc in tr.findall(wqn("tc")):
            p = tc.find(wqn("p"))
            if p is None:
                continue
            ppr = p.find(wqn("pPr"))
            if ppr is None:
                ppr = etree.Element(wqn("pPr"))
                p.insert(0, ppr)
            if ppr.find(wqn("spacing")) is None:
                _insert_spacing(ppr)


def flush_left(tc: etree._Element) -> None:
    """No first-line indent in the paragraphs of a cell: a Latin half of a Chinese document,
    whose body styles indent two characters, reads as one paragraph per cell (report.css)."""
    for p in tc.iter(wqn("p")):
        ppr = p.find(wqn("pPr"))
        if ppr is None:
            ppr = etree.Element(wqn("pPr"))
            p.insert(0, ppr)
        if ppr.find(wqn("ind")) is None:
            ind = etree.Element(wqn("ind"), {wqn("firstLineChars"): "0", wqn("firstLine"): "0"})
            anchor = next((ppr.find(wqn(n)) for n in _AFTER_SPACING[1:]
                           if ppr.find(wqn(n)) is not None), None)
            if anchor is not None:
                anchor.addprevious(ind)
            else:
                ppr.append(ind)


# CT_PPrBase children that come after w:spacing.
_AFTER_SPACING = ("ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
                  "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId",
                  "cnfStyle", "rPr", "sectPr", "pPrChange")


def _insert_spacing(ppr: etree._Element) -> None:
    spacing = etree.Element(wqn("spacing"), {wqn("before"): _SPACE_BEFORE})
    for name in _AFTER_SPACING:
        anchor = ppr.find(wqn(name))
        if anchor is not None:
            anchor.addprevious(spacing)
            return
    ppr.append(spacing)

