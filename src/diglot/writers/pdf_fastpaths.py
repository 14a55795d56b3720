"""Same PDF, less work: leaders laid out as runs of text, and pydyf's page list made once."""

from __future__ import annotations

import threading
from typing import Any

import pydyf
import weasyprint

# WeasyPrint copies a leader's text box once per repetition (`leader(dotted)`: once per dot)
# and draws each copy as a text object of its own: the contents of 1000 people hold some
# 110,000 of them, which cost more to lay out and draw than 200 pages of text. The copies
# stand edge to edge on a grid anchored at the line's right edge, so a box holding the text
# repeated, at its first copy's place, puts the dots at the same x but for one thing: the
# PDF advances each glyph by its width rounded to 1/1000 em, where the copies advance by the
# exact width. Runs are cut short enough for that drift to stay under DRIFT.
#
# pydyf lists the page references anew each time one is asked for, and WeasyPrint's tagging
# asks once per marked content: a time quadratic in the pages. The list is now kept for as
# long as no page is added.
#
# Both rely on internals: they are made for the versions below only, and any other keeps the
# libraries' own ways.
SUPPORTED = {"weasyprint": "70.", "pydyf": "0.13."}
DRIFT = 0.05  # px (1/96 in): the most a joined run's last copy may stand off its place

_lock = threading.Lock()
_installed: bool | None = None


def install() -> bool:
    """Put both fast paths in place, once per process; returns whether they are (False for a
    WeasyPrint or pydyf they were not made for)."""
    global _installed
    with _lock:
        if _installed is None:
            _installed = weasyprint.__version__.startswith(SUPPORTED["weasyprint"]) \
                and pydyf.__version__.startswith(SUPPORTED["pydyf"])
            if _installed:
                from weasyprint.layout import inline

                inline.handle_leader = handle_leader
                pydyf.PDF.page_references = property(_page_references)
        return _installed


def _page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
    kids = pdf.pages["Kids"]
    cached = pdf.__dict__.get("_diglot_page_references")
    if cached is None or cached[0] is not kids or cached[1] != len(kids):
        references = tuple(f"{number} 0 R".encode("ascii") for number in kids[::3])
        cached = pdf.__dict__["_diglot_page_references"] = (kids, len(kids), references)
    return cached[2]


def handle_leader(context: Any, line: Any, containing_block: Any) -> None:
    """Lay out the first leader of `line` as WeasyPrint does (the same dots at the same
    places, the boxes after it moved right by the room it takes), in runs of copies."""
    from weasyprint.layout.leader import leader_index

    index, leader = leader_index(line)
    if index is None:
        return
    extra = 0.0
    if leader.children:
        copy, = leader.children
        if copy.width <= 0:
            return
        extra = containing_block.width - sum(
            child.margin_width() for child in line.children if child.is_in_normal_flow())
        extra -= sum(shape.width for shape in context.excluded_shapes
                     if shape.position_y + shape.height > line.position_y)
        line.width = containing_block.width
        leader.children = tuple(_runs(context, copy, _places(line, leader, copy.width,
                                                             extra + copy.width)))
        if line.style["direction"] == "rtl":
            leader.translate(dx=-extra)
    _make_room(line, index, extra)


def _places(line: Any, leader: Any, width: float, room: float) -> list[float]:
    """The x of every copy, left to right: a grid of `width` from the line's right edge,
    within the `room` the leader has from its own left edge."""
    places = []
    x = line.position_x + line.width
    for _ in range(int(line.width // width)):
        x -= width  # by steps, as WeasyPrint does, for the very same floats
        if leader.position_x <= x and x + width <= leader.position_x + room:
            places.append(x)
    return places[::-1]


def _runs(context: Any, copy: Any, places: list[float]) -> list[Any]:
    """Text boxes of as many copies each as the drift allows, at `places`; one box per copy
    when the copies' text does not join (it kerns across copies)."""
    length = run_length(copy.width, copy.style["font_size"], len(copy.text))
    layouts: dict[int, tuple[Any, float] | None] = {}
    runs = []
    for start in range(0, len(places), length):
        count = len(places[start:start + length])
        if count not in layouts:
            layouts[count] = _layout(context, copy, count)
        joined = layouts[count]
        if joined is None:
            return [_placed(copy, x) for x in places]
        run = _placed(copy, places[start], copy.text * count)
        run.pango_layout, run.width = joined
        runs.append(run)
    return runs


def _placed(copy: Any, x: float, text: str | None = None) -> Any:
    box = copy.copy_with_text(text) if text else copy.copy()
    box.position_x = x
    return box


def _make_room(line: Any, index: tuple[int, Any], extra: float) -> None:
    """Widen the leader and the boxes holding it by `extra`, and move what follows each of
    them (right in a left-to-right line, left in a right-to-left one)."""
    shift = extra if line.style["direction"] == "ltr" else -extra
    box, step = line, index
    while step is not None:
        position, step = step
        for later in box.children[position + 1:]:
            if later.is_in_normal_flow():
                later.translate(dx=shift)
        box = box.children[position]
        box.width += extra


def run_length(width: float, font_size: float, glyphs: int) -> int:
    """How many copies of a leader text `width` px wide one run may hold. Each glyph the PDF
    draws is off by its width's rounding to 1/1000 em: known for a text of one glyph, at most
    half a unit for each glyph of a longer one."""
    if glyphs == 1:
        units = width * 1000 / font_size
        per_copy = abs(round(units) - units) * font_size / 1000
    else:
        per_copy = 0.5 * font_size / 1000 * glyphs
    return max(1, int(DRIFT / per_copy)) if per_copy else 1_000_000


def _layout(context: Any, copy: Any, count: int) -> tuple[Any, float] | None:
    """The Pango layout and width of `count` copies of `copy`'s text on one line, None when
    their width is not `count` times the copy's (kerning between copies)."""
    from weasyprint.text.line_break import split_first_line

    layout, _length, resume, width, _height, _baseline = split_first_line(
        copy.text * count, copy.style, context, None, 0)
    if resume is not None or abs(width - copy.width * count) > DRIFT:
        return None
    return layout, width
