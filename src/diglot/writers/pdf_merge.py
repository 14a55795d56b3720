"""Chunk PDFs stitched into one: pages, structure tree, destinations, links, outline, fonts."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, String

# A link to a place in another chunk is written as a URI with this scheme, then made a link
# to the named destination in the merged file.
CHUNK_LINK = "diglot-chunk:"

# (title, (page index, x, y), children, state), as WeasyPrint's bookmark tree.
Bookmark = tuple[str, tuple[int, float, float], list[Any], str]


def merge(parts: Sequence[Path], outline: list[Bookmark], dest: Path) -> None:
    """Write `parts` (WeasyPrint PDFs of consecutive pages) as one PDF at `dest`, with
    `outline` as its bookmarks. The first part's catalog (metadata, language, standard's
    output intents, viewer preferences) is the file's."""
    with pikepdf.open(parts[0]) as out:
        names = _dest_names(out.Root)
        tagged = "/StructTreeRoot" in out.Root
        structure = _Structure(out) if tagged else None
        for path in parts[1:]:
            with pikepdf.open(path) as part:
                first = len(out.pages)
                out.pages.extend(part.pages)
                # The part's catalog in one copy: what it refers to comes along, its pages as
                # those just appended (qpdf copies each object once); the copied catalog itself
                # is left unreferenced, which saving drops.
                catalog = out.copy_foreign(part.Root)
                names += _dest_names(catalog)
                if structure is not None:
                    structure.add(catalog, out.pages[first:])
        if structure is not None:
            structure.finish()
        _set_dests(out, names)
        _chunk_links(out)
        _share_fonts(out)
        _set_outline(out, outline)
        out.save(dest, object_stream_mode=pikepdf.ObjectStreamMode.generate,
                 compress_streams=True, deterministic_id=True)


def _dest_names(catalog: Any) -> list[tuple[str, Any]]:
    """The named destinations of a catalog (WeasyPrint writes them as one flat name array)."""
    tree = catalog.get("/Names", {}).get("/Dests") if "/Names" in catalog else None
    if tree is None:
        return []
    flat = tree.get("/Names", Array())
    return [(str(flat[i]), flat[i + 1]) for i in range(0, len(flat), 2)]


def _set_dests(out: pikepdf.Pdf, names: list[tuple[str, Any]]) -> None:
    if not names:
        return
    seen: dict[str, Any] = {}
    for name, target in names:  # the first anchor of a name wins, as in one render
        seen.setdefault(name, target)
    flat = Array()
    for name in sorted(seen):
        flat.append(String(name))
        flat.append(seen[name])
    if "/Names" not in out.Root:
        out.Root.Names = Dictionary()
    out.Root.Names.Dests = out.make_indirect(Dictionary(Names=flat))


def _chunk_links(out: pikepdf.Pdf) -> None:
    """Links written as chunk URIs become links to the named destination."""
    for page in out.pages:
        for annotation in page.obj.get("/Annots", Array()):
            action = annotation.get("/A")
            uri = str(action.get("/URI", "")) if action is not None else ""
            if not uri.startswith(CHUNK_LINK):
                continue
            name = uri[len(CHUNK_LINK):]
            del annotation["/A"]
            annotation.Dest = String(name)
            if "/Contents" in annotation:
                annotation.Contents = String(name)


class _Structure:
    """The first part's structure tree, grown by each later part's."""

    def __init__(self, out: pikepdf.Pdf) -> None:
        self.out = out
        self.root = out.Root.StructTreeRoot
        self.document = self.root.K[0]  # WeasyPrint's one /Document element
        self.nums = list(self.root.ParentTree.Nums)
        self.next_key = _next_key(self.root, self.nums)

    def add(self, catalog: Any, new_pages: Sequence[pikepdf.Page]) -> None:
        """Add the structure tree of a part's `catalog`, already copied into the file."""
        root = catalog.StructTreeRoot
        nums = root.ParentTree.Nums
        base = self.next_key
        for kid in root.K[0].K:
            if isinstance(kid, Dictionary) and "/P" in kid:
                kid.P = self.document
            self.document.K.append(kid)
        for i in range(0, len(nums), 2):
            self.nums += [int(nums[i]) + base, nums[i + 1]]
        for page in new_pages:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + base
            for annotation in page.obj.get("/Annots", Array()):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + base
        self.next_key = base + _next_key(root, list(nums))

    def finish(self) -> None:
        self.root.ParentTree = self.out.make_indirect(Dictionary(Nums=Array(self.nums)))
        self.root.ParentTreeNextKey = self.next_key


def _next_key(root: Any, nums: list[Any]) -> int:
    keys = [int(nums[i]) for i in range(0, len(nums), 2)]
    return max([int(root.get("/ParentTreeNextKey", 0)), *(k + 1 for k in keys)])


_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def _share_fonts(out: pikepdf.Pdf) -> None:
    """One copy of each embedded font program and ToUnicode map: chunks that subset the same
    glyphs of a font embed identical streams."""
    streams: dict[str, Any] = {}

    def shared(stream: Any) -> Any:
        key = hashlib.sha256(bytes(stream.read_raw_bytes())
                             + repr(sorted(stream.stream_dict.keys())).encode()).hexdigest()
        return streams.setdefault(key, stream)

    seen: set[tuple[int, int]] = set()
    for page in out.pages:
        fonts = page.obj.get("/Resources", {}).get("/Font", {})
        for font in fonts.values() if isinstance(fonts, Dictionary) else ():
            if font.objgen in seen:
                continue
            seen.add(font.objgen)
            if "/ToUnicode" in font:
                font.ToUnicode = shared(font.ToUnicode)
            descendants = font.get("/DescendantFonts", Array([font]))
            for descendant in descendants:
                descriptor = descendant.get("/FontDescriptor")
                if descriptor is None:
                    continue
                for key in _FONT_FILES:
                    if key in descriptor:
                        descriptor[key] = shared(descriptor[key])


def _set_outline(out: pikepdf.Pdf, outline: list[Bookmark]) -> None:
    if "/Outlines" in out.Root:
        del out.Root["/Outlines"]
    if not outline:
        return
    top = out.make_indirect(Dictionary(Type=Name.Outlines))
    items, count = _outline_items(out, outline, top)
    top.Count = count
    top.First, top.Last = items[0], items[-1]
    out.Root.Outlines = top


def _outline_items(out: pikepdf.Pdf, bookmarks: list[Bookmark], parent: Any
                   ) -> tuple[list[Any], int]:
    """Outline items as WeasyPrint writes them: an open item counts its visible descendants,
    a closed one their number negated."""
    count = len(bookmarks)
    items: list[Any] = []
    for title, (page, x, y), children, state in bookmarks:
        item = out.make_indirect(Dictionary(
            Title=String(title), Dest=Array([out.pages[page].obj, Name.XYZ, x, y, 0]),
            Parent=parent))
        kids, kids_count = _outline_items(out, children, item)
        item.Count = -kids_count if state == "closed" else kids_count
        if state != "closed":
            count += kids_count
        if kids:
            item.First, item.Last = kids[0], kids[-1]
        if items:
            item.Prev = items[-1]
            items[-1].Next = item
        items.append(item)
    return items, count
