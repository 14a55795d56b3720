"""The DOCX writer: rendered HTML -> a Word document (translator, table model, styles, parts)."""

from __future__ import annotations

from pathlib import Path

from diglot.document import RenderedDocument, WriteContext
from diglot.errors import NOTE, BuildWarning, Location, OutputError
from diglot.writers.docx import pages
from diglot.writers.docx.translator import DocxTranslator


class DocxWriter:
    name = "docx"
    suffix = ".docx"

    def write(self, rendered: RenderedDocument, dest: Path, context: WriteContext
              ) -> list[BuildWarning]:
        translator = DocxTranslator(rendered, context.roots + rendered.asset_dirs, context.epoch)
        try:
            data = translator.build()
        except RecursionError:
            raise OutputError("the document nests too deeply to be written as DOCX",
                              Location(dest)) from None
        warnings = translator.warnings
        try:
            data = pages.number_contents(data).data
        except pages.LayoutUnavailable as exc:
            warnings.append(BuildWarning(NOTE, f"the DOCX contents show no page numbers: {exc}; "
                                         "Word adds them when the contents is updated"))
        dest.write_bytes(data)
        return warnings
