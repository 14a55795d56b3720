"""The DOCX writer: rendered HTML -> a Word document (translator, table model, styles, parts)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from diglot.document import RenderedDocument, WriteContext
from diglot.errors import NOTE, BuildWarning, Location, OutputError
from diglot.writers import Writer
from diglot.writers.docx import pages
from diglot.writers.docx.translator import DocxTranslator


class DocxWriter(Writer):
    """The Word document, its contents numbered by `finish`."""

    def write(self, rendered: RenderedDocument, dest: Path, context: WriteContext
              ) -> list[BuildWarning]:
        translator = DocxTranslator(rendered, context.roots + rendered.asset_dirs, context.epoch)
        try:
            data = translator.build()
        except RecursionError:
            raise OutputError("the document nests too deeply to be written as DOCX",
                              Location(dest)) from None
        dest.write_bytes(data)
        return translator.warnings

    def finish(self, staged: Sequence[Path], context: WriteContext) -> list[list[BuildWarning]]:
        """Give every written document's contents its page numbers, from one LibreOffice
        layout of them all."""
        try:
            numbered = pages.number_contents([path.read_bytes() for path in staged])
        except pages.LayoutUnavailable as exc:
            return [[_unnumbered(exc)] for _ in staged]
        found: list[list[BuildWarning]] = []
        for path, outcome in zip(staged, numbered, strict=True):
            if isinstance(outcome, pages.LayoutUnavailable):
                found.append([_unnumbered(outcome)])
            else:
                path.write_bytes(outcome)
                found.append([])
        return found


def _unnumbered(reason: pages.LayoutUnavailable) -> BuildWarning:
    return BuildWarning(NOTE, f"the DOCX contents show no page numbers: {reason}; Word adds "
                        "them when the contents is updated")
