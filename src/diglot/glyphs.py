"""Characters no installed font can show: named before the PDF draws them as empty boxes."""

from __future__ import annotations

import bisect
import dataclasses
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path

from diglot import markup
from diglot.errors import BuildWarning, Location
from diglot.i18n.catalogs import Translator
from diglot.model import ReportData, Text

# Covered by the fonts every install has (fonts-noto-cjk, fonts-crosextra-caladea): Latin,
# Cyrillic, Hangul, general punctuation, enclosed forms and shapes, CJK radicals, symbols,
# kana and bopomofo, CJK Unified Ideographs and Extension A, compatibility ideographs and
# forms, full-width forms. Text made only of these needs no question to fontconfig.
KNOWN = (
    (0x20, 0x161), (0x410, 0x44F), (0x1100, 0x11FF), (0x1EA0, 0x1EF9), (0x2000, 0x201E),
    (0x2460, 0x25AB), (0x2E80, 0x31BB), (0x31C0, 0x332B), (0x332D, 0x4DB5), (0x4E00, 0x9FEF),
    (0xAC00, 0xD7A3), (0xF900, 0xFA6F), (0xFE30, 0xFE6F), (0xFF00, 0xFFEF),
)
_UNKNOWN = re.compile("[^\t\n" + "".join(f"\\U{a:08X}-\\U{b:08X}" for a, b in KNOWN) + "]")
# Characters that draw nothing of their own: controls, format characters (ZWJ, bidi
# marks), spaces and separators, and variation selectors (emoji or text presentation).
_INVISIBLE = ("Cc", "Cf", "Zs", "Zl", "Zp")
_SELECTORS = ((0xFE00, 0xFE0F), (0xE0100, 0xE01EF))
# What a report shows but never translates (ids, kinds, URLs, degrees are not shown as
# written).
_NOT_SHOWN = frozenset({"id", "kind", "url", "degree", "source_locale"})


@lru_cache(maxsize=1)
def _installed() -> tuple[list[int], list[int]] | None:
    """Every code point some installed font covers, as merged ranges (starts, ends).

    One `fc-list` call per process; None when fontconfig cannot be asked.
    """
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        out = subprocess.run([fc_list, "--format", "%{charset}\n"], capture_output=True,
                             text=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    ranges = []
    for part in out.split():
        first, _, last = part.partition("-")
        try:
            ranges.append((int(first, 16), int(last or first, 16)))
        except ValueError:
            continue
    starts: list[int] = []
    ends: list[int] = []
    for first, last in sorted(ranges):
        if ends and first <= ends[-1] + 1:
            ends[-1] = max(ends[-1], last)
        else:
            starts.append(first)
            ends.append(last)
    return starts, ends


@lru_cache(maxsize=4096)
def covered(char: str) -> bool | None:
    """Whether an installed font has the character; None when fontconfig cannot tell."""
    found = _installed()
    if found is None:
        return None
    starts, ends = found
    code = ord(char)
    i = bisect.bisect_right(starts, code) - 1
    return i >= 0 and code <= ends[i]


def _drawn(char: str) -> bool:
    code = ord(char)
    if any(a <= code <= b for a, b in _SELECTORS):
        return False
    return unicodedata.category(char) not in _INVISIBLE


def missing(text: str) -> list[str]:
    """The characters of `text` that no installed font shows, each once, in order."""
    found: dict[str, None] = {}
    for match in _UNKNOWN.finditer(text):
        char = match.group()
        if char not in found and _drawn(char) and covered(char) is False:
            found[char] = None
    return list(found)


def check(texts: Iterable[tuple[str, Location]], locale: str) -> list[BuildWarning]:
    """One warning per text of `locale` that holds characters no installed font shows."""
    return [BuildWarning("font", _message(chars, [locale]), where)
            for where, chars in _gaps(texts)]


def report_warnings(data: ReportData, content: Mapping[str, Translator]) -> list[BuildWarning]:
    """The warnings for every locale's text (`content`: each locale's content translator);
    a text missing the same characters in several locales gets one warning naming them all."""
    found: dict[tuple[Location, tuple[str, ...]], list[str]] = {}
    for locale, translator in content.items():
        for where, chars in _gaps(shown_texts(data, translator)):
            found.setdefault((where, tuple(chars)), []).append(locale)
    return [BuildWarning("font", _message(list(chars), locales), where)
            for (where, chars), locales in found.items()]


def _gaps(texts: Iterable[tuple[str, Location]]) -> Iterator[tuple[Location, list[str]]]:
    for text, where in texts:
        chars = missing(text)
        if chars:
            yield where, chars


def _message(chars: list[str], locales: list[str]) -> str:
    named = ", ".join(f"{c} (U+{ord(c):04X})" for c in chars)
    pdfs = f"{locales[0]} PDF shows" if len(locales) == 1 else f"{', '.join(locales)} PDFs show"
    return (f"no installed font has {named}: the {pdfs} a box for each (install a font that "
            "covers them; see Fonts in the README)")


def shown_texts(data: ReportData, content: Translator) -> Iterator[tuple[str, Location]]:
    """Every text the report shows in the translator's locale, as the reader sees it (Markdown
    removed, entities decoded), with its data location."""
    quiet = dataclasses.replace(content, fallbacks=[])  # looking is not a fallback to report
    yield from _walk(data.report, "report", quiet, data.source, data.places)
    for i, person in enumerate(data.people):
        yield from _walk(person, f"people[{person.id or i}]", quiet, data.source, data.places)


def _walk(value: object, path: str, content: Translator, source: str,
          places: Mapping[str, Location]) -> Iterator[tuple[str, Location]]:
    if isinstance(value, Text):
        shown = content.lookup(value.value, value.location)
        yield markup.plain_text(shown), value.location
    elif isinstance(value, str):
        yield value, places.get(path, Location(Path(source) if source else None)).with_path(path)
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from _walk(item, f"{path}[{i}]", content, source, places)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if f.name not in _NOT_SHOWN:
                yield from _walk(getattr(value, f.name), f"{path}.{f.name}", content, source,
                                 places)
