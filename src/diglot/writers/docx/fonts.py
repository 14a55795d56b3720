"""DOCX output, fonts: explicit Latin and Han typefaces and languages on every style.

Word picks a run's typeface per script: `w:ascii`/`w:hAnsi` for Latin text, `w:eastAsia`
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
"""

from __future__ import annotations

from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from diglot.writers.docx import oxmldefs

THEME_FONT_ATTRIBUTES = tuple(qn(f"w:{name}") for name in (
    "asciiTheme", "eastAsiaTheme", "hAnsiTheme", "cstheme"))
# Styles set in the heading face; everything else uses the body face.
HEADING_STYLES = frozenset({
    "Title", "block-title", "TOCHeading", "Header", "Footer", "cover-kicker", "cover-meta",
    "cover-people", "person-number", "TableHeading", "toc-number", "section-title",
    "colophon-title",
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


def apply_fonts(document: Document, fonts: FontSet) -> None:
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
            oxmldefs.style_language(style, fonts.east_lang)
            continue
        latin = fonts.mono if style_id == "HTMLCode" else (fonts.heading if heading else fonts.body)
        oxmldefs.style_fonts(style, latin, fonts.east_heading if heading else fonts.east_body)
        oxmldefs.style_language(style, fonts.east_lang)


def set_font_table(document: Document, fonts: FontSet) -> None:
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
        oxmldefs.font_entry(root, name, alt, charset, family, pitch)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
