"""Active content out of an HTML output: scripts, embedded frames and objects, event handlers,
and links that go anywhere but the web (http, https, mailto) or a place in the page.

A theme may come from someone else, and a browser runs what an HTML file holds; the PDF writer
has its own rule for links (`pdf_links`), WeasyPrint runs no scripts, and the DOCX writer maps
only the elements it knows.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from diglot.resources import SAFE_SCHEMES

# Elements whose content a browser runs or loads as a page (SVG's animations can set a link).
ACTIVE_ELEMENTS = frozenset({"script", "iframe", "frame", "frameset", "object", "embed",
                             "applet", "base", "portal", "animate", "set", "handler",
                             "listener"})
# Attributes that hold a URL a reader can follow or that a browser loads.
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "poster", "background",
                  "xlink:href", "{http://www.w3.org/1999/xlink}href", "srcdoc", "ping")


def _allowed(element: etree._Element, name: str, value: str) -> bool:
    tag = str(element.tag).rsplit("}", 1)[-1].lower()
    scheme = urlsplit(value.strip()).scheme.lower()
    if name == "srcdoc" or name == "ping":
        return False
    if value.strip().startswith("#") or scheme in SAFE_SCHEMES:
        return name == "href" or tag in ("img", "source")
    # What the page itself is made of: its stylesheets and images, from the theme folders.
    if tag == "link" and name == "href":
        return "stylesheet" in (element.get("rel") or "").lower().split() and scheme in ("", "file")
    if tag in ("img", "source") and name == "src":
        return scheme in ("", "file") or value.strip().lower().startswith("data:image/")
    return False


def remove_active_content(html: str) -> tuple[str, list[str]]:
    """The page without active content, and what was taken out (once each); the page is
    returned as it was, byte for byte, when there was nothing to take out."""
    root = lxml.html.document_fromstring(html)
    removed: dict[str, None] = {}
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.rsplit("}", 1)[-1].lower()
        if tag in ACTIVE_ELEMENTS or (tag == "meta" and element.get("http-equiv")):
            removed[f"<{tag}> element"] = None
            element.drop_tree()
            continue
        for name, value in list(element.attrib.items()):
            if name.lower().startswith("on"):
                removed[f"{name} attribute"] = None
                del element.attrib[name]
            elif (name.lower() in URL_ATTRIBUTES or name in URL_ATTRIBUTES) and \
                    not _allowed(element, name.lower(), value):
                removed[f"{name}={value[:60]!r}"] = None
                del element.attrib[name]
    if not removed:
        return html, []
    text = lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")
    return text + "\n", list(removed)
