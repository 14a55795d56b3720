"""The HTML writer: the rendered document, for previews and debugging, without active content."""

from __future__ import annotations

from pathlib import Path

from diglot.errors import BuildWarning, Location
from diglot.render import Rendered
from diglot.writers.active import remove_active_content


class HtmlWriter:
    name = "html"
    suffix = ".html"

    def write(self, rendered: Rendered, dest: Path, roots: tuple[Path, ...]) -> list[BuildWarning]:
        html, removed = remove_active_content(rendered.html)
        dest.write_text(html, encoding="utf-8")
        return [BuildWarning("html", f"active content left out of the HTML: {what}",
                             Location(rendered.template)) for what in removed]
