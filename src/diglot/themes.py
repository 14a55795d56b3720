"""Where themes live: the chain of theme folders a report is rendered with, default last."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from diglot.errors import ConfigError, Location

_PACKAGE = Path(__file__).resolve().parent


def default_catalog_dir() -> Path:
    """The default theme's `messages` catalogs: inside the wheel, or `locales/` in a checkout."""
    bundled = _PACKAGE / "themes" / "default" / "locales"
    return bundled if bundled.is_dir() else _PACKAGE.parents[1] / "locales"


def default_theme_dir() -> Path:
    """The built-in theme: inside the wheel, or the repository's `templates/` in a checkout."""
    for candidate in (_PACKAGE / "themes" / "default", _PACKAGE.parents[1] / "templates"):
        if (candidate / "report.html").is_file():
            return candidate
    raise ConfigError("the built-in default theme is missing from this installation",
                      Location(_PACKAGE))


@dataclass(frozen=True)
class PageSetup:
    """Paper and margins, shared by every writer (millimetres)."""

    size: str = "A4"
    width_mm: float = 210.0
    height_mm: float = 297.0
    margin_top_mm: float = 24.0
    margin_right_mm: float = 22.0
    margin_bottom_mm: float = 24.0
    margin_left_mm: float = 22.0

    def css(self) -> str:
        """The `@page` size and margin declarations."""
        return (f"size: {self.width_mm}mm {self.height_mm}mm; margin: {self.margin_top_mm}mm "
                f"{self.margin_right_mm}mm {self.margin_bottom_mm}mm {self.margin_left_mm}mm;")


@dataclass(frozen=True)
class ThemeChain:
    """Theme folders searched in order; the first one holding a file wins."""

    dirs: tuple[Path, ...]
    page: PageSetup = PageSetup()

    @classmethod
    def build(cls, theme_dir: Path | None = None) -> ThemeChain:
        default = default_theme_dir()
        if theme_dir is None or theme_dir.resolve() == default:
            return cls((default,))
        if not theme_dir.is_dir():
            raise ConfigError(f"theme folder {theme_dir} does not exist", Location(theme_dir))
        return cls((theme_dir.resolve(), default))

    @property
    def default(self) -> Path:
        return self.dirs[-1]

    @property
    def catalog_dirs(self) -> tuple[Path, ...]:
        """Where the themes keep translations of their template strings, nearest first."""
        own = tuple(d / "locales" for d in self.dirs[:-1] if (d / "locales").is_dir())
        return (*own, default_catalog_dir())

    def find(self, name: str) -> Path | None:
        """The first file called `name` along the chain, never outside its folder."""
        for folder in self.dirs:
            candidate = (folder / name).resolve()
            if candidate.is_relative_to(folder) and candidate.is_file():
                return candidate
        return None
