"""DOCX output, styles: python-docx's default template made the default theme's reference document.

The reference document is cleaned (no duplicate style sheet, no thumbnail), its defaults and
settings set for the report's languages, the default theme's look (`look`) and fonts (`fonts`)
added; a user's reference document gets only the styles it lacks.
"""

from __future__ import annotations

import copy

import docx
from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from diglot.writers.docx import look as theme_look
from diglot.writers.docx import oxmldefs
from diglot.writers.docx.fonts import FontSet, apply_fonts, east_asian, set_font_table
from diglot.writers.docx.palette import DEFAULT, Palette

STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"

# The styles the writer uses by name (the rest come from `class` attributes when defined).
REQUIRED_STYLES = (
    "Normal", "Default Paragraph Font", "Title", "Subtitle", "Heading 1", "Heading 2",
    "Heading 3", "Heading 4", "Heading 5", "Quote", "Caption", "Header", "Footer", "TOC Heading",
    "toc 1", "List Bullet", "List Bullet 2", "List Bullet 3", "List Number", "List Number 2",
    "List Number 3", "List Continue", "List Continue 2", "List Continue 3", "Table Grid",
    "Table Heading", "Table Contents", "Hyperlink", "HTML Code",
)


def prepare(document: Document, fonts: FontSet, lang: str, look: Palette = DEFAULT) -> None:
    """Turn python-docx's template into the reference document for a `lang` report in the
    theme's `look` (its colours and body size)."""
    _drop_parts(document)
    _drop_table_styles(document)
    _set_defaults(document, fonts, look)
    theme_look.define_styles(document, east_asian(lang), look)
    theme_look.define_lessons_numbering(document, look)
    apply_fonts(document, fonts)
    set_font_table(document, fonts)
    settings = document.settings.element
    for compat in settings.iter(qn("w:compatSetting")):
        if compat.get(qn("w:name")) == "compatibilityMode":
            compat.set(qn("w:val"), "15")  # Word 2013 layout: no "Compatibility Mode" banner
    # Hyphenation of Latin text, as report.css sets it (`hyphens: auto`); headings opt out.
    oxmldefs.auto_hyphenation(settings)
    for theme_lang in settings.iter(qn("w:themeFontLang")):
        theme_lang.set(qn("w:val"), fonts.latin_lang)
        theme_lang.set(qn("w:eastAsia"), fonts.east_lang)


def complete(document: Document, fonts: FontSet, lang: str, look: Palette = DEFAULT
             ) -> list[str]:
    """Add to a user's reference document the styles the writer needs and it lacks.

    The user's styles are kept as they are; a missing one is copied from the default reference
    document (list styles with their numbering). Returns the names of the styles added.
    """
    default = docx.Document()
    prepare(default, fonts, lang, look)
    styles = list(document.styles.element.iter(qn("w:style")))
    have = {s.find(qn("w:name")).get(qn("w:val")).lower()
            for s in styles if s.find(qn("w:name")) is not None}
    ids = {s.get(qn("w:styleId")) for s in styles}
    source_numbering = default.part.numbering_part.element
    added = []
    for name in REQUIRED_STYLES:
        if name.lower() in have:
            continue
        style = copy.deepcopy(default.styles[name].element)
        if style.get(qn("w:styleId")) in ids:
            style.set(qn("w:styleId"), style.get(qn("w:styleId")) + "Diglot")
        for based in style.iter(qn("w:basedOn"), qn("w:next"), qn("w:link")):
            if based.get(qn("w:val")) not in ids:
                based.getparent().remove(based)
        num_id = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        if num_id is not None:
            target = document.part.numbering_part.element
            copied = _copy_numbering(source_numbering, target, int(num_id.get(qn("w:val"))))
            num_id.set(qn("w:val"), str(copied))
        document.styles.element.append(style)
        ids.add(style.get(qn("w:styleId")))
        added.append(name)
    return added


def _copy_numbering(source: etree._Element, target: etree._Element, num_id: int) -> int:
    """Copy numbering `num_id` of `source` (and its abstract definition) into `target`."""
    num = source.num_having_numId(num_id)
    abstract_id = num.abstractNumId.val
    abstract = next(a for a in source.iter(qn("w:abstractNum"))
                    if a.get(qn("w:abstractNumId")) == str(abstract_id))
    taken = [int(a.get(qn("w:abstractNumId"))) for a in target.iter(qn("w:abstractNum"))]
    new_abstract = copy.deepcopy(abstract)
    new_abstract.set(qn("w:abstractNumId"), str(max(taken, default=-1) + 1))
    return oxmldefs.add_numbering(target, new_abstract)


def _drop_parts(document: Document) -> None:
    """Remove the template's duplicate style sheet and the thumbnail of somebody else's page."""
    part = document.part
    for rId, rel in list(part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            part.drop_rel(rId)
    package_rels = part.package.rels
    for rId, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package_rels[rId]


# The template's table styles the writer keeps: the default every table style is based on,
# and the plain grid (a required style).
KEPT_TABLE_STYLES = ("TableNormal", "TableGrid")


def _drop_table_styles(document: Document) -> None:
    """Remove the template's hundred table styles the writer does not use (most of its style
    sheet: every reader loads them, LibreOffice's layout of the contents too). Word still
    offers them all: it defines a built-in style when it is first used."""
    sheet = document.styles.element
    for style in list(sheet.iter(qn("w:style"))):
        if style.get(qn("w:type")) == "table" and \
                style.get(qn("w:styleId")) not in KEPT_TABLE_STYLES:
            sheet.remove(style)


def _set_defaults(document: Document, fonts: FontSet, look: Palette) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    # Colour and size live in Normal, not here: LibreOffice writes the defaults' run properties
    # as direct formatting on runs with a character style, so notes and separators lost their
    # grey and their size there. Word's own Han-Latin spacing (a quarter em, as the PDF's
    # typography sets it) and line breaking rules for CJK are written out rather than left to
    # the application's defaults. Body spacing lives in the defaults rather than in Normal so
    # that a table style's tighter spacing applies to the lists inside its cells (table styles
    # rank above the defaults only).
    oxmldefs.document_defaults(
        defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")),
        defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")),
        fonts={"ascii": fonts.body, "hAnsi": fonts.body, "eastAsia": fonts.east_body,
               "cs": fonts.body},
        lang={"val": fonts.latin_lang, "eastAsia": fonts.east_lang, "bidi": "ar-SA"},
        spacing={"after": "140", "line": str(round(look.font_size * look.line_height * 20)),
                 "lineRule": "atLeast"})
