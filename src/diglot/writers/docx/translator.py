"""The DOCX writer: walks the rendered HTML with visit_/depart_ methods and writes Word XML."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

import docx
import lxml.html
from docx.document import Document
from docx.image.exceptions import UnrecognizedImageError
from docx.image.image import Image
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Emu, Mm
from lxml import etree

from diglot.document import GAP_CLASS, NOBREAK_CLASS, RenderedDocument
from diglot.errors import BuildWarning, Location, OutputError
from diglot.images import MAX_IMAGE_PIXELS
from diglot.resources import ResourcePolicy
from diglot.writers.docx import oxml as dx
from diglot.writers.docx import pairs
from diglot.writers.docx import parts as dp
from diglot.writers.docx import styles as ds
from diglot.writers.docx.palette import palette
from diglot.writers.docx.parts import SPACES

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
HEADING_LEVELS = {"h1": 0, "h2": 1, "h3": 2, "h4": 3, "h5": 4, "h6": 5}
PARAGRAPH_TAGS = frozenset({"p", "caption", *HEADING_LEVELS})
TRANSPARENT = frozenset({"body", "div", "section", "header", "footer", "nav", "article", "main",
                         "aside", "span", "thead", "tbody", "tfoot", "figure", "figcaption"})
SKIPPED = frozenset({"script", "style", "template", "noscript"})
W = qn("w:val")
CONTENT_TAGS = frozenset(qn(f"w:{tag}") for tag in ("r", "hyperlink", "bookmarkStart"))


@dataclass(frozen=True)
class RunFormat:
    """How a run of text looks, as far as HTML says."""

    bold: bool = False
    italic: bool = False
    style: str | None = None  # character style id
    lang: str | None = None
    vert: str | None = None  # superscript / subscript


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
    """A Word table being written, and the block container it stands in."""

    tbl: etree._Element
    widths: list[int]
    outer: etree._Element


@dataclass
class RowState:
    tr: etree._Element
    column: int = 0  # the grid column the next cell starts at


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


class DocxBuilder:
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
        self.meta = dp.read_head(root)
        self.rules = dp.class_rules(root, self.resources, self._warn)
        self.breaks_before, self.breaks_after = self.rules.before, self.rules.after
        self._run_in: str | None = None
        self.lang = ds.full_tag(root.get("lang") or self.rendered.lang)
        self.fonts = dp.theme_fonts(self.rendered, self.lang)
        look = palette(self.rules.variables, self._warn)
        reference = self.rendered.reference_docx
        if reference is None:
            self.document: Document = docx.Document()
            ds.prepare(self.document, self.fonts, self.lang, look)
        else:
            self.document = dp.load_reference(reference, self.fonts, self.lang, self._warn, look)
        self._index_styles()
        body = root.find("body")
        self.body = self.document.element.body
        self.sect_pr = self.body.find(qn("w:sectPr"))
        self.container: etree._Element = self.body
        self.paragraph: etree._Element | None = None
        self.hyperlink: etree._Element | None = None
        self.hyperlink_target: tuple[str, str] | None = None
        self.at_line_start = True
        self.last_text: etree._Element | None = None
        self.page_break_pending = False
        self.bookmark_id = 0
        self._rpr_cache: dict[RunFormat, etree._Element | None] = {}
        self._link_ids: dict[str, str] = {}
        self._pair_table: etree._Element | None = None
        self._scan(body if body is not None else root)
        self.frames = [Frame(self.normal, RunFormat())]
        if body is not None:
            self._walk(body)
        self._close_paragraph()
        running = ds.RUNNING_HEAD if self._char_style(ds.RUNNING_HEAD) else "Heading 1"
        dp.page_setup(self.document, self.rendered, self.meta, self.style_id, running,
                      self._warn)
        dp.set_properties(self.document, self.rendered, self.meta, self.lang, self.epoch)
        return dp.package(self.document, self.epoch)

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
        if element in self._breaks_after:
            self.page_break_pending = True

    def _enter(self, element: etree._Element, tag: str) -> Frame:
        """The frame of `element`: its classes select paragraph and character styles."""
        parent = self.frames[-1]
        frame = Frame(parent.para_style, parent.run, parent.link, parent.item, parent.list_depth,
                      parent.inline_list)
        classes = element.get("class", "").split()
        for name in classes:
            if name in ds.RULE_BETWEEN and name in dp.classes(element.getprevious()):
                self._rule_paragraph(ds.RULE_BETWEEN[name])
            if name in self.breaks_before:
                self._break_before()
            if name in self.breaks_after:
                self._breaks_after.add(element)
            if name in self.rules.nowrap:
                frame.nobreak = True
        para, char = self._class_styles(classes)
        if para is not None:
            frame.para_style = para
        run = frame.run
        if char is not None:
            run = replace(run, style=char)
        lang = element.get("lang")
        if lang:
            run = replace(run, lang=lang)
        frame.run = run
        if self.paragraph is not None and any(c in ds.LINE_BREAK_BEFORE for c in classes) \
                and not self.at_line_start:
            self._line_break()
        if element.get("id"):
            if element in self._inline_bookmarks:
                self._bookmark_here(self._inline_bookmarks[element])
            elif element in self._block_bookmarks and tag not in PARAGRAPH_TAGS:
                self._pending_bookmarks += self._block_bookmarks[element]
        return frame

    # -- block elements ---------------------------------------------------------------------------

    def visit_p(self, element: etree._Element) -> None:
        self._close_paragraph()
        translation = next((f.translation for f in reversed(self.frames) if f.translation), None)
        if translation is not None:
            self.frames[-1].para_style = translation
        if ds.RUN_IN.intersection(dp.classes(element)):  # written where the next paragraph opens
            self._run_in = SPACES.sub(" ", "".join(element.itertext())).strip()
            raise SkipChildren
        self._open_paragraph(element)

    def depart_p(self, element: etree._Element) -> None:
        self._close_paragraph()

    def visit_blockquote(self, element: etree._Element) -> None:
        self._close_paragraph()
        if self._class_styles(element.get("class", "").split())[0] is None:
            self.frames[-1].para_style = self.style_id("Quote")

    depart_blockquote = depart_p

    def _heading(self, element: etree._Element) -> None:
        self._close_paragraph()
        level = HEADING_LEVELS[element.tag]
        style = self._heading_style(element, level)
        self.frames[-1].para_style = style
        self.frames[-1].run = self._running(element, self.frames[-1].run)
        self._open_paragraph(element, style)

    visit_h1 = visit_h2 = visit_h3 = visit_h4 = visit_h5 = visit_h6 = _heading
    depart_h1 = depart_h2 = depart_h3 = depart_h4 = depart_h5 = depart_h6 = depart_p

    def visit_div(self, element: etree._Element) -> None:
        self._close_paragraph()
        classes = dp.classes(element)
        if pairs.PAIR in classes:
            self._pair(element, classes)
        elif pairs.ROW in classes and self.frames[-2].pair_table is not None:
            short = pairs.LONG not in dp.classes(element.getparent())
            self.frames[-1].pair_row = pairs.add_row(self.frames[-2].pair_table, short)
        elif pairs.HALF in classes:
            self._pair_half(classes)

    def depart_div(self, element: etree._Element) -> None:
        self._close_paragraph()
        frame = self.frames[-1]
        if frame.cell is not None:
            lang = frame.run.lang
            if lang and ds.east_asian(self.lang) and not ds.east_asian(lang):
                pairs.flush_left(frame.cell.tc)
            self._depart_cell(element)
        elif frame.pair is not None:  # an interleaved pair: the source keeps with its
            mark = frame.pair.keep_from  # translation, and a pair that fits on a page
            block = mark.getnext() if mark is not None else self.container[0]  # stays whole
            written = []
            while block is not None and block is not self.sect_pr:
                if block.tag == qn("w:p"):
                    written.append(block)
                block = block.getnext()
            for p in written[:-1]:
                dx.keep_with_next(p)
            if pairs.LONG not in dp.classes(element):
                for p in written:
                    dx.keep_together(p)

    visit_section = visit_header = visit_footer = visit_article = visit_main = visit_div
    visit_aside = visit_figure = visit_div
    depart_section = depart_header = depart_footer = depart_article = depart_p
    depart_main = depart_aside = depart_figure = depart_p

    # -- parallel editions (pairs) ----------------------------------------------------------------

    def _pair(self, element: etree._Element, classes: set[str]) -> None:
        """A passage and its translation: a row of the pair table the previous pair began, or
        of a new one; an interleaved pair is written as its paragraphs, and so is a pair in a
        heading group (`header`), which must stay with what follows: LibreOffice does not keep
        a table with the next block."""
        in_header = any(a.tag == "header" for a in element.iterancestors())
        if pairs.COLUMNS not in classes or in_header:
            self.frames[-1].pair = PairState(not in_header, self._last_block())
            return
        last = self._last_block()
        if last is None or last is not self._pair_table:
            if self.page_break_pending:
                self._page_break_paragraph()
            style = self._class_styles([pairs.TABLE_STYLE], table=True)[0]
            self._pair_table = self._append_block(pairs.new_table(self.text_width, style))
        self.frames[-1].pair_table = self._pair_table

    def _pair_half(self, classes: set[str]) -> None:
        frame, row = self.frames[-1], self.frames[-2]
        pair = self.frames[-3].pair if len(self.frames) > 2 else None
        if row.pair_row is not None:
            tc = pairs.add_cell(row.pair_row, self.text_width // 2)
            frame.item, frame.list_depth = None, 0
            frame.cell = CellState(tc, self.container)
            self.container = tc
        elif pair is not None and pair.translation and pairs.SECOND in classes:
            translation = self._styles.get((pairs.TRANSLATION_STYLE.lower(), "paragraph"))
            if translation is not None:  # over the style of any class inside
                frame.para_style = frame.translation = translation

    def _last_block(self) -> etree._Element | None:
        """The block last written where blocks go now."""
        if self.container is self.body:
            return self.sect_pr.getprevious()
        return self.container[-1] if len(self.container) else None

    def visit_nav(self, element: etree._Element) -> None:
        self._close_paragraph()
        if "toc" in element.get("class", "").split():
            self._table_of_contents(element)
            raise SkipChildren

    depart_nav = depart_p

    def visit_ul(self, element: etree._Element) -> None:
        self._list(element, ordered=False)

    def visit_ol(self, element: etree._Element) -> None:
        self._list(element, ordered=True)

    def depart_ul(self, element: etree._Element) -> None:
        if not self.frames[-1].inline_list:
            self._close_paragraph()

    depart_ol = depart_ul

    def _list(self, element: etree._Element, ordered: bool) -> None:
        frame = self.frames[-1]
        classes = element.get("class", "").split()
        if "inline" in classes:
            frame.inline_list = True
            frame.inline_items = 0
            return
        self._close_paragraph()
        depth = min(frame.list_depth + 1, 3)
        suffix = "" if depth == 1 else f" {depth}"
        if any(self.rules.unmarked.intersection(dp.classes(e))
               for e in (element, *element.iterancestors())):  # `list-style: none`: flush text
            frame.list_styles = ListStyles(frame.para_style, frame.para_style, None)
            return
        own = self._class_styles(classes)[0]
        style = own or self.style_id(("List Number" if ordered else "List Bullet") + suffix)
        num_id = self._restart_numbering(style, element.get("start")) if ordered else None
        frame.list_depth = depth
        frame.list_styles = ListStyles(style, self.style_id("List Continue" + suffix), num_id)

    def visit_li(self, element: etree._Element) -> None:
        frame = self.frames[-1]
        if frame.inline_list:
            parent = self.frames[-2]
            if parent.inline_items:
                self._text(" · ", replace(frame.run, style=self._char_style("sep")), keep=True)
            parent.inline_items += 1
            frame.inline_list = False
            return
        self._close_paragraph()
        styles = self.frames[-2].list_styles or ListStyles(
            self.style_id("List Bullet"), self.style_id("List Continue"), None)
        own = self._class_styles(element.get("class", "").split())[0]
        frame.item = ListItem(own or styles.style, styles.continue_style, styles.num_id)

    def depart_li(self, element: etree._Element) -> None:
        if not self.frames[-2].inline_list:
            self._close_paragraph()

    # -- tables -----------------------------------------------------------------------------------

    def visit_table(self, element: etree._Element) -> None:
        self._close_paragraph()
        if self.page_break_pending:
            self._page_break_paragraph()
        rows = element.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
        columns = max((sum(int(c.get("colspan", "1") or 1) for c in tr if c.tag in ("td", "th"))
                       for tr in rows), default=1)
        label_columns = {i for i in range(columns)
                         if rows and all(len(tr) > i and tr[i].tag == "th" for tr in rows)}
        width = self.text_width
        label_width = min(int(Mm(28).twips), width // (columns + 1))
        rest = columns - len(label_columns)
        other = (width - label_width * len(label_columns)) // max(rest, 1)
        widths = [label_width if i in label_columns else other for i in range(columns)]
        own = self._class_styles(element.get("class", "").split(), table=True)[0]
        tbl = self._append_block(dx.table(width, widths,
                                          own or self.style_id("Table Grid", "table")))
        self.frames[-1].table = TableState(tbl, widths, self.container)

    def depart_table(self, element: etree._Element) -> None:
        table = self.frames[-1].table
        assert table is not None  # made by visit_table
        self.container = table.outer
        # Keep a table on one page where it fits, as Word does: every row keeps with the next.
        for tr in table.tbl.findall(qn("w:tr"))[:-1]:
            for p in tr.iter(qn("w:p")):
                dx.keep_with_next(p)

    def visit_tr(self, element: etree._Element) -> None:
        table = self._table()
        if table is None:
            return
        tr = dx.row(table.tbl)
        self.frames[-1].row = RowState(tr)

    def _cell(self, element: etree._Element) -> None:
        row = next((f.row for f in reversed(self.frames[:-1]) if f.row is not None), None)
        if row is None:
            return
        self._close_paragraph()
        table = self._table()
        widths = table.widths if table is not None else [self.text_width]
        column = row.column
        span = max(1, int(element.get("colspan", "1") or 1))
        tc = dx.cell(row.tr, sum(widths[column:column + span]) or widths[-1], span)
        row.column = column + span
        frame = self.frames[-1]
        own = self._class_styles(element.get("class", "").split())[0]
        default = "Table Heading" if element.tag == "th" else "Table Contents"
        frame.para_style = own or self.style_id(default)
        frame.item = None
        frame.list_depth = 0
        frame.cell = CellState(tc, self.container)
        self.container = tc

    def _depart_cell(self, element: etree._Element) -> None:
        self._close_paragraph()
        cell = self.frames[-1].cell
        if cell is None:
            return
        dx.end_cell(cell.tc)
        self.container = cell.outer

    visit_td = visit_th = _cell
    depart_td = depart_th = _depart_cell

    def visit_caption(self, element: etree._Element) -> None:
        self._close_paragraph()
        table = self._table()
        if table is None:
            self._open_paragraph(element, self.style_id("Caption"))
            return
        p = dx.element("p")
        table.tbl.addprevious(p)
        self._start_paragraph(p, self.style_id("Caption"), element)

    depart_caption = depart_p

    # -- inline elements --------------------------------------------------------------------------

    def visit_span(self, element: etree._Element) -> None:
        classes = element.get("class", "").split()
        if GAP_CLASS in classes:  # Word spaces Han and Latin itself (w:autoSpaceDE/DN)
            raise SkipChildren
        if NOBREAK_CLASS in classes:
            self.frames[-1].nobreak = True

    def visit_strong(self, element: etree._Element) -> None:
        self.frames[-1].run = replace(self.frames[-1].run, bold=True)

    def visit_em(self, element: etree._Element) -> None:
        self.frames[-1].run = replace(self.frames[-1].run, italic=True)

    visit_b, visit_i = visit_strong, visit_em

    def visit_code(self, element: etree._Element) -> None:
        run = self.frames[-1].run
        if run.style is None:
            self.frames[-1].run = replace(run, style=self._char_style("HTML Code"))

    def visit_sup(self, element: etree._Element) -> None:
        self.frames[-1].run = replace(self.frames[-1].run, vert="superscript")

    def visit_sub(self, element: etree._Element) -> None:
        self.frames[-1].run = replace(self.frames[-1].run, vert="subscript")

    def visit_br(self, element: etree._Element) -> None:
        self._ensure_paragraph()
        self._line_break()

    def visit_a(self, element: etree._Element) -> None:
        href = (element.get("href") or "").strip()
        if not href:
            return
        frame = self.frames[-1]
        if href.startswith("#"):
            name = self._bookmarks.get(unquote(href[1:]))
            if name is None:
                self._warn(f"link to {href}, which is not in the document: written as text")
                return
            frame.link = ("anchor", name)
        elif urlsplit(href).scheme.lower() in ("http", "https", "mailto"):
            frame.link = ("url", href)
        else:
            self._warn(f"link to {href!r} is not http, https or mailto: written as text")
            return
        if frame.run.style is None:
            frame.run = replace(frame.run, style=self._char_style("Hyperlink"))

    def visit_img(self, element: etree._Element) -> None:
        blob, name = dp.image_bytes(element.get("src", ""), self.resources,
                                    Location(self.rendered.template))
        try:
            image = Image.from_blob(blob)
        except UnrecognizedImageError:  # SVG above all: Word wants a PNG beside it
            self._warn(f"image {name!r} is left out of the DOCX: its format (SVG, WebP, ...) "
                       "is not one Word shows alone; PNG, JPEG and GIF are")
            return
        if image.px_width * image.px_height > MAX_IMAGE_PIXELS:
            raise OutputError(f"image {name!r} has {image.px_width}x{image.px_height} pixels, over "
                              f"the {MAX_IMAGE_PIXELS}-pixel limit",
                              Location(self.rendered.template))
        width = dp.css_pixels(element.get("width"))
        cx = Emu(width * 9525) if width else image.width
        limit = Emu(self.text_width * 635)
        if cx > limit:
            cx = limit
        cy = Emu(int(image.height * cx / image.width)) if image.width else image.height
        inline = self.document.part.new_pic_inline(io.BytesIO(blob), cx, cy)
        alt = element.get("alt")
        if alt:
            inline.docPr.set("descr", alt)
        self._ensure_paragraph()
        run = self._new_run(self.frames[-1].run)
        dx.drawing(run, inline)
        self.at_line_start = False

    # -- text and runs ----------------------------------------------------------------------------

    def _text(self, text: str, run_format: RunFormat | None = None, keep: bool = False) -> None:
        if not keep:
            text = SPACES.sub(" ", text)
        if self.frames[-1].nobreak:
            text = text.replace(" ", "\u00a0").replace("-", "\u2011")
        if self.paragraph is None:
            if not text.strip(" "):
                return
            self._ensure_paragraph()
        if self.at_line_start or self._ends_with_space():
            text = text.lstrip(" ")
        if not text:
            return
        run = self._new_run(run_format or self.frames[-1].run)
        self.last_text = dx.text(run, text)
        self.at_line_start = False

    def _ends_with_space(self) -> bool:
        return self.last_text is not None and (self.last_text.text or "").endswith(" ")

    def _new_run(self, run_format: RunFormat) -> etree._Element:
        target = self._run_parent()
        return dx.run(target, self._rpr(run_format))

    def _run_parent(self) -> etree._Element:
        """The paragraph, or the hyperlink inside it that the current link needs."""
        assert self.paragraph is not None
        link = self.frames[-1].link
        if link is None:
            self.hyperlink = None
            self.hyperlink_target = None
            return self.paragraph
        if self.hyperlink is not None and self.hyperlink_target == link \
                and self.hyperlink.getparent() is self.paragraph:
            return self.hyperlink
        if link[0] == "anchor":
            hyperlink = dx.hyperlink(self.paragraph, anchor=link[1])
        else:
            hyperlink = dx.hyperlink(self.paragraph, rid=self._relationship(link[1]))
        self.hyperlink, self.hyperlink_target = hyperlink, link
        return hyperlink

    def _relationship(self, url: str) -> str:
        """The id of the relationship to `url` (python-docx's own lookup scans them all)."""
        rid = self._link_ids.get(url)
        if rid is None:
            rels = self.document.part.rels
            rid = f"rIdLink{len(self._link_ids) + 1}"
            while rid in rels:
                rid += "_"
            rels.add_relationship(RT.HYPERLINK, url, rid, is_external=True)
            self._link_ids[url] = rid
        return rid

    def _rpr(self, run_format: RunFormat) -> etree._Element | None:
        if run_format in self._rpr_cache:
            return self._rpr_cache[run_format]
        lang = None
        if run_format.lang:
            tag = ds.full_tag(run_format.lang)
            lang = ("eastAsia" if ds.east_asian(tag) else "val", tag)
        rpr = dx.run_properties(run_format.style, run_format.bold, run_format.italic,
                                run_format.vert, lang)
        self._rpr_cache[run_format] = rpr
        return rpr

    def _line_break(self) -> None:
        if self.paragraph is None:
            return
        if self.last_text is not None and self.last_text.text:
            self.last_text.text = self.last_text.text.rstrip(" ")
        run = self._new_run(self.frames[-1].run)
        dx.line_break(run)
        self.at_line_start = True

    # -- paragraphs -------------------------------------------------------------------------------

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
                    style = self._following.get(style, style)
        p = self._append_block(dx.element("p"))
        self._start_paragraph(p, style, element, num_id)

    def _start_paragraph(self, p: etree._Element, style: str, element: etree._Element | None,
                         num_id: int | None = None) -> None:
        previous = p.getprevious()
        after_table = previous is not None and previous.tag == dx.wqn("tbl")
        dx.start_paragraph(p, style if style != self.normal else None, self.page_break_pending,
                           num_id, "240" if after_table else None)  # a table has no margin
        self.page_break_pending = False
        self.paragraph = p
        self.hyperlink = None
        self.hyperlink_target = None
        self.at_line_start = True
        self.last_text = None
        names = list(self._block_bookmarks.get(element, ())) if element is not None else []
        names += self._pending_bookmarks
        self._pending_bookmarks = []
        self._open_bookmarks = [self._bookmark_start(name) for name in names]
        if self._run_in is not None:  # the badge, then an en space before the paragraph's text
            text, self._run_in = self._run_in, None
            self._text(f"\u00a0{text}\u00a0", RunFormat(style=self._char_style(
                next(iter(ds.RUN_IN)))), keep=True)
            self._text("\u2002", RunFormat(), keep=True)

    def _rule_paragraph(self, style_name: str) -> None:
        """An empty paragraph of `style_name` (a rule between two blocks), if the style exists."""
        style = self._styles.get((style_name.lower(), "paragraph"))
        if style is None:
            return
        self._close_paragraph()
        self._start_paragraph(self._append_block(dx.element("p")), style, None)
        self.paragraph = None

    def _close_paragraph(self) -> None:
        p = self.paragraph
        if p is None:
            return
        if self.last_text is not None and self.last_text.text:
            self.last_text.text = self.last_text.text.rstrip(" ")
        for bookmark_id in self._open_bookmarks:
            dx.bookmark_end(p, bookmark_id)
        self._open_bookmarks = []
        if not any(child.tag in CONTENT_TAGS for child in p):
            # An empty HTML paragraph shows nothing; its page break moves to the next one.
            if dx.has_page_break_before(p):
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
        self._append_block(dx.page_break_paragraph())
        self.page_break_pending = False

    # -- bookmarks and the table of contents ------------------------------------------------------

    def _scan(self, body: etree._Element) -> None:
        """Before writing: bookmark names for every id, and the headings the TOC lists."""
        self._bookmarks: dict[str, str] = {}
        self._block_bookmarks: dict[etree._Element, list[str]] = {}
        self._inline_bookmarks: dict[etree._Element, str] = {}
        self._breaks_after: set[etree._Element] = set()
        self._open_bookmarks: list[int] = []
        self._pending_bookmarks: list[str] = []
        self.toc_entries: list[tuple[str, str, str]] = []  # number, text, bookmark
        used: set[str] = set()
        toc_nav = None
        block_tags = {"p", "li", "td", "th", "blockquote", "caption", *HEADING_LEVELS}
        for element in body.iter():
            if not isinstance(element.tag, str):
                continue
            if element.tag == "nav" and "toc" in element.get("class", "").split():
                toc_nav = element
            ident = element.get("id")
            if ident and ident not in self._bookmarks:
                name = dp.bookmark_name(ident, used)
                self._bookmarks[ident] = name
                target = element if element.tag in block_tags else dp.first_descendant(
                    element, tuple(HEADING_LEVELS))
                if target is None:
                    target = dp.first_descendant(element, ("p", "li"))
                if target is None:
                    self._inline_bookmarks[element] = name
                else:
                    self._block_bookmarks.setdefault(target, []).append(name)
        for heading in body.iter("h2"):
            if toc_nav is not None and any(a is toc_nav for a in heading.iterancestors()):
                continue
            names = self._block_bookmarks.setdefault(heading, [])
            if not names:
                names.append(dp.bookmark_name(f"_Toc{len(self.toc_entries) + 1:06d}", used,
                                            hidden=True))
            text = SPACES.sub(" ", "".join(heading.itertext())).strip()
            previous = heading.getprevious()
            number = (SPACES.sub(" ", "".join(previous.itertext())).strip()
                      if ds.RUN_IN.intersection(dp.classes(previous)) else "")
            self.toc_entries.append((number, text, names[0]))

    def _bookmark_start(self, name: str) -> int:
        self.bookmark_id += 1
        assert self.paragraph is not None
        dx.bookmark_start(self.paragraph, self.bookmark_id, name)
        return self.bookmark_id

    def _bookmark_here(self, name: str) -> None:
        self._ensure_paragraph()
        bookmark_id = self._bookmark_start(name)
        dx.bookmark_end(self.paragraph, bookmark_id)  # type: ignore[arg-type]

    def _table_of_contents(self, nav: etree._Element) -> None:
        """A TOC field whose result is already filled in, so no update is needed to use it."""
        heading = next((e for e in nav.iter(*HEADING_LEVELS)), None)
        if heading is not None:
            self._open_paragraph(None, self.style_id("TOC Heading"))
            self._text("".join(heading.itertext()), self._running(heading, RunFormat()))
            self._close_paragraph()
        style = self.style_id("TOC 1")
        entries = self.toc_entries or [("", "", "")]
        number_style = self._char_style("toc-number")
        for index, (number, text, bookmark) in enumerate(entries):
            self._open_paragraph(None, style)
            p = self.paragraph
            assert p is not None
            if index == 0:
                dx.field_start(p, ' TOC \\o "1-1" \\h \\z \\u ')
            if bookmark:
                # Page numbers come from a LibreOffice layout afterwards (pages), when
                # LibreOffice is there; updating the field in Word adds or replaces them.
                link = dx.hyperlink(p, anchor=bookmark)
                if number:  # the heading's run-in number, in its column (report.css
                    # `.toc-number`), on this entry only: in the style, an entry shorter than
                    # that (前言) would send its page number there
                    dx.tab_stop(p, "left", Mm(8).twips)
                    dx.styled_run(link, number, number_style)
                    dx.tab_run(link)
                dx.styled_run(link, text, None)
            if index == len(entries) - 1:
                dx.field_end(p)
            self._close_paragraph()

    # -- styles -----------------------------------------------------------------------------------

    def _index_styles(self) -> None:
        """Style ids by lower-case name and kind, looked up once (python-docx scans every time)."""
        self._styles: dict[tuple[str, str], str] = {}
        self._based_on: dict[str, str] = {}
        for style in self.document.styles.element.iter(qn("w:style")):
            name = style.find(qn("w:name"))
            style_id = style.get(qn("w:styleId"))
            if name is None or style_id is None:
                continue
            self._styles.setdefault((name.get(W).lower(), style.get(qn("w:type"))), style_id)
            based = style.find(qn("w:basedOn"))
            if based is not None:
                self._based_on[style_id] = based.get(W)
        self.normal = self.style_id("Normal")
        # A paragraph after one of style S takes S's next style where that is a variant of S.
        self._following = {s.get(qn("w:styleId")): n.get(W)
                           for s in self.document.styles.element.iter(qn("w:style"))
                           if (n := s.find(qn("w:next"))) is not None
                           and self._inherits(n.get(W), s.get(qn("w:styleId")))}
        page = self.rendered.page
        self.text_width = int(Mm(page.width_mm - page.margin_left_mm - page.margin_right_mm).twips)

    def style_id(self, name: str, kind: str = "paragraph") -> str:
        found = self._styles.get((name.lower(), kind))
        if found is None:
            raise OutputError(f"the reference document has no {kind} style {name!r}",
                              Location(self.rendered.template))
        return found

    def _char_style(self, name: str) -> str | None:
        return self._styles.get((name.lower(), "character"))

    def _class_styles(self, classes: list[str], table: bool = False
                      ) -> tuple[str | None, str | None]:
        """The paragraph (or table) style and the character style that `classes` name.

        Where several classes name a style the last one wins, as the more specific class comes
        last by habit (`item-lead work-title`).
        """
        para = char = None
        kind = "table" if table else "paragraph"
        for name in classes:
            key = name.lower()
            para = self._styles.get((key, kind), para)
            char = self._styles.get((key, "character"), char)
        return para, (None if table else char)

    def _heading_style(self, element: etree._Element, level: int) -> str:
        default = self.style_id("Title" if level == 0 else f"Heading {level}")
        own = self._class_styles(element.get("class", "").split())[0]
        if own is not None and (own == default or self._inherits(own, default)):
            return own
        return default

    def _running(self, heading: etree._Element, run: RunFormat) -> RunFormat:
        """`run` in the running-head style when the stylesheet makes `heading` the header's
        section name (`string-set: section`); the header's STYLEREF field finds it there."""
        style = self._char_style(ds.RUNNING_HEAD)
        if style is None or run.style is not None or not self.rules.running & dp.classes(heading):
            return run
        return replace(run, style=style)

    def _inherits(self, style: str, ancestor: str) -> bool:
        seen = set()
        while style in self._based_on and style not in seen:
            seen.add(style)
            style = self._based_on[style]
            if style == ancestor:
                return True
        return False

    def _restart_numbering(self, style: str, start: str | None) -> int | None:
        """A numbering instance of `style`'s list that starts again at 1 (or `start`)."""
        numbering = self.document.part.numbering_part.element
        num_id = self._style_num_id(style)
        if num_id is None:
            return None
        num = numbering.num_having_numId(num_id)
        fresh = numbering.add_num(num.abstractNumId.val)
        override = fresh.add_lvlOverride(ilvl=0)
        override.add_startOverride(int(start) if start and start.isdigit() else 1)
        return int(fresh.numId)

    def _style_num_id(self, style: str) -> int | None:
        styles = self.document.styles.element
        current: str | None = style
        while current is not None:
            element = styles.get_by_id(current)
            if element is None:
                return None
            num_id = element.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
            if num_id is not None:
                return int(num_id.get(W))
            current = self._based_on.get(current)
        return None

    # -- helpers ----------------------------------------------------------------------------------

    def _table(self) -> TableState | None:
        """The innermost table being written."""
        return next((f.table for f in reversed(self.frames) if f.table is not None), None)

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
