"""A rendered report's HTML cut at person boundaries into documents rendered one per process."""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree import ElementTree

import tinyhtml5

UNIT_ID = re.compile(r"person-")  # the id of each person's section in the default template
_PREFIXES = {"http://www.w3.org/1999/xlink": "xlink", "http://www.w3.org/XML/1998/namespace":
             "xml", "http://www.w3.org/2000/xmlns/": "xmlns"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}
_RAW = {"style", "script"}


@dataclass(frozen=True)
class Split:
    """The front matter (everything before the people), then the people in `len(bodies)`
    runs, the last with everything after them; and every id of the whole document."""

    front: str
    bodies: tuple[str, ...]
    own_ids: tuple[frozenset[str], ...]  # the ids in the front, then in each body
    ids: frozenset[str]


class CannotSplit(Exception):
    """The document has no people in one container to cut between (a theme of its own)."""


def units(html: str) -> int:
    """How many person sections the document holds side by side (0: none found)."""
    try:
        _container, children, first, last = _find(tinyhtml5.parse(html))
    except CannotSplit:
        return 0
    return sum(1 for child in children[first:last + 1] if _is_unit(child))


def split(html: str, parts: int) -> Split:
    """The document as a front document and `parts` runs of people (fewer when it has fewer
    people); raises CannotSplit."""
    root = tinyhtml5.parse(html)
    container, children, _first, _last = _find(root)
    starts = [i for i, child in enumerate(children) if _is_unit(child)]
    parts = max(1, min(parts, len(starts)))
    # Balanced by the people's text, the best guess of their pages before layout.
    weights = [len("".join(children[i].itertext())) for i in starts]
    bounds = _balanced(weights, parts)
    cuts = [0] + [starts[b] for b in bounds[1:]] + [len(children)]
    ids = frozenset(_ids(root))
    chain = _chain(root, container)
    front_tree = tinyhtml5.parse(html)
    _cut_from(front_tree, chain)
    bodies, own = [], [frozenset(_ids(front_tree))]
    for index in range(parts):
        tree = _body_part(tinyhtml5.parse(html), chain, cuts[index], cuts[index + 1],
                          index > 0, index < parts - 1)
        bodies.append(_serialize(tree))
        own.append(frozenset(_ids(tree)))
    return Split(_serialize(front_tree), tuple(bodies), tuple(own), ids)


def _is_unit(element: ElementTree.Element) -> bool:
    return bool(UNIT_ID.match(element.get("id") or ""))


def _find(root: ElementTree.Element) -> tuple[ElementTree.Element, list[ElementTree.Element],
                                              int, int]:
    """The element holding the people, its children, and the first and last person's index."""
    parents = {child: parent for parent in root.iter() for child in parent}
    first = next((e for e in root.iter() if _is_unit(e)), None)
    if first is None:
        raise CannotSplit("no person sections (elements with an id person-...) found")
    container = parents[first]
    children = list(container)
    indexes = [i for i, child in enumerate(children) if _is_unit(child)]
    others = [e for e in root.iter() if _is_unit(e) and parents.get(e) is not container]
    if others:
        raise CannotSplit("the person sections are not side by side in one element")
    if _local(container.tag) in ("html", "head"):
        raise CannotSplit("the person sections are not inside the body")
    return container, children, indexes[0], indexes[-1]


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


def _chain(root: ElementTree.Element, container: ElementTree.Element) -> list[int]:
    """The child indexes leading from the body down to the container."""
    parents = {child: parent for parent in root.iter() for child in parent}
    path = []
    element = container
    while _local(element.tag) != "body":
        parent = parents[element]
        path.append(list(parent).index(element))
        element = parent
    return path[::-1]


def _body(root: ElementTree.Element) -> ElementTree.Element:
    return next(e for e in root if _local(e.tag) == "body")


def _body_part(root: ElementTree.Element, chain: list[int], start: int, end: int,
               after_first: bool, before_last: bool) -> ElementTree.Element:
    """Keep the container's children [start, end) and, around the path to it, what comes
    after it (last run only); what comes before it is the front's."""
    element = _body(root)
    for index in chain:
        children = list(element)
        for child in children[index + 1:] if before_last else ():
            element.remove(child)
        for child in children[:index]:
            element.remove(child)
        element = children[index]
    children = list(element)
    for child in children[end:] if before_last else ():
        element.remove(child)
    for child in children[:start] if after_first else ():
        element.remove(child)
    kept = list(element)
    # Hidden neighbours keep sibling selectors (`.person + .person`, :first-child) matching
    # the people at the cuts as they match in the whole document.
    if after_first and kept:
        element.insert(0, _stub(children[start - 1]))
    if before_last and kept:
        element.append(_stub(children[end]))
    return root


def _stub(like: ElementTree.Element) -> ElementTree.Element:
    stub = ElementTree.Element(like.tag, {"style": "display: none"})
    if like.get("class"):
        stub.set("class", like.get("class") or "")
    stub.tail = like.tail
    return stub


def _cut_from(root: ElementTree.Element, chain: list[int]) -> None:
    """Remove the path's last element (the container) and everything after it."""
    element = _body(root)
    for depth, index in enumerate(chain):
        children = list(element)
        for child in children[index + (1 if depth < len(chain) - 1 else 0):]:
            element.remove(child)
        if depth == len(chain) - 1:
            break
        element = children[index]


def _ids(root: ElementTree.Element) -> list[str]:
    return [e.get("id") or "" for e in root.iter() if e.get("id")]


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _attribute(name: str) -> str:
    if name.startswith("{"):
        namespace, local = name[1:].split("}", 1)
        prefix = _PREFIXES.get(namespace)
        return f"{prefix}:{local}" if prefix else local
    return name


def _escape(text: str, quote: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text


def _serialize(root: ElementTree.Element) -> str:
    """The tree as HTML that parses back to the same tree."""
    out = ["<!DOCTYPE html>"]

    def write(element: ElementTree.Element) -> None:
        if not isinstance(element.tag, str):  # a comment or processing instruction
            out.append(_escape(element.tail or ""))
            return
        tag = _local(element.tag)
        attributes = "".join(f' {_attribute(k)}="{_escape(v, True)}"'
                             for k, v in element.attrib.items())
        out.append(f"<{tag}{attributes}>")
        if tag in _RAW:
            out.append(element.text or "")
        else:
            out.append(_escape(element.text or ""))
            for child in element:
                write(child)
        if tag not in _VOID:
            out.append(f"</{tag}>")
        out.append(_escape(element.tail or ""))

    write(root)
    return "".join(out)
