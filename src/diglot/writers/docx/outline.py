"""DOCX output, the outline: bookmarks for every id, and the table of contents field."""

from __future__ import annotations

from docx.shared import Mm
from lxml import etree

from diglot.writers.docx import look, oxml, source
from diglot.writers.docx.source import SPACES
from diglot.writers.docx.state import HEADING_LEVELS, RunFormat, SkipChildren, TranslatorState


class OutlineMixin(TranslatorState):
    """Bookmarks found before writing, placed as paragraphs open; the `nav.toc` as a TOC field."""

    def visit_nav(self, element: etree._Element) -> None:
        self._close_paragraph()
        if "toc" in element.get("class", "").split():
            self._table_of_contents(element)
            raise SkipChildren

    def depart_nav(self, element: etree._Element) -> None:
        self._close_paragraph()

    def _scan(self, body: etree._Element) -> None:
        """Before writing: bookmark names for every id, and the headings the TOC lists."""
        self.bookmarks = {}
        self.block_bookmarks = {}
        self.inline_bookmarks = {}
        self.page_ends_after = set()
        self.open_bookmarks = []
        self.pending_bookmarks = []
        self.toc_entries = []
        used: set[str] = set()
        toc_nav = None
        block_tags = {"p", "li", "td", "th", "blockquote", "caption", *HEADING_LEVELS}
        for element in body.iter():
            if not isinstance(element.tag, str):
                continue
            if element.tag == "nav" and "toc" in element.get("class", "").split():
                toc_nav = element
            ident = element.get("id")
            if ident and ident not in self.bookmarks:
                name = source.bookmark_name(ident, used)
                self.bookmarks[ident] = name
                target = element if element.tag in block_tags else source.first_descendant(
                    element, tuple(HEADING_LEVELS))
                if target is None:
                    target = source.first_descendant(element, ("p", "li"))
                if target is None:
                    self.inline_bookmarks[element] = name
                else:
                    self.block_bookmarks.setdefault(target, []).append(name)
        for heading in body.iter("h2"):
            if toc_nav is not None and any(a is toc_nav for a in heading.iterancestors()):
                continue
            names = self.block_bookmarks.setdefault(heading, [])
            if not names:
                names.append(source.bookmark_name(f"_Toc{len(self.toc_entries) + 1:06d}", used,
                                            hidden=True))
            text = SPACES.sub(" ", "".join(heading.itertext())).strip()
            previous = heading.getprevious()
            number = (SPACES.sub(" ", "".join(previous.itertext())).strip()
                      if look.RUN_IN.intersection(source.classes(previous)) else "")
            self.toc_entries.append((number, text, names[0]))

    def _bookmark_start(self, name: str) -> int:
        self.bookmark_id += 1
        assert self.paragraph is not None
        oxml.bookmark_start(self.paragraph, self.bookmark_id, name)
        return self.bookmark_id

    def _bookmark_here(self, name: str) -> None:
        self._ensure_paragraph()
        bookmark_id = self._bookmark_start(name)
        oxml.bookmark_end(self.paragraph, bookmark_id)  # type: ignore[arg-type]

    def _table_of_contents(self, nav: etree._Element) -> None:
        """A TOC field whose result is already filled in, so no update is needed to use it."""
        heading = next((e for e in nav.iter(*HEADING_LEVELS)), None)
        if heading is not None:
            self._open_paragraph(None, self.styles.id("TOC Heading"))
            self._text("".join(heading.itertext()), self._running(heading, RunFormat()))
            self._close_paragraph()
        style = self.styles.id("TOC 1")
        entries = self.toc_entries or [("", "", "")]
        number_style = self.styles.character("toc-number")
        for index, (number, text, bookmark) in enumerate(entries):
            self._open_paragraph(None, style)
            p = self.paragraph
            assert p is not None
            if index == 0:
                oxml.field_start(p, ' TOC \\o "1-1" \\h \\z \\u ')
            if bookmark:
                # Page numbers come from a LibreOffice layout afterwards (module pages), when
                # LibreOffice is there; updating the field in Word adds or replaces them.
                link = oxml.hyperlink(p, anchor=bookmark)
                if number:  # the heading's run-in number, in its column (report.css
                    # `.toc-number`), on this entry only: in the style, an entry shorter than
                    # that (前言) would send its page number there
                    oxml.tab_stop(p, "left", Mm(8).twips)
                    oxml.styled_run(link, number, number_style)
                    oxml.tab_run(link)
                oxml.styled_run(link, text, None)
            if index == len(entries) - 1:
                oxml.field_end(p)
            self._close_paragraph()
