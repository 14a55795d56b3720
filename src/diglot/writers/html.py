"""The HTML writer: the rendered document, for previews and debugging, without active content."""

from __future__ import annotations

from pathlib import Path

from diglot.document import RenderedDocument, WriteContext
from diglot.errors import BuildWarning, Location
from diglot.writers import Writer
from diglot.writers.active import remove_active_content


class HtmlWriter(Writer):
    """The report's HTML itself, its active content left out."""

    def write(self, rendered: RenderedDocument, dest: Path, context: WriteContext
              ) -> list[BuildWarning]:
        html, removed = remove_active_content(rendered.html)
        dest.write_text(html, encoding="utf-8")
        return [BuildWarning("html", f"active content left out of the HTML: {what}",
                             Location(rendered.template)) for what in removed]
