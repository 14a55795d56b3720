"""DOCX output, parallel editions: a run of passage pairs as one borderless two-column table.

The HTML contract is `pairs.html`'s: `div.pair.pair-columns > div.pair-row > div.pair-half`
twice. Consecutive pairs share one Word table (one row each), so that Word's table tools
select a section's pairs at once; every row but those of `.pair-long` pairs is kept on one page
(`w:cantSplit`, which Word honours even for a row taller than a page, hence not the long ones).
"""

from __future__ import annotations

from lxml import etree

from diglot.writers.docx import oxml

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
    return oxml.table(width, [width // 2] * 2, style, borderless=style is None)


def add_row(tbl: etree._Element, short: bool) -> etree._Element:
    return oxml.row(tbl, cant_split=short)


def add_cell(tr: etree._Element, width: int) -> etree._Element:
    return oxml.cell(tr, width)


def flush_left(tc: etree._Element) -> None:
    """No first-line indent in the paragraphs of a cell: a Latin half of a Chinese document,
    whose body styles indent two characters, reads as one paragraph per cell (report.css)."""
    for p in tc.iter(oxml.wqn("p")):
        oxml.flush_left(p)
