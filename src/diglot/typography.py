"""Render-time typography for Chinese: CJK punctuation, Han–Latin spacing, unbreakable runs.

Nothing here changes the data or the catalogs: the rendered HTML of one locale is rewritten
after the templates have filled it, and what was changed is counted.

- `cjk_punctuation = "normalize"` turns the ASCII `, : ; ? ! ( )` of Chinese text into their
  full-width forms (，：；？！（）) and drops the word spaces typed around them, where at least
  one neighbour of the mark is a Han character or CJK punctuation. A mark between two Latin
  words (`FAIR, Adobe`), inside code, a URL, a quotation (“…”, "…"), a title (《…》,
  `<cite>`, `.work-title`) or emphasis (quoted English is set in `<em>`) is kept.
- `autospace = true` marks every boundary between a Han character and a Latin letter or digit
  with `<span class="cjk-space">` holding U+2005 FOUR-PER-EM SPACE (a quarter em): the PDF
  shows it, the DOCX writer drops it and lets Word's own autospace (`w:autoSpaceDE`,
  `w:autoSpaceDN`) do the same. A single typed space at such a boundary is replaced by it, so
  that typed and untyped text look alike. U+2005 never begins a line (UAX #14 class BA).
- People's names and arrows such as `0 -> 1` are wrapped in `<span class="nobreak">`, in every
  locale: `white-space: nowrap` in the PDF, no-break spaces and hyphens in the DOCX.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import lxml.html
from lxml import etree

from diglot.document import GAP_CLASS, NOBREAK_CLASS, TypographyCounts

GAP = "\u2005"

_HAN = ("\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3038-\u303b\u3400-\u4dbf\u4e00-\u9fff"
        "\uf900-\ufaff\U00020000-\U0003134f")
_CJK_PUNCT = "\u3000-\u3004\u3008-\u3020\u30fb\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40" \
    "\uff5b-\uff65"
HAN = re.compile(f"[{_HAN}]")
CJK = re.compile(f"[{_HAN}{_CJK_PUNCT}]")
LATIN = re.compile(r"[0-9A-Za-z\u00c0-\u024f\u0370-\u03ff]")
FULL_WIDTH = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
_MARKS = re.compile(r"[,:;?!()]")
# Spans the punctuation is never changed in: URLs, e-mail addresses, quotations, titles.
_PROTECTED = re.compile(
    r"[a-zA-Z][a-zA-Z0-9+.-]*://[^\s<>\"“”]+|www\.[^\s<>\"“”]+|[\w.+-]+@[\w-]+\.[\w.-]+"
    r"|“[^”]*”|\"[^\"]*\"|《[^》]*》|〈[^〉]*〉")
_ARROW = re.compile(r"\w+ ?(?:->|=>|<-|→|←) ?\w+")
_GAP_AT = re.compile(f"(?<=[{_HAN}]) ?(?=[0-9A-Za-z\u00c0-\u024f\u0370-\u03ff])"
                     f"|(?<=[0-9A-Za-z\u00c0-\u024f\u0370-\u03ff]) ?(?=[{_HAN}])")

# Elements whose text is left alone entirely, or whose punctuation is.
_CODE = frozenset({"code", "pre", "kbd", "samp", "script", "style", "textarea"})
_NO_PUNCTUATION = frozenset({"em", "i", "cite", "q", "var"})
_NO_PUNCTUATION_CLASSES = frozenset({"work-title", "venue", "verbatim", "url"})
# Inline elements that stand apart from their neighbours (a name beside a name, a separator):
# no spacing or punctuation rule looks across their edges.
_APART_CLASSES = frozenset({"native-name", "sep", "toc-number", "sic", "pair-first", "pair-second"})
_BLOCKS = frozenset({"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "div",
                     "section", "header", "footer", "nav", "blockquote", "caption", "dd", "dt",
                     "ul", "ol", "table", "tr", "body", "article", "aside", "figure",
                     "figcaption", "title", "head", "html", "br"})


@dataclass(frozen=True)
class Typography:
    """The `[typography]` settings of a theme (or of `[tool.diglot]`)."""

    cjk_punctuation: str = "keep"  # keep | normalize
    autospace: bool = True


def is_chinese(lang: str | None) -> bool:
    return bool(lang) and lang.replace("_", "-").lower().split("-", 1)[0] == "zh"


# -- punctuation on plain text ------------------------------------------------------------------

def split_on(pattern: re.Pattern[str], text: str) -> list[tuple[str, bool]]:
    """The text cut into (piece, whether `pattern` matched it) parts, in order."""
    out: list[tuple[str, bool]] = []
    last = 0
    for match in pattern.finditer(text):
        if match.start() > last:
            out.append((text[last:match.start()], False))
        out.append((match.group(), True))
        last = match.end()
    if last < len(text):
        out.append((text[last:], False))
    return out


def _neighbour(text: str, index: int, step: int, outside: str) -> str:
    i = index + step
    while 0 <= i < len(text) and text[i] in " \t\n":
        i += step
    if 0 <= i < len(text):
        return text[i]
    return outside


def normalize_punctuation(text: str, before: str = "", after: str = "",
                          protected: bool = False) -> tuple[str, int]:
    """Full-width punctuation in Chinese text; returns the new text and how many marks changed.

    `before` and `after` are the nearest characters outside the text (from neighbouring
    elements); `protected` text is returned as it is.
    """
    if protected or not _MARKS.search(text):
        return text, 0
    chars = list(text)
    skip = [False] * len(text)
    position = 0
    for piece, is_protected in split_on(_PROTECTED, text):
        if is_protected:
            skip[position:position + len(piece)] = [True] * len(piece)
        position += len(piece)
    count = 0
    closing: dict[int, int] = {}
    stack: list[int] = []
    for i, ch in enumerate(text):
        if skip[i]:
            continue
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            closing[stack.pop()] = i
    for opening, close in closing.items():
        inner = text[opening + 1:close]
        prev = _neighbour(text, opening, -1, before[-1:] if before else "")
        if HAN.search(inner) or CJK.match(prev or " "):
            chars[opening], chars[close] = "（", "）"
            count += 2
    for i, ch in enumerate(text):
        if skip[i] or ch not in ",:;?!":
            continue
        prev = _neighbour(text, i, -1, before[-1:] if before else "")
        nxt = _neighbour(text, i, 1, after[:1] if after else "")
        if prev.isdigit() and nxt.isdigit():  # 1,000 and 1:20
            continue
        if CJK.match(prev or " ") or CJK.match(nxt or " "):
            chars[i] = FULL_WIDTH[ch]
            count += 1
    if not count:
        return text, 0
    # Full-width marks carry their own space: drop the word spaces typed around them.
    out = "".join(chars)
    out = re.sub(r"[ \t]+(?=[，：；？！）])|(?<=[，：；？！（])[ \t]+|[ \t]+(?=（)", "",
                 out)
    return out, count


# -- the rendered document ------------------------------------------------------------------------

@dataclass
class _Slot:
    """One text node: an element's text or tail, and how it may be changed."""

    owner: etree._Element
    is_tail: bool
    text: str
    chinese: bool
    code: bool
    punctuation: bool


def _slots(element: etree._Element, lang: str, code: bool, protected: bool,
           out: list[_Slot | None]) -> None:
    """Text nodes in document order; None marks a block boundary."""
    tag = element.tag if isinstance(element.tag, str) else ""
    lang = element.get("lang") or lang
    chinese = is_chinese(lang)
    classes = set((element.get("class") or "").split())
    code = code or tag in _CODE
    protected = protected or tag in _NO_PUNCTUATION or bool(classes & _NO_PUNCTUATION_CLASSES)
    block = tag in _BLOCKS or bool(classes & _APART_CLASSES)
    if block:
        out.append(None)
    if element.text:
        out.append(_Slot(element, False, element.text, chinese, code, not protected))
    for child in element:
        if isinstance(child.tag, str):
            _slots(child, lang, code, protected, out)
        if child.tail:
            out.append(_Slot(child, True, child.tail, chinese, code, not protected))
    if block:
        out.append(None)


def _blocks(slots: list[_Slot | None]) -> Iterable[list[_Slot]]:
    run: list[_Slot] = []
    for slot in slots:
        if slot is None:
            if run:
                yield run
            run = []
        else:
            run.append(slot)
    if run:
        yield run


def _nobreak_pattern(names: Sequence[str]) -> re.Pattern[str]:
    names = sorted({n for n in names if " " in n or "-" in n}, key=len, reverse=True)
    alternatives = [re.escape(n).replace(r"\ ", r"\s+") for n in names]
    alternatives.append(_ARROW.pattern)
    return re.compile("|".join(f"(?:{a})" for a in alternatives))


def apply(html: str, settings: Typography, names: Sequence[str] = ()
          ) -> tuple[str, TypographyCounts]:
    """The rendered HTML of one locale with the typography applied, and what changed."""
    counts = TypographyCounts()
    normalize = settings.cjk_punctuation == "normalize"
    root = lxml.html.document_fromstring(html)
    body = root.find("body")
    if body is None:
        return html, counts
    slots: list[_Slot | None] = []
    _slots(body, root.get("lang") or "", False, False, slots)
    nobreak = _nobreak_pattern(names)
    for block in _blocks(slots):
        if normalize:
            for i, slot in enumerate(block):
                if not slot.chinese or slot.code or not slot.punctuation \
                        or not _MARKS.search(slot.text):
                    continue
                before = "".join(s.text for s in block[:i]).rstrip()
                after = "".join(s.text for s in block[i + 1:]).lstrip()
                slot.text, n = normalize_punctuation(slot.text, before[-1:], after[:1])
                counts.punctuation += n
        gaps = _gap_positions(block, counts) if settings.autospace else {}
        for index, slot in enumerate(block):
            _rewrite(slot, gaps.get(index, []), nobreak)
    return _serialize(root, html), counts


def _gap_positions(block: list[_Slot], counts: TypographyCounts
                   ) -> dict[int, list[tuple[int, int]]]:
    """Where gaps go: {slot index: [(offset, characters replaced)]}."""
    text = "".join(s.text for s in block)
    found: dict[int, list[tuple[int, int]]] = {}
    if not _GAP_AT.search(text):
        return found
    ends = list(itertools.accumulate(len(s.text) for s in block))  # of each slot in `text`

    def owner(offset: int) -> int:
        return bisect.bisect_right(ends, offset)

    for match in _GAP_AT.finditer(text):
        at = match.start()
        a, b = at - 1, match.end()
        if a < 0 or b >= len(text):
            continue
        if not (block[owner(a)].chinese or block[owner(b)].chinese):
            continue
        if block[owner(a)].code or block[owner(b)].code:
            continue
        index = owner(at) if match.end() > at else owner(b)
        start = ends[index] - len(block[index].text)
        found.setdefault(index, []).append((at - start, match.end() - at))
        counts.gaps += 1
        counts.spaces += match.end() - at
    return found


def _rewrite(slot: _Slot, gaps: list[tuple[int, int]], nobreak: re.Pattern[str]) -> None:
    """Put the slot's new text back, with gap and no-break spans where they belong."""
    text = slot.text
    if not gaps and (slot.code or not nobreak.search(text)):
        _set_text(slot, text)
        return
    pieces: list[str | etree._Element] = []
    last = 0
    cuts = sorted(gaps)
    for offset, length in cuts:
        pieces.append(text[last:offset])
        span = etree.Element("span", {"class": GAP_CLASS})
        span.text = GAP
        pieces.append(span)
        last = offset + length
    pieces.append(text[last:])
    if not slot.code:
        pieces = [part for piece in pieces for part in _split_nobreak(piece, nobreak)]
    if len(pieces) == 1 and isinstance(pieces[0], str):
        _set_text(slot, pieces[0])
        return
    first = pieces[0] if isinstance(pieces[0], str) else ""
    rest = pieces[1:] if isinstance(pieces[0], str) else pieces
    _set_text(slot, first)
    anchor: etree._Element | None = None
    for piece in rest:
        if isinstance(piece, str):
            assert anchor is not None
            anchor.tail = (anchor.tail or "") + piece
            continue
        piece.tail = None
        if anchor is not None:
            anchor.addnext(piece)
        elif slot.is_tail:
            slot.owner.addnext(piece)
        else:
            slot.owner.insert(0, piece)
        anchor = piece
    # addnext moves the owner's tail onto the new element: the slot's text is already set.


def _split_nobreak(piece: str | etree._Element, nobreak: re.Pattern[str]
                   ) -> list[str | etree._Element]:
    if not isinstance(piece, str) or not piece:
        return [piece] if not isinstance(piece, str) else []
    out: list[str | etree._Element] = []
    last = 0
    for match in nobreak.finditer(piece):
        out.append(piece[last:match.start()])
        span = etree.Element("span", {"class": NOBREAK_CLASS})
        span.text = match.group()
        out.append(span)
        last = match.end()
    out.append(piece[last:])
    return [p for p in out if not isinstance(p, str) or p]


def _set_text(slot: _Slot, text: str) -> None:
    if slot.is_tail:
        slot.owner.tail = text
    else:
        slot.owner.text = text


def _serialize(root: etree._Element, original: str) -> str:
    doctype = "<!DOCTYPE html>\n" if original.lstrip().lower().startswith("<!doctype") else ""
    return doctype + lxml.html.tostring(root, encoding="unicode")
