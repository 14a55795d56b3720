"""DOCX output, the HTML side: the head, the stylesheets' rules for classes, bookmarks, images."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import tinycss2
from lxml import etree

from diglot.errors import Location, OutputError
from diglot.resources import Refused, ResourcePolicy
from diglot.writers.docx.palette import parsed, root_variables

SPACES = re.compile(r"[ \t\n\r\f]+")
CLASS_SELECTOR = re.compile(r"[a-z0-9]*\.([A-Za-z_][\w-]*)")
# A list of a class, or any list inside one: `ul.editions`, `.facts ul`.
LIST_SELECTOR = re.compile(r"(?:[uo]l)?\.([A-Za-z_][\w-]*)(?:\s+[uo]l)?")
PAGE_BREAK_VALUES = frozenset({"page", "always", "left", "right", "recto", "verso"})
BOOKMARK_INVALID = re.compile(r"[^A-Za-z0-9_]")
# The lengths a Word style can follow, of a class or of a class after a sibling of it.
LENGTHS = frozenset({"font-size", "margin-bottom", "padding-top"})
LENGTH_SELECTOR = re.compile(r"\.([A-Za-z_][\w-]*)(?:\s*\+\s*\.\1)?")
_POINTS = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0, "pc": 12.0}

Warn = Callable[[str], None]


def read_head(root: etree._Element) -> dict[str, str]:
    """The `<title>` and the `<meta name=... content=...>` of the head, names in lower case."""
    meta: dict[str, str] = {}
    head = root.find("head")
    if head is None:
        return meta
    title = head.find("title")
    if title is not None and title.text:
        meta["title"] = SPACES.sub(" ", title.text).strip()
    for element in head.iter("meta"):
        name, content = element.get("name"), element.get("content")
        if name and content is not None:
            meta[name.lower()] = content
    return meta


@dataclass
class ClassRules:
    """What the document's stylesheets say of classes, as far as Word can follow it."""

    before: set[str] = field(default_factory=lambda: {"page-break"})  # start a page
    after: set[str] = field(default_factory=set)  # end a page
    nowrap: set[str] = field(default_factory=set)  # `white-space: nowrap`
    unmarked: set[str] = field(default_factory=set)  # lists of (or inside) it: no markers
    running: set[str] = field(default_factory=set)  # `string-set: section`: the header's text
    # Lengths in points, by selector (`.person-name`, `.person + .person`) and property, of
    # those a Word style follows (`LENGTHS`), in absolute units
    lengths: dict[tuple[str, str], float] = field(default_factory=dict)
    # `:root` custom properties, those of `:root:lang(...)` for the document's language over them
    variables: dict[str, str] = field(default_factory=dict)


def class_rules(root: etree._Element, resources: ResourcePolicy, warn: Warn) -> ClassRules:
    """Classes that start or end a page, do not wrap, or have lists without markers, read
    from the document's stylesheets.

    Only rules whose selectors are single classes (`.cover`, `section.toc`) count, and for
    list markers a list inside a class (`.facts ul`), in cascade order, so a theme that sets
    `break-before: auto` or `list-style: disc` again is obeyed.
    """
    rules = ClassRules()
    lang = root.get("lang")
    own: dict[str, str] = {}  # `:root:lang(...)` outranks `:root` in any stylesheet
    for css in _stylesheets(root, resources, warn):
        rules.variables.update(root_variables(css))
        if lang:
            own.update(root_variables(css, lang))
        for rule in parsed(css):
            if rule.type != "qualified-rule":
                continue
            selectors = [s.strip() for s in tinycss2.serialize(rule.prelude).split(",")]
            _lengths(rules, rule, selectors)
            classes = [m.group(1) for m in map(CLASS_SELECTOR.fullmatch, selectors) if m]
            lists = [m.group(1) for m in map(LIST_SELECTOR.fullmatch, selectors) if m]
            if len(lists) != len(selectors):
                lists = []
            if len(classes) != len(selectors):
                classes = []
            if not classes and not lists:
                continue
            for declaration in tinycss2.parse_declaration_list(
                    rule.content, skip_comments=True, skip_whitespace=True):
                if declaration.type == "declaration":
                    _follow(rules, declaration, classes, lists)
    rules.variables.update(own)
    return rules


def _lengths(rules: ClassRules, rule: tinycss2.ast.QualifiedRule, selectors: list[str]) -> None:
    """Record the `LENGTHS` a rule sets for a class, or for a class after a sibling of it."""
    wanted = [" ".join(s.split()) for s in selectors if LENGTH_SELECTOR.fullmatch(s)]
    if not wanted:
        return
    for declaration in tinycss2.parse_declaration_list(rule.content, skip_comments=True,
                                                       skip_whitespace=True):
        if declaration.type != "declaration" or declaration.lower_name not in LENGTHS:
            continue
        tokens = [t for t in declaration.value if t.type != "whitespace"]
        factor = _POINTS.get(tokens[0].lower_unit) if len(tokens) == 1 \
            and tokens[0].type == "dimension" else None
        for selector in wanted:
            if factor is None:
                rules.lengths.pop((selector, declaration.lower_name), None)
            else:
                rules.lengths[selector, declaration.lower_name] = tokens[0].value * factor


def _follow(rules: ClassRules, declaration: tinycss2.ast.Declaration, classes: list[str],
            lists: list[str]) -> None:
    """Record what one declaration of a rule for `classes` (or `lists`) says."""
    name = declaration.lower_name.removeprefix("page-")
    value = tinycss2.serialize(declaration.value).strip().lower()
    if name in ("list-style", "list-style-type"):
        target, names, on = rules.unmarked, lists, value == "none"
    elif name == "string-set":
        target, names, on = rules.running, classes, value.split()[:1] == ["section"]
    elif name == "white-space":
        target, names, on = rules.nowrap, classes, value == "nowrap"
    elif name in ("break-before", "break-after"):
        target = rules.before if name == "break-before" else rules.after
        names, on = classes, value in PAGE_BREAK_VALUES
    else:
        return
    for cls in names:
        if on:
            target.add(cls)
        else:
            target.discard(cls)


def _stylesheets(root: etree._Element, resources: ResourcePolicy, warn: Warn) -> list[str]:
    """The CSS of the head's `<link rel=stylesheet>` and `<style>` elements, in order; a
    stylesheet the resource policy refuses is skipped with a warning."""
    head = root.find("head")
    sheets: list[str] = []
    if head is None:
        return sheets
    for element in head.iter("link", "style"):
        if element.tag == "style":
            sheets.append(element.text or "")
            continue
        if "stylesheet" not in (element.get("rel") or "").lower().split():
            continue
        href = element.get("href") or ""
        try:
            sheets.append(resources.read(href)[1].decode("utf-8", errors="replace"))
        except Refused as exc:
            warn(f"stylesheet {href!r} refused ({exc.why}): its page breaks are not followed")
    return sheets


def classes(element: etree._Element | None) -> set[str]:
    """The classes of `element` (none for None)."""
    return set((element.get("class") or "").split()) if element is not None else set()


def first_descendant(element: etree._Element, tags: tuple[str, ...]) -> etree._Element | None:
    """The first descendant of `element` with one of `tags`, or None."""
    for found in element.iter(*tags):
        if found is not element:
            return found
    return None


def bookmark_name(ident: str, used: set[str], hidden: bool = False) -> str:
    """A Word bookmark name for an HTML id: letters, digits and _, at most 40, a letter first."""
    name = BOOKMARK_INVALID.sub("_", ident)
    if not hidden and not name[:1].isalpha():
        name = "b" + name
    name = name[:40]
    candidate, n = name, 1
    while candidate.lower() in used:
        n += 1
        suffix = f"_{n}"
        candidate = name[:40 - len(suffix)] + suffix
    used.add(candidate.lower())
    return candidate


def css_pixels(value: str | None) -> int | None:
    """A CSS length in whole pixels (`40`, `40px`), or None."""
    if value and value.strip().removesuffix("px").isdigit():
        return int(value.strip().removesuffix("px"))
    return None


def image_bytes(src: str, resources: ResourcePolicy, where: Location) -> tuple[bytes, str]:
    """The bytes of an image from a `data:` URL or a file the resource policy allows."""
    if urlsplit(src).scheme.lower() == "data":
        header, _, payload = src.partition(",")
        if not header.endswith(";base64"):
            raise OutputError("only base64 data: URLs can be images", where)
        blob = base64.b64decode(payload, validate=False)
        return blob, "data: URL"
    try:
        return resources.read(src)[1], src
    except Refused as exc:
        raise OutputError(f"image {src!r} refused: {exc.why}", where) from None
