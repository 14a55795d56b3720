"""A long PDF laid out in chunks by parallel processes that agree on page numbers and fonts.

The document is cut at person boundaries (pdf_split) into a front chunk (cover, contents,
preface) and K runs of people. Each chunk is one process, spawned (WeasyPrint must not be
forked once loaded), that lays out its pages once; where WeasyPrint starts on the margin
boxes, every chunk has paginated: it tells the parent its page count, anchors and running
strings and waits for its page offset and the total, so footers number the pages of the whole
document. The front chunk is laid out again with every contents number known. Before the fonts
are embedded, the chunks swap the glyphs each uses, so that all embed the same subsets, which
the merge (pdf_merge) keeps once. This leans on WeasyPrint 70's internals: another version
renders in one process.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection, wait
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import weasyprint

from diglot.document import RenderedDocument, WriteContext
from diglot.errors import NOTE, BuildWarning, DiglotError, Location, OutputError
from diglot.pdfstandard import PdfStandard
from diglot.writers import pdf_merge, pdf_split

SUPPORTED_WEASYPRINT = "70."
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


class _Fallback(Exception):
    """The chunks cannot give the same document as one render."""


class _Measured(Exception):
    """The front chunk's first layout has served its purpose."""


def unsupported(rendered: RenderedDocument) -> str | None:
    """Why the document cannot be rendered in chunks, if it cannot: a WeasyPrint whose
    internals the chunks do not know, or CSS whose effect spans chunks (page selectors,
    counters, running elements, footnotes, page numbers in the text)."""
    if not weasyprint.__version__.startswith(SUPPORTED_WEASYPRINT):
        return f"WeasyPrint {weasyprint.__version__} is not the version chunks were made for"
    css = _css(rendered)
    rest = _without_page_rules(css)
    checks = [
        (re.search(r"@page[^{]*:(first|left|right|blank|nth)", css), "page selectors"),
        (re.search(r"counter-(increment|reset|set)", css), "CSS counters"),
        (re.search(r"running\(|element\(", css), "running elements"),
        (re.search(r"footnote", css), "footnotes"),
        (re.search(r"target-text\(", css), "target-text()"),
        (re.search(r"counters?\(\s*pages?\b", rest), "page numbers in the text"),
    ]
    found = [what for matched, what in checks if matched]
    return f"the theme's CSS uses {', '.join(found)}" if found else None


def _css(rendered: RenderedDocument) -> str:
    sheets = re.findall(r"<style[^>]*>(.*?)</style>", rendered.html, re.S)
    for folder in rendered.asset_dirs:
        for path in sorted(folder.rglob("*.css")):
            try:
                sheets.append(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                continue
    return re.sub(r"/\*.*?\*/", "", "\n".join(sheets), flags=re.S)


def _without_page_rules(css: str) -> str:
    """The CSS less its @page rules (braces nested in margin rules included)."""
    out, index = [], 0
    for match in re.finditer(r"@page[^{]*\{", css):
        if match.start() < index:
            continue
        out.append(css[index:match.start()])
        depth, index = 1, match.end()
        while index < len(css) and depth:
            depth += {"{": 1, "}": -1}.get(css[index], 0)
            index += 1
    out.append(css[index:])
    return "".join(out)


def write(writer: Any, rendered: RenderedDocument, dest: Path, context: WriteContext,
          parts: int, single: Callable[[], list[BuildWarning]]) -> list[BuildWarning]:
    """Write `rendered` to `dest` from `parts` chunks of people rendered at once; `single`
    renders it in this process instead, when it cannot be chunked (with a note saying why)."""
    why = unsupported(rendered)
    split = None
    if why is None:
        try:
            split = pdf_split.split(rendered.html, parts)
        except pdf_split.CannotSplit as exc:
            why = str(exc)
    if split is None:
        return [_note(rendered, why or ""), *single()]
    with tempfile.TemporaryDirectory(prefix=".chunks-", dir=dest.parent) as folder:
        htmls = [*([split.front] if split.front is not None else []), *split.bodies]
        specs = [ChunkSpec(index, index == 0 and split.front is not None,
                           replace(rendered, html=html),
                           Path(folder) / f"part-{index}.pdf", context.roots,
                           writer.standard, writer.identifier,
                           split.ids - split.own_ids[index])
                 for index, html in enumerate(htmls)]
        try:
            finished = _run(specs, context.progress)
        except _Fallback as exc:
            return [_note(rendered, str(exc)), *single()]
        context.progress(f"stitching {len(specs)} chunks")
        pdf_merge.merge([spec.dest for spec in specs], _outline(finished), dest)
    warnings = [w for chunk in finished for w in chunk.warnings]
    return list(dict.fromkeys(warnings))


def _note(rendered: RenderedDocument, why: str) -> BuildWarning:
    return BuildWarning(NOTE, f"the PDF is rendered in one process, not in chunks: {why}",
                        Location(rendered.template))


def _outline(finished: list[Finished]) -> list[pdf_merge.Bookmark]:
    """The whole document's bookmark tree, nested as one render nests it."""
    pages = [SimpleNamespace(bookmarks=marks, height=height) for chunk in finished
             for marks, height in zip(chunk.bookmarks, chunk.heights, strict=True)]
    return weasyprint.Document.make_bookmark_tree(  # type: ignore[arg-type]
        SimpleNamespace(pages=pages), 0.75, transform_pages=True)


def _run(specs: list[ChunkSpec], progress: Callable[[str], None]) -> list[Finished]:
    """Run every chunk in its own process through both sync points; the first failure stops
    them all."""
    spawn = multiprocessing.get_context("spawn")
    processes, connections = [], []
    try:
        for spec in specs:
            parent_end, child_end = spawn.Pipe()
            process = spawn.Process(target=work, args=(child_end,), daemon=True,
                                    name=f"diglot-chunk-{spec.index}")
            process.start()
            child_end.close()
            processes.append(process)
            connections.append(parent_end)
        # Sent once every process has started: a process reads what it is given only after
        # loading WeasyPrint, so that each would otherwise start after the one before.
        for spec, connection in zip(specs, connections, strict=True):
            with contextlib.suppress(OSError):  # gone already: said when it is waited for
                connection.send(spec)
        progress(f"laying out in {len(specs)} chunks, one process each")
        paginated: list[Paginated] = _gather(processes, connections, "paginated")
        if specs[0].front and not (paginated[0].forced_end or paginated[1].forced_start):
            raise _Fallback("the theme does not start a page between the contents and the "
                            "people, where the front chunk ends")
        offsets, total = [], 0
        for chunk in paginated:
            offsets.append(total)
            total += chunk.pages
        anchor_pages: dict[str, int] = {}
        for offset, chunk in zip(offsets, paginated, strict=True):
            for name, index in chunk.anchors.items():
                anchor_pages.setdefault(name, offset + index + 1)
        running: dict[str, str] = {}
        for offset, chunk, connection in zip(offsets, paginated, connections, strict=True):
            connection.send(Numbering(offset, total, dict(running), anchor_pages))
            running.update(chunk.strings)
        progress(f"laid out {total} pages; writing the chunks")
        glyphs: list[dict[str, tuple[dict[int, str], dict[int, Any]]]] = _gather(
            processes, connections, "fonts")
        union: dict[str, tuple[dict[int, str], dict[int, Any]]] = {}
        for chunk_glyphs in glyphs:
            for key, (to_unicode, widths) in chunk_glyphs.items():
                entry = union.setdefault(key, ({}, {}))
                entry[0].update(to_unicode)
                entry[1].update(widths)
        for connection, chunk_glyphs in zip(connections, glyphs, strict=True):
            connection.send({key: union[key] for key in chunk_glyphs})
        finished: list[Finished] = _gather(processes, connections, "done")
        for process in processes:
            process.join(10)
        return finished
    finally:
        for process in processes:
            if process.is_alive():
                process.kill()
                process.join(5)
        for connection in connections:
            connection.close()


def _gather(processes: list[Any], connections: list[Connection], step: str) -> list[Any]:
    """Every chunk's message for `step`, in chunk order; raises the first chunk's error,
    a fallback, or an OutputError when a chunk dies or takes longer than SYNC_TIMEOUT."""
    received: dict[int, Any] = {}
    deadline = time.monotonic() + SYNC_TIMEOUT
    while len(received) < len(connections):
        waiting = [c for i, c in enumerate(connections) if i not in received]
        for item in wait(waiting, timeout=1.0):
            index = connections.index(item)  # type: ignore[arg-type]
            try:
                kind, value = item.recv()  # type: ignore[union-attr]
            except EOFError:  # the process ended without a word
                processes[index].join(5)
                raise OutputError(
                    f"chunk {index + 1} of {len(processes)} of the PDF stopped (exit code "
                    f"{processes[index].exitcode}) before it was {step}; nothing was written"
                    ) from None
            if kind == "error":
                raise value
            if kind == "fallback":
                raise _Fallback(value)
            received[index] = value
        if time.monotonic() > deadline:
            late = min(set(range(len(processes))) - set(received)) + 1
            raise OutputError(f"chunk {late} of the PDF was not {step} after "
                              f"{SYNC_TIMEOUT:.0f} s; nothing was written")
    return [received[i] for i in range(len(connections))]


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
    except _Fallback as exc:
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
            with contextlib.suppress(_Measured):
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
                raise _Fallback(f"the contents took {pages} pages with their numbers, "
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
            raise _Measured
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
    item.target_box = SimpleNamespace(cached_counter_values={})
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
