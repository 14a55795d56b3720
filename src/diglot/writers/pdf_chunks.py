"""A long PDF laid out in chunks by parallel processes that agree on page numbers and fonts.

The document is cut at person boundaries (pdf_split) into a front chunk (cover, contents,
preface) and K runs of people. Each chunk is one process (a worker of `writers.processes`)
that lays out its pages once; where WeasyPrint starts on the margin boxes, every chunk has
paginated: it tells the parent its page count, anchors and running strings and waits for its
page offset and the total, so footers number the pages of the whole document. The front chunk
is laid out again with every contents number known. Before the fonts are embedded, the chunks
swap the glyphs each uses, so that all embed the same subsets, which the merge (pdf_merge)
keeps once. This leans on WeasyPrint 70's internals: another version renders in one process.
"""

from __future__ import annotations

import multiprocessing
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from multiprocessing.connection import Connection, wait
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import weasyprint

from diglot.document import RenderedDocument, WriteContext
from diglot.errors import NOTE, BuildWarning, Location, OutputError
from diglot.writers import pdf_merge, pdf_split
from diglot.writers import processes as workers
from diglot.writers.pdf_chunk import (
    SYNC_TIMEOUT,
    ChunkSpec,
    Fallback,
    Finished,
    Numbering,
    Paginated,
    work,
)

SUPPORTED_WEASYPRINT = "70."


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
        except Fallback as exc:
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
    processes, connections = [], []
    try:
        for spec in specs:
            parent_end, child_end = multiprocessing.Pipe()
            process = workers.process(work, (child_end,), f"diglot-chunk-{spec.index}")
            process.start()
            child_end.close()
            processes.append(process)
            connections.append(parent_end)
        # Sent once every process has started: a spawned process reads what it is given only
        # after loading WeasyPrint, so that each would otherwise start after the one before.
        for index, spec in enumerate(specs):
            _send(processes, connections, index, spec, "started")
        progress(f"laying out in {len(specs)} chunks, one process each")
        paginated: list[Paginated] = _gather(processes, connections, "paginated")
        if specs[0].front and not (paginated[0].forced_end or paginated[1].forced_start):
            raise Fallback("the theme does not start a page between the contents and the "
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
        for index, (offset, chunk) in enumerate(zip(offsets, paginated, strict=True)):
            _send(processes, connections, index,
                  Numbering(offset, total, dict(running), anchor_pages), "numbered")
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
        for index, chunk_glyphs in enumerate(glyphs):
            _send(processes, connections, index, {key: union[key] for key in chunk_glyphs},
                  "given its fonts")
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


def _send(processes: list[Any], connections: list[Connection], index: int, message: Any,
          step: str) -> None:
    """Send a chunk its message for `step`; a chunk that has died is said to have stopped."""
    try:
        connections[index].send(message)
    except OSError:
        raise _stopped(processes, index, step) from None


def _stopped(processes: list[Any], index: int, step: str) -> OutputError:
    processes[index].join(5)
    return OutputError(f"chunk {index + 1} of {len(processes)} of the PDF stopped (exit code "
                       f"{processes[index].exitcode}) before it was {step}; nothing was written")


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
            except (EOFError, OSError):  # the process ended without a word
                raise _stopped(processes, index, step) from None
            if kind == "error":
                raise value
            if kind == "fallback":
                raise Fallback(value)
            received[index] = value
        if time.monotonic() > deadline:
            late = min(set(range(len(processes))) - set(received)) + 1
            raise OutputError(f"chunk {late} of the PDF was not {step} after "
                              f"{SYNC_TIMEOUT:.0f} s; nothing was written")
    return [received[i] for i in range(len(connections))]
