"""The colophon's facts: who translated each edition, when, and how much of it is translated.

"Who" and "when" are read from each `content` catalog's header at build time, never written
in the data: `Last-Translator` (its e-mail address left out), else `Language-Team`, and
`PO-Revision-Date`. Placeholders that gettext tools write into new catalogs ("FULL NAME
<EMAIL@ADDRESS>", "YEAR-MO-DA ...") count as not known, and the template then says nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from babel import Locale

from diglot import __version__
from diglot.i18n.catalogs import Translator
from diglot.i18n.formatting import script_of
from diglot.model import PartialDate, ReportData

TOOL = "diglot"
_PLACEHOLDERS = re.compile(r"FULL NAME|EMAIL@ADDRESS|LANGUAGE|LL@li\.org|YEAR-MO-DA", re.I)
_ADDRESS = re.compile(r"\s*<[^>]*>")
_FIELD = re.compile(r'^"([A-Za-z-]+): ?(.*?)\\n"$', re.M)
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True)
class Edition:
    """One locale of the report as the colophon describes it."""

    locale: str
    original: bool  # the data's own language: nothing was translated
    translator: str | None = None
    date: PartialDate | None = None
    translated: int = 0
    total: int = 0

    @property
    def percent(self) -> int:
        """Share of the free-text passages translated, rounded down (100 only when complete)."""
        return 100 if not self.total else self.translated * 100 // self.total

    def name(self, in_locale: str) -> str:
        """The locale's name in the words of `in_locale`: "Chinese (Traditional, Taiwan)"."""
        parsed = Locale.parse(self.locale)
        if not parsed.script and parsed.territory:
            script = script_of(self.locale)
            if script and script != "Latn":
                parsed = Locale(parsed.language, parsed.territory, script=script)
        return parsed.get_display_name(in_locale) or self.locale


@dataclass(frozen=True)
class Colophon:
    """Every edition of one build, in build order, and the tool that made them."""

    editions: tuple[Edition, ...] = ()
    tool: str = TOOL
    version: str = __version__


def known(value: str | None) -> str | None:
    """A header value, or None when it is empty or a placeholder; e-mail addresses dropped."""
    if not value or _PLACEHOLDERS.search(value):
        return None
    return _ADDRESS.sub("", value).strip() or None


def edition(data: ReportData, locale: str, content: Translator) -> Edition:
    """What the colophon says of `locale`, from its content catalog(s)."""
    if not content.layers:
        original = Locale.parse(locale) == Locale.parse(data.report.source_locale)
        return Edition(locale, original=original or not content.missing,
                       total=_total(data), translated=0 if content.missing else _total(data))
    msgids = {t.value for t in data.texts()}
    translated = sum(1 for m in msgids if any(layer.get(m) for layer in content.layers))
    translator, date = _header(content.layers[0].path)
    return Edition(locale, False, translator, date, translated, len(msgids))


def build(data: ReportData, contents: Mapping[str, Translator]) -> Colophon:
    return Colophon(tuple(edition(data, locale, t) for locale, t in contents.items()))


def _total(data: ReportData) -> int:
    return len({t.value for t in data.texts()})


def _header(path: Path) -> tuple[str | None, PartialDate | None]:
    """Last-Translator (else Language-Team) and PO-Revision-Date, as the file says them
    (Babel's reader puts the current time in place of a missing date)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    fields = dict(_FIELD.findall(text[:4000]))
    who = known(fields.get("Last-Translator")) or known(fields.get("Language-Team"))
    date = None
    match = _DATE.match(fields.get("PO-Revision-Date", ""))
    if match:
        try:
            day = dt.date(*(int(g) for g in match.groups()))
            date = PartialDate(day.year, day.month, day.day)
        except ValueError:
            date = None
    return who, date
