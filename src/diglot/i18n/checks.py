"""Translation checks: placeholders, inline Markdown, numbers, and the .po file's own syntax."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from diglot.errors import CatalogError, DiglotError, Location
from diglot.markup import permissive_parser

_PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{(\w+)\}")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_KEYWORD = re.compile(r"^(msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])\s+(.*)$")
_STRING = re.compile(r'^"(?:[^"\\]|\\.)*"$')
_MARKERS = ("*", "_", "`")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>|&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);")


def placeholders(text: str) -> set[str]:
    """Names of `%(name)s` and `{name}` placeholders in a message."""
    return {a or b for a, b in _PLACEHOLDER.findall(text)}


def _markdown(text: str) -> tuple[Counter[str], list[str], Counter[str]]:
    """Inline Markdown elements, link targets, and stray marker characters of a text."""
    kinds: Counter[str] = Counter()
    links: list[str] = []
    stray: Counter[str] = Counter()
    for block in permissive_parser().parseInline(text):
        for token in block.children or ():
            if token.type in ("strong_open", "em_open", "code_inline", "link_open"):
                kinds[token.type] += 1
            if token.type == "link_open":
                links.append(str(token.attrGet("href") or ""))
            if token.type == "text":
                stray.update(ch for ch in token.content if ch in _MARKERS)
    return kinds, sorted(links), stray


def entry_problems(source: str, translation: str, domain: str) -> list[str]:
    """What is wrong with one translation of `source` (empty when it can be used)."""
    problems: list[str] = []
    expected, found = placeholders(source), placeholders(translation)
    if expected != found:
        problems.append(
            f"placeholders {sorted(found)} do not match the source's {sorted(expected)}")
    if domain != "content":
        return problems + _template_problems(source, translation)
    source_kinds, source_links, source_stray = _markdown(source)
    kinds, links, stray = _markdown(translation)
    if links != source_links:
        problems.append(f"links {links} differ from the source's {source_links}")
    if any(stray[m] > source_stray[m] for m in _MARKERS):
        problems.append("unbalanced inline Markdown (a *, _ or ` is left unpaired)")
    elif kinds != source_kinds:
        problems.append("inline Markdown (bold, italic, code, links) differs from the source")
    digit_runs = _NUMBER.findall(translation)
    missing = [n for n in dict.fromkeys(_NUMBER.findall(source))
               if not any(n in run for run in digit_runs)]
    if missing:
        problems.append(f"number(s) {', '.join(missing)} of the source are missing")
    return problems


def _template_problems(source: str, translation: str) -> list[str]:
    """A template message is %-formatted and then inserted as text: a stray `%` would stop the
    build, and markup that is not in the msgid would show as literal tags."""
    problems: list[str] = []
    values = {name: "" for name in placeholders(translation)}  # names: checked apart
    try:
        translation % values
    except (ValueError, TypeError, KeyError):
        problems.append("a % that is not a placeholder (write %% for a percent sign)")
    if sorted(_TAG.findall(translation)) != sorted(_TAG.findall(source)):
        problems.append("markup (tags or entities) differs from the source's; a translation "
                        "is shown as text, so markup would appear literally")
    return problems


def message_problems(message: Message, domain: str) -> list[str]:
    """Problems of a translated, non-fuzzy catalog entry (plural forms each checked)."""
    if not message.id or message.fuzzy:
        return []
    ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    problems: list[str] = []
    for index, text in enumerate(strings):
        if text:
            source = ids[0] if index == 0 else ids[-1]
            problems += entry_problems(str(source), str(text), domain)
    return list(dict.fromkeys(problems))


def syntax_errors(path: Path, text: str) -> list[DiglotError]:
    """What Babel's reader would accept silently: unterminated strings, stray lines, duplicates."""
    errors: list[DiglotError] = []
    seen: dict[tuple[str, str], int] = {}
    context, msgid, msgid_line, key, previous = "", "", 0, "", ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _KEYWORD.match(line)
        string = match.group(2).strip() if match else line
        if not match and not line.startswith('"'):
            errors.append(CatalogError(f"not a catalog line: {line[:60]!r}",
                                       Location(path, number)))
            continue
        if not _STRING.match(string):
            errors.append(CatalogError(f"unterminated or malformed string: {string[:60]!r}",
                                       Location(path, number)))
            continue
        if match:
            previous, key = key, match.group(1)
            if key == "msgctxt":
                context = ""
            elif key == "msgid":
                msgid, msgid_line = "", number
                if previous != "msgctxt":  # an entry without a context
                    context = ""
        value = string[1:-1]
        if key == "msgctxt":
            context += value
        elif key == "msgid":
            msgid += value
        elif key.startswith("msgstr") and match and msgid and \
                not previous.startswith("msgstr"):  # once per entry, at its first msgstr
            first = seen.setdefault((context, msgid), msgid_line)
            if first != msgid_line:
                errors.append(CatalogError(
                    f"duplicate msgid {msgid[:50]!r} (first at line {first})",
                    Location(path, msgid_line)))
    return errors


def header_errors(path: Path, catalog: Catalog) -> list[DiglotError]:
    """A header that would make the catalog read wrongly: charset, plural forms."""
    errors: list[DiglotError] = []
    header = dict(catalog.mime_headers)
    content_type = header.get("Content-Type", "")
    if "charset=" in content_type and "utf-8" not in content_type.lower():
        errors.append(CatalogError(f"the catalog must be UTF-8, its header says {content_type!r}",
                                   Location(path, 1)))
    for message in catalog:
        if message.id and isinstance(message.id, tuple | list):
            strings = message.string if isinstance(message.string, tuple | list) else ()
            if len(strings) not in (0, catalog.num_plurals) and any(strings):
                errors.append(CatalogError(
                    f"{len(strings)} plural forms where the header's Plural-Forms has "
                    f"{catalog.num_plurals}", Location(path, message.lineno)))
    return errors
