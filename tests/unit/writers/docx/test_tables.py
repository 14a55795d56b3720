"""The DOCX table model: grid columns, spans, label columns, widths and header rows from the
HTML table alone, and a written table that matches its model."""

from __future__ import annotations

from pathlib import Path

import lxml.html
from docx.oxml.ns import qn

from diglot.writers.docx import tables
from diglot.writers.docx.tables import Cell

from ..test_docx import render, write
from .test_look import findings

WIDTH = 9000  # twips


def table(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(html)


def model(html: str, width: int = WIDTH) -> tables.TableModel:
    return tables.build(table(html), width)


def test_columns_count_colspans() -> None:
    found = model("<table><tr><td colspan='2'>a</td><td>b</td></tr><tr><td>c</td></tr></table>")
    assert found.columns == 3
    assert found.rows[0].cells == [Cell(0, 2), Cell(2)]
    assert found.rows[1].cells == [Cell(0)]


def test_a_rowspan_moves_the_cells_below_it_and_is_continued_there() -> None:
    found = model("<table><tr><td rowspan='2'>a</td><td>b</td></tr>"
                  "<tr><td>c</td></tr><tr><td>d</td><td>e</td></tr></table>")
    assert found.columns == 2
    first = Cell(0, 1, 2)
    assert found.rows[0].cells == [first, Cell(1)]
    assert found.rows[1].cells == [Cell(1)]
    assert found.rows[1].continued == [first]
    assert found.rows[1].slots() == [(first, True), (Cell(1), False)]
    assert found.rows[2].continued == []


def test_a_cell_spanning_rows_and_columns_covers_its_whole_block() -> None:
    found = model("<table><tr><td>a</td><td rowspan='2' colspan='2'>b</td><td>c</td></tr>"
                  "<tr><td>d</td><td>e</td></tr></table>")
    assert found.columns == 4
    assert [c.column for c in found.rows[1].cells] == [0, 3]
    assert [(c.column, c.span) for c in found.rows[1].continued] == [(1, 2)]


def test_a_rowspan_past_the_last_row_ends_there() -> None:
    found = model("<table><tr><td rowspan='5'>a</td><td>b</td></tr><tr><td>c</td></tr></table>")
    assert found.rows[0].cells[0].rows == 2


def test_spans_that_are_not_whole_numbers_count_as_one() -> None:
    found = model("<table><tr><td colspan='0'>a</td><td colspan='x'>b</td>"
                  "<td colspan='-2' rowspan='1.5'>c</td></tr></table>")
    assert found.columns == 3
    assert {(c.span, c.rows) for c in found.rows[0].cells} == {(1, 1)}


def test_a_column_of_th_in_every_row_is_a_narrow_label_column() -> None:
    found = model("<table><tr><th>Born</th><td>1990</td></tr>"
                  "<tr><th>Work</th><td>x</td></tr></table>")
    assert found.label_columns == {0}
    label = min(tables.LABEL_WIDTH, WIDTH // 3)
    assert found.widths == [label, WIDTH - label]
    assert found.rows[0].cells[0].header


def test_a_column_with_a_td_in_some_row_is_no_label_column() -> None:
    found = model("<table><tr><th>a</th><th>b</th></tr><tr><td>c</td><td>d</td></tr></table>")
    assert found.label_columns == frozenset()
    assert found.widths == [WIDTH // 2, WIDTH // 2]


def test_a_cell_is_as_wide_as_the_columns_it_spans() -> None:
    found = model("<table><tr><th>a</th><td colspan='2'>b</td></tr>"
                  "<tr><th>c</th><td>d</td><td>e</td></tr></table>")
    wide = found.rows[0].cells[1]
    assert found.width(wide) == found.widths[1] + found.widths[2]


def test_leading_thead_rows_are_header_rows() -> None:
    found = model("<table><thead><tr><th>a</th></tr></thead>"
                  "<tbody><tr><td>b</td></tr></tbody></table>")
    assert [row.header for row in found.rows] == [True, False]


def test_an_empty_table_has_one_column() -> None:
    assert model("<table></table>").columns == 1


def test_the_written_table_has_the_grid_spans_and_merges_of_its_model(tmp_path: Path) -> None:
    html = ("<table><thead><tr><th>h1</th><th colspan='2'>h2</th></tr></thead><tbody>"
            "<tr><th rowspan='2'>a</th><td>b</td><td>c</td></tr>"
            "<tr><td colspan='2'>d</td></tr></tbody></table>")
    document, warnings = write(tmp_path, render(html))
    assert warnings == []
    expected = model(html, WIDTH)
    tbl = document.element.body.find(qn("w:tbl"))
    grid = [int(col.get(qn("w:w"))) for col in tbl.iter(qn("w:gridCol"))]
    assert len(grid) == expected.columns == 3
    assert expected.label_columns == {0}
    written_rows = tbl.findall(qn("w:tr"))
    assert len(written_rows) == len(expected.rows)
    for tr, row in zip(written_rows, expected.rows, strict=True):
        header = tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        assert header == row.header
        cells = []
        for tc in tr.findall(qn("w:tc")):
            tc_pr = tc.find(qn("w:tcPr"))
            span = tc_pr.find(qn("w:gridSpan"))
            merge = tc_pr.find(qn("w:vMerge"))
            cells.append((int(span.get(qn("w:val"))) if span is not None else 1,
                          None if merge is None else merge.get(qn("w:val"), "continue"),
                          int(tc_pr.find(qn("w:tcW")).get(qn("w:w")))))
        widths = [sum(grid[c.column:c.column + c.span]) for c, _continued in row.slots()]
        assert cells == [(c.span, "continue" if continued else ("restart" if c.rows > 1 else None),
                          width)
                         for (c, continued), width in zip(row.slots(), widths, strict=True)]
    texts = [[tc.xpath("string(.)") for tc in tr.findall(qn("w:tc"))] for tr in written_rows]
    assert texts == [["h1", "h2"], ["a", "b", "c"], ["", "d"]]
    assert findings(tmp_path / "out.docx") == []
