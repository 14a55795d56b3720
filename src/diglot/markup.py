"""Inline Markdown in free text: rendered with raw HTML disabled, links limited to safe schemes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import Markup

_RULES = ["emphasis", "backticks", "link", "escape", "entity"]
# What can open a span, an escape or an entity of those rules, or what the parser normalizes:
# a text without any of these (most free text of a report) is one text token, its HTML the
# text escaped, and is not parsed.
_SIGNIFICANT = re.compile(r"[*_`\[\]\\&\r\x00]")


def is_safe_url(url: str) -> bool:
    """http(s) with a host, or mailto with an address."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    if parts.scheme in ("http", "https"):
        return bool(parts.netloc)
    return parts.scheme == "mailto" and bool(parts.path)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "maxNesting": 20}).enable(_RULES)
    md.validateLink = is_safe_url  # unsafe link targets stay literal text
    return md


def render_inline(text: str) -> Markup:
    """Inline Markdown to HTML; anything that is not Markdown is escaped."""
    if not _SIGNIFICANT.search(text):
        return Markup(escapeHtml(text))
    return Markup(_parser().renderInline(text))


def _numeric_references(state: StateCore) -> None:
    """Record each numeric character reference (`&#7;`, `&#x85;`) and the code point it names.

    markdown-it shows a reference to a control or non-character as U+FFFD, so the rendered
    text cannot tell that one was written; the tokens still can, before they are joined.
    """
    found = state.env.setdefault("references", [])
    for token in state.tokens:
        for child in token.children or ():
            if child.type == "text_special" and child.info == "entity":
                body = child.markup[2:-1] if child.markup.startswith("&#") else ""
                if body[:1] in ("x", "X"):
                    found.append((child.markup, int(body[1:], 16)))
                elif body.isascii() and body.isdigit():
                    found.append((child.markup, int(body)))


@lru_cache(maxsize=1)
def permissive_parser() -> MarkdownIt:
    """The same Markdown, but every link parsed as a link (to find and check them all)."""
    md = MarkdownIt("zero", {"html": False, "maxNesting": 20}).enable(_RULES)
    md.validateLink = lambda _url: True
    md.core.ruler.before("text_join", "numeric_references", _numeric_references)
    return md


def link_targets(text: str) -> list[str]:
    """Every link target the text's Markdown names, whether it is safe or not."""
    targets: list[str] = []
    if not _SIGNIFICANT.search(text):
        return targets
    for token in permissive_parser().parseInline(text):
        for child in token.children or ():
            if child.type == "link_open":
                targets.append(str(child.attrGet("href") or ""))
    return targets


@dataclass(frozen=True)
class Inline:
    """What one text's Markdown makes: its spans, every link target, and the HTML."""

    elements: int  # bold, italic, code and link spans
    links: list[str]
    html: str  # rendered with every link kept, entities decoded as the output shows them
    references: list[tuple[str, int]]  # numeric character references and their code points


def inspect(text: str) -> Inline:
    """Parse the text once, as the loader checks it: spans counted, links found, HTML made."""
    if not _SIGNIFICANT.search(text):
        return Inline(0, [], escapeHtml(text), [])
    md = permissive_parser()
    env: dict[str, list[tuple[str, int]]] = {}
    tokens = md.parseInline(text, env)
    elements, links = 0, []
    for token in tokens:
        for child in token.children or ():
            if child.type.endswith("_open") or child.type == "code_inline":
                elements += 1
            if child.type == "link_open":
                links.append(str(child.attrGet("href") or ""))
    return Inline(elements, links, md.renderer.render(tokens, md.options, {}),
                  env.get("references", []))


def plain_text(text: str) -> str:
    """The text without its Markdown (for PDF bookmarks, metadata and plain-text checks)."""
    if not _SIGNIFICANT.search(text):
        return text
    return _plain(_parser().parseInline(text))


def render_both(text: str) -> tuple[Markup, str]:
    """`render_inline(text)` and `plain_text(text)` from one parse."""
    if not _SIGNIFICANT.search(text):
        return Markup(escapeHtml(text)), text
    md = _parser()
    tokens = md.parseInline(text)
    return Markup(md.renderer.render(tokens, md.options, {})), _plain(tokens)


def _plain(tokens: list[Token]) -> str:
    out: list[str] = []
    for token in tokens:
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                out.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                out.append(" ")
    return "".join(out)
