"""DOCX output, the parts besides the body: reference document, page, properties, package."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Mm
from lxml import etree

from diglot.document import RenderedDocument
from diglot.errors import Location, OutputError
from diglot.writers.docx import oxml
from diglot.writers.docx import styles as ds
from diglot.writers.docx.fonts import FontSet, font_set
from diglot.writers.docx.palette import DEFAULT, Palette

EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
# python-docx's template describes a blank page of Word 2010 made from Normal.dotm; Word
# recounts these when it saves.
STALE_APP_PROPERTIES = frozenset({
    "Template", "TotalTime", "Pages", "Words", "Characters", "CharactersWithSpaces", "Lines",
    "Paragraphs", "HeadingPairs", "TitlesOfParts", "AppVersion", "Manager", "Company",
    "HyperlinkBase"})

Warn = Callable[[str], None]


def theme_fonts(rendered: RenderedDocument, lang: str) -> FontSet:
    """The Word fonts the theme names: Latin ones from the document's locale (or the
    default when it is Chinese), Han ones from its Chinese script (Simplified otherwise)."""
    latin, han = rendered.latin_fonts, rendered.han_fonts
    return font_set(lang, (latin.word_body, latin.word_heading),
                    (han.word_body, han.word_heading))


def load_reference(path: Path, fonts: FontSet, lang: str, warn: Warn,
                   look: Palette = DEFAULT) -> Document:
    """The theme's reference document, emptied, with any style the writer needs added."""
    try:
        document = docx.Document(str(path))
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise OutputError(f"cannot read the reference document: {exc}", Location(path)) \
            from None
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    for section in document.sections:
        for part in (section.header, section.footer):
            if not part.is_linked_to_previous:
                for p in part.paragraphs:
                    p._p.getparent().remove(p._p)
    added = ds.complete(document, fonts, lang, look)
    if added:
        warn(f"the reference document {path.name} has no style "
             f"{', '.join(repr(n) for n in added)}: the default ones are used")
    return document


def page_setup(document: Document, rendered: RenderedDocument, meta: dict[str, str],
               style_id: Callable[[str], str], running: str, warn: Warn) -> None:
    """Page size and margins from the theme; the title in the header, the section name (the
    text in style `running`) on its right, page numbers below."""
    page = rendered.page
    section = document.sections[0]
    section.page_width, section.page_height = Mm(page.width_mm), Mm(page.height_mm)
    section.top_margin = Mm(page.margin_top_mm)
    section.bottom_margin = Mm(page.margin_bottom_mm)
    section.left_margin = Mm(page.margin_left_mm)
    section.right_margin = Mm(page.margin_right_mm)
    section.header_distance = section.footer_distance = Mm(11)
    if page.cover:  # the cover page has neither header nor footer
        section.different_first_page_header_footer = True
        for part in (section.first_page_header, section.first_page_footer):
            part.is_linked_to_previous = False
    header = (section.header.paragraphs or [section.header.add_paragraph()])[0]._p
    oxml.set_style(header, style_id("Header"))
    oxml.text_run(header, meta.get("title") or rendered.title)
    # On the right, the current section or person (report.css `string-set: section`): the
    # first text of the page in that style, which Word fills in as it lays the page out. A
    # character style, since STYLEREF finds a paragraph style only by its exact name, and
    # section titles and person names have two.
    width = Mm(page.width_mm - page.margin_left_mm - page.margin_right_mm).twips
    oxml.tab_stop(header, "right", width)
    oxml.tab_run(header)
    oxml.field_start(header, f' STYLEREF "{running}" ')
    oxml.field_end(header)
    footer = (section.footer.paragraphs or [section.footer.add_paragraph()])[0]._p
    oxml.set_style(footer, style_id("Footer"))
    label = meta.get("diglot-page-label", "{page} / {pages}")
    if "{page}" not in label:
        warn(f"the page label {label!r} has no {{page}}: the footer shows only the number")
        label = "{page}"
    for piece in re.split(r"(\{pages?\})", label):
        if piece in ("{page}", "{pages}"):
            oxml.field_start(footer, " PAGE " if piece == "{page}" else " NUMPAGES ")
            oxml.styled_run(footer, "1", None)
            oxml.field_end(footer)
        elif piece:
            oxml.text_run(footer, piece)


# python-docx refuses a core property longer than this (a title of 256 characters is valid data).
PROPERTY_CHARS = 255


def _property(value: str) -> str:
    """A core property value, cut to what python-docx takes, with an ellipsis when cut."""
    return value if len(value) <= PROPERTY_CHARS else value[: PROPERTY_CHARS - 1] + "…"


def set_properties(document: Document, rendered: RenderedDocument, meta: dict[str, str],
                   lang: str, epoch: int | None) -> None:
    """Core properties from the head (or the report), extended ones naming diglot."""
    core = document.core_properties
    core.title = _property(meta.get("title") or rendered.title)
    core.author = _property(meta.get("author") or rendered.author or "")
    core.subject = _property(meta.get("description", ""))
    core.language = lang
    core.comments = ""
    core.keywords = ""
    core.category = ""
    core.last_modified_by = ""
    core.revision = 1
    core.created = core.modified = _build_time(epoch)
    for rel in document.part.package.rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES:  # the template names the Word that made it
            app = etree.fromstring(rel.target_part.blob)
            for element in app.iter(f"{{{EXTENDED}}}Application"):
                element.text = "diglot"
            for element in list(app):  # counts and names of the template's one empty page
                if etree.QName(element).localname in STALE_APP_PROPERTIES:
                    app.remove(element)
            rel.target_part._blob = etree.tostring(app, xml_declaration=True,
                                                   encoding="UTF-8", standalone=True)


def package(document: Document, epoch: int | None) -> bytes:
    """The package with fixed entry times, so equal input gives equal bytes."""
    buffer = io.BytesIO()
    document.save(buffer)
    stamp = _zip_time(epoch)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def _build_time(epoch: int | None) -> dt.datetime:
    """SOURCE_DATE_EPOCH when set, else now (UTC, whole seconds)."""
    now = dt.datetime.now(dt.UTC) if epoch is None else dt.datetime.fromtimestamp(epoch, dt.UTC)
    return now.replace(tzinfo=None, microsecond=0)


# A zip entry's time holds the years 1980 to 2107 only.
ZIP_EARLIEST = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
ZIP_LATEST = dt.datetime(2107, 12, 31, 23, 59, 58, tzinfo=dt.UTC)


def _zip_time(epoch: int | None) -> tuple[int, int, int, int, int, int]:
    if epoch is None:
        return (1980, 1, 1, 0, 0, 0)
    when = min(max(dt.datetime.fromtimestamp(epoch, dt.UTC), ZIP_EARLIEST), ZIP_LATEST)
    return (when.year, when.month, when.day, when.hour, when.minute, when.second)
