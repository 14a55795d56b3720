"""DOCX output, parallel editions: a run of passage pairs as one borderless two-column table.

The HTML contract is `pairs.html`'s: `div.pair.pair-columns > div.pair-row > div.pair-half`
twice. Consecutive pairs share one Word table (one row each), so that Word's table tools
select a section's pairs at once; every row but those of `.pair-long` pairs is kept on one page
(`w:cantSplit`, which Word honours even for a row taller than a page, hence not the long ones).
"""

from __future__ import annotations

from lxml import etree

from diglot.writers.docx import oxml, source
from diglot.writers.docx.state import CellState, PairState, TranslatorState

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


class PairsMixin(TranslatorState):
    """The `.pair` blocks of a parallel edition: rows of a pair table, or paragraphs."""

    def _pair(self, element: etree._Element, classes: set[str]) -> None:
        """A passage and its translation: a row of the pair table the previous pair began, or
        of a new one; an interleaved pair is written as its paragraphs, and so is a pair in a
        heading group (`header`), which must stay with what follows: LibreOffice does not keep
        a table with the next block."""
        in_header = any(a.tag == "header" for a in element.iterancestors())
        if COLUMNS not in classes or in_header:
            self.frames[-1].pair = PairState(not in_header, self._last_block())
            return
        last = self._last_block()
        if last is None or last is not self.pair_table:
            if self.page_break_pending:
                self._page_break_paragraph()
            style = self.styles.of_classes([TABLE_STYLE], table=True)[0]
            self.pair_table = self._append_block(new_table(self.text_width, style))
        self.frames[-1].pair_table = self.pair_table

    def _pair_half(self, classes: set[str]) -> None:
        frame, row = self.frames[-1], self.frames[-2]
        pair = self.frames[-3].pair if len(self.frames) > 2 else None
        if row.pair_row is not None:
            tc = add_cell(row.pair_row, self.text_width // 2)
            frame.item, frame.list_depth = None, 0
            frame.cell = CellState(tc, self.container)
            self.container = tc
        elif pair is not None and pair.translation and SECOND in classes:
            translation = self.styles.find(TRANSLATION_STYLE)
            if translation is not None:  # over the style of any class inside
                frame.para_style = frame.translation = translation

    def _depart_pair(self, element: etree._Element, pair: PairState) -> None:
        """An interleaved pair: the source keeps with its translation, and a pair that fits on
        a page stays whole."""
        mark = pair.keep_from
        block = mark.getnext() if mark is not None else self.container[0]
        written = []
        while block is not None and block is not self.sect_pr:
            if block.tag == oxml.wqn("p"):
                written.append(block)
            block = block.getnext()
        for p in written[:-1]:
            oxml.keep_with_next(p)
        if LONG not in source.classes(element):
            for p in written:
                oxml.keep_together(p)
