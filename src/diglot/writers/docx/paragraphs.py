"""DOCX output, paragraphs: where a block goes, and opening, starting and closing paragraphs."""

from __future__ import annotations

from lxml import etree

from diglot.writers.docx import look, oxml
from diglot.writers.docx.state import RunFormat, TranslatorState

CONTENT_TAGS = frozenset(oxml.wqn(tag) for tag in ("r", "hyperlink", "bookmarkStart"))


class ParagraphsMixin(TranslatorState):
    """Paragraphs in the body or the current table cell, with their bookmarks and page breaks."""

    def _ensure_paragraph(self) -> None:
        if self.paragraph is None:
            self._open_paragraph(None)

    def _open_paragraph(self, element: etree._Element | None, style: str | None = None) -> None:
        frame = self.frames[-1]
        num_id: int | None = None
        if style is None:
            item = frame.item
            if item is not None and not item.used:
                style, num_id, item.used = item.style, item.num_id, True
            elif item is not None:
                style = item.continue_style
            else:
                style = frame.para_style
                previous = element.getprevious() if element is not None else None
                if previous is not None and previous.tag == "p" == element.tag:  # CSS `p + p`
                    style = self.styles.following.get(style, style)
        p = self._append_block(oxml.element("p"))
        self._start_paragraph(p, style, element, num_id)

    def _start_paragraph(self, p: etree._Element, style: str, element: etree._Element | None,
                         num_id: int | None = None) -> None:
        previous = p.getprevious()
        after_table = previous is not None and previous.tag == oxml.wqn("tbl")
        oxml.start_paragraph(p, style if style != self.styles.normal else None,
                             self.page_break_pending, num_id,
                             "240" if after_table else None)  # a table has no margin of its own
        self.page_break_pending = False
        self.paragraph = p
        self.hyperlink = None
        self.hyperlink_target = None
        self.at_line_start = True
        self.last_text = None
        names = list(self.block_bookmarks.get(element, ())) if element is not None else []
        names += self.pending_bookmarks
        self.pending_bookmarks = []
        self.open_bookmarks = [self._bookmark_start(name) for name in names]
        if self.run_in is not None:  # the badge, then an en space before the paragraph's text
            text, self.run_in = self.run_in, None
            self._text(f"\u00a0{text}\u00a0", RunFormat(style=self.styles.character(
                next(iter(look.RUN_IN)))), keep=True)
            self._text("\u2002", RunFormat(), keep=True)

    def _rule_paragraph(self, style_name: str) -> None:
        """An empty paragraph of `style_name` (a rule between two blocks), if the style exists."""
        style = self.styles.find(style_name)
        if style is None:
            return
        self._close_paragraph()
        self._start_paragraph(self._append_block(oxml.element("p")), style, None)
        self.paragraph = None

    def _close_paragraph(self) -> None:
        p = self.paragraph
        if p is None:
            return
        if self.last_text is not None and self.last_text.text:
            self.last_text.text = self.last_text.text.rstrip(" ")
        for bookmark_id in self.open_bookmarks:
            oxml.bookmark_end(p, bookmark_id)
        self.open_bookmarks = []
        if not any(child.tag in CONTENT_TAGS for child in p):
            # An empty HTML paragraph shows nothing; its page break moves to the next one.
            if p.find(f"{oxml.wqn('pPr')}/{oxml.wqn('pageBreakBefore')}") is not None:
                self.page_break_pending = True
            p.getparent().remove(p)
        self.paragraph = None
        self.hyperlink = None
        self.last_text = None

    def _append_block(self, block: etree._Element) -> etree._Element:
        if self.container is self.body:
            self.sect_pr.addprevious(block)
        else:
            self.container.append(block)
        return block

    def _break_before(self) -> None:
        self._close_paragraph()
        if len(self.body) > 1 or self.container is not self.body:
            self.page_break_pending = True

    def _page_break_paragraph(self) -> None:
        self._append_block(oxml.page_break_paragraph())
        self.page_break_pending = False

    def _last_block(self) -> etree._Element | None:
        """The block last written where blocks go now."""
        if self.container is self.body:
            return self.sect_pr.getprevious()
        return self.container[-1] if len(self.container) else None
