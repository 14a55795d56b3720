"""One chunk's process: its spec, its hooks into WeasyPrint's layout and PDF writing, and
its messages at the sync points with the parent (pdf_chunks)."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from diglot.document import RenderedDocument
from diglot.errors import BuildWarning, DiglotError, Location, OutputError
from diglot.pdfstandard import PdfStandard
from diglot.writers import pdf_merge

# How long a chunk may take to reach each sync point, and how long a chunk waits for the
# parent's answer there, before the build fails rather than hangs.
SYNC_TIMEOUT = 30 * 60.0
PLACEHOLDER_PAGE = 888  # contents numbers while the front chunk is measured


@dataclass(frozen=True)
class ChunkSpec:
    """What one chunk process renders, and where it writes its part."""

    index: int
    front: bool
    document: RenderedDocument
    dest: Path
    roots: tuple[Path, ...]
    standard: PdfStandard
    identifier: bytes | None
    other_ids: frozenset[str]  # anchors of the document outside this chunk
    timeout: float = SYNC_TIMEOUT


@dataclass
class Paginated:
    """What a chunk says when its pages are laid out."""

    pages: int
    anchors: dict[str, int]  # anchor -> page index in the chunk
    strings: dict[str, str]  # string-set name -> its last value in the chunk
    forced_start: bool  # the CSS breaks the page before its first element
    forced_end: bool  # ... after its last one


@dataclass
class Numbering:
    """The parent's answer: where the chunk's pages fall in the whole document."""

    offset: int
    total: int
    strings: dict[str, str]  # string-set values running in from the chunks before
    anchor_pages: dict[str, int]  # every anchor of the document -> its page number


@dataclass
class Finished:
    warnings: list[BuildWarning]
    bookmarks: list[list[tuple[Any, ...]]]  # per page, WeasyPrint's page.bookmarks
    heights: list[float]  # per page, in CSS pixels


class Fallback(Exception):
    """The chunks cannot give the same document as one render."""


class Measured(Exception):
    """The front chunk's first layout has served its purpose."""


def work(connection: Connection) -> None:
    """One chunk's process: receive its spec, render its part and answer the sync points."""
    from diglot.writers.pdf import PdfWriter

    spec: ChunkSpec = connection.recv()
    chunk = _Chunk(spec, connection)
    try:
        writer = PdfWriter(spec.standard, spec.identifier)
        with chunk.hooks():
            warnings = chunk.render(writer)
        connection.send(("done", Finished(warnings, chunk.bookmarks, chunk.heights)))
    except Fallback as exc:
        connection.send(("fallback", str(exc)))
    except DiglotError as exc:
        connection.send(("error", exc))
    except BaseException as exc:  # said to the parent, which fails the build
        connection.send(("error", OutputError(
            f"chunk {spec.index + 1} of the PDF failed: {type(exc).__name__}: {exc}",
            Location(spec.dest))))
    finally:
        connection.close()


@dataclass
class _Chunk:
    """The hooks of one chunk process into WeasyPrint's layout and PDF writing."""

    spec: ChunkSpec
    connection: Connection
    numbering: Numbering | None = None
    measured: int | None = None  # the front chunk's page count in its first layout
    laid_out: bool = False  # this layout has had its first margin box
    bookmarks: list[list[tuple[Any, ...]]] = field(default_factory=list)
    heights: list[float] = field(default_factory=list)

    def render(self, writer: Any) -> list[BuildWarning]:
        document = self.spec.document
        if self.spec.front:
            # Measure: lay out with placeholder numbers to learn the page count.
            with contextlib.suppress(Measured):
                writer.write_document(document, self.spec.dest, self.spec.roots,
                                      stylesheets=False)
            self.laid_out = False
        return writer.write_document(document, self.spec.dest, self.spec.roots,
                                     after_layout=self._after_layout,
                                     stylesheets=self.spec.front)

    @contextmanager
    def hooks(self) -> Iterator[None]:
        import weasyprint.document
        import weasyprint.layout
        import weasyprint.pdf

        margins = weasyprint.layout.make_margin_boxes
        fonts = weasyprint.pdf.build_fonts_dictionary
        collector = weasyprint.document.TargetCollector

        def make_margin_boxes(context: Any, page: Any, state: Any) -> Any:
            if not self.laid_out:
                self.laid_out = True
                self._paginated(context, state[1]["pages"][0])
            assert self.numbering is not None
            values = dict(state[1])
            values["page"] = [values["page"][-1] + self.numbering.offset]
            values["pages"] = [self.numbering.total]
            return margins(context, page, (state[0], values, state[2], state[3]))

        def build_fonts_dictionary(pdf: Any, used: Any, *args: Any) -> Any:
            self._share_glyphs(used)
            return fonts(pdf, used, *args)

        def target_collector() -> Any:
            made = collector()
            if self.spec.front:
                pages = self.numbering.anchor_pages if self.numbering else {}
                for name in self.spec.other_ids:
                    made.target_lookup_items[name] = _known_target(
                        pages.get(name, PLACEHOLDER_PAGE))
            return made

        weasyprint.layout.make_margin_boxes = make_margin_boxes
        weasyprint.pdf.build_fonts_dictionary = build_fonts_dictionary
        weasyprint.document.TargetCollector = target_collector
        try:
            yield
        finally:
            weasyprint.layout.make_margin_boxes = margins
            weasyprint.pdf.build_fonts_dictionary = fonts
            weasyprint.document.TargetCollector = collector

    def _paginated(self, context: Any, pages: int) -> None:
        if self.spec.front and self.measured is not None:
            if pages != self.measured:
                raise Fallback(f"the contents took {pages} pages with their numbers, "
                                f"{self.measured} without")
            return
        anchors = {name: item.page_maker_index for name, item
                   in context.target_collector.target_lookup_items.items()
                   if item.page_maker_index is not None and name not in self.spec.other_ids}
        strings = {name: by_page[max(by_page)][-1]
                   for name, by_page in context.string_set.items() if by_page}
        self.numbering = self._ask(("paginated", Paginated(
            pages, anchors, strings, _forced(context, first=True), _forced(context, first=False))))
        if self.spec.front:
            self.measured = pages
            raise Measured
        _carry_strings(context, self.numbering.strings)

    def _share_glyphs(self, used: Any) -> None:
        mine: dict[str, tuple[dict[int, str], dict[int, Any]]] = {}
        for font in used.values():
            entry = mine.setdefault(font.hash, ({}, {}))
            entry[0].update(font.to_unicode)
            entry[1].update(font.widths)
        union = self._ask(("fonts", mine))
        for font in used.values():
            to_unicode, widths = union[font.hash]
            font.to_unicode, font.widths = dict(to_unicode), dict(widths)

    def _ask(self, message: tuple[str, Any]) -> Any:
        """Send a sync point's message and wait for the parent's answer; give up when the
        parent has gone or takes longer than the timeout."""
        self.connection.send(message)
        parent, deadline = os.getppid(), time.monotonic() + self.spec.timeout
        while not self.connection.poll(1.0):
            if os.getppid() != parent or time.monotonic() > deadline:
                raise OutputError(f"chunk {self.spec.index + 1} of the PDF had no answer at "
                                  f"its {message[0]} sync point", Location(self.spec.dest))
        return self.connection.recv()

    def _after_layout(self, document: Any) -> None:
        """Links to places in other chunks become chunk links, for the merge to resolve;
        the bookmarks are kept for the whole document's outline."""
        own = {name for page in document.pages for name in page.anchors}
        for page in document.pages:
            page.links[:] = [
                ("external", pdf_merge.CHUNK_LINK + link[1], *link[2:])
                if link[0] == "internal" and link[1] not in own
                and link[1] in self.spec.other_ids else link
                for link in page.links]
            self.bookmarks.append(list(page.bookmarks))
            self.heights.append(page.height)


FORCED = {"page", "left", "right", "recto", "verso"}


def _forced(context: Any, first: bool) -> bool:
    """Whether the CSS forces a page break before the body's first shown element (or one of
    its first descendants), or after its last (or one of its last descendants)."""
    styles = context.style_for._computed_styles
    body = next((element for element, pseudo in styles if pseudo is None
                 and str(element.tag).rsplit("}", 1)[-1] == "body"), None)
    element, side = body, "break_before" if first else "break_after"
    for _depth in range(4):
        shown = [child for child in element if (child, None) in styles
                 and "none" not in styles[child, None]["display"]] if element is not None else []
        if not shown:
            return False
        element = shown[0] if first else shown[-1]
        if styles[element, None][side] in FORCED:
            return True
    return False


def _known_target(page: int) -> Any:
    """A target lookup for an anchor of another chunk, on `page` of the whole document."""
    from weasyprint.css.targets import TargetLookupItem

    item = TargetLookupItem("up-to-date")
    # The page among the target box's own counters too: WeasyPrint then finds no counter
    # missing in the contents entry, and does not lay the contents' pages out again on each
    # of its passes (with 1000 people, 220 page layouts of a 38-page front become 80).
    item.target_box = SimpleNamespace(cached_counter_values={"page": [page]})
    item.cached_page_counter_values = {"page": [page]}
    return item


def _carry_strings(context: Any, carried: dict[str, str]) -> None:
    """`string()` in margins finds the values set in earlier chunks, as one render does."""
    if not carried:
        return
    lookup = context.get_string_set_for

    def get_string_set_for(page: Any, name: str, keyword: str = "first") -> Any:
        found = lookup(page, name, keyword)
        if found or name not in carried or keyword == "all-once":
            return found
        store = context.string_set[name]
        if any(number in store for number in range(1, context.current_page + 1)):
            return found
        return (carried[name],)

    context.get_string_set_for = get_string_set_for
