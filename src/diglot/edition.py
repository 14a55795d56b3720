"""A parallel edition's name, as settings and flags give it: two locales and a layout."""

from __future__ import annotations

import re
from dataclasses import dataclass

LAYOUTS = ("columns", "interleaved")
DEFAULT_LAYOUT = "columns"
_SPEC = re.compile(r"^([^:\s]+):([^:\s]+)$")


@dataclass(frozen=True)
class Edition:
    """A parallel edition: `first` is the language read first (left, or above), `second` beside
    or below it."""

    first: str
    second: str

    @property
    def name(self) -> str:
        """Its output folder, `zh_CN+en`."""
        return f"{self.first}+{self.second}"

    def __str__(self) -> str:
        return f"{self.first}:{self.second}"


def parse_edition(value: str) -> Edition:
    """`zh_CN:en` -> Edition; ValueError with the reason otherwise."""
    found = _SPEC.match(value.strip())
    if not found:
        raise ValueError(f"{value!r} is not two locales joined by a colon, such as zh_CN:en")
    first, second = found.groups()
    if first == second:
        raise ValueError(f"{value!r} pairs a locale with itself")
    return Edition(first, second)
