"""Project settings from `[tool.diglot]` (pyproject.toml) or diglot.toml, overridden by flags."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from diglot import pdfstandard, schema
from diglot.edition import LAYOUTS, Edition, parse_edition
from diglot.errors import (
    ConfigError,
    Location,
    UsageError,
    key_location,
    raise_collected,
)
from diglot.i18n.locale_id import locale_problem
from diglot.pdfstandard import PdfStandard
from diglot.schema import Key
from diglot.themefile import typography_errors
from diglot.themeregistry import is_theme_name

CONFIG_FILES = ("diglot.toml", "pyproject.toml")
SCHEMA = (Key("data", "path"), Key("locales", "strings"), Key("formats", "strings"),
          Key("output", "path"), Key("locale_dir", "path"), Key("theme", "path"),
          Key("reference_docx", "path"), Key("pdf_standard", "strings"),
          Key("typography", "table"), Key("jobs", "any"), Key("parallel", "strings"),
          Key("parallel_layout", "string"), Key("chunks", "any"))
KEYS = tuple(key.name for key in SCHEMA)


@dataclass(frozen=True)
class Config:
    """Resolved settings; every path is absolute."""

    root: Path
    data: Path
    locales: tuple[str, ...]
    formats: tuple[str, ...]
    output: Path
    locale_dir: Path
    theme: Path | str | None = None  # a folder, or the name of a built-in theme
    reference_docx: Path | None = None
    source: Path | None = None  # the file the settings came from
    strict: bool = False
    pdf_standard: PdfStandard | None = None  # None: the theme's, else pdfstandard.DEFAULT
    jobs: int | None = None  # processes that write; None: chosen by the size of the build
    typography: dict[str, Any] = field(default_factory=dict)  # over the theme's [typography]
    parallel: tuple[Edition, ...] = ()  # parallel editions, besides the locales
    parallel_from_flags: bool = False  # named on the command line, so each must be built
    parallel_layout: str | None = None  # None: the theme's, else edition.DEFAULT_LAYOUT
    # A long PDF laid out in chunks at once: "auto" (by its length and the cores), "off", or
    # a number of chunks of people.
    chunks: str | int = "auto"


def content_catalog_locales(config: Config) -> list[str]:
    """The locales with a content catalog in the project's locale folder, sorted."""
    return sorted(p.parent.parent.name for p in config.locale_dir.glob("*/LC_MESSAGES/content.po"))


def find_config(start: Path) -> tuple[Path, dict[str, Any]]:
    """The project's settings table and the file it is in (empty when there is none)."""
    for name in CONFIG_FILES:
        path = start / name
        if not path.is_file():
            continue
        try:
            document = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"invalid TOML: {exc}", Location(path)) from None
        table = document if name == "diglot.toml" else document.get("tool", {}).get("diglot")
        if table is not None:
            if not isinstance(table, dict):
                raise ConfigError("[tool.diglot] must be a table", Location(path))
            return path, table
    return start / CONFIG_FILES[-1], {}


def load(root: Path, flags: dict[str, Any], known_formats: tuple[str, ...]) -> Config:
    """Settings for the project in `root`: file values, then flags; all errors at once."""
    if not root.is_dir():
        raise UsageError(f"-C {root}: no such folder" if not root.exists() else
                         f"-C {root}: not a folder")
    root = root.resolve()
    source, table = find_config(root)
    where = Location(source)
    section = "diglot.toml" if source.name == "diglot.toml" else "[tool.diglot]"
    errors, table = schema.check(table, SCHEMA, source, section)
    values = {**table, **{k: v for k, v in flags.items() if v not in (None, [], ())}}

    def path_of(key: str, default: str | None) -> Path | None:
        # Flags are relative to the working folder, settings to the project folder.
        if flags.get(key) is not None:
            value, base = flags[key], Path.cwd()
        elif key in table:
            value, base = table[key], root
        elif default is not None:
            value, base = default, root
        else:
            return None
        return (base / value).resolve()

    def strings(key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        value = values.get(key, default)
        if isinstance(value, str):
            value = [value]
        return tuple(dict.fromkeys(value))

    data = path_of("data", None)
    if data is None and not errors:
        errors.append(ConfigError("no data file: set `data` in [tool.diglot] or pass --data",
                                  where))
    locales = strings("locales", ())
    from_flags = bool(flags.get("locales"))
    for locale in locales:
        problem = locale_problem(locale)
        if problem and from_flags:
            raise UsageError(f"-l {problem}")
        if problem:
            errors.append(ConfigError(f"locales: {problem}", key_location(source, "locales")))
    formats = strings("formats", ("pdf",))
    for name in formats:
        if name not in known_formats:
            errors.append(ConfigError(f"unknown format {name!r} (known: "
                                      f"{', '.join(known_formats)})",
                                      key_location(source, "formats")))
    output = path_of("output", "build")
    locale_dir = path_of("locale_dir", "locales")
    raw_theme = values.get("theme")
    theme: Path | str | None
    if isinstance(raw_theme, str) and is_theme_name(raw_theme):
        theme = raw_theme  # a built-in theme such as "brief", whatever folders are around
    else:
        theme = path_of("theme", None)
    reference_docx = path_of("reference_docx", None)
    pdf_standard = None
    if flags.get("pdf_standard") is not None:  # the command line checked it already
        pdf_standard = pdfstandard.parse(flags["pdf_standard"])
    elif "pdf_standard" in table:
        try:
            pdf_standard = pdfstandard.parse(table["pdf_standard"])
        except pdfstandard.StandardError as exc:
            errors.append(ConfigError(str(exc), key_location(source, "pdf_standard")))
    jobs = values.get("jobs")
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        if flags.get("jobs") is not None:
            raise UsageError(f"-j {jobs}: give a number of processes, 1 or more")
        errors.append(ConfigError(f"jobs must be a number of processes, 1 or more, got "
                                  f"{jobs!r}", key_location(source, "jobs")))
        jobs = None
    parallel: list[Edition] = []
    for value in strings("parallel", ()):
        try:
            parallel.append(parse_edition(value))
        except ValueError as exc:
            if flags.get("parallel"):
                raise UsageError(f"--parallel {exc}") from None
            errors.append(ConfigError(f"parallel: {exc}", key_location(source, "parallel")))
            continue
        for locale in (parallel[-1].first, parallel[-1].second):
            problem = locale_problem(locale)
            if problem and flags.get("parallel"):
                raise UsageError(f"--parallel {problem}")
            if problem:
                errors.append(ConfigError(f"parallel: {problem}",
                                          key_location(source, "parallel")))
    layout = values.get("parallel_layout")
    if layout is not None and layout not in LAYOUTS:
        if flags.get("parallel_layout") is not None:
            raise UsageError(f"--parallel-layout {layout}: choose {' or '.join(LAYOUTS)}")
        errors.append(ConfigError(f"parallel_layout must be {' or '.join(LAYOUTS)}, got "
                                  f"{layout!r}", key_location(source, "parallel_layout")))
    chunks = values.get("chunks", "auto")
    if isinstance(chunks, str) and chunks.isdigit():
        chunks = int(chunks)
    if chunks not in ("auto", "off") and (isinstance(chunks, bool) or not isinstance(chunks, int)
                                          or chunks < 1):
        if flags.get("chunks") is not None:
            raise UsageError(f"--chunks {chunks}: give auto, off or a number, 1 or more")
        errors.append(ConfigError(f"chunks must be auto, off or a number, 1 or more, got "
                                  f"{chunks!r}", key_location(source, "chunks")))
        chunks = "auto"
    typography = table.get("typography", {})
    errors += typography_errors(typography, "[tool.diglot.typography]", where)
    raise_collected(errors)
    assert data is not None and output is not None and locale_dir is not None
    return Config(root=root, data=data, locales=locales, formats=formats, output=output,
                  locale_dir=locale_dir, theme=theme, reference_docx=reference_docx,
                  source=source if table else None, strict=bool(flags.get("strict")),
                  pdf_standard=pdf_standard, jobs=jobs, parallel=tuple(dict.fromkeys(parallel)),
                  parallel_from_flags=bool(flags.get("parallel")), parallel_layout=layout,
                  chunks=chunks, typography=typography if isinstance(typography, dict) else {})
