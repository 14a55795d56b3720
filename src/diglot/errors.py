"""The error hierarchy: one root, categories, and a location that points into a file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


def shown_path(path: Path | str) -> str:
    """A path as messages show it: relative to the current folder when it is inside it."""
    try:
        return str(Path(path).absolute().relative_to(Path.cwd()))
    except (ValueError, OSError):  # elsewhere, or the current folder is gone
        return str(path)


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file, a 1-based line and column, and a data path."""

    file: Path | str | None = None
    line: int | None = None
    column: int | None = None
    path: str | None = None

    def prefix(self) -> str:
        """`FILE:LINE:COL` (as much of it as is known)."""
        if self.file is None:
            return ""
        text = shown_path(self.file) if isinstance(self.file, Path) else self.file
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text

    def with_path(self, path: str) -> Location:
        return Location(self.file, self.line, self.column, path)


def key_location(path: Path, key: str) -> Location:
    """Where `key = ...` is written in a TOML file (the file alone when it cannot be found)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return Location(path)
    for number, line in enumerate(lines, start=1):
        name, equals, value = line.partition("=")
        if equals and name.strip().strip('"') == key:
            return Location(path, number, len(line) - len(value.lstrip()) + 1)
    return Location(path)


class DiglotError(Exception):
    """Root of every error diglot reports to the user."""

    category = "error"

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location or Location()

    def __reduce__(self) -> tuple[object, ...]:
        # Pickled whole (a job in another process raises it): message and location both.
        return (_rebuild, (type(self), self.message, self.location))

    def __str__(self) -> str:
        prefix = self.location.prefix()
        text = f"{prefix}: {self.message}" if prefix else self.message
        if self.location.path:
            text += f" (at {self.location.path})"
        return text


def _rebuild(cls: type[DiglotError], message: str, location: Location) -> DiglotError:
    error = cls.__new__(cls)
    DiglotError.__init__(error, message, location)
    return error


class DataError(DiglotError):
    category = "data"


class CatalogError(DiglotError):
    category = "catalog"


class TemplateError(DiglotError):
    category = "template"


class OutputError(DiglotError):
    category = "output"


class ConfigError(DiglotError):
    category = "config"


class UsageError(DiglotError):
    """Bad command-line usage: exit status 2."""

    category = "usage"


class ErrorGroup(DiglotError):
    """Several errors found in one pass, reported together."""

    def __init__(self, errors: list[DiglotError]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors

    def __reduce__(self) -> tuple[object, ...]:
        return (ErrorGroup, (self.errors,))

    @property
    def category(self) -> str:  # type: ignore[override]
        return self.errors[0].category if self.errors else "error"

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


def raise_collected(errors: list[DiglotError]) -> None:
    """Raise nothing, the one error, or all of them as a group."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ErrorGroup(errors)


NOTE = "note"  # the kind of a BuildWarning that only informs: never counted, never --strict


@dataclass(frozen=True)
class BuildWarning:
    """A problem that does not stop the build (unless --strict)."""

    kind: str
    message: str
    location: Location | None = None

    def __str__(self) -> str:
        prefix = self.location.prefix() if self.location else ""
        word = "note" if self.kind == NOTE else "warning"
        text = f"{prefix}: {word}: {self.message}" if prefix else f"{word}: {self.message}"
        if self.location and self.location.path:
            text += f" (at {self.location.path})"
        return text
