"""The one rule for which files an output may take in: a `file:` or relative URL naming a
regular file inside the allowed folders (after symbolic links are followed), of at most a
size. Every refusal is recorded with its reason, so that no writer drops a resource silently.
Also the schemes an output's links may have.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

MAX_RESOURCE_BYTES = 50 * 1024 * 1024
SAFE_SCHEMES = ("http", "https", "mailto")  # of a link; links of other schemes are dropped


class Refused(ValueError):
    """A resource the policy does not allow; WeasyPrint treats it as a failed fetch."""

    def __init__(self, url: str, why: str) -> None:
        super().__init__(f"refused {url}: {why}")
        self.url, self.why = url, why


@dataclass
class ResourcePolicy:
    """Files under `roots` may be read; relative URLs resolve against `base`."""

    roots: tuple[Path, ...]
    base: Path
    max_bytes: int = MAX_RESOURCE_BYTES
    refused: list[tuple[str, str]] = field(default_factory=list)  # (url, why), in order

    def __post_init__(self) -> None:
        self.roots = tuple(root.resolve() for root in self.roots)

    def locate(self, url: str) -> Path | None:
        """The file a `file:` or relative URL names, resolved; None for any other scheme."""
        parts = urlsplit(url)
        if parts.scheme.lower() == "file":
            return Path(unquote(parts.path)).resolve()
        if not parts.scheme and not parts.netloc:
            return (self.base / unquote(parts.path)).resolve()
        return None

    def read(self, url: str) -> tuple[Path, bytes]:
        """The file and its bytes, or `Refused` (recorded) with the reason."""
        path = self.locate(url)
        if path is None:
            raise self.refuse(url, "only files of the project and its themes may be used")
        if not any(path.is_relative_to(root) for root in self.roots):
            raise self.refuse(url, "outside the project and theme folders")
        try:
            info = path.stat()
        except OSError:
            raise self.refuse(url, "file not found") from None
        if not stat.S_ISREG(info.st_mode):
            raise self.refuse(url, "not a regular file")
        if info.st_size > self.max_bytes:
            raise self.refuse(url, f"{info.st_size} bytes is over the {self.max_bytes}-byte "
                              "limit")
        try:
            return path, path.read_bytes()
        except OSError as exc:
            raise self.refuse(url, f"cannot be read: {exc.strerror}") from None

    def refuse(self, url: str, why: str) -> Refused:
        """Record a refusal (the policy's own, or a writer's, such as an image too large)."""
        self.refused.append((url, why))
        return Refused(url, why)
