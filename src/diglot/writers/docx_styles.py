"""DOCX output, styles: python-docx's default template made the default theme's reference document.

Fonts. Word picks a run's typeface per script: `w:ascii`/`w:hAnsi` for Latin text, `w:eastAsia`
for Han characters. python-docx's template names only theme fonts (`w:asciiTheme`,
`w:eastAsiaTheme`, ...) and sets `w:themeFontLang w:eastAsia="ja-JP"`, so Han text resolves to the
Japanese ＭＳ 明朝: Japanese glyph forms, or a random fallback where that font is missing
(python-docx issues 154 and 1601). So every theme-font attribute is removed, every paragraph style
names its fonts explicitly, and the theme language becomes Chinese.

The choice mirrors the PDF, a serif body and a sans-serif heading face:

- Simplified Chinese: SimSun (宋体) for the body, Microsoft YaHei (微软雅黑) for
  headings. Windows has shipped both since Vista and Microsoft Office for Mac installs both,
  so Word users have them. The font table declares their Chinese names (`w:altName`), the
  GB2312 character set and the family, which is what Word uses to find a substitute.
- Traditional Chinese (zh-TW, zh-HK): PMingLiU (新細明體) and Microsoft JhengHei
  (微軟正黑體), for the same reasons.
- Latin: Cambria for the body (LibreOffice substitutes the metric-compatible Caladea, the
  PDF's English body face) and Calibri for headings (Carlito where installed).
- LibreOffice on Linux (checked with fonts-noto-cjk): `fc-match SimSun` finds no CJK font, but
  LibreOffice's own substitution table treats SimSun as a serif and Microsoft YaHei as a
  sans-serif CJK face and, with `w:lang w:eastAsia="zh-CN"`, draws them with Noto Serif CJK SC
  and Noto Sans CJK SC in their Simplified glyph forms: the PDF's own fonts. Naming the Noto
  fonts instead would look right on Linux and wrong for every Word user.

Class names. A `class` in the template selects the style of the same name (case-insensitive), as
pandoc's `custom-style` does; the styles below give the default theme's classes their look, so a
designer restyles them in Word without touching Python.
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass

import docx
from babel import Locale, UnknownLocaleError
from babel.core import get_global
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import BaseStyle
from lxml import etree

ACCENT = "1D4E6E"
ACCENT_SOFT = "E8EFF4"
INK = "1D1F21"
MUTED = "5F6670"
RULE = "C9D3DB"
FALLBACK = "D08A2E"

THEME_FONT_ATTRIBUTES = tuple(qn(f"w:{name}") for name in (
    "asciiTheme", "eastAsiaTheme", "hAnsiTheme", "cstheme"))
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"

# Inline classes that report.css sets on a line of their own (`display: block`).
LINE_BREAK_BEFORE = frozenset({"note"})
# Blocks that report.css sets as a small inline box before the next block (the person's number
# badge): Word has no inline block, so their text opens the next paragraph, in the character
# style of the class, and the contents entry of a heading starts with it too.
RUN_IN = frozenset({"person-number"})
# Blocks that report.css separates from a previous sibling of the same class with a rule
# (`.person + .person`): a paragraph of the named style stands between them.
RULE_BETWEEN = {"person": "person-rule"}
# Word's own names: created without w:customStyle so that Word takes them for its built-ins.
BUILTIN_NAMES = frozenset({"toc 1", "Hyperlink", "HTML Code"})

# Styles set in the heading face; everything else uses the body face.
# The styles the writer uses by name (the rest come from `class` attributes when defined).
REQUIRED_STYLES = (
    "Normal", "Default Paragraph Font", "Title", "Subtitle", "Heading 1", "Heading 2",
    "Heading 3", "Heading 4", "Heading 5", "Quote", "Caption", "Header", "Footer", "TOC Heading",
    "toc 1", "List Bullet", "List Bullet 2", "List Bullet 3", "List Number", "List Number 2",
    "List Number 3", "List Continue", "List Continue 2", "List Continue 3", "Table Grid",
    "Table Heading", "Table Contents", "Hyperlink", "HTML Code",
)
HEADING_STYLES = frozenset({
    "Title", "TOCHeading", "Header", "Footer", "cover-kicker", "cover-meta", "cover-people",
    "person-number", "TableHeading", "toc-number", "section-title",
    *(f"Heading{n}" for n in range(1, 10)),
})


@dataclass(frozen=True)
class FontSet:
    """The typefaces of one document language."""

    body: str
    heading: str
    mono: str
    east_body: str
    east_heading: str
    east_lang: str  # w:lang w:eastAsia
    latin_lang: str  # w:lang w:val


# What the font table says of the fonts the default theme names: Word finds a substitute by these.
_FONT_FACTS = {  # name: (altName, charset, family, pitch)
    "SimSun": ("宋体", "86", "roman", "variable"),
    "Microsoft YaHei": ("微软雅黑", "86", "swiss", "variable"),
    "PMingLiU": ("新細明體", "88", "roman", "variable"),
    "Microsoft JhengHei": ("微軟正黑體", "88", "swiss", "variable"),
    "Consolas": (None, "00", "modern", "fixed"),
}
_DEFAULTS = {"hans": ("SimSun", "Microsoft YaHei"), "hant": ("PMingLiU", "Microsoft JhengHei"),
             "latin": ("Cambria", "Calibri")}


def font_set(lang: str, latin: tuple[str | None, str | None] = (None, None),
             east: tuple[str | None, str | None] = (None, None)) -> FontSet:
    """The fonts for a document whose `<html lang>` is `lang`.

    `latin` and `east` are the theme's (body, heading) Word fonts for Latin and Han text; a
    missing one falls back to the choice described at the top of this module.
    """
    tag = lang.replace("_", "-")
    lower = tag.lower()
    if lower.startswith(("zh-tw", "zh-hant")):
        script, east_lang = "hant", "zh-TW"
    elif lower.startswith(("zh-hk", "zh-mo")):
        script, east_lang = "hant", "zh-HK"
    else:
        script, east_lang = "hans", "zh-CN"
    east_body, east_heading = (e or d for e, d in zip(east, _DEFAULTS[script], strict=True))
    body, heading = (e or d for e, d in zip(latin, _DEFAULTS["latin"], strict=True))
    primary = lower.split("-", 1)[0]
    latin_lang = "en-US" if primary in ("zh", "ja", "ko", "") else full_tag(tag)
    return FontSet(body, heading, "Consolas", east_body, east_heading, east_lang, latin_lang)


def full_tag(lang: str) -> str:
    """A language as Word names it for proofing: with its region, `en` -> `en-US` (CLDR's
    likely region), `zh-Hans` -> `zh-CN`; a tag with a region keeps it."""
    parts = lang.replace("_", "-").split("-")
    try:
        locale = Locale.parse("_".join(parts))
    except (ValueError, UnknownLocaleError):
        return "-".join(parts)
    territory = locale.territory
    if territory is None:
        likely = get_global("likely_subtags")
        key = f"{locale.language}_{locale.script}" if locale.script else locale.language
        found = likely.get(key) or likely.get(locale.language)
        territory = found.split("_")[-1] if found else None
    # Word writes Chinese by region alone (zh-CN, zh-TW) and other scripts in full.
    script = locale.script if locale.script and locale.language != "zh" else None
    return "-".join(p for p in (locale.language, script, territory) if p)


def east_asian(lang: str) -> bool:
    """Whether text in `lang` is set with the East Asian font slot."""
    return lang.replace("_", "-").lower().split("-", 1)[0] in ("zh", "ja", "ko")


def prepare(document: Document, fonts: FontSet, lang: str) -> None:
    """Turn python-docx's template into the default reference document for a `lang` report."""
    _drop_parts(document)
    _set_defaults(document, fonts, east_asian(lang))
    _define_styles(document, east_asian(lang))
    _define_lessons_numbering(document)
    _apply_fonts(document, fonts)
    _set_font_table(document, fonts)
    settings = document.settings.element
    for compat in settings.iter(qn("w:compatSetting")):
        if compat.get(qn("w:name")) == "compatibilityMode":
            compat.set(qn("w:val"), "15")  # Word 2013 layout: no "Compatibility Mode" banner
    # Hyphenation of Latin text, as report.css sets it (`hyphens: auto`); headings opt out.
    _child(settings, "autoHyphenation", before=_AFTER_AUTO_HYPHENATION)
    for theme_lang in settings.iter(qn("w:themeFontLang")):
        theme_lang.set(qn("w:val"), fonts.latin_lang)
        theme_lang.set(qn("w:eastAsia"), fonts.east_lang)


# CT_Settings children after w:autoHyphenation that python-docx's template has.
_AFTER_AUTO_HYPHENATION = (
    "consecutiveHyphenLimit", "hyphenationZone", "doNotHyphenateCaps", "showEnvelope",
    "summaryLength", "clickAndTypeStyle", "defaultTableStyle", "evenAndOddHeaders",
    "drawingGridHorizontalSpacing", "drawingGridVerticalSpacing",
    "displayHorizontalDrawingGridEvery", "displayVerticalDrawingGridEvery",
    "doNotUseMarginsForDrawingGridOrigin", "doNotShadeFormData", "noPunctuationKerning",
    "characterSpacingControl", "printTwoOnOne", "strictFirstAndLastChars", "noLineBreaksAfter",
    "noLineBreaksBefore", "savePreviewPicture", "compat", "docVars", "rsids", "mathPr",
    "themeFontLang", "clrSchemeMapping", "shapeDefaults", "decimalSymbol", "listSeparator")


def complete(document: Document, fonts: FontSet, lang: str) -> list[str]:
    """Add to a user's reference document the styles the writer needs and it lacks.

    The user's styles are kept as they are; a missing one is copied from the default reference
    document (list styles with their numbering). Returns the names of the styles added.
    """
    default = docx.Document()
    prepare(default, fonts, lang)
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
    first_num = target.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(new_abstract)
    else:
        target.append(new_abstract)
    return int(target.add_num(int(new_abstract.get(qn("w:abstractNumId")))).numId)


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


@functools.cache
def wqn(name: str) -> str:
    """The Clark name of `w:name` (cached: the writer asks for the same few names many times)."""
    return qn(f"w:{name}")


def _w(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    """Append `<w:tag w:attr=...>` to `parent`."""
    return etree.SubElement(parent, wqn(tag), {wqn(k): v for k, v in attributes.items()})


def _child(parent: etree._Element, tag: str, before: tuple[str, ...] = ()) -> etree._Element:
    """The `w:tag` child of `parent`, created (before the first of `before` present) if missing."""
    found = parent.find(qn(f"w:{tag}"))
    if found is not None:
        return found
    element = etree.Element(qn(f"w:{tag}"))
    for name in before:
        anchor = parent.find(qn(f"w:{name}"))
        if anchor is not None:
            anchor.addprevious(element)
            return element
    parent.append(element)
    return element


def _set_defaults(document: Document, fonts: FontSet, chinese: bool) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(rpr):
        rpr.remove(child)
    # Colour and size live in Normal, not here: LibreOffice writes the defaults' run properties
    # as direct formatting on runs with a character style, so notes and separators lost their
    # grey and their size there.
    _w(rpr, "rFonts", ascii=fonts.body, hAnsi=fonts.body, eastAsia=fonts.east_body, cs=fonts.body)
    _w(rpr, "lang", val=fonts.latin_lang, eastAsia=fonts.east_lang, bidi="ar-SA")
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    for child in list(ppr):
        ppr.remove(child)
    # Word's own Han-Latin spacing (a quarter em, as the PDF's typography sets it) and line
    # breaking rules for CJK, written out rather than left to the application's defaults.
    _w(ppr, "kinsoku")
    _w(ppr, "autoSpaceDE")
    _w(ppr, "autoSpaceDN")
    # Body spacing lives in the defaults rather than in Normal so that a table style's tighter
    # spacing applies to the lists inside its cells (table styles rank above the defaults only).
    _w(ppr, "spacing", after="140", line="368" if chinese else "336", lineRule="atLeast")


def _style(document: Document, name: str, kind: WD_STYLE_TYPE, base: str | None = None
           ) -> BaseStyle:
    """The style called `name`, created when missing, with its own formatting cleared."""
    styles = document.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, kind, builtin=name in BUILTIN_NAMES)
    element = style.element
    for tag in ("pPr", "rPr", "tblPr", "tcPr"):
        found = element.find(qn(f"w:{tag}"))
        if found is not None:
            keep = found.find(qn("w:numPr")) if tag == "pPr" else None
            if keep is not None and keep.find(qn("w:numId")) is None:
                keep = None
            element.remove(found)
            if keep is not None:
                _child(element, "pPr").append(keep)
    if base is not None:
        style.base_style = styles[base]
    style.hidden = False
    style.quick_style = kind in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER)
    return style


def _border(style: BaseStyle, side: str, color: str, eighths: int, space_pt: int) -> None:
    ppr = style.element.get_or_add_pPr()
    borders = _child(ppr, "pBdr", before=("shd", "tabs", "suppressAutoHyphens", "kinsoku",
                                          "wordWrap", "overflowPunct", "topLinePunct",
                                          "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
                                          "snapToGrid", "spacing", "ind", "contextualSpacing",
                                          "mirrorIndents", "suppressOverlap", "jc",
                                          "textDirection", "textAlignment", "textboxTightWrap",
                                          "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr",
                                          "pPrChange"))
    _w(borders, side, val="single", sz=str(eighths), space=str(space_pt), color=color)


def _outline_level(style: BaseStyle, level: int) -> None:
    ppr = style.element.get_or_add_pPr()
    _child(ppr, "outlineLvl", before=("divId", "cnfStyle", "rPr", "sectPr", "pPrChange")).set(
        qn("w:val"), str(level))


def _no_hyphenation(style: BaseStyle) -> None:
    """Headings break at spaces only, as report.css sets them (`hyphens: manual`)."""
    ppr = style.element.get_or_add_pPr()
    _child(ppr, "suppressAutoHyphens", before=(
        "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN",
        "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing",
        "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
        "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"))


def _letter_spacing(style: BaseStyle, twentieths: int) -> None:
    rpr = style.element.get_or_add_rPr()
    _child(rpr, "spacing", before=("w", "kern", "position", "sz", "szCs", "highlight", "u",
                                   "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs",
                                   "em", "lang", "eastAsianLayout", "specVanish", "oMath")).set(
        qn("w:val"), str(twentieths))


def _define_styles(document: Document, chinese: bool) -> None:
    """The default theme's look (report.css), as Word styles; `chinese` for a CJK report."""
    P, C, T = WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER, WD_STYLE_TYPE.TABLE
    accent, muted = RGBColor.from_string(ACCENT), RGBColor.from_string(MUTED)
    text_width = Mm(210 - 44)

    normal = _style(document, "Normal", P)
    normal.paragraph_format.widow_control = True
    normal.font.size, normal.font.color.rgb = Pt(10.5), RGBColor.from_string(INK)

    body = _style(document, "Body Text", P, "Normal")
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if chinese:  # two characters, as Chinese paragraphs are set
        ind = body.element.get_or_add_pPr().get_or_add_ind()
        ind.set(qn("w:firstLineChars"), "200")
        ind.set(qn("w:firstLine"), "420")
    for name in ("commentary", "preface", "conclusion"):
        _style(document, name, P, "Body Text")
    if not chinese:  # English indents every paragraph after the first by 1.5 em
        for name in ("commentary", "preface"):
            following = _style(document, f"{name} indented", P, name)
            following.paragraph_format.first_line_indent = Pt(15.75)
            following.next_paragraph_style = following
            document.styles[name].next_paragraph_style = following

    title = _style(document, "Title", P, "Normal")
    title.font.size, title.font.bold, title.font.color.rgb = Pt(30), True, accent
    title.paragraph_format.space_before, title.paragraph_format.space_after = Pt(0), Mm(6)
    title.paragraph_format.line_spacing = 1.1
    title.paragraph_format.keep_with_next = True
    _border(title, "top", ACCENT, 10, 22)

    subtitle = _style(document, "Subtitle", P, "Normal")
    subtitle.font.size = Pt(14)
    subtitle.paragraph_format.line_spacing = 1.3
    subtitle.paragraph_format.space_after = Pt(10)

    kicker = _style(document, "cover-kicker", P, "Normal")
    kicker.font.size, kicker.font.all_caps, kicker.font.color.rgb = Pt(9), True, muted
    kicker.paragraph_format.space_before = Mm(58)
    kicker.paragraph_format.space_after = Mm(4)
    kicker.paragraph_format.keep_with_next = True
    _letter_spacing(kicker, 14)

    people = _style(document, "cover-people", P, "Normal")
    people.font.size, people.font.color.rgb = Pt(9.5), accent
    people.paragraph_format.space_before = Mm(16)
    people.paragraph_format.line_spacing = 1.6

    meta = _style(document, "cover-meta", P, "Normal")
    meta.font.color.rgb = muted
    meta.paragraph_format.space_after = Pt(2)

    for level, size, before, after in ((1, 16, 6, 4), (2, 13, 12, 3), (3, 11.5, 10, 2),
                                       (4, 10.5, 8, 2)):
        heading = _style(document, f"Heading {level}", P, "Normal")
        heading.font.size, heading.font.bold = Pt(size), True
        heading.font.color.rgb = accent if level < 4 else RGBColor.from_string(INK)
        heading.paragraph_format.space_before = Pt(before)
        heading.paragraph_format.space_after = Pt(after)
        heading.paragraph_format.line_spacing = 1.15
        heading.paragraph_format.keep_with_next = True
        heading.paragraph_format.keep_together = True
        _outline_level(heading, level - 1)
        _no_hyphenation(heading)
        document.styles[f"Heading {level}"].next_paragraph_style = normal

    # Preface, conclusion and colophon titles (report.css `.section-title`): the contents
    # heading's size and rule. Based on Heading 1, so the contents and outline still list them.
    section = _style(document, "section-title", P, "Heading 1")
    section.font.size = Pt(18)
    section.paragraph_format.space_before = Pt(0)
    section.paragraph_format.space_after = Mm(8)
    _border(section, "bottom", RULE, 6, 4)

    # The rule between two people (`.person + .person`): an empty paragraph whose top border is
    # drawn, with the person's bottom margin above and the padding below.
    rule = _style(document, "person-rule", P, "Normal")
    rule.font.size = Pt(2)
    rule.paragraph_format.space_before = Mm(4)
    rule.paragraph_format.space_after = Mm(7)
    rule.paragraph_format.line_spacing = Pt(2)
    rule.paragraph_format.keep_with_next = True
    _border(rule, "top", RULE, 6, 0)

    toc_heading = _style(document, "TOC Heading", P, "Normal")
    toc_heading.font.size, toc_heading.font.bold, toc_heading.font.color.rgb = Pt(18), True, accent
    toc_heading.paragraph_format.space_after = Mm(8)
    toc_heading.paragraph_format.line_spacing = 1.15
    _border(toc_heading, "bottom", RULE, 6, 4)
    _outline_level(toc_heading, 9)

    toc1 = _style(document, "toc 1", P, "Normal")
    toc1.paragraph_format.space_after = Pt(5)
    # The person's number stands in an 8 mm column (report.css `.toc-number`).
    toc1.paragraph_format.tab_stops.add_tab_stop(Mm(8), WD_TAB_ALIGNMENT.LEFT)
    toc1.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT,
                                                 WD_TAB_LEADER.DOTS)

    headline = _style(document, "headline", P, "Normal")
    headline.font.color.rgb = muted
    headline.font.italic = not chinese
    headline.paragraph_format.space_after = Pt(8)
    headline.paragraph_format.keep_with_next = True

    quote = _style(document, "Quote", P, "Normal")
    quote.font.italic, quote.font.color.rgb = True, muted
    quote.paragraph_format.left_indent = Mm(8)

    label = _style(document, "Table Heading", P, "Normal")
    label.font.size, label.font.bold, label.font.color.rgb = Pt(8.5), True, accent
    label.paragraph_format.space_after = Pt(0)
    cell = _style(document, "Table Contents", P, "Normal")
    cell.font.size = Pt(9.5)
    cell.paragraph_format.space_after = Pt(0)

    for name in ("List Bullet", "List Bullet 2", "List Bullet 3", "List Number", "List Number 2",
                 "List Number 3", "List Continue", "List Continue 2", "List Continue 3"):
        item = _style(document, name, P, "Normal")
        item.paragraph_format.space_after = Pt(2)
    lessons = _style(document, "lessons", P, "List Number")
    lessons.paragraph_format.space_after = Pt(4)

    header = _style(document, "Header", P, "Normal")
    footer = _style(document, "Footer", P, "Normal")
    for style in (header, footer):
        style.font.size, style.font.color.rgb = Pt(8), muted
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.line_spacing = 1.0
    footer.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

    facts = _style(document, "facts", T, "Normal Table")
    _facts_table_look(facts)

    characters = {
        "Hyperlink": {"color": ACCENT},
        "toc-number": {"color": MUTED},
        "native-name": {"bold": False, "color": MUTED},
        "item-lead": {"bold": True},
        "work-title": {"bold": False, "italic": True},
        "sep": {"color": MUTED}, "duration": {"color": MUTED}, "venue": {"color": MUTED},
        "note": {"color": MUTED, "size": 9},
        "HTML Code": {"size": 9.5},
    }
    for name, look in characters.items():
        style = _style(document, name, C, "Default Paragraph Font")
        if "color" in look:
            style.font.color.rgb = RGBColor.from_string(str(look["color"]))
        if "bold" in look:
            style.font.bold = bool(look["bold"])
        if "italic" in look:
            style.font.italic = bool(look["italic"])
        if "size" in look:
            style.font.size = Pt(float(look["size"]))
    fallback = _style(document, "fallback", C, "Default Paragraph Font")
    _w(fallback.element.get_or_add_rPr(), "u", val="dotted", color=FALLBACK)
    _number_badge(_style(document, "person-number", C, "Default Paragraph Font"))


def _number_badge(style: BaseStyle) -> None:
    """The person's number as report.css draws it: small, bold, white on the accent."""
    style.font.size, style.font.bold = Pt(8.5), True
    style.font.color.rgb = RGBColor.from_string("FFFFFF")
    rpr = style.element.get_or_add_rPr()
    _child(rpr, "shd", before=("fitText", "vertAlign", "rtl", "cs", "em", "lang",
                               "eastAsianLayout", "specVanish", "oMath")).attrib.update(
        {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): ACCENT})


def _facts_table_look(style: BaseStyle) -> None:
    """A shaded table with white rules between rows and roomy cells (report.css `.facts`)."""
    element = style.element
    ppr = _w(element, "pPr")
    _w(ppr, "spacing", after="0", line="280", lineRule="atLeast")
    tbl = _w(element, "tblPr")
    borders = _w(tbl, "tblBorders")
    # CT_TblBorders order: top, left, bottom, right, insideH, insideV (Word is strict about it).
    for side in ("top", "left", "bottom", "right"):
        _w(borders, side, val="nil")
    _w(borders, "insideH", val="single", sz="4", space="0", color="FFFFFF")
    _w(borders, "insideV", val="nil")
    _w(tbl, "shd", val="clear", color="auto", fill=ACCENT_SOFT)
    margins = _w(tbl, "tblCellMar")
    for side, width in (("top", "91"), ("left", "170"), ("bottom", "91"), ("right", "170")):
        _w(margins, side, w=width, type="dxa")
    tcpr = _w(element, "tcPr")
    _w(tcpr, "shd", val="clear", color="auto", fill=ACCENT_SOFT)


def _define_lessons_numbering(document: Document) -> None:
    """Numbers of the `lessons` list in the heading face and the accent colour."""
    numbering = document.part.numbering_part.element
    abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.iter(qn("w:abstractNum"))]
    abstract_id = str(max(abstract_ids, default=-1) + 1)
    abstract = etree.Element(qn("w:abstractNum"), {qn("w:abstractNumId"): abstract_id})
    _w(abstract, "nsid", val="1D4E6E01")
    _w(abstract, "multiLevelType", val="singleLevel")
    level = _w(abstract, "lvl", ilvl="0")
    _w(level, "start", val="1")
    _w(level, "numFmt", val="decimal")
    _w(level, "pStyle", val="lessons")
    _w(level, "lvlText", val="%1.")
    _w(level, "lvlJc", val="left")
    ppr = _w(level, "pPr")
    _w(ppr, "ind", left="454", hanging="454")
    rpr = _w(level, "rPr")
    _w(rpr, "b")
    _w(rpr, "color", val=ACCENT)
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = numbering.add_num(int(abstract_id))
    lessons = document.styles["lessons"].element
    numpr = _child(lessons.get_or_add_pPr(), "numPr", before=(
        "suppressLineNumbers", "pBdr", "shd", "tabs", "spacing", "ind", "contextualSpacing", "jc",
        "outlineLvl", "rPr"))
    for child in list(numpr):
        numpr.remove(child)
    _w(numpr, "numId", val=str(num.numId))
    for abstract_num in numbering.iter(qn("w:abstractNum")):
        for lvl in abstract_num.iter(qn("w:lvl")):
            ind = lvl.find(f"{qn('w:pPr')}/{qn('w:ind')}")
            if ind is not None and lvl.find(qn("w:numFmt")).get(qn("w:val")) == "bullet":
                ind.set(qn("w:hanging"), "284")


def _apply_fonts(document: Document, fonts: FontSet) -> None:
    """Explicit fonts and East Asian language on every style; no theme fonts anywhere."""
    root = document.styles.element
    for rfonts in list(root.iter(qn("w:rFonts"))):
        themed = any(a in rfonts.attrib for a in THEME_FONT_ATTRIBUTES)
        for attribute in THEME_FONT_ATTRIBUTES:
            rfonts.attrib.pop(attribute, None)
        if themed and not any(k != qn("w:hint") for k in rfonts.attrib):
            rfonts.getparent().remove(rfonts)
    links = {s.get(qn("w:styleId")): (s.find(qn("w:link")).get(qn("w:val"))
                                      if s.find(qn("w:link")) is not None else None)
             for s in root.iter(qn("w:style"))}
    for style in root.iter(qn("w:style")):
        kind, style_id = style.get(qn("w:type")), style.get(qn("w:styleId"))
        if kind in ("numbering", "table"):
            continue
        linked = links.get(style_id)
        heading = style_id in HEADING_STYLES or (kind == "character" and linked in HEADING_STYLES)
        if kind == "character" and linked is None and style_id not in ("HTMLCode", "toc-number"):
            # Pure character styles inherit the typeface of the paragraph they sit in (a native
            # name inside a heading keeps the heading face); they only carry the language.
            _set_lang(style, fonts)
            continue
        rpr = style.find(qn("w:rPr"))
        if rpr is None:
            rpr = _w(style, "rPr")
            _order_rpr_first(style, rpr)
        rfonts = _child(rpr, "rFonts", before=_AFTER_RFONTS)
        latin = fonts.mono if style_id == "HTMLCode" else (fonts.heading if heading else fonts.body)
        east = fonts.east_heading if heading else fonts.east_body
        for key, value in (("ascii", latin), ("hAnsi", latin), ("eastAsia", east), ("cs", latin)):
            rfonts.set(qn(f"w:{key}"), value)
        _set_lang(style, fonts)


_AFTER_RFONTS = ("b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
                 "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden",
                 "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u",
                 "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang",
                 "eastAsianLayout", "specVanish", "oMath")
_STYLE_CHILDREN = ("name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden",
                   "uiPriority", "semiHidden", "unhideWhenUsed", "qFormat", "locked", "personal",
                   "personalCompose", "personalReply", "rsid", "pPr", "rPr", "tblPr", "trPr",
                   "tcPr", "tblStylePr")


def _order_rpr_first(style: etree._Element, rpr: etree._Element) -> None:
    """Keep `w:rPr` where the schema wants it in a style (after pPr, before tblPr)."""
    rank = {qn(f"w:{name}"): i for i, name in enumerate(_STYLE_CHILDREN)}
    children = sorted(style, key=lambda c: rank.get(c.tag, len(rank)))
    if list(style) != children:
        for child in children:
            style.append(child)


def _set_lang(style: etree._Element, fonts: FontSet) -> None:
    rpr = style.find(qn("w:rPr"))
    if rpr is None:
        rpr = _w(style, "rPr")
        _order_rpr_first(style, rpr)
    lang = _child(rpr, "lang", before=("eastAsianLayout", "specVanish", "oMath"))
    lang.set(qn("w:eastAsia"), fonts.east_lang)


def _set_font_table(document: Document, fonts: FontSet) -> None:
    """Declare the chosen fonts, with the names Word shows on a Chinese system where known."""
    part = document.part.part_related_by(RT.FONT_TABLE)
    root = etree.fromstring(part.blob)
    for font in list(root):
        if not font.get(qn("w:name"), "").isascii():  # the theme's Japanese fonts: unused now
            root.remove(font)
    known = {font.get(qn("w:name")) for font in root}
    east_charset = "88" if fonts.east_lang in ("zh-TW", "zh-HK") else "86"
    for name, charset in ((fonts.east_body, east_charset), (fonts.east_heading, east_charset),
                          (fonts.body, "00"), (fonts.heading, "00"), (fonts.mono, "00")):
        if name in known:
            continue
        known.add(name)
        alt, charset, family, pitch = _FONT_FACTS.get(name, (None, charset, "auto", "variable"))
        font = _w(root, "font", name=name)
        if alt:
            _w(font, "altName", val=alt)
        _w(font, "charset", val=charset)
        _w(font, "family", val=family)
        _w(font, "pitch", val=pitch)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
