"""DOCX output, the bottom: the WordprocessingML of the definition parts (python-docx oxml).

What the styles, numbering, settings and font table parts hold: style properties python-docx
does not model (paragraph rules, outline levels, letter spacing, table looks), document defaults,
list numbering definitions and font entries. Elements are made by `oxml`, as the body's are, and
the children python-docx does not model are put in place by the successor lists below, taken from
the schema (ECMA-376 part 1, CT_PPr, CT_RPr, CT_Settings).
"""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from diglot.writers.docx import oxml

# What follows a child python-docx does not model, in the schema's order.
_AFTER_PBDR = ("shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct",
               "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
               "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
               "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId",
               "cnfStyle", "rPr", "sectPr", "pPrChange")
_AFTER_SUPPRESS_AUTO_HYPHENS = _AFTER_PBDR[3:]
_AFTER_AUTO_HYPHENATION = ("consecutiveHyphenLimit", "hyphenationZone", "doNotHyphenateCaps",
                           "showEnvelope", "summaryLength", "clickAndTypeStyle",
                           "defaultTableStyle", "evenAndOddHeaders", "drawingGridHorizontalSpacing",
                           "drawingGridVerticalSpacing", "displayHorizontalDrawingGridEvery",
                           "displayVerticalDrawingGridEvery", "doNotUseMarginsForDrawingGridOrigin",
                           "doNotShadeFormData", "noPunctuationKerning", "characterSpacingControl",
                           "printTwoOnOne", "strictFirstAndLastChars", "noLineBreaksAfter",
                           "noLineBreaksBefore", "savePreviewPicture", "compat", "docVars", "rsids",
                           "mathPr", "themeFontLang", "clrSchemeMapping", "shapeDefaults",
                           "decimalSymbol", "listSeparator")
_AFTER_RPR_SHD = oxml.AFTER_RPR_SPACING[10:]


# -- style properties -----------------------------------------------------------------------------

def paragraph_border(ppr: etree._Element, side: str, color: str, eighths: int, space_pt: int
                     ) -> None:
    """A single rule on `side` of the paragraphs with properties `ppr`."""
    borders = oxml.child(ppr, "pBdr", _AFTER_PBDR)
    oxml.append(borders, side, val="single", sz=str(eighths), space=str(space_pt), color=color)


def outline_level(ppr: etree._Element, level: int) -> None:
    ppr.get_or_add_outlineLvl().set(oxml.wqn("val"), str(level))


def no_hyphenation(ppr: etree._Element) -> None:
    oxml.child(ppr, "suppressAutoHyphens", _AFTER_SUPPRESS_AUTO_HYPHENS)


def letter_spacing(rpr: etree._Element, twentieths: int) -> None:
    oxml.child(rpr, "spacing", oxml.AFTER_RPR_SPACING).set(oxml.wqn("val"), str(twentieths))


def run_shading(rpr: etree._Element, fill: str) -> None:
    oxml.child(rpr, "shd", _AFTER_RPR_SHD).attrib.update(
        {oxml.wqn("val"): "clear", oxml.wqn("color"): "auto", oxml.wqn("fill"): fill})


def underline(rpr: etree._Element, kind: str, color: str) -> None:
    u = rpr.get_or_add_u()
    u.set(oxml.wqn("val"), kind)
    u.set(oxml.wqn("color"), color)


def table_style_look(style: etree._Element, borders: Mapping[str, Mapping[str, str]],
                     margins: Mapping[str, int], fill: str | None = None,
                     spacing: Mapping[str, str] | None = None) -> None:
    """A table style's borders (by side), cell margins (twips), shading and paragraph spacing."""
    if spacing is not None:
        oxml.append(style.get_or_add_pPr(), "spacing", **spacing)
    tbl_pr = oxml.append(style, "tblPr")
    tbl_borders = oxml.append(tbl_pr, "tblBorders")
    for side in oxml.TABLE_BORDER_SIDES:
        if side in borders:
            oxml.append(tbl_borders, side, **borders[side])
    if fill is not None:
        oxml.append(tbl_pr, "shd", val="clear", color="auto", fill=fill)
    cell_margins = oxml.append(tbl_pr, "tblCellMar")
    for side in oxml.CELL_MARGIN_SIDES:
        oxml.append(cell_margins, side, w=str(margins[side]), type="dxa")
    if fill is not None:
        oxml.append(oxml.append(style, "tcPr"), "shd", val="clear", color="auto", fill=fill)


# -- document defaults, style fonts, numbering, settings, font table ----------------------------

def document_defaults(rpr: etree._Element, ppr: etree._Element, fonts: Mapping[str, str],
                      lang: Mapping[str, str], spacing: Mapping[str, str]) -> None:
    """The run and paragraph defaults of a document (emptied first): fonts, languages, Word's
    own CJK line breaking and Han-Latin spacing, and the body spacing."""
    for properties in (rpr, ppr):
        for child in list(properties):
            properties.remove(child)
    oxml.append(rpr, "rFonts", **fonts)
    oxml.append(rpr, "lang", **lang)
    oxml.append(ppr, "kinsoku")
    oxml.append(ppr, "autoSpaceDE")
    oxml.append(ppr, "autoSpaceDN")
    oxml.append(ppr, "spacing", **spacing)


def style_fonts(style: etree._Element, latin: str, east: str) -> None:
    """Explicit Latin and East Asian typefaces on a style."""
    rfonts = style.get_or_add_rPr().get_or_add_rFonts()
    for key, value in (("ascii", latin), ("hAnsi", latin), ("eastAsia", east), ("cs", latin)):
        rfonts.set(oxml.wqn(key), value)


def style_language(style: etree._Element, east_lang: str) -> None:
    oxml.language(style.get_or_add_rPr()).set(oxml.wqn("eastAsia"), east_lang)


def style_numbering(style: etree._Element, num_id: int) -> None:
    """Number the paragraphs of a paragraph style with numbering instance `num_id`."""
    numpr = style.get_or_add_pPr().get_or_add_numPr()
    for child in list(numpr):
        numpr.remove(child)
    oxml.append(numpr, "numId", val=str(num_id))


def abstract_numbering(abstract_id: int, nsid: str, style: str, text_format: str,
                       indent: int, color: str) -> etree._Element:
    """A one-level decimal numbering for the paragraphs of `style`: numbers as `text_format`
    (`%1.`), bold in `color`, with a hanging indent of `indent` twips."""
    abstract = oxml.element("abstractNum", abstractNumId=str(abstract_id))
    oxml.append(abstract, "nsid", val=nsid)
    oxml.append(abstract, "multiLevelType", val="singleLevel")
    level = oxml.append(abstract, "lvl", ilvl="0")
    oxml.append(level, "start", val="1")
    oxml.append(level, "numFmt", val="decimal")
    oxml.append(level, "pStyle", val=style)
    oxml.append(level, "lvlText", val=text_format)
    oxml.append(level, "lvlJc", val="left")
    oxml.append(oxml.append(level, "pPr"), "ind", left=str(indent), hanging=str(indent))
    rpr = oxml.append(level, "rPr")
    oxml.append(rpr, "b")
    oxml.append(rpr, "color", val=color)
    return abstract


def add_numbering(numbering: etree._Element, abstract: etree._Element) -> int:
    """Put the abstract numbering `abstract` into `numbering` (before every `w:num`) and a
    numbering instance of it; returns the instance's id."""
    numbering.insert_element_before(abstract, "w:num", "w:numIdMacAtCleanup")
    return int(numbering.add_num(int(abstract.get(oxml.wqn("abstractNumId")))).numId)


def auto_hyphenation(settings: etree._Element) -> None:
    oxml.child(settings, "autoHyphenation", _AFTER_AUTO_HYPHENATION)


def font_entry(font_table: etree._Element, name: str, alt: str | None, charset: str,
               family: str, pitch: str) -> None:
    """A font of the font table, with what Word uses to find a substitute."""
    font = oxml.append(font_table, "font", name=name)
    if alt:
        oxml.append(font, "altName", val=alt)
    oxml.append(font, "charset", val=charset)
    oxml.append(font, "family", val=family)
    oxml.append(font, "pitch", val=pitch)
