"""Themes: folders of templates, CSS and assets, chained to their parents, default last."""

from __future__ import annotations

import re
import tomllib
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError

from diglot import pdfstandard, schema
from diglot.edition import DEFAULT_LAYOUT, LAYOUTS
from diglot.errors import ConfigError, DiglotError, Location, key_location, raise_collected
from diglot.layout import Fonts, PageSetup
from diglot.pdfstandard import PdfStandard
from diglot.schema import Key
from diglot.typography import PUNCTUATION_MODES, Typography

_PACKAGE = Path(__file__).resolve().parent
BUILTIN_DIR = _PACKAGE / "themes"
ENTRY_POINT_GROUP = "diglot.themes"
THEME_FILE = "theme.toml"
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
PAGE_KEYS = tuple(key.name for key in PAGE_SCHEMA)
FONT_KEYS = ("body", "heading", "word_body", "word_heading")


def default_theme_dir() -> Path:
    """The built-in theme: inside the wheel, or the repository's `templates/` in a checkout."""
    for candidate in (BUILTIN_DIR / "default", _PACKAGE.parents[1] / "templates"):
        if (candidate / "report.html").is_file():
            return candidate
    raise ConfigError("the built-in default theme is missing from this installation",
                      Location(_PACKAGE))


def brief_theme_dir() -> Path:
    """The second built-in theme, written as overrides of the default."""
    return BUILTIN_DIR / "brief"


def builtin_themes() -> dict[str, Path]:
    """Every installed theme by name: those of the `diglot.themes` entry point group (diglot
    registers `default` and `brief` there; a theme published as a package registers a function
    that returns its folder), and the folders shipped beside this module when the package's
    metadata is not installed. No installed theme replaces `default`."""
    found = {"default": default_theme_dir()}
    if BUILTIN_DIR.is_dir():
        found.update({d.name: d.resolve() for d in sorted(BUILTIN_DIR.iterdir())
                      if (d / THEME_FILE).is_file() and d.name != "default"})
    for entry in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        if entry.name in found:
            continue
        try:
            target = entry.load()
            folder = Path(target() if callable(target) else target).resolve()
        except Exception as exc:  # an installed package's own bug: say which one
            raise ConfigError(f"the installed theme {entry.name!r} ({entry.value}) cannot be "
                              f"loaded: {exc}") from None
        if (folder / "report.html").is_file() or (folder / THEME_FILE).is_file():
            found[entry.name] = folder
    return found


def builtin_name(folder: Path) -> str | None:
    """The name of the built-in theme in `folder`, or None for any other folder."""
    resolved = folder.resolve()
    return next((name for name, path in builtin_themes().items() if path == resolved), None)


def is_theme_name(value: str) -> bool:
    """Whether a `theme` or `parent` value names a built-in theme rather than a folder.

    A bare word (`default`, `brief`) is a name; anything with a path separator or a leading
    dot (`./brief`, `themes/mine`, `/srv/theme`) is a folder. So a folder that happens to be
    called like a built-in theme never replaces it.
    """
    return bool(value) and not value.startswith(".") and "/" not in value \
        and "\\" not in value


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


@dataclass(frozen=True)
class ThemeChain:
    """Theme folders searched in order (the nearest first, the built-in default last)."""

    dirs: tuple[Path, ...]
    page: PageSetup = field(default_factory=PageSetup)
    themes: tuple[Theme, ...] = ()
    reference_override: Path | None = None  # --reference-docx, over any theme's
    typography_override: tuple[tuple[str, Any], ...] = ()  # [tool.diglot.typography]

    @property
    def typography(self) -> Typography:
        """The `[typography]` settings: the project's, else the nearest theme's that sets each."""
        merged: dict[str, Any] = {}
        for theme in reversed(self.themes):
            merged.update(theme.typography)
        merged.update(dict(self.typography_override))
        return Typography(**merged)

    def with_typography(self, override: dict[str, Any]) -> ThemeChain:
        """The same chain with the project's `[typography]` over the themes'."""
        return replace(self, typography_override=tuple(sorted(override.items())))

    @classmethod
    def build(cls, theme: Path | str | None = None, reference_docx: Path | None = None,
              project: Path | None = None) -> ThemeChain:
        """The chain for a theme folder or a built-in theme's name (None: the default).

        The theme itself is the user's choice; a parent named in a theme.toml (which may come
        from someone else) must be a built-in theme or a folder inside `project`.
        """
        if reference_docx is not None:
            check_word_document(reference_docx, Location(reference_docx))
        chain: list[Theme] = []
        current: Theme | None = load_theme(resolve_theme(theme))
        while current is not None:
            if any(t.folder == current.folder for t in chain):
                names = " -> ".join(t.name for t in [*chain, current])
                raise ConfigError(f"themes inherit from each other in a circle: {names}",
                                  Location(current.folder / THEME_FILE))
            chain.append(current)
            current = (load_theme(resolve_theme(current.parent, child=current, project=project))
                       if current.parent else None)
        if chain[-1].folder != default_theme_dir():
            chain.append(load_theme(default_theme_dir()))
        return cls(tuple(t.folder for t in chain), _page(chain), tuple(chain), reference_docx)

    @property
    def default(self) -> Path:
        return self.dirs[-1]

    @property
    def catalog_dirs(self) -> tuple[Path, ...]:
        """Where the themes keep translations of their template strings (each theme's
        `locales/` folder), nearest first."""
        return tuple(d / "locales" for d in self.dirs if (d / "locales").is_dir())

    @property
    def stylesheets(self) -> tuple[str, ...]:
        """Stylesheets to link, the default theme's first so that nearer themes override."""
        return tuple(dict.fromkeys(s for t in reversed(self.themes) for s in t.stylesheets))

    @property
    def reference_docx(self) -> Path | None:
        """The Word document whose styles the DOCX uses: --reference-docx, else the nearest
        theme's `reference_docx`, else none (the built-in styles)."""
        return self.reference_override or next(
            (t.reference_docx for t in self.themes if t.reference_docx), None)

    @property
    def parallel_layout(self) -> str:
        """How a parallel edition sets its pairs: the nearest theme's `parallel_layout`."""
        return next((t.parallel_layout for t in self.themes if t.parallel_layout),
                    DEFAULT_LAYOUT)

    @property
    def pdf_standard(self) -> PdfStandard:
        """The standards the PDF claims: the nearest theme's `pdf_standard`, else the default."""
        return next((t.pdf_standard for t in self.themes if t.pdf_standard),
                    pdfstandard.parse(pdfstandard.DEFAULT))

    def fonts(self, locale: str) -> Fonts:
        """The fonts for a locale, each field from the nearest theme that sets it."""
        merged = Fonts()
        for theme in reversed(self.themes):
            for key in _font_keys(locale):
                if key in theme.fonts:
                    found = theme.fonts[key]
                    merged = replace(merged, **{k: v for k, v in vars(found).items() if v})
                    break
        return merged

    def theme_of(self, path: Path | str | None) -> Theme | None:
        """The theme a template file belongs to."""
        if path is None:
            return None
        resolved = Path(path).resolve()
        return next((t for t in self.themes if resolved.is_relative_to(t.folder)), None)

    def find(self, name: str) -> Path | None:
        """The first file called `name` along the chain, never outside its folder."""
        for folder in self.dirs:
            candidate = (folder / name).resolve()
            if candidate.is_relative_to(folder) and candidate.is_file():
                return candidate
        return None


def _font_keys(locale: str) -> list[str]:
    """Keys to look a locale up by in `[fonts]`: zh_TW, zh_Hant, zh, default."""
    try:
        parsed = Locale.parse(locale)
    except (ValueError, UnknownLocaleError):
        return [locale, "default"]
    keys = [locale, f"{parsed.language}_{parsed.script}" if parsed.script else "",
            parsed.language, "default"]
    return [k for k in dict.fromkeys(keys) if k]


def resolve_theme(theme: Path | str | None, child: Theme | None = None,
                  project: Path | None = None) -> Path:
    """The folder of a theme: a built-in theme's name, or a folder (already absolute).

    For a parent named in a theme.toml, `child` is the theme that names it: a folder is then
    relative to the child's folder.
    """
    builtins = builtin_themes()
    if theme is None:
        return builtins["default"]
    where = Location(child.folder / THEME_FILE) if child else None
    whose = f"the parent theme {str(theme)!r} of {child.name!r}" if child else \
        f"theme {str(theme)!r}"
    if isinstance(theme, str) and is_theme_name(theme):
        if theme in builtins:
            return builtins[theme]
        raise ConfigError(f"{whose} is not a built-in theme ({', '.join(builtins)}); for a "
                          f"folder, write a path such as './{theme}'", where)
    folder = Path(theme)
    if child is not None and not folder.is_absolute():
        folder = child.folder / folder
    folder = folder.resolve()
    if not folder.is_dir():
        raise ConfigError(f"{whose} is not a folder: {folder}", where or Location(folder))
    if child is not None and (project is None or not folder.is_relative_to(project.resolve())):
        raise ConfigError(f"{whose} is outside the project: a parent must be a built-in theme "
                          "or a folder inside the project", where)
    return folder


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
    _page_setup(page, path)  # validate now, so the error names this file
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


def _page(chain: list[Theme]) -> PageSetup:
    merged: dict[str, Any] = {}
    for theme in reversed(chain):
        merged.update(theme.page)
    return _page_setup(merged, chain[0].folder / THEME_FILE)


# A page between a playing card and A0, with room for a column of text.
MIN_PAGE_MM, MAX_PAGE_MM, MIN_TEXT_MM = 50.0, 1200.0, 30.0


def _page_setup(page: Mapping[str, Any], path: Path) -> PageSetup:
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
