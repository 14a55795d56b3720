"""DOCX output, the translator: the HTML tree walked once, element by element, into Word XML.

Each element is visited (`visit_<tag>`), its text and children written, and departed
(`depart_<tag>`), as Sphinx's writers do; an element that no method knows is written as its
text with a warning. The methods live with what they write: paragraphs, runs (inline
formatting), lists, tables, pairs (the parallel edition) and the outline (bookmarks, contents).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import docx
import lxml.html
from docx.shared import Mm
from lxml import etree

from diglot.document import RenderedDocument
from diglot.errors import BuildWarning, Location, OutputError
from diglot.resources import ResourcePolicy
from diglot.writers.docx import fonts, look, oxml, pairs, parts, source
from diglot.writers.docx import styles as ds
from diglot.writers.docx.lists import ListsMixin
from diglot.writers.docx.outline import OutlineMixin
from diglot.writers.docx.pairs import PairsMixin
from diglot.writers.docx.palette import palette
from diglot.writers.docx.paragraphs import ParagraphsMixin
from diglot.writers.docx.runs import RunsMixin
from diglot.writers.docx.source import SPACES
from diglot.writers.docx.state import HEADING_LEVELS, PARAGRAPH_TAGS, Frame, RunFormat, SkipChildren
from diglot.writers.docx.styleindex import StyleIndex
from diglot.writers.docx.tables import TablesMixin

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
TRANSPARENT = frozenset({"body", "div", "section", "header", "footer", "nav", "article", "main",
                         "aside", "span", "thead", "tbody", "tfoot", "figure", "figcaption"})
SKIPPED = frozenset({"script", "style", "template", "noscript"})


class DocxTranslator(ParagraphsMixin, RunsMixin, ListsMixin, TablesMixin, PairsMixin, OutlineMixin):
    """One document: the HTML tree walked once into a python-docx Document."""

    def __init__(self, rendered: RenderedDocument, roots: tuple[Path, ...],
                 epoch: int | None = None) -> None:
        self.rendered = rendered
        self.epoch = epoch
        self.resources = ResourcePolicy(roots, rendered.asset_dirs[0])
        self.warnings: list[BuildWarning] = []
        self._warned: set[str] = set()

    # -- driver ---------------------------------------------------------------------------------

    def build(self) -> bytes:
        html = self.rendered.html
        bad = CONTROL.search(html)
        if bad:
            line = html.count("\n", 0, bad.start()) + 1
            raise OutputError(f"the rendered HTML has a control character "
                              f"(U+{ord(bad.group()):04X}) on line {line}",
                              Location(self.rendered.template))
        parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True)
        root = lxml.html.document_fromstring(html, parser=parser)
        fatal = [e for e in parser.error_log if e.level_name == "FATAL"]
        if fatal:  # libxml2 recovers from these by dropping the rest of the document
            raise OutputError(f"the rendered HTML cannot be read: {fatal[0].message} "
                              f"(line {fatal[0].line})", Location(self.rendered.template))
        self.meta = source.read_head(root)
        self.rules = source.class_rules(root, self.resources, self._warn)
        self.run_in = None
        self.lang = fonts.full_tag(root.get("lang") or self.rendered.lang)
        self.fonts = parts.theme_fonts(self.rendered, self.lang)
        theme_palette = palette(self.rules.variables, self._warn)
        reference = self.rendered.reference_docx
        if reference is None:
            self.document = docx.Document()
            ds.prepare(self.document, self.fonts, self.lang, theme_palette)
            look.follow_lengths(self.document, self.rules.lengths)
        else:
            self.document = parts.load_reference(reference, self.fonts, self.lang, self._warn,
                                                 theme_palette)
        self.styles = StyleIndex(self.document, self.rendered.template)
        self.block_glosses = {para: char for name, gloss in look.BLOCK_GLOSSES.items()
                              if (para := self.styles.find(name))
                              and (char := self.styles.character(gloss))}
        self.placed_styles = {style: (container, own)
                              for name, (container, placed) in look.PLACED.items()
                              if (style := self.styles.find(name))
                              and (own := self.styles.find(placed))}
        page = self.rendered.page
        self.text_width = int(Mm(page.width_mm - page.margin_left_mm - page.margin_right_mm).twips)
        body = root.find("body")
        self.body = self.document.element.body
        self.sect_pr = self.body.find(oxml.wqn("sectPr"))
        self.container = self.body
        self.paragraph = self.hyperlink = self.hyperlink_target = self.last_text = None
        self.at_line_start = True
        self.page_break_pending = False
        self.bookmark_id = 0
        self.rpr_cache = {}
        self.link_ids = {}
        self.pair_table = None
        self._scan(body if body is not None else root)
        self.frames = [Frame(self.styles.normal, RunFormat())]
        if body is not None:
            self._walk(body)
        self._close_paragraph()
        running = look.RUNNING_HEAD if self.styles.character(look.RUNNING_HEAD) else "Heading 1"
        parts.page_setup(self.document, self.rendered, self.meta, self.styles.id, running,
                         self._warn)
        parts.set_properties(self.document, self.rendered, self.meta, self.lang, self.epoch)
        return parts.package(self.document, self.epoch)

    def _walk(self, element: etree._Element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        visit = getattr(self, f"visit_{tag}", None)
        known = visit is not None or tag in TRANSPARENT
        if not known and tag in SKIPPED:
            self._warn_tag(tag, "skipped")
            return
        if not known:
            self._warn_tag(tag, "written as its text")
        frame = self._enter(element, tag)
        self.frames.append(frame)
        try:
            if visit is not None:
                visit(element)
            if element.text:
                self._text(element.text)
            for child in element:
                self._walk(child)
                if child.tail:
                    self._text(child.tail)
            depart = getattr(self, f"depart_{tag}", None)
            if depart is not None:
                depart(element)
        except SkipChildren:
            pass
        finally:
            self.frames.pop()
        if element in self.page_ends_after:
            self.page_break_pending = True

    def _enter(self, element: etree._Element, tag: str) -> Frame:
        """The frame of `element`: its classes select paragraph and character styles."""
        parent = self.frames[-1]
        frame = Frame(parent.para_style, parent.run, parent.link, parent.item, parent.list_depth,
                      parent.inline_list)
        classes = element.get("class", "").split()
        for name in classes:
            if name in look.RULE_BETWEEN and name in source.classes(element.getprevious()):
                self._rule_paragraph(look.RULE_BETWEEN[name])
            if name in self.rules.before:
                self._break_before()
            if name in self.rules.after:
                self.page_ends_after.add(element)
            if name in self.rules.nowrap:
                frame.nobreak = True
        para, char = self.styles.of_classes(classes)
        if para is not None:
            frame.para_style = self._placed(element, para)
        gloss = self.block_glosses.get(parent.para_style) if look.GLOSS in classes else None
        if gloss is not None:  # `display: block` there: a line of its own, in its own size
            char = gloss
        run = frame.run
        if char is not None:
            run = replace(run, style=char)
        lang = element.get("lang")
        if lang:
            run = replace(run, lang=lang)
        frame.run = run
        if self.paragraph is not None and not self.at_line_start and (
                gloss is not None or any(c in look.LINE_BREAK_BEFORE for c in classes)):
            self._line_break()
        if element.get("id"):
            if element in self.inline_bookmarks:
                self._bookmark_here(self.inline_bookmarks[element])
            elif element in self.block_bookmarks and tag not in PARAGRAPH_TAGS:
                self.pending_bookmarks += self.block_bookmarks[element]
        return frame

    # -- block elements ---------------------------------------------------------------------------

    def visit_p(self, element: etree._Element) -> None:
        self._close_paragraph()
        translation = next((f.translation for f in reversed(self.frames) if f.translation), None)
        if translation is not None:
            self.frames[-1].para_style = translation
        if look.RUN_IN.intersection(source.classes(element)):  # written where the next one opens
            self.run_in = SPACES.sub(" ", "".join(element.itertext())).strip()
            raise SkipChildren
        self._open_paragraph(element)

    def depart_p(self, element: etree._Element) -> None:
        self._close_paragraph()

    def visit_blockquote(self, element: etree._Element) -> None:
        self._close_paragraph()
        if self.styles.of_classes(element.get("class", "").split())[0] is None:
            self.frames[-1].para_style = self.styles.id("Quote")

    depart_blockquote = depart_p

    def _heading(self, element: etree._Element) -> None:
        self._close_paragraph()
        level = HEADING_LEVELS[element.tag]
        style = self._placed(element, self._heading_style(element, level))
        self.frames[-1].para_style = style
        self.frames[-1].run = self._running(element, self.frames[-1].run)
        self._open_paragraph(element, style)

    visit_h1 = visit_h2 = visit_h3 = visit_h4 = visit_h5 = visit_h6 = _heading
    depart_h1 = depart_h2 = depart_h3 = depart_h4 = depart_h5 = depart_h6 = depart_p

    def visit_div(self, element: etree._Element) -> None:
        self._close_paragraph()
        classes = source.classes(element)
        if pairs.PAIR in classes:
            self._pair(element, classes)
        elif pairs.ROW in classes and self.frames[-2].pair_table is not None:
            short = pairs.LONG not in source.classes(element.getparent())
            self.frames[-1].pair_row = pairs.add_row(self.frames[-2].pair_table, short)
        elif pairs.HALF in classes:
            self._pair_half(classes)

    def depart_div(self, element: etree._Element) -> None:
        self._close_paragraph()
        frame = self.frames[-1]
        if frame.cell is not None:
            lang = frame.run.lang
            if lang and fonts.east_asian(self.lang) and not fonts.east_asian(lang):
                pairs.flush_left(frame.cell.tc)
            self._depart_cell(element)
        elif frame.pair is not None:
            self._depart_pair(element, frame.pair)

    visit_section = visit_header = visit_footer = visit_article = visit_main = visit_div
    visit_aside = visit_figure = visit_div
    depart_section = depart_header = depart_footer = depart_article = depart_p
    depart_main = depart_aside = depart_figure = depart_p

    # -- headings ---------------------------------------------------------------------------------

    def _heading_style(self, element: etree._Element, level: int) -> str:
        default = self.styles.id("Title" if level == 0 else f"Heading {level}")
        own = self.styles.of_classes(element.get("class", "").split())[0]
        if own is not None and (own == default or self.styles.inherits(own, default)):
            return own
        return default

    def _placed(self, element: etree._Element, style: str) -> str:
        """The style of `element`'s paragraphs where it stands: `style`, or the variant of it
        for the block it is inside (a title block's title)."""
        placed = self.placed_styles.get(style)
        if placed is not None and any(placed[0] in source.classes(a)
                                      for a in element.iterancestors()):
            return placed[1]
        return style

    def _running(self, heading: etree._Element, run: RunFormat) -> RunFormat:
        """`run` in the running-head style when the stylesheet makes `heading` the header's
        section name (`string-set: section`); the header's STYLEREF field finds it there."""
        style = self.styles.character(look.RUNNING_HEAD)
        if style is None or run.style is not None \
                or not self.rules.running & source.classes(heading):
            return run
        return replace(run, style=style)
