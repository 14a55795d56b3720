"""Reading a PDF for the tests: the structure tree of a tagged PDF (elements, /Lang, text), and
its streams' lengths."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject


@dataclass
class Element:
    tag: str
    lang: str | None
    text: str
    alt: str | None
    effective_lang: str | None = None  # its own /Lang or its nearest ancestor's
    leaf: bool = True  # no structure element below it


def _page_texts(page: Any, index: int, texts: dict[tuple[int, int], str]) -> None:
    """Add the text of one page's marked-content sequences to `texts`."""
    stack: list[int | None] = []

    def before(operator: bytes, operands: list[Any], *_: Any) -> None:
        if operator == b"BDC":
            props = operands[1] if len(operands) > 1 else None
            mcid = props.get("/MCID") if isinstance(props, DictionaryObject) else None
            stack.append(int(mcid) if mcid is not None else None)
        elif operator == b"BMC":
            stack.append(None)
        elif operator == b"EMC" and stack:
            stack.pop()

    def text(chunk: str, *_: Any) -> None:
        mcid = next((m for m in reversed(stack) if m is not None), None)
        if mcid is not None and chunk:
            texts[(index, mcid)] = texts.get((index, mcid), "") + chunk

    page.extract_text(visitor_operand_before=before, visitor_text=text)


def _mcid_texts(reader: PdfReader) -> dict[tuple[int, int], str]:
    """The text of every marked-content sequence, by (page index, MCID)."""
    texts: dict[tuple[int, int], str] = {}
    for index, page in enumerate(reader.pages):
        _page_texts(page, index, texts)
    return texts


def structure(path: Path) -> tuple[str | None, list[Element]]:
    """The document's /Lang and every structure element, in tree order, with its text."""
    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    page_index = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    texts = _mcid_texts(reader)
    found: list[Element] = []

    def text_of(element: DictionaryObject, page: int | None) -> str:
        own = element.get("/Pg")
        if isinstance(own, IndirectObject):
            page = page_index.get(own.idnum, page)
        kids = element.get("/K")
        kids = kids if isinstance(kids, ArrayObject) else [kids] if kids is not None else []
        parts = []
        for kid in kids:
            if isinstance(kid, int):
                parts.append(texts.get((page, int(kid)), "") if page is not None else "")
                continue
            kid = kid.get_object()
            if isinstance(kid, DictionaryObject) and kid.get("/Type") == "/StructElem":
                parts.append(text_of(kid, page))
            elif isinstance(kid, DictionaryObject) and "/MCID" in kid:
                pg = kid.get("/Pg")
                where = page_index.get(pg.idnum, page) if isinstance(pg, IndirectObject) \
                    else page
                parts.append(texts.get((where, int(kid["/MCID"])), ""))
        return "".join(parts)

    def walk(element: DictionaryObject, page: int | None, inherited: str | None) -> None:
        own = element.get("/Pg")
        if isinstance(own, IndirectObject):
            page = page_index.get(own.idnum, page)
        lang, alt = element.get("/Lang"), element.get("/Alt")
        lang = str(lang) if lang is not None else None
        entry = Element(str(element.get("/S", "")).lstrip("/"), lang, text_of(element, page),
                        str(alt) if alt is not None else None, lang or inherited)
        found.append(entry)
        kids = element.get("/K")
        kids = kids if isinstance(kids, ArrayObject) else [kids] if kids is not None else []
        for kid in kids:
            if isinstance(kid, IndirectObject):
                kid = kid.get_object()
                if isinstance(kid, DictionaryObject) and kid.get("/Type") == "/StructElem":
                    entry.leaf = False
                    walk(kid, page, entry.effective_lang)

    tree = root.get("/StructTreeRoot")
    if tree is not None:
        kids = tree.get_object().get("/K")
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            walk(kid.get_object(), None, None)
    lang = root.get("/Lang")
    return (str(lang) if lang is not None else None), found


_STREAM = re.compile(rb"\d+ \d+ obj\s*<<(?P<dict>(?:(?!endobj).)*?)>>\s*stream(?:\r\n|\n)", re.S)
_LENGTH = re.compile(rb"/Length (\d+)(?! \d+ R)")


def stream_length_errors(path: Path) -> list[str]:
    """Streams whose /Length is not the number of bytes between the EOL after `stream` and the
    EOL before `endstream` (ISO 32000-1, 7.3.8.1; PDF/A-2 and -3, 6.1.7.1)."""
    data = path.read_bytes()
    errors = []
    for match in _STREAM.finditer(data):
        length = _LENGTH.search(match["dict"])
        if length is None:
            continue
        end = match.end() + int(length.group(1))
        if not re.match(rb"(?:\r\n|\r|\n)endstream", data[end:end + 12]):
            errors.append(f"stream at byte {match.start()}: /Length {length.group(1).decode()}")
    return errors
