"""One theme folder's theme.toml, read and checked into a Theme."""

from __future__ import annotations

import re
import tomllib
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from diglot import pdfstandard, schema
from diglot.edition import LAYOUTS
from diglot.errors import ConfigError, DiglotError, Location, key_location, raise_collected
from diglot.layout import Fonts, PageSetup
from diglot.pdfstandard import PdfStandard
from diglot.schema import Key
from diglot.themeregistry import THEME_FILE, default_theme_dir

PAPER = {"A4": (210.0, 297.0), "A5": (148.0, 210.0), "Letter": (215.9, 279.4),
         "Legal": (215.9, 355.6)}
_LENGTH = re.compile(r"^(\d+(?:\.\d+)?)(mm|cm|in|pt)$")
_PER_MM = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72}
THEME_SCHEMA = (Key("name", "string"), Key("parent", "path"), Key("description", "string"),
                Key("stylesheets", "strings"), Key("reference_docx", "path"),
                Key("pdf_standard", "strings"), Key("page", "table"), Key("fonts", "table"),
                Key("typography", "table"), Key("parallel_layout", "string"))
PAGE_SCHEMA = (Key("size", "string"), Key("margins", "string"), Key("cover", "bool"),
               Key("toc", "bool"))
THEME_KEYS = tuple(key.name for key in THEME_SCHEMA)
TYPOGRAPHY_KEYS = ("cjk_punctuation", "autospace")
PUNCTUATION_MODES = ("keep", "normalize")  # the values of cjk_punctuation
PAGE_KEYS = tuple(key.name for key in PAGE_SCHEMA)
FONT_KEYS = ("body", "heading", "word_body", "word_heading")


@dataclass(frozen=True)
class Theme:
    """One theme folder and what its theme.toml says."""

    name: str
    folder: Path
    parent: str | None
    description: str = ""
    stylesheets: tuple[str, ...] = ()
    reference_docx: Path | None = None
    page: dict[str, Any] = field(default_factory=dict)
    fonts: dict[str, Fonts] = field(default_factory=dict)
    pdf_standard: PdfStandard | None = None
    typography: dict[str, Any] = field(default_factory=dict)
    parallel_layout: str | None = None


def typography_errors(table: Any, section: str, where: Location) -> list[DiglotError]:
    """What is wrong with a `[typography]` table (of theme.toml or `[tool.diglot]`)."""
    if not isinstance(table, dict):
        return [ConfigError(f"{section} must be a table", where)]
    errors: list[DiglotError] = []
    for key, value in table.items():
        if key not in TYPOGRAPHY_KEYS:
            errors.append(ConfigError(f"unknown key {key!r} in {section} (known: "
                                      f"{', '.join(TYPOGRAPHY_KEYS)})", where))
        elif key == "cjk_punctuation" and value not in PUNCTUATION_MODES:
            errors.append(ConfigError(f"{section} cjk_punctuation must be one of "
                                      f"{', '.join(PUNCTUATION_MODES)}, got {value!r}", where))
        elif key == "autospace" and not isinstance(value, bool):
            errors.append(ConfigError(f"{section} autospace must be true or false", where))
    return errors


def load_theme(folder: Path) -> Theme:
    """Read a theme folder's theme.toml (a folder without one inherits from the default)."""
    folder = folder.resolve()
    path = folder / THEME_FILE
    is_default = folder == default_theme_dir()
    if not path.is_file():
        return Theme(folder.name, folder, None if is_default else "default")
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"invalid TOML: {exc}", Location(path)) from None
    errors: list[DiglotError] = []
    where = Location(path)

    def check_keys(table: Mapping[str, Any], allowed: tuple[str, ...], section: str) -> None:
        for key in table:
            if key not in allowed:
                errors.append(ConfigError(f"unknown key {key!r} in {section} (known: "
                                          f"{', '.join(allowed)})", where))

    found, table = schema.check(table, THEME_SCHEMA, path, THEME_FILE)
    errors += found
    found, page = schema.check(table.get("page", {}), PAGE_SCHEMA, path, "[page]")
    errors += found
    fonts: dict[str, Fonts] = {}
    for key, value in (table.get("fonts") or {}).items():
        if not isinstance(value, dict):
            errors.append(ConfigError(f"[fonts.{key}] must be a table", where))
            continue
        check_keys(value, FONT_KEYS, f"[fonts.{key}]")
        fonts[key] = Fonts(body=_names(value.get("body")), heading=_names(value.get("heading")),
                           word_body=value.get("word_body"),
                           word_heading=value.get("word_heading"))
    typography = table.get("typography", {})
    errors += typography_errors(typography, "[typography]", where)
    if not isinstance(typography, dict):
        typography = {}
    reference = table.get("reference_docx")
    reference_path = None
    if reference is not None:
        reference_path = (folder / str(reference)).resolve()
        if not reference_path.is_relative_to(folder) or not reference_path.is_file():
            errors.append(ConfigError(f"reference_docx {reference!r} is not a file in the "
                                      "theme folder", where))
        else:
            try:
                check_word_document(reference_path, where)
            except ConfigError as exc:
                errors.append(exc)
    stylesheets = table.get("stylesheets", [])
    stylesheets = [stylesheets] if isinstance(stylesheets, str) else stylesheets
    for sheet in stylesheets:
        if not (folder / sheet).resolve().is_relative_to(folder) or \
                not (folder / sheet).is_file():
            errors.append(ConfigError(f"stylesheet {sheet!r} is not a file in the theme folder",
                                      where))
    standard = None
    if "pdf_standard" in table:
        try:
            standard = pdfstandard.parse(table["pdf_standard"])
        except pdfstandard.StandardError as exc:
            errors.append(ConfigError(str(exc), key_location(path, "pdf_standard")))
    layout = table.get("parallel_layout")
    if layout is not None and layout not in LAYOUTS:
        errors.append(ConfigError(f"parallel_layout must be {' or '.join(LAYOUTS)}, got "
                                  f"{layout!r}", key_location(path, "parallel_layout")))
        layout = None
    raise_collected(errors)
    page_setup(page, path)  # validate now, so the error names this file
    parent = table.get("parent", None if is_default else "default")
    return Theme(str(table.get("name", folder.name)), folder, parent,
                 str(table.get("description", "")), tuple(stylesheets), reference_path,
                 page, fonts, standard, typography, layout)


MAX_PACKAGE_BYTES = 64 * 2**20  # unpacked; a styles-only reference is some 100 KiB


def check_word_document(path: Path, where: Location) -> None:
    """A reference document must be a real .docx: a zip package with a Word body and styles."""
    if path.exists() and not path.is_file():  # a FIFO would block, a device never end
        raise ConfigError(f"reference document {path.name} is not a regular file", where)
    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
            unpacked = sum(info.file_size for info in package.infolist())
    except (OSError, zipfile.BadZipFile) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not a zip package"
        raise ConfigError(f"reference document {path.name} is not a Word document (.docx): "
                          f"{reason}", where) from None
    if unpacked > MAX_PACKAGE_BYTES:  # a zip bomb, or a document too big to take styles from
        raise ConfigError(f"reference document {path.name} unpacks to {unpacked} bytes, over "
                          f"the {MAX_PACKAGE_BYTES // 2**20} MiB a reference document may hold",
                          where)
    missing = {"word/document.xml", "word/styles.xml", "[Content_Types].xml"} - names
    if missing:
        raise ConfigError(f"reference document {path.name} is not a Word document (.docx): it "
                          f"has no {', '.join(sorted(missing))}", where)


def _names(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(str(v) for v in value)


# A page between a playing card and A0, with room for a column of text.
MIN_PAGE_MM, MAX_PAGE_MM, MIN_TEXT_MM = 50.0, 1200.0, 30.0


def page_setup(page: Mapping[str, Any], path: Path) -> PageSetup:
    """[page] of theme.toml as a PageSetup; bad values are errors naming the file."""
    where = Location(path)
    setup = PageSetup()
    size = page.get("size", setup.size)
    if isinstance(size, str) and size in PAPER:
        width, height = PAPER[size]
    else:
        parts = str(size).split()
        if len(parts) != 2:
            raise ConfigError(f"page size {size!r}: use {', '.join(PAPER)} or 'WIDTH HEIGHT' "
                              "such as '170mm 240mm'", where)
        width, height = (_millimetres(p, where) for p in parts)
    margins = page.get("margins")
    values = [setup.margin_top_mm, setup.margin_right_mm, setup.margin_bottom_mm,
              setup.margin_left_mm]
    if margins is not None:
        parts = [_millimetres(p, where) for p in str(margins).split()]
        if not 1 <= len(parts) <= 4:
            raise ConfigError(f"page margins {margins!r}: give one to four lengths", where)
        # CSS order: top, right, bottom, left; missing sides repeat their opposite.
        if len(parts) == 3:
            parts.append(parts[1])
        values = (parts * 4)[:4] if len(parts) < 3 else parts
    if not all(MIN_PAGE_MM <= side <= MAX_PAGE_MM for side in (width, height)):
        raise ConfigError(f"page size {size!r}: each side must be {MIN_PAGE_MM:g} to "
                          f"{MAX_PAGE_MM:g} mm", where)
    top, right, bottom, left = values
    if width - left - right < MIN_TEXT_MM or height - top - bottom < MIN_TEXT_MM:
        raise ConfigError(f"page margins {margins!r} leave less than {MIN_TEXT_MM:g} mm of a "
                          f"{width:g} x {height:g} mm page for the text", where)
    for key in ("cover", "toc"):
        if key in page and not isinstance(page[key], bool):
            raise ConfigError(f"page {key} must be true or false", where)
    return PageSetup(str(size), width, height, *values, cover=page.get("cover", True),
                     toc=page.get("toc", True))


def _millimetres(text: str, where: Location) -> float:
    match = _LENGTH.match(text.strip())
    if not match:
        raise ConfigError(f"{text!r} is not a length such as 20mm, 2cm, 1in or 72pt", where)
    return round(float(match.group(1)) * _PER_MM[match.group(2)], 2)
