"""DOCX output, inline formatting: the visit_ methods of inline elements, text, runs and links."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from urllib.parse import unquote, urlsplit

from docx.image.exceptions import UnrecognizedImageError
from docx.image.image import Image
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Emu
from lxml import etree

from diglot.document import GAP_CLASS, NOBREAK_CLASS
from diglot.errors import Location, OutputError
from diglot.images import MAX_IMAGE_PIXELS
from diglot.typography import CJK, split_on
from diglot.writers.docx import fonts, oxml, source
from diglot.writers.docx.source import SPACES
from diglot.writers.docx.state import RunFormat, SkipChildren, TranslatorState

CJK_RUN = re.compile(f"{CJK.pattern}+")


class RunsMixin(TranslatorState):
    """Inline elements change the run format of their frame; text becomes runs in the paragraph
    (inside a hyperlink where a link is open), with HTML's white space collapsed."""

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
            self.frames[-1].run = replace(run, style=self.styles.character("HTML Code"))

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
            name = self.bookmarks.get(unquote(href[1:]))
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
            frame.run = replace(frame.run, style=self.styles.character("Hyperlink"))

    def visit_img(self, element: etree._Element) -> None:
        blob, name = source.image_bytes(element.get("src", ""), self.resources,
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
        width = source.css_pixels(element.get("width"))
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
        oxml.drawing(run, inline)
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
        run_format = run_format or self.frames[-1].run
        for piece, upright in self._upright_pieces(text, run_format):
            run = self._new_run(replace(run_format, upright=True) if upright else run_format)
            self.last_text = oxml.text(run, piece)
        self.at_line_start = False

    def _upright_pieces(self, text: str, run_format: RunFormat) -> list[tuple[str, bool]]:
        """`text` in pieces, each with whether it must be set upright: where the run would be
        italic (`em`, or an italic character or paragraph style), its Han characters and CJK
        punctuation are, as the PDF sets them (CJK faces have no italic; Word and LibreOffice
        would slant them)."""
        if not CJK.search(text) or not (run_format.italic or self.styles.is_italic(
                run_format.style, self.frames[-1].para_style)):
            return [(text, False)]
        return split_on(CJK_RUN, text)

    def _ends_with_space(self) -> bool:
        return self.last_text is not None and (self.last_text.text or "").endswith(" ")

    def _new_run(self, run_format: RunFormat) -> etree._Element:
        target = self._run_parent()
        return oxml.run(target, self._rpr(run_format))

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
            hyperlink = oxml.hyperlink(self.paragraph, anchor=link[1])
        else:
            hyperlink = oxml.hyperlink(self.paragraph, rid=self._relationship(link[1]))
        self.hyperlink, self.hyperlink_target = hyperlink, link
        return hyperlink

    def _relationship(self, url: str) -> str:
        """The id of the relationship to `url` (python-docx's own lookup scans them all)."""
        rid = self.link_ids.get(url)
        if rid is None:
            rels = self.document.part.rels
            rid = f"rIdLink{len(self.link_ids) + 1}"
            while rid in rels:
                rid += "_"
            rels.add_relationship(RT.HYPERLINK, url, rid, is_external=True)
            self.link_ids[url] = rid
        return rid

    def _rpr(self, run_format: RunFormat) -> etree._Element | None:
        if run_format in self.rpr_cache:
            return self.rpr_cache[run_format]
        lang = None
        if run_format.lang:
            tag = fonts.full_tag(run_format.lang)
            lang = ("eastAsia" if fonts.east_asian(tag) else "val", tag)
        rpr = oxml.run_properties(run_format.style, run_format.bold, run_format.italic,
                                  run_format.vert, lang, run_format.upright)
        self.rpr_cache[run_format] = rpr
        return rpr

    def _line_break(self) -> None:
        if self.paragraph is None:
            return
        if self.last_text is not None and self.last_text.text:
            self.last_text.text = self.last_text.text.rstrip(" ")
        run = self._new_run(self.frames[-1].run)
        oxml.line_break(run)
        self.at_line_start = True
