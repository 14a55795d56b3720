"""What a laid-out PDF may link to: http, https and mailto URLs, and places in itself."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from diglot.resources import SAFE_SCHEMES


def drop_unsafe_links(document: Any) -> list[str]:
    """Remove every external link whose scheme is not http, https or mailto (`javascript:`,
    `file:`, `data:` and relative references, which resolve to `file:` URLs of the theme) from
    a rendered WeasyPrint document; return the targets removed, once each."""
    dropped: dict[str, None] = {}
    for page in document.pages:
        kept = []
        for link in page.links:
            kind, target = link[0], link[1]
            if kind == "external" and urlsplit(target).scheme.lower() not in SAFE_SCHEMES:
                dropped[target] = None
            else:
                kept.append(link)
        page.links[:] = kept
    return list(dropped)
