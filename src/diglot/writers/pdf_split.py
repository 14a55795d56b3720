"""A rendered report's HTML cut at person boundaries into documents rendered one per process.

The cut works on the text, by the offsets of its elements: parsing a long report as HTML5
costs seconds, a tag scan of the well-formed HTML diglot's templates write a fraction of that.
HTML the scan cannot follow (a tag left open, an end tag that closes another) is not cut.
"""

from __future__ import annotations

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


@dataclass
class _Element:
    tag: str
    start: int  # of its start tag
    inner: int  # just after its start tag
    close: int = -1  # of its end tag
    end: int = -1  # just after its end tag
    id: str | None = None
    parent: _Element | None = None
    children: list[_Element] | None = None


def split(html: str, parts: int) -> Split:
    """The document as a front document and `parts` runs of people (fewer when it has fewer
    people); raises CannotSplit."""
    chain, people = _find(html)
    if len(people) < 2:
        raise CannotSplit("the report has fewer than two people to cut between")
    body, container = chain[0], chain[-1]
    parts = max(1, min(parts, len(people)))
    # Balanced by the people's length, the best guess of their pages before layout.
    bounds = _balanced([p.end - p.start for p in people], parts)
    closing = "".join(html[a.close:a.end] for a in reversed(chain[1:]))
    front = html[:container.start] + "".join(
        html[a.close:a.end] for a in reversed(chain[1:-1])) + html[body.close:]
    ids = frozenset(_ids(html))
    front_ids = frozenset(_ids(front))
    # Without links from the front to the people, the front need not be laid out apart: it
    # goes with the first people, and no cut is made before them.
    links = {html_module.unescape(m) for m in _LINK.findall(front)}
    separate = bool(links & (ids - front_ids))
    bodies = []
    for index in range(parts):
        first, last = index == 0, index == parts - 1
        start = container.inner if first else people[bounds[index]].start
        end = container.close if last else people[bounds[index + 1]].start
        text = [html[:container.inner]] if first and not separate else [
            html[:body.inner], *(html[a.start:a.inner] for a in chain[1:])]
        if not first:  # hidden neighbours keep `.person + .person` and :first-child as they are
            text.append(_stub(html, people[bounds[index] - 1]))
        text.append(html[start:end])
        if not last:
            text.append(_stub(html, people[bounds[index + 1]]))
        if last:
            text.append(html[container.close:])
        else:
            text += [closing, html[body.close:]]
        bodies.append("".join(text))
    own = tuple(frozenset(_ids(text)) for text in ((front,) if separate else ()) + tuple(bodies))
    return Split(front if separate else None, tuple(bodies), own, ids)


def _find(html: str) -> tuple[list[_Element], list[_Element]]:
    """The path of elements from the body to the one holding the people, and the people."""
    root = _scan(html)
    found = [e for e in _walk(root) if e.id is not None and UNIT_ID.match(e.id)]
    if not found:
        raise CannotSplit("no person sections (elements with an id person-...) found")
    container = found[0].parent
    if any(e.parent is not container for e in found) or container is None:
        raise CannotSplit("the person sections are not side by side in one element")
    chain = [container]
    while chain[-1].tag != "body":
        parent = chain[-1].parent
        if parent is None or parent.tag in ("html", "#document"):
            raise CannotSplit("the person sections are not inside the body")
        chain.append(parent)
    return chain[::-1], found


def _scan(html: str) -> _Element:
    """The elements of `html` with their offsets; raises CannotSplit on tags it cannot
    match."""
    root = _Element("#document", 0, 0, len(html), len(html), children=[])
    stack = [root]
    position = 0
    while True:
        match = _TOKEN.search(html, position)
        if match is None:
            break
        position = match.end()
        slash, name, attributes = match.group(1), match.group(2), match.group(3)
        if name is None:
            continue
        tag = name.lower()
        if not slash:
            ids = _ID.search(" " + attributes)
            element = _Element(tag, match.start(), match.end(), parent=stack[-1], children=[],
                               id=html_module.unescape(next(g for g in ids.groups() if g
                                                            is not None)) if ids else None)
            assert stack[-1].children is not None
            stack[-1].children.append(element)
            if tag in _VOID or attributes.rstrip().endswith("/"):
                element.close = element.end = match.end()
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
            element.close, element.end = match.start(), match.end()
    if len(stack) != 1:
        raise CannotSplit(f"<{stack[-1].tag}> is not closed")
    return root


def _walk(element: _Element) -> list[_Element]:
    found, stack = [], [element]
    while stack:
        current = stack.pop()
        found.append(current)
        stack += reversed(current.children or [])
    return found


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


def _ids(html: str) -> list[str]:
    ids = []
    for match in _TOKEN.finditer(html):
        if match.group(2) and not match.group(1):
            found = _ID.search(" " + match.group(3))
            if found:
                ids.append(html_module.unescape(next(g for g in found.groups() if g)))
    return ids
