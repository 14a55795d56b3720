"""Installed themes by name (built in or through entry points), and which values name one."""

from __future__ import annotations

from pathlib import Path

from diglot.errors import ConfigError, Location

_PACKAGE = Path(__file__).resolve().parent
BUILTIN_DIR = _PACKAGE / "themes"
ENTRY_POINT_GROUP = "diglot.themes"
THEME_FILE = "theme.toml"


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
    from importlib.metadata import entry_points  # deferred: a costly import, seldom needed

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
