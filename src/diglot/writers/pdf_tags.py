"""Tagged-PDF fixes WeasyPrint leaves out: `/Lang` per passage, page margins as artifacts."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pydyf
from weasyprint.pdf import tags as weasy_tags

_PATCH_LOCK = threading.Lock()


class LanguageRecorder:
    """Records the language of every structure element WeasyPrint makes, while it is active."""

    def __init__(self) -> None:
        self.langs: dict[int, str] = {}  # structure element's object number -> HTML lang

    @contextmanager
    def active(self) -> Iterator[LanguageRecorder]:
        """Wrap WeasyPrint's tag builder (it calls itself through its module, so the wrapper
        sees every box) for the duration of one `write_pdf`."""
        with _PATCH_LOCK:
            original = weasy_tags._build_box_tree

            def build(box: Any, *args: Any) -> Iterator[pydyf.Dictionary]:
                own = getattr(box, "_box", box)  # absolute placeholders wrap their box
                lang = own.style["lang"] if own.style is not None else None
                for element in original(box, *args):
                    if lang and element.number is not None:
                        # Children come first and keep their own; a body or page box
                        # passes its children's elements up unchanged.
                        self.langs.setdefault(element.number, lang)
                    yield element

            weasy_tags._build_box_tree = build
            try:
                yield self
            finally:
                weasy_tags._build_box_tree = original


def _number(reference: Any) -> int | None:
    """The object number of a pydyf reference (`b"12 0 R"`), None for anything else."""
    if isinstance(reference, bytes | str):
        text = reference.decode() if isinstance(reference, bytes) else reference
        parts = text.split()
        if len(parts) == 3 and parts[2] == "R" and parts[0].isdigit():
            return int(parts[0])
    return None


def _same_language(a: str, b: str) -> bool:
    return a.replace("_", "-").lower() == b.replace("_", "-").lower()


def set_languages(pdf: pydyf.PDF, langs: dict[int, str], document_lang: str) -> int:
    """Give each structure element whose language differs from its parent's its `/Lang`;
    returns how many were given one."""
    objects = pdf.objects

    def effective(number: int | None, seen: int = 0) -> str:
        # An element's language: its own when recorded, else its parent's, up to the document.
        while number is not None and seen < 1000:
            if number in langs:
                return langs[number]
            element = objects[number]
            if not isinstance(element, dict) or element.get("Type") != "/StructElem":
                break
            number, seen = _number(element.get("P")), seen + 1
        return document_lang

    count = 0
    for number, lang in langs.items():
        element = objects[number]
        if not isinstance(element, dict) or element.get("Type") != "/StructElem":
            continue
        if not _same_language(lang, effective(_number(element.get("P")))):
            element["Lang"] = pydyf.String(lang)
            count += 1
    return count


def margins_as_artifacts(pdf: pydyf.PDF) -> int:
    """Mark the text of page margins (running headers and footers) as pagination artifacts.

    WeasyPrint tags that text as spans it keeps out of the structure tree (PDF 1.7 has no
    Artifact structure element, Kozea/WeasyPrint#1836). Such content belongs to no element,
    so it is marked `/Artifact` in the page's content instead, and its entries are dropped
    from the parent tree. Returns how many marked sequences were changed.
    """
    objects = pdf.objects
    root = objects[_number(pdf.catalog.get("StructTreeRoot"))]
    reachable: set[int] = set()
    stack = [n for n in map(_number, root.get("K", ())) if n is not None]
    while stack:
        number = stack.pop()
        if number in reachable:
            continue
        reachable.add(number)
        element = objects[number]
        if isinstance(element, dict) and element.get("Type") == "/StructElem":
            stack += [n for n in map(_number, element.get("K", ())) if n is not None]
    parent_tree = objects[_number(root["ParentTree"])]
    nums = parent_tree["Nums"]
    changed = 0
    page_numbers = [_number(ref) for ref in pdf.page_references]
    for index in range(0, len(nums), 2):
        page_index, mcids = nums[index], nums[index + 1]
        if not isinstance(mcids, pydyf.Array) or not isinstance(page_index, int) \
                or page_index >= len(page_numbers):
            continue
        orphans = {mcid for mcid, ref in enumerate(mcids) if _number(ref) not in reachable}
        if not orphans:
            continue
        page = objects[page_numbers[page_index]]
        contents = objects[_number(page["Contents"])]
        done = _artifact_marks(contents, orphans)
        for mcid in done:  # content in other streams keeps its (unreachable) entry
            mcids[mcid] = "null"
        changed += len(done)
    return changed


def _artifact_marks(stream: pydyf.Stream, mcids: set[int]) -> set[int]:
    """Turn `/Tag <</MCID n>> BDC` into `/Artifact <</Type /Pagination>> BDC` for `mcids`;
    returns the MCIDs found."""
    items = stream.stream
    done: set[int] = set()
    for i in range(1, len(items) - 1):
        item = items[i]
        if isinstance(item, pydyf.Dictionary) and item.get("MCID") in mcids \
                and items[i + 1] == b"BDC":
            done.add(item["MCID"])
            items[i - 1] = "/Artifact"
            items[i] = pydyf.Dictionary({"Type": "/Pagination"})
    return done


def annotations_in_links(pdf: pydyf.PDF) -> int:
    """Move each link annotation that WeasyPrint put under an element inside a link (an
    inline block in an `<a>`, Kozea/WeasyPrint#185) to that link element, as PDF/UA asks.
    Returns how many were moved."""
    objects = pdf.objects
    root = objects[_number(pdf.catalog.get("StructTreeRoot"))]
    nums = objects[_number(root["ParentTree"])]["Nums"]
    moved = 0
    for index in range(0, len(nums), 2):
        number = _number(nums[index + 1])
        if number is None:
            continue
        element = objects[number]
        if not isinstance(element, dict) or element.get("S") in ("/Link", "/Form"):
            continue
        link = _number(element.get("P"))
        while link is not None and objects[link].get("S") not in ("/Link", "/Document"):
            link = _number(objects[link].get("P"))
        if link is None or objects[link].get("S") != "/Link":
            continue
        kids = element["K"]
        holders = [k for k in kids if (n := _number(k)) is not None
                   and objects[n].get("Type") == "/OBJR"]
        for holder in holders:
            kids.remove(holder)
            objects[link]["K"].append(holder)
        nums[index + 1] = objects[link].reference
        moved += 1
    return moved
