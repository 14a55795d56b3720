"""Theme chains: the theme folders searched nearest first, and the settings merged along them."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError

from diglot import pdfstandard
from diglot.edition import DEFAULT_LAYOUT
from diglot.errors import ConfigError, Location
from diglot.layout import Fonts, PageSetup
from diglot.pdfstandard import PdfStandard
from diglot.themefile import Theme, check_word_document, load_theme, page_setup
from diglot.themeregistry import THEME_FILE, builtin_themes, default_theme_dir, is_theme_name
from diglot.typography import Typography


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


def _page(chain: list[Theme]) -> PageSetup:
    merged: dict[str, Any] = {}
    for theme in reversed(chain):
        merged.update(theme.page)
    return page_setup(merged, chain[0].folder / THEME_FILE)
