"""DOCX output, the theme's look: the colours, body size and leading of its `:root` variables.

report.css names its look in custom properties (`--accent`, `--ink`, ...); the Word styles take
the same values, so that a theme that recolours the PDF recolours the DOCX too. A variable a
stylesheet leaves out, or sets to something Word cannot show (a `var()`, a gradient), keeps the
default theme's value.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import Any

import tinycss2
import tinycss2.color3


@dataclass(frozen=True)
class Palette:
    """Colours as Word writes them (RRGGBB), the body size in points and the leading (a
    multiple of the body size)."""

    accent: str = "1D4E6E"
    accent_soft: str = "E8EFF4"
    ink: str = "1D1F21"
    muted: str = "5F6670"
    rule: str = "C9D3DB"
    fallback_rule: str = "D08A2E"
    font_size: float = 10.5
    line_height: float = 1.6


DEFAULT = Palette()
_POINTS_PER = {"pt": 1.0, "px": 0.75, "pc": 12.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0}


@functools.lru_cache(maxsize=16)
def parsed(css: str) -> tuple[Any, ...]:
    """A stylesheet's rules (tinycss2 nodes, not to be changed), parsed once per process."""
    return tuple(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))


def root_variables(css: str, lang: str | None = None) -> dict[str, str]:
    """The custom properties that a stylesheet sets on `:root` (later ones win); with `lang`,
    only those it sets on `:root:lang(...)` for that language (`:lang(zh)` is zh-CN's too)."""
    found: dict[str, str] = {}
    selectors = {":root"} if lang is None else _lang_selectors(lang)
    for rule in parsed(css):
        if rule.type != "qualified-rule" or tinycss2.serialize(rule.prelude).strip() \
                not in selectors:
            continue
        for declaration in tinycss2.parse_declaration_list(rule.content, skip_comments=True,
                                                           skip_whitespace=True):
            if declaration.type == "declaration" and declaration.name.startswith("--"):
                found[declaration.name] = tinycss2.serialize(declaration.value).strip()
    return found


def _lang_selectors(lang: str) -> set[str]:
    parts = lang.replace("_", "-").lower().split("-")
    return {f":root:lang({'-'.join(parts[:n])})" for n in range(1, len(parts) + 1)}


def palette(variables: dict[str, str], warn: Callable[[str], None]) -> Palette:
    """The Word look of a theme whose stylesheets set `variables` (`--accent` -> accent)."""
    changes: dict[str, str | float] = {}
    for f in fields(Palette):
        value = variables.get("--" + f.name.replace("_", "-"))
        if value is None:
            continue
        kind, parse = _KINDS.get(f.name, ("colour", _colour))
        parsed = parse(value)
        if parsed is None:
            warn(f"the DOCX keeps the default {f.name.replace('_', ' ')}: "
                 f"--{f.name.replace('_', '-')}: {value} is not a plain {kind}")
            continue
        changes[f.name] = parsed
    return replace(DEFAULT, **changes)  # type: ignore[arg-type]


def _colour(value: str) -> str | None:
    colour = tinycss2.color3.parse_color(value)
    if colour is None or isinstance(colour, str):  # "currentcolor" or unknown
        return None
    r, g, b, _alpha = colour
    return "".join(f"{round(c * 255):02X}" for c in (r, g, b))


def _multiple(value: str) -> float | None:
    tokens = [t for t in tinycss2.parse_component_value_list(value) if t.type != "whitespace"]
    if len(tokens) != 1 or tokens[0].type != "number":
        return None
    return float(tokens[0].value) if 0.8 <= tokens[0].value <= 4 else None


def _points(value: str) -> float | None:
    tokens = [t for t in tinycss2.parse_component_value_list(value) if t.type != "whitespace"]
    if len(tokens) != 1 or tokens[0].type != "dimension":
        return None
    factor = _POINTS_PER.get(tokens[0].lower_unit)
    size = tokens[0].value * factor if factor else None
    return round(size * 2) / 2 if size and 4 <= size <= 72 else None


_KINDS: dict[str, tuple[str, Callable[[str], float | str | None]]] = {
    "font_size": ("length", _points), "line_height": ("number", _multiple)}
