"""The HTML writer: the rendered document as it is, for previews and debugging."""

from __future__ import annotations

from pathlib import Path

from diglot.errors import BuildWarning
from diglot.render import Rendered


class HtmlWriter:
    name = "html"
    suffix = ".html"

    def write(self, rendered: Rendered, dest: Path, roots: tuple[Path, ...]) -> list[BuildWarning]:
        dest.write_text(rendered.html, encoding="utf-8")
        return []
