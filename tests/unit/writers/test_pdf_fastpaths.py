"""Joined leaders: the same dots at the same places as WeasyPrint's own, in far fewer boxes."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pydyf
import pytest
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.layout import inline, leader

from diglot.writers import pdf_fastpaths

KINDS = ("dots", "rule", "text", "rtl")
ENTRIES = [("Preface", 3), ("Aditya Ramesh", 12), ("Tim Brooks", 107), ("Bill Peebles", 1024)]
PAGE = """<html lang="en"><head><style>
@page { size: A4; margin: 15mm }
body { font: 11pt "DejaVu Serif", serif }
li { list-style: none }
.dots::after { content: leader(dotted) " " attr(data-page) }
.rule::after { content: leader(solid) " " attr(data-page) }
.text::after { content: leader(" -") " " attr(data-page) }
.rtl { direction: rtl }
.rtl::after { content: leader(dotted) " " attr(data-page) }
</style></head><body><ol>%s</ol></body></html>"""


def _html() -> str:
    items = "".join(f'<li class="{kind}" data-page="{page}">{title}</li>'
                    for kind in KINDS for title, page in ENTRIES)
    return PAGE % items


def _leader_boxes(document: object) -> list[object]:
    found = []

    def walk(box: object) -> None:
        if getattr(box, "is_leader", False):
            found.append(box)
        for child in getattr(box, "children", ()):
            walk(child)

    for page in document.pages:  # type: ignore[attr-defined]
        walk(page._page_box)
    return found


def _text(pdf: Path) -> str:
    """The PDF's text without white space (spaces between dots differ with how they are
    split into text objects)."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return re.sub(r"\s+", "", text)


def _glyphs(pdf: Path) -> list[tuple[float, float, str]]:
    """Where the PDF draws each glyph: (y, x, glyph id), from its text matrices, TJ arrays
    and font widths (WeasyPrint writes one `Tm` per text object and hex glyph ids)."""
    placed = []
    for page in PdfReader(pdf).pages:
        widths: dict[str, dict[int, float]] = {}
        for name, font in page["/Resources"]["/Font"].items():
            table, w = {}, font.get_object()["/DescendantFonts"][0].get_object()["/W"]
            for first, run in zip(w[::2], w[1::2], strict=True):
                table.update({first + i: float(v) for i, v in enumerate(run)})
            widths[name.lstrip("/")] = table
        stream = page.get_contents().get_data().decode("latin-1")
        font, size, x, y = "", 0.0, 0.0, 0.0
        for token in re.finditer(r"/(\w+) ([\d.]+) Tf|([-\d.]+) ([-\d.]+) Tm|\[([^\]]*)\] TJ",
                                 stream):
            if token[1]:
                font, size = token[1], float(token[2])
            elif token[3]:
                x, y = float(token[3]), float(token[4])
            else:
                for part in re.finditer(r"<([0-9a-f]+)>|(-?[\d.]+)", token[5]):
                    if part[2]:
                        x -= float(part[2]) / 1000 * size
                        continue
                    for i in range(0, len(part[1]), 4):
                        glyph = int(part[1][i:i + 4], 16)
                        placed.append((y, x, f"{font}:{glyph}"))
                        x += widths[font][glyph] / 1000 * size
    return sorted(placed)


@pytest.fixture
def renders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, list, list]:
    """The page with WeasyPrint's own leaders and with joined ones."""
    with monkeypatch.context() as own:
        own.setattr(inline, "handle_leader", leader.handle_leader)
        plain = HTML(string=_html()).render()
    assert pdf_fastpaths.install()
    joined = HTML(string=_html()).render()
    paths = tmp_path / "plain.pdf", tmp_path / "joined.pdf"
    plain.write_pdf(paths[0])
    joined.write_pdf(paths[1])
    return *paths, _leader_boxes(plain), _leader_boxes(joined)


def test_leaders_are_few_boxes(renders: tuple[Path, Path, list, list]) -> None:
    _, _, plain, joined = renders
    assert len(plain) == len(joined) == len(KINDS) * len(ENTRIES)
    assert all(len(box.children) > 20 for box in plain)
    for own, runs in zip(plain, joined, strict=True):
        copy = own.children[0]
        length = pdf_fastpaths.run_length(copy.width, copy.style["font_size"], len(copy.text))
        assert len(runs.children) == -(-len(own.children) // length)
        assert "".join(run.text for run in runs.children) == copy.text * len(own.children)
        left = min(box.position_x for box in own.children)
        assert runs.children[0].position_x == pytest.approx(left, abs=1e-6)
    assert sum(len(b.children) for b in joined) * 5 < sum(len(b.children) for b in plain)


def test_the_dots_stand_where_weasyprint_puts_them(renders: tuple[Path, Path, list, list]
                                                   ) -> None:
    plain, joined, _, _ = renders
    assert _text(plain) == _text(joined)
    assert _text(plain).count(".") > 100
    before, after = _glyphs(plain), _glyphs(joined)
    assert len(before) == len(after) > 300
    for (y1, x1, g1), (y2, x2, g2) in zip(before, after, strict=True):
        assert (y1, g1) == (y2, g2)
        assert abs(x1 - x2) <= pdf_fastpaths.DRIFT + 1e-3


def test_page_references_follow_the_pages() -> None:
    assert pdf_fastpaths.install()
    pdf = pydyf.PDF()
    for count in (1, 2, 5):
        while len(pdf.pages["Kids"]) < 3 * count:
            pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
        numbers = pdf.pages["Kids"][::3]
        assert pdf.page_references == tuple(f"{n} 0 R".encode() for n in numbers)
    assert pdf.page_references is pdf.page_references  # made once while no page is added
    pdf.pages["Kids"] = pydyf.Array([7, 0, "R"])
    assert pdf.page_references == (b"7 0 R",)
