"""Checks the rendered HTML for images without a text alternative, for every output format."""

from __future__ import annotations

import lxml.html
from lxml import etree

from diglot.errors import BuildWarning, Location
from diglot.render import Rendered

SVG = "{http://www.w3.org/2000/svg}"


def missing_alt_text(rendered: Rendered) -> list[BuildWarning]:
    """A warning for each `<img>` with no (or an empty) `alt` and each `<svg>` with no
    `<title>`: a screen reader has nothing to say for them, and PDF/UA requires it."""
    parser = lxml.html.HTMLParser(remove_comments=True, huge_tree=True)
    try:
        root = lxml.html.document_fromstring(rendered.html, parser=parser)
    except (etree.ParserError, ValueError):
        return []
    where = Location(rendered.template)
    warnings = []
    for element in root.iter("img", "svg", f"{SVG}svg"):
        if element.tag == "img":
            if (element.get("alt") or "").strip():
                continue
            what = f"image {_shown(element.get('src') or '')!r}"
        else:
            title = next((t for t in element.iter("title", f"{SVG}title")), None)
            if title is not None and "".join(title.itertext()).strip():
                continue
            what = "an inline SVG image"
        warnings.append(BuildWarning("image", f"{what} has no text alternative (an `alt` "
                                     f"attribute, or a <title> in SVG) in {rendered.locale}",
                                     where))
    return warnings


def _shown(src: str) -> str:
    """An image's address as a message names it: a file by its name, a data URL by its type."""
    if src.startswith("data:"):
        return src.split(",", 1)[0][:60]
    return src.rstrip("/").rsplit("/", 1)[-1] or src
