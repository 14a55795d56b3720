"""New projects and themes from the files shipped with diglot: `diglot new`, `diglot theme init`."""

from __future__ import annotations

import shutil
from pathlib import Path

from diglot.errors import UsageError
from diglot.themeregistry import THEME_FILE, default_theme_dir

SCAFFOLD = Path(__file__).resolve().parent / "scaffold"
_RENAMED = {"gitignore": ".gitignore"}  # dot files do not travel well inside a wheel


def _empty_target(dest: Path) -> None:
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise UsageError(f"{dest} exists and is not an empty folder; choose a new one")


def _copy_tree(source: Path, dest: Path) -> list[Path]:
    written = []
    for path in sorted(source.rglob("*")):
        if path.is_dir() or path.suffix == ".mo" or "__pycache__" in path.parts:
            continue
        relative = path.relative_to(source)
        target = dest / relative.parent / _RENAMED.get(relative.name, relative.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        written.append(target)
    return written


def create_project(dest: Path) -> list[Path]:
    """A report project that builds at once: example data, settings, catalogs and a theme."""
    _empty_target(dest)
    return _copy_tree(SCAFFOLD, dest)


def init_theme(dest: Path, full: bool = False) -> list[Path]:
    """A theme to edit: the override skeleton, or with `full` every file of the default theme."""
    _empty_target(dest)
    if not full:
        return _copy_tree(SCAFFOLD / "theme", dest)
    written = [p for p in _copy_tree(default_theme_dir(), dest)
               if p.name not in ("REFERENCE.md", THEME_FILE)]
    (dest / "REFERENCE.md").unlink(missing_ok=True)
    default_toml = (default_theme_dir() / THEME_FILE).read_text(encoding="utf-8")
    own = default_toml.replace('name = "default"', 'name = "my-theme"\nparent = "default"', 1)
    (dest / THEME_FILE).write_text(
        "# A full copy of diglot's default theme: every file here wins over the default's.\n"
        + own, encoding="utf-8")
    return [*written, dest / THEME_FILE]
