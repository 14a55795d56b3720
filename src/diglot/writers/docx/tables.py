"""DOCX output, tables: an HTML table as a plain model (grid, spans, widths, header rows), written.

The model is built from the `<table>` element before any of it is written: which grid column
each cell starts at, how many columns (`colspan`) and rows (`rowspan`) it covers, which cells of
a row continue a cell from a row above (Word's `w:vMerge`), the label columns (every row has a
`<th>` there) and the width of every grid column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docx.shared import Mm
from lxml import etree

from diglot.writers.docx import oxml
from diglot.writers.docx.state import CellState, RowState, TableState, TranslatorState

CELL_TAGS = ("td", "th")
LABEL_WIDTH = int(Mm(28).twips)  # the widest a label column gets (report.css `.facts th`)
MAX_COLSPAN = 1000  # as HTML caps them
MAX_ROWSPAN = 65534


@dataclass(frozen=True)
class Cell:
    """A cell of the grid: where it starts and how far it reaches."""

    column: int
    span: int = 1  # grid columns
    rows: int = 1  # rows, its own included
    header: bool = False  # a `<th>`


@dataclass
class Row:
    """A row: the cells that start in it and those of rows above that reach into it."""

    cells: list[Cell] = field(default_factory=list)
    continued: list[Cell] = field(default_factory=list)
    header: bool = False  # a heading row of the table (in `<thead>`, before any other row)

    def slots(self) -> list[tuple[Cell, bool]]:
        """Every cell of the row by column, with whether it continues one from above."""
        return sorted([(c, False) for c in self.cells] + [(c, True) for c in self.continued],
                      key=lambda slot: slot[0].column)


@dataclass
class TableModel:
    rows: list[Row]
    columns: int
    label_columns: frozenset[int]
    widths: list[int]  # twips, one per grid column
    cells: dict[etree._Element, Cell] = field(default_factory=dict)  # by `<td>`/`<th>`
    row_of: dict[etree._Element, Row] = field(default_factory=dict)  # by `<tr>`

    def width(self, cell: Cell) -> int:
        """The width of `cell`, in twips."""
        return sum(self.widths[cell.column:cell.column + cell.span]) or self.widths[-1]


def _count(value: str | None, limit: int) -> int:
    """A `colspan` or `rowspan` value: a whole number from 1 to `limit`, else 1."""
    text = (value or "").strip()
    return min(max(int(text), 1), limit) if text.isdigit() else 1


def table_rows(table: etree._Element) -> list[etree._Element]:
    """The rows of `table`, its own and those of its head, bodies and foot, in document order."""
    return table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")


def grid(rows: list[etree._Element], cells: dict[etree._Element, Cell] | None = None
         ) -> list[Row]:
    """The rows of the grid that the `<tr>` elements `rows` make, their cells placed as HTML
    places them: after the columns that cells of rows above still cover."""
    covered: set[tuple[int, int]] = set()  # (row, column) a cell of a row above reaches
    model = [Row() for _ in rows]
    heading = True
    for index, tr in enumerate(rows):
        heading = heading and tr.getparent().tag == "thead"
        row = model[index]
        row.header = heading
        column = 0
        for element in tr:
            if element.tag not in CELL_TAGS:
                continue
            while (index, column) in covered:
                column += 1
            span = _count(element.get("colspan"), MAX_COLSPAN)
            reach = min(_count(element.get("rowspan"), MAX_ROWSPAN), len(rows) - index)
            cell = Cell(column, span, reach, element.tag == "th")
            covered.update((r, c) for r in range(index + 1, index + reach)
                           for c in range(column, column + span))
            for below in model[index + 1:index + reach]:
                below.continued.append(cell)
            row.cells.append(cell)
            if cells is not None:
                cells[element] = cell
            column += span
    return model


def build(table: etree._Element, width: int) -> TableModel:
    """The model of `table`, `width` twips wide: label columns as wide as a label needs (up to
    LABEL_WIDTH), the rest shared equally."""
    rows = table_rows(table)
    cells: dict[etree._Element, Cell] = {}
    model = grid(rows, cells)
    reach = [max((c.column + c.span for c in (*row.cells, *row.continued)), default=0)
             for row in model]
    columns = max(reach, default=1)
    labels = frozenset(i for i in range(columns) if model and all(
        any(c.header and c.column <= i < c.column + c.span for c in (*row.cells, *row.continued))
        for row in model))
    label_width = min(LABEL_WIDTH, width // (columns + 1))
    other = (width - label_width * len(labels)) // max(columns - len(labels), 1)
    widths = [label_width if i in labels else other for i in range(columns)]
    return TableModel(model, columns, labels, widths, cells, dict(zip(rows, model, strict=True)))


class TablesMixin(TranslatorState):
    """The visit_/depart_ methods of tables: the model first, then rows and cells from it."""

    def visit_table(self, element: etree._Element) -> None:
        self._close_paragraph()
        if self.page_break_pending:
            self._page_break_paragraph()
        model = build(element, self.text_width)
        own = self.styles.of_classes(element.get("class", "").split(), table=True)[0]
        tbl = self._append_block(oxml.table(self.text_width, model.widths,
                                            own or self.styles.id("Table Grid", "table")))
        self.frames[-1].table = TableState(tbl, model, self.container)

    def depart_table(self, element: etree._Element) -> None:
        table = self.frames[-1].table
        assert table is not None  # made by visit_table
        self.container = table.outer
        # Keep a table on one page where it fits, as Word does: every row keeps with the next.
        for tr in table.tbl.findall(oxml.wqn("tr"))[:-1]:
            for p in tr.iter(oxml.wqn("p")):
                oxml.keep_with_next(p)

    def visit_tr(self, element: etree._Element) -> None:
        table = self._table()
        if table is None:
            return
        row = table.model.row_of.get(element)
        if row is None:  # a row the table's own rows do not list: its cells from the start
            row = grid([element], table.model.cells)[0]
        tr = oxml.row(table.tbl, header=row.header)
        self.frames[-1].row = RowState(tr, row.slots())

    def depart_tr(self, element: etree._Element) -> None:
        row = self.frames[-1].row
        table = self._table()
        if row is not None and table is not None:
            self._continued_cells(row, table, None)

    def _continued_cells(self, row: RowState, table: TableState, before: int | None) -> None:
        """The cells of rows above that reach into this one, up to grid column `before`."""
        while row.slots and (before is None or row.slots[0][0].column < before):
            cell, continued = row.slots.pop(0)
            if continued:
                oxml.end_cell(oxml.cell(row.tr, table.model.width(cell), cell.span, "continue"))

    def _cell(self, element: etree._Element) -> None:
        row = next((f.row for f in reversed(self.frames[:-1]) if f.row is not None), None)
        table = self._table()
        if row is None or table is None:
            return
        self._close_paragraph()
        cell = table.model.cells.get(element) or Cell(row.column, _count(element.get("colspan"),
                                                                         MAX_COLSPAN))
        self._continued_cells(row, table, cell.column)
        if row.slots and row.slots[0] == (cell, False):
            row.slots.pop(0)
        tc = oxml.cell(row.tr, table.model.width(cell), cell.span,
                       "restart" if cell.rows > 1 else None)
        row.column = cell.column + cell.span
        frame = self.frames[-1]
        own = self.styles.of_classes(element.get("class", "").split())[0]
        default = "Table Heading" if element.tag == "th" else "Table Contents"
        frame.para_style = own or self.styles.id(default)
        frame.item = None
        frame.list_depth = 0
        frame.cell = CellState(tc, self.container)
        self.container = tc

    def _depart_cell(self, element: etree._Element) -> None:
        self._close_paragraph()
        cell = self.frames[-1].cell
        if cell is None:
            return
        oxml.end_cell(cell.tc)
        self.container = cell.outer

    visit_td = visit_th = _cell
    depart_td = depart_th = _depart_cell

    def visit_caption(self, element: etree._Element) -> None:
        self._close_paragraph()
        table = self._table()
        if table is None:
            self._open_paragraph(element, self.styles.id("Caption"))
            return
        p = oxml.element("p")
        table.tbl.addprevious(p)
        self._start_paragraph(p, self.styles.id("Caption"), element)

    def depart_caption(self, element: etree._Element) -> None:
        self._close_paragraph()

    def _table(self) -> TableState | None:
        """The innermost table being written."""
        return next((f.table for f in reversed(self.frames) if f.table is not None), None)
