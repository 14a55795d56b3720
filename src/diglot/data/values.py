"""Converters of the data format's values: text, numbers, dates, choices, lists, mappings."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from typing import TypeVar

from diglot import limits, markup, yamltree
from diglot.errors import DataError, DiglotError, Location
from diglot.i18n.locale_id import locale_problem
from diglot.model import PartialDate, Text
from diglot.yamltree import Mapping, Node, Scalar, Sequence

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
INTEGER = re.compile(r"^[0-9]+$")
_NULLS = ("", "~", "null", "Null", "NULL")

T = TypeVar("T")


class Fields:
    """The keys of one mapping, taken one by one; what is left over is unknown."""

    def __init__(self, node: Mapping, path: str, converters: Converters) -> None:
        self.path = path
        self.node = node
        self.converters = converters
        self.items: dict[str, tuple[Scalar, Node]] = {}
        for key, value in node.items:
            self.items.setdefault(key.value, (key, value))

    def child(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def take(self, key: str, convert: Callable[[Node, str], T | None], required: bool = False
             ) -> T | None:
        entry = self.items.pop(key, None)
        if entry is None or _is_null(entry[1]):
            if required:
                self.converters.error(f"missing required field {key!r}", self.node.location,
                                      self.child(key))
            return None
        return convert(entry[1], self.child(key))

    def finish(self, allowed: tuple[str, ...]) -> None:
        for key, (key_node, _) in self.items.items():
            self.converters.error(
                f"unknown key {key!r} (expected one of: {', '.join(allowed)})",
                key_node.location, self.child(key),
            )


def _shorten(value: str, width: int = 40) -> str:
    """A value quoted for a message, cut short when it is long."""
    return repr(value) if len(value) <= width else f"{value[:width]!r}... ({len(value)} characters)"


def _is_null(node: Node) -> bool:
    return isinstance(node, Scalar) and node.plain and node.value in _NULLS


class Converters:
    """Converters for each kind of value; errors are collected, not raised."""

    def __init__(self, errors: list[DiglotError]) -> None:
        self.errors = errors
        self.places: dict[str, Location] = {}

    def error(self, message: str, location: Location, path: str) -> None:
        self.errors.append(DataError(message, location.with_path(path)))

    def scalar(self, node: Node, path: str, what: str) -> Scalar | None:
        if isinstance(node, Scalar):
            self.places.setdefault(path, node.location)
            return node
        self.error(f"expected {what}, got {yamltree.describe(node)}", node.location, path)
        return None

    def text(self, node: Node, path: str) -> Text | None:
        scalar = self.scalar(node, path, "text")
        if scalar is None:
            return None
        value = scalar.value.strip()
        if not value:
            self.error("text is empty", node.location, path)
            return None
        if len(value) > limits.MAX_TEXT_CHARS:
            self.error(f"text is {len(value)} characters long; the limit is "
                       f"{limits.MAX_TEXT_CHARS} (split it into paragraphs)", node.location, path)
            return None
        if yamltree.FORBIDDEN.search(value):  # the parser has reported it, with its offset
            return None
        inline = markup.inspect(value)
        if inline.elements > limits.MAX_INLINE_ELEMENTS:
            self.error(f"text has {inline.elements} inline Markdown elements (bold, italic, "
                       f"code, links); the limit is {limits.MAX_INLINE_ELEMENTS}",
                       node.location, path)
        for target in inline.links:
            if not markup.is_safe_url(target):
                self.error(f"link {target!r} in text: only http, https and mailto links are "
                           "allowed", node.location, path)
        for reference, code in inline.references:
            if code > 0x10FFFF or yamltree.FORBIDDEN.match(chr(code)):
                self.error(f"character reference {reference} names U+{code:04X}, a control or "
                           "non-character, which is not allowed in text", node.location, path)
                return None
        bad = yamltree.FORBIDDEN.search(inline.html)
        if bad:
            self.error(f"control or non-character U+{ord(bad.group()):04X} is not allowed in "
                       "text (written as a character reference such as &#12;)",
                       node.location, path)
            return None
        return Text(value, node.location.with_path(path))

    def bounded(self, convert: Callable[[Node, str], T | None], limit: int, why: str
                ) -> Callable[[Node, str], T | None]:
        """`convert`, for a value that costs the PDF more than its length: at most `limit`."""
        def convert_bounded(node: Node, path: str) -> T | None:
            value = convert(node, path)
            length = len(str(value)) if value is not None else 0
            if length > limit:
                self.error(f"{path.rsplit('.', 1)[-1]} is {length} characters long; the limit "
                           f"is {limit} ({why})", node.location, path)
                return None
            return value
        return convert_bounded

    def fixed(self, node: Node, path: str) -> str | None:
        text = self.text(node, path)
        return text.value if text else None

    def slug(self, node: Node, path: str) -> str | None:
        value = self.fixed(node, path)
        if value is not None and not SLUG.match(value):
            self.error(f"{value!r} is not a slug (lowercase letters, digits and single hyphens)",
                       node.location, path)
            return None
        return value

    def integer(self, node: Node, path: str) -> int | None:
        scalar = self.scalar(node, path, "a whole number")
        if scalar is None:
            return None
        if not scalar.plain or not INTEGER.match(scalar.value):
            self.error(f"expected a whole number, got {_shorten(scalar.value)}",
                       node.location, path)
            return None
        if len(scalar.value) > limits.MAX_DIGITS:
            self.error(f"number has {len(scalar.value)} digits; the limit is "
                       f"{limits.MAX_DIGITS}", node.location, path)
            return None
        return int(scalar.value)

    def boolean(self, node: Node, path: str) -> bool | None:
        scalar = self.scalar(node, path, "true or false")
        if scalar is None:
            return None
        if scalar.plain and scalar.value in ("true", "false"):
            return scalar.value == "true"
        self.error(f"expected true or false, got {scalar.value!r}", node.location, path)
        return None

    def date(self, node: Node, path: str) -> PartialDate | None:
        scalar = self.scalar(node, path, "a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        if scalar is None:
            return None
        match = DATE.match(scalar.value.strip())
        if not match:
            self.error(f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got "
                       f"{_shorten(scalar.value)}", node.location, path)
            return None
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        if not limits.MIN_YEAR <= year <= limits.MAX_YEAR:
            self.error(f"year {year:04d} in {scalar.value!r} is out of range (years run from "
                       f"{limits.MIN_YEAR:04d} to {limits.MAX_YEAR})", node.location, path)
            return None
        if month is not None and not 1 <= month <= 12:
            self.error(f"invalid month in {scalar.value!r}", node.location, path)
            return None
        if (day is not None and month is not None
                and not 1 <= day <= calendar.monthrange(year, month)[1]):
            self.error(f"invalid day in {scalar.value!r}", node.location, path)
            return None
        return PartialDate(year, month, day)

    def url(self, node: Node, path: str) -> str | None:
        value = self.fixed(node, path)
        if value is not None and not markup.is_safe_url(value):
            self.error(f"{value!r}: only http, https and mailto links are allowed",
                       node.location, path)
            return None
        return value

    def locale(self, node: Node, path: str) -> str | None:
        value = self.fixed(node, path)
        if value is None:
            return None
        problem = locale_problem(value)
        if problem:
            self.error(problem, node.location, path)
            return None
        return value

    def choice(self, choices: tuple[str, ...]) -> Callable[[Node, str], str | None]:
        def convert(node: Node, path: str) -> str | None:
            value = self.fixed(node, path)
            if value is not None and value not in choices:
                self.error(f"{value!r} is not one of: {', '.join(choices)}", node.location, path)
                return None
            return value
        return convert

    def fields(self, node: Node, path: str) -> Fields | None:
        if isinstance(node, Mapping):
            return Fields(node, path, self)
        self.error(f"expected a mapping, got {yamltree.describe(node)}", node.location, path)
        return None

    def items(self, convert: Callable[[Node, str], T | None]
              ) -> Callable[[Node, str], tuple[T, ...]]:
        def convert_list(node: Node, path: str) -> tuple[T, ...]:
            if not isinstance(node, Sequence):
                self.error(f"expected a list, got {yamltree.describe(node)}", node.location, path)
                return ()
            out = (convert(item, f"{path}[{i}]") for i, item in enumerate(node.items))
            return tuple(v for v in out if v is not None)
        return convert_list

    def period(self, f: Fields, node: Node) -> tuple[PartialDate | None, PartialDate | None]:
        start, end = f.take("start", self.date), f.take("end", self.date)
        if start and end and end.to_date() < start.to_date():
            self.error(f"end {end} is before start {start}", node.location, f.path)
        return start, end
