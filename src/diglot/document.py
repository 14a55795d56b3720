"""The contract between rendering and the writers: one locale's document as plain values.

A writer knows a rendered document only through this record (never the theme chain, the
settings or the data), so that a job can be pickled and sent to another process or machine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from diglot.layout import Fonts, PageSetup

# Classes the typography step puts on spans, which every writer honours in its own way.
GAP_CLASS = "cjk-space"  # a Han-Latin boundary: a quarter em of space in print
NOBREAK_CLASS = "nobreak"  # a name or arrow never broken across lines


@dataclass
class TypographyCounts:
    """What the typography changed in one rendered document."""

    punctuation: int = 0  # ASCII marks made full-width
    spaces: int = 0  # typed spaces between Han and Latin replaced by layout spacing
    gaps: int = 0  # Han–Latin boundaries given layout spacing

    def __bool__(self) -> bool:
        return bool(self.punctuation or self.spaces or self.gaps)


def _quiet(_message: str) -> None:
    pass


@dataclass(frozen=True)
class WriteContext:
    """What a writer is told besides the document: the folders it may read files from (with
    the document's asset folders), the time to stamp, and where to say how far it is."""

    roots: tuple[Path, ...] = ()
    epoch: int | None = None  # SOURCE_DATE_EPOCH, read once by the pipeline; None: now
    progress: Callable[[str], None] = _quiet


@dataclass(frozen=True)
class RenderedDocument:
    """The HTML of one locale and everything a writer needs to turn it into a file."""

    html: str
    locale: str
    lang: str  # BCP 47, as the HTML's lang attribute
    title: str
    author: str | None
    template: Path  # the entry template, for messages about the document
    page: PageSetup = field(default_factory=PageSetup)
    latin_fonts: Fonts = field(default_factory=Fonts)  # for Latin text
    han_fonts: Fonts = field(default_factory=Fonts)  # for Han text, in the report's script
    reference_docx: Path | None = None  # the Word document whose styles the DOCX takes
    asset_dirs: tuple[Path, ...] = ()  # theme folders, nearest first; relative URLs: the first
    typography: TypographyCounts = field(default_factory=TypographyCounts)
