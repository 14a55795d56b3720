"""Output formats: one small writer per format behind one protocol, registered in one table."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from diglot.document import RenderedDocument, WriteContext
from diglot.errors import BuildWarning


class Writer(Protocol):
    """Turns the HTML rendered for one locale into one file."""

    name: str
    suffix: str

    def write(self, rendered: RenderedDocument, dest: Path, context: WriteContext
              ) -> list[BuildWarning]:
        """Write `dest`; read nothing outside the context's roots and the document's asset
        folders; return the warnings met on the way."""
        ...


def registry() -> dict[str, type[Writer]]:
    """Every output format by name (imports are deferred: WeasyPrint is slow to import)."""
    from diglot.writers.docx import DocxWriter
    from diglot.writers.html import HtmlWriter
    from diglot.writers.pdf import PdfWriter

    return {"pdf": PdfWriter, "docx": DocxWriter, "html": HtmlWriter}


FORMATS = ("pdf", "docx", "html")
