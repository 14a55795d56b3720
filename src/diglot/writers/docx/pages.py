"""Page numbers for the DOCX contents, read from a LibreOffice layout of the same document."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence

from docx.oxml.ns import qn
from lxml import etree

from diglot.writers.docx import oxml
from diglot.writers.docx.office import LayoutUnavailable, bookmark_pages

DOCUMENT_PART = "word/document.xml"
_PAGEREF = re.compile(r"^\s*PAGEREF\s+(\S+)")


def number_contents(documents: Sequence[bytes]) -> list[bytes | LayoutUnavailable]:
    """Every document with a tab and a PAGEREF field after each contents entry (a bookmark
    link inside the TOC field), whose shown result is the page LibreOffice puts the bookmark
    on, as Word itself writes a contents; Word replaces the numbers when the field is updated.
    One LibreOffice run lays out all the documents: its start costs more than a document.

    A document LibreOffice could not lay out comes back as the reason, its bytes unchanged.
    Raises LayoutUnavailable when LibreOffice is missing or fails altogether.
    """
    prepared = [_Contents(data) for data in documents]
    pages = bookmark_pages([c.referenced for c in prepared if c.links])
    laid_out = iter(pages)
    return [c.numbered(next(laid_out)) if c.links else c.data for c in prepared]


class _Contents:
    """One document's contents links, given page references whose numbers are still 0."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.root = etree.fromstring(_read_part(data, DOCUMENT_PART))
        self.links = _contents_links(self.root)
        self.results = [oxml.page_reference(link, link.get(qn("w:anchor"))) for link in
                        self.links]
        self.referenced = _replace_part(data, DOCUMENT_PART, _serialize(self.root)) \
            if self.links else data

    def numbered(self, pages: dict[str, int] | LayoutUnavailable) -> bytes | LayoutUnavailable:
        if isinstance(pages, LayoutUnavailable):
            return pages
        for link, result in zip(self.links, self.results, strict=True):
            anchor = link.get(qn("w:anchor")) or ""
            page = pages.get(anchor)
            if page is None:
                return LayoutUnavailable(f"LibreOffice's layout has no page for the heading "
                                         f"{anchor!r}")
            result.text = str(page)
        return _replace_part(self.data, DOCUMENT_PART, _serialize(self.root))


def _contents_links(root: etree._Element) -> list[etree._Element]:
    """The bookmark links of the paragraphs a TOC field spans (begin to its own end)."""
    links: list[etree._Element] = []
    depth, inside = 0, False
    for paragraph in root.iter(qn("w:p")):
        in_this = inside
        for element in paragraph.iter(qn("w:fldChar"), qn("w:instrText"), qn("w:hyperlink")):
            if element.tag == qn("w:instrText") and not inside and depth == 1 \
                    and (element.text or "").strip().startswith("TOC"):
                inside = in_this = True
            elif element.tag == qn("w:fldChar"):
                kind = element.get(qn("w:fldCharType"))
                if kind == "begin":
                    depth += 1
                elif kind == "end":
                    depth -= 1
                    if inside and depth == 0:
                        inside = False
            elif element.tag == qn("w:hyperlink") and in_this and element.get(qn("w:anchor")) \
                    and not _has_pageref(element):
                links.append(element)
    return links


def _has_pageref(link: etree._Element) -> bool:
    return any(_PAGEREF.match(t.text or "") for t in link.iter(qn("w:instrText")))


def _serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _read_part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read(name)


def _replace_part(data: bytes, name: str, content: bytes) -> bytes:
    """The package with one part's content replaced; every entry keeps its order and stamp,
    so equal input still gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, content if info.filename == name else source.read(info))
    return out.getvalue()
