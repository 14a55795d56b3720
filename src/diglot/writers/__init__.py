"""Output formats: one small writer per format behind one protocol, registered in one table."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from diglot.document import RenderedDocument, WriteContext
from diglot.errors import BuildWarning


class Writer(Protocol):
    """Turns the HTML rendered for one locale into one file. A writer subclasses it for the
    default `finish`, which has nothing to do."""

    def write(self, rendered: RenderedDocument, dest: Path, context: WriteContext
              ) -> list[BuildWarning]:
        """Write `dest`; read nothing outside the context's roots and the document's asset
        folders; return the warnings met on the way."""
        ...

    def finish(self, staged: Sequence[Path], context: WriteContext) -> list[list[BuildWarning]]:
        """Complete outputs `write` made, with a step done once for all of them (one
        LibreOffice layout gives every DOCX's contents its page numbers); return each
        output's warnings."""
        return [[] for _ in staged]


@dataclass(frozen=True)
class Format:
    """An output format: its files' suffix, its writer (`module:class`, imported only to
    write: WeasyPrint is slow to import), and what the writer's `finish` does, for progress
    ("" when nothing; see `jobs.schedule` for when such outputs are written)."""

    suffix: str
    writer: str
    finishes: str = ""


TABLE = {
    "pdf": Format(".pdf", "diglot.writers.pdf:PdfWriter"),
    "docx": Format(".docx", "diglot.writers.docx:DocxWriter",
                   "contents page numbers from a LibreOffice layout"),
    "html": Format(".html", "diglot.writers.html:HtmlWriter"),
}
FORMATS = tuple(TABLE)


def writer_class(name: str) -> type[Writer]:
    """The writer of format `name`, its module imported now."""
    from diglot.writers.libraries import found_quickly

    module, _, cls = TABLE[name].writer.partition(":")
    with found_quickly():
        found: type[Writer] = getattr(importlib.import_module(module), cls)
    return found


def import_pdf() -> None:
    """The PDF writer's modules (a chunk's process imports its own, pikepdf's, itself)."""
    writer_class("pdf")

