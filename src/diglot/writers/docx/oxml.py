"""DOCX output, the bottom: WordprocessingML elements by name, appended or put in order."""

from __future__ import annotations

import functools

from docx.oxml.ns import qn
from lxml import etree


@functools.cache
def wqn(name: str) -> str:
    """The Clark name of `w:name` (cached: the writer asks for the same few names many times)."""
    return qn(f"w:{name}")


def _w(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    """Append `<w:tag w:attr=...>` to `parent`."""
    return etree.SubElement(parent, wqn(tag), {wqn(k): v for k, v in attributes.items()})


def _child(parent: etree._Element, tag: str, before: tuple[str, ...] = ()) -> etree._Element:
    """The `w:tag` child of `parent`, created (before the first of `before` present) if missing."""
    found = parent.find(qn(f"w:{tag}"))
    if found is not None:
        return found
    element = etree.Element(qn(f"w:{tag}"))
    for name in before:
        anchor = parent.find(qn(f"w:{name}"))
        if anchor is not None:
            anchor.addprevious(element)
            return element
    parent.append(element)
    return element


def paragraph_properties(p: etree._Element) -> etree._Element:
    """The `w:pPr` of paragraph `p`, made (first, as the schema has it) if missing."""
    ppr = p.find(qn("w:pPr"))
    if ppr is None:
        ppr = etree.Element(qn("w:pPr"))
        p.insert(0, ppr)
    return ppr


def keep_together(p: etree._Element) -> None:
    """Keep the lines of paragraph `p` on one page (w:keepLines, in schema order)."""
    ppr = paragraph_properties(p)
    if ppr.find(qn("w:keepLines")) is None:
        index = sum(1 for child in ppr[:2] if child.tag in (qn("w:pStyle"), qn("w:keepNext")))
        ppr.insert(index, etree.Element(qn("w:keepLines")))


def keep_with_next(p: etree._Element) -> None:
    """Keep paragraph `p` on the page of the next one (w:keepNext, in schema order)."""
    ppr = paragraph_properties(p)
    if ppr.find(qn("w:keepNext")) is None:
        index = 1 if len(ppr) and ppr[0].tag == qn("w:pStyle") else 0
        ppr.insert(index, etree.Element(qn("w:keepNext")))
