"""A rendered report's HTML cut at person boundaries into documents rendered one per process.

The cut works on the text, by the offsets of its elements: parsing a long report as HTML5
costs seconds, a tag scan of the well-formed HTML diglot's templates write a fraction of that.
HTML the scan cannot follow (a tag left open, an end tag that closes another) is not cut.
"""

from __future__ import annotations

import bisect
import html as html_module
import re
from dataclasses import dataclass

UNIT_ID = re.compile(r"person-")  # the id of each person's section in the default template
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}
_RAW = {"style", "script", "textarea", "title"}
_TOKEN = re.compile(r"<!--.*?-->|<![^>]*>|<\?[^>]*>|<(/?)([A-Za-z][^\s/>]*)([^>]*)>", re.S)
_ID = re.compile(r"""(?<=\s)id\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_LINK = re.compile(r"""(?<=\s)href\s*=\s*["']#([^"']+)["']""")
_CLASS = re.compile(r"""(?<=\s)class\s*=\s*(?:"([^"]*)"|'([^']*)')""")


@dataclass(frozen=True)
class Split:
    """The front matter (everything before the people), then the people in `len(bodies)`
    runs, the last with everything after them; and every id of the whole document."""

    front: str | None  # None: nothing before the people links into them (no contents)
    bodies: tuple[str, ...]
    own_ids: tuple[frozenset[str], ...]  # the ids in the front (if any), then in each body
    ids: frozenset[str]


class CannotSplit(Exception):
    """The document has no people side by side to cut between, or HTML the scan cannot
    follow."""


@dataclass(slots=True)
class _Element:
    tag: str
    start: int  # of its start tag
    inner: int  # just after its start tag
    close: int = -1  # of its end tag
    end: int = -1  # just after its end tag
    parent: _Element | None = None


# A part of the document: slices of the HTML, by their offsets, and text made for the cut
# (hidden stubs, end tags), in order.
_Piece = tuple[int, int] | str


def split(html: str, parts: int) -> Split:
    """The document as a front document and `parts` runs of people (fewer when it has fewer
    people); raises CannotSplit."""
    chain, people, ids = _find(html)
    if len(people) < 2:
        raise CannotSplit("the report has fewer than two people to cut between")
    body, container = chain[0], chain[-1]
    parts = max(1, min(parts, len(people)))
    # Balanced by the people's length, the best guess of their pages before layout.
    bounds = _balanced([p.end - p.start for p in people], parts)
    closing = "".join(html[a.close:a.end] for a in reversed(chain[1:]))
    front: list[_Piece] = [(0, container.start), "".join(
        html[a.close:a.end] for a in reversed(chain[1:-1])), (body.close, len(html))]
    front_ids = frozenset(_ids_in(ids, front))
    # Without links from the front to the people, the front need not be laid out apart: it
    # goes with the first people, and no cut is made before them.
    links = {html_module.unescape(m) for m in _LINK.findall(_text(html, front))}
    every_id = frozenset(name for _offset, name in ids)
    separate = bool(links & (every_id - front_ids))
    bodies: list[list[_Piece]] = []
    for index in range(parts):
        first, last = index == 0, index == parts - 1
        start = container.inner if first else people[bounds[index]].start
        end = container.close if last else people[bounds[index + 1]].start
        pieces: list[_Piece] = [(0, container.inner)] if first and not separate else [
            (0, body.inner), *((a.start, a.inner) for a in chain[1:])]
        if not first:  # hidden neighbours keep `.person + .person` and :first-child as they are
            pieces.append(_stub(html, people[bounds[index] - 1]))
        pieces.append((start, end))
        if not last:
            pieces.append(_stub(html, people[bounds[index + 1]]))
        pieces += [(container.close, len(html))] if last else [closing, (body.close, len(html))]
        bodies.append(pieces)
    own = ((front_ids,) if separate else ()) + tuple(
        frozenset(_ids_in(ids, pieces)) for pieces in bodies)
    return Split(_text(html, front) if separate else None,
                 tuple(_text(html, pieces) for pieces in bodies), own, every_id)


def _text(html: str, pieces: list[_Piece]) -> str:
    return "".join(html[p[0]:p[1]] if isinstance(p, tuple) else p for p in pieces)


def _ids_in(ids: list[tuple[int, str]], pieces: list[_Piece]) -> list[str]:
    """The ids of the elements whose start tags are in the slices among `pieces`."""
    found = []
    for piece in pieces:
        if isinstance(piece, tuple):
            low, high = (bisect.bisect_left(ids, at, key=_offset) for at in piece)
            found += (name for _at, name in ids[low:high])
    return found


def _offset(item: tuple[int, str]) -> int:
    return item[0]


def _find(html: str) -> tuple[list[_Element], list[_Element], list[tuple[int, str]]]:
    """The path of elements from the body to the one holding the people, the people, and
    the ids of the document by their offsets."""
    people, ids = _scan(html)
    if not people:
        raise CannotSplit("no person sections (elements with an id person-...) found")
    container = people[0].parent
    if any(e.parent is not container for e in people) or container is None:
        raise CannotSplit("the person sections are not side by side in one element")
    chain = [container]
    while chain[-1].tag != "body":
        parent = chain[-1].parent
        if parent is None or parent.tag in ("html", "#document"):
            raise CannotSplit("the person sections are not inside the body")
        chain.append(parent)
    return chain[::-1], people, ids


def _scan(html: str) -> tuple[list[_Element], list[tuple[int, str]]]:
    """The person sections of `html` (with their ancestors), and every element's id by the
    offset of its start tag; raises CannotSplit on tags it cannot match."""
    root = _Element("#document", 0, 0, len(html), len(html))
    stack = [root]
    people: list[_Element] = []
    ids: list[tuple[int, str]] = []
    position = 0
    search = _TOKEN.search
    while (match := search(html, position)) is not None:
        position = match.end()
        slash, name, attributes = match.group(1, 2, 3)
        if name is None:
            continue
        tag = name.lower()
        if not slash:
            element = _Element(tag, match.start(), position, parent=stack[-1])
            if "id" in attributes and (found := _ID.search(" " + attributes)):
                value = html_module.unescape(next(g for g in found.groups() if g is not None))
                ids.append((element.start, value))
                if UNIT_ID.match(value):
                    people.append(element)
            if tag in _VOID or attributes.rstrip().endswith("/"):
                element.close = element.end = position
            elif tag in _RAW:
                close = re.compile(rf"</{tag}\s*>", re.I).search(html, position)
                if close is None:
                    raise CannotSplit(f"<{tag}> is not closed")
                element.close, element.end = close.start(), close.end()
                position = close.end()
            else:
                stack.append(element)
        else:
            if len(stack) < 2 or stack[-1].tag != tag:
                raise CannotSplit(f"</{tag}> at offset {match.start()} closes "
                                  f"<{stack[-1].tag}>")
            element = stack.pop()
            element.close, element.end = match.start(), position
    if len(stack) != 1:
        raise CannotSplit(f"<{stack[-1].tag}> is not closed")
    return people, ids


def _balanced(weights: list[int], parts: int) -> list[int]:
    """Start indexes of `parts` consecutive runs of about equal total weight."""
    total = sum(weights) or 1
    starts, running = [0], 0
    for index, weight in enumerate(weights):
        if len(starts) < parts and running >= total * len(starts) / parts and index > starts[-1]:
            starts.append(index)
        running += weight
    while len(starts) < parts:  # very uneven weights: cut the last runs by count
        starts.append(starts[-1] + 1)
    return starts


def _stub(html: str, like: _Element) -> str:
    """An empty, hidden element of the same tag and classes as `like`."""
    found = _CLASS.search(" " + html[like.start:like.inner])
    classes = next((g for g in found.groups() if g is not None), "") if found else ""
    attribute = f' class="{classes}"' if classes else ""
    return f'<{like.tag}{attribute} style="display: none"></{like.tag}>'
