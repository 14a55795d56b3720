"""Page setup and typefaces: plain records shared by themes, rendering and every writer."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSetup:
    """Paper, margins and the optional parts, shared by every writer (millimetres)."""

    size: str = "A4"
    width_mm: float = 210.0
    height_mm: float = 297.0
    margin_top_mm: float = 24.0
    margin_right_mm: float = 22.0
    margin_bottom_mm: float = 24.0
    margin_left_mm: float = 22.0
    cover: bool = True
    toc: bool = True

    def css(self) -> str:
        """The `@page` size and margin declarations."""
        return (f"size: {self.width_mm}mm {self.height_mm}mm; margin: {self.margin_top_mm}mm "
                f"{self.margin_right_mm}mm {self.margin_bottom_mm}mm {self.margin_left_mm}mm;")


@dataclass(frozen=True)
class Fonts:
    """The typefaces of one locale: CSS families for the PDF, Word names for the DOCX."""

    body: tuple[str, ...] = ()
    heading: tuple[str, ...] = ()
    word_body: str | None = None
    word_heading: str | None = None
