"""DOCX output, the translator's state: typed frames, and what its parts share for one document."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from docx.document import Document
from lxml import etree

from diglot.document import RenderedDocument
from diglot.errors import BuildWarning, Location
from diglot.resources import ResourcePolicy

if TYPE_CHECKING:
    from diglot.writers.docx.fonts import FontSet
    from diglot.writers.docx.source import ClassRules
    from diglot.writers.docx.styleindex import StyleIndex
    from diglot.writers.docx.tables import Cell, TableModel

HEADING_LEVELS = {"h1": 0, "h2": 1, "h3": 2, "h4": 3, "h5": 4, "h6": 5}
PARAGRAPH_TAGS = frozenset({"p", "caption", *HEADING_LEVELS})


@dataclass(frozen=True)
class RunFormat:
    """How a run of text looks, as far as HTML says."""

    bold: bool = False
    italic: bool = False
    style: str | None = None  # character style id
    lang: str | None = None
    vert: str | None = None  # superscript / subscript
    upright: bool = False  # not italic, whatever its style says (Han text: CJK has no italic)


@dataclass
class ListItem:
    """The list item paragraphs are being written in: its first one carries the number."""

    style: str
    continue_style: str
    num_id: int | None
    used: bool = False


@dataclass
class ListStyles:
    """The styles of a list's items: a first paragraph's, a following one's, the numbering."""

    style: str
    continue_style: str
    num_id: int | None


@dataclass
class TableState:
    """A Word table being written, its model, and the block container it stands in."""

    tbl: etree._Element
    model: TableModel
    outer: etree._Element


@dataclass
class RowState:
    """A Word table row being written, and its cells still to come (with those continued from
    rows above)."""

    tr: etree._Element
    slots: list[tuple[Cell, bool]]
    column: int = 0  # the grid column after the last cell written


@dataclass
class CellState:
    """A table cell that paragraphs go into, and the container to go back to after it."""

    tc: etree._Element
    outer: etree._Element


@dataclass
class PairState:
    """A pair written as paragraphs (interleaved, or in a heading group)."""

    translation: bool  # its second half takes the Translation style
    keep_from: etree._Element | None  # the block written just before it


@dataclass
class Frame:
    """What an element passes on to its content (the first fields), and the state it opened."""

    para_style: str
    run: RunFormat
    link: tuple[str, str] | None = None  # ("anchor" | "url", target)
    item: ListItem | None = None
    list_depth: int = 0
    inline_list: bool = False
    inline_items: int = 0
    # Opened by this element, for itself or its content:
    nobreak: bool = False  # its text never breaks (`white-space: nowrap`)
    list_styles: ListStyles | None = None
    table: TableState | None = None
    row: RowState | None = None
    cell: CellState | None = None
    pair_table: etree._Element | None = None  # the Word table a `.pair` row goes into
    pair_row: etree._Element | None = None
    pair: PairState | None = None
    translation: str | None = None  # the paragraph style of everything inside


class SkipChildren(Exception):
    """Raised by a visit method whose element's content is already written."""


class TranslatorState:
    """What the parts of the translator share while one document is written (set up by
    `DocxTranslator.build`); the visit_/depart_ methods of each part change it."""

    rendered: RenderedDocument
    epoch: int | None
    resources: ResourcePolicy
    warnings: list[BuildWarning]
    _warned: set[str]
    # The document and what the HTML's head and stylesheets say of it
    document: Document
    styles: StyleIndex
    rules: ClassRules
    block_glosses: dict[str, str]  # paragraph style id -> the character style of its gloss line
    placed_styles: dict[str, tuple[str, str]]  # style id -> (container class, its style id)
    meta: dict[str, str]
    lang: str
    fonts: FontSet
    text_width: int  # twips between the margins
    # Where blocks and text go now
    frames: list[Frame]
    body: etree._Element
    sect_pr: etree._Element
    container: etree._Element  # the body or a table cell
    paragraph: etree._Element | None
    hyperlink: etree._Element | None
    hyperlink_target: tuple[str, str] | None
    at_line_start: bool
    last_text: etree._Element | None
    page_break_pending: bool
    run_in: str | None  # a run-in block's text, written where the next paragraph opens
    pair_table: etree._Element | None  # the table the last run of pairs went into
    # Bookmarks and the table of contents, found before writing (outline)
    bookmark_id: int
    bookmarks: dict[str, str]  # HTML id -> bookmark name
    block_bookmarks: dict[etree._Element, list[str]]
    inline_bookmarks: dict[etree._Element, str]
    page_ends_after: set[etree._Element]
    open_bookmarks: list[int]
    pending_bookmarks: list[str]
    toc_entries: list[tuple[str, str, str]]  # number, text, bookmark
    # Runs
    rpr_cache: dict[RunFormat, etree._Element | None]
    link_ids: dict[str, str]

    def _warn(self, message: str) -> None:
        if message not in self._warned:
            self._warned.add(message)
            self.warnings.append(BuildWarning("docx", message, Location(self.rendered.template)))

    def _warn_tag(self, tag: str, how: str) -> None:
        if tag and f"<{tag}>" not in self._warned:
            self._warned.add(f"<{tag}>")
            self.warnings.append(BuildWarning(
                "docx", f"<{tag}> is not supported in DOCX output: {how} "
                f"(template {self.rendered.template.name})", Location(self.rendered.template)))
