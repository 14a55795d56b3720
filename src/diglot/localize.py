"""Model + locale -> the view a template sees: free text translated, fallbacks recorded."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from diglot import markup
from diglot.i18n.catalogs import Translator
from diglot.i18n.formatting import bcp47, script_of
from diglot.model import Correction, Person, Report, ReportData, Text


@dataclass(frozen=True)
class Localized:
    """A free-text value as shown in one locale.

    In a template `{{ value }}` inserts its HTML (inline Markdown rendered, everything else
    escaped); `value.plain` is the text without markup; `value.fallback` is true when no
    translation existed and the source text is shown, in the language `value.lang`.
    """

    html: Markup
    plain: str
    source: str
    lang: str
    fallback: bool = False

    def __html__(self) -> str:
        return str(self.html)

    def __str__(self) -> str:
        return self.plain


@dataclass(frozen=True)
class LocalizedReport:
    """Everything a template needs for one locale."""

    locale: str  # e.g. zh_CN
    lang: str  # BCP 47, e.g. zh-CN
    source_locale: str
    report: Report  # with every Text replaced by Localized
    people: tuple[Person, ...]


def localize(data: ReportData, locale: str, content: Translator) -> LocalizedReport:
    """Translate every free-text value of `data` into `locale` (a pure function of its inputs)."""
    source_lang = bcp47(data.report.source_locale)
    target_lang = bcp47(locale)

    def convert(value: Any) -> Any:
        if isinstance(value, Text):
            before = len(content.fallbacks)
            shown = content.lookup(value.value, value.location)
            fallback = len(content.fallbacks) > before
            html, plain = markup.render_both(shown)
            return Localized(
                html=html, plain=plain,
                source=value.value, lang=source_lang if fallback else target_lang,
                fallback=fallback,
            )
        if isinstance(value, tuple):
            return tuple(convert(item) for item in value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {f.name: convert(getattr(value, f.name)) for f in dataclasses.fields(value)}
            return dataclasses.replace(value, **changes)
        return value

    scripts = (script_of(locale), script_of(data.report.source_locale))

    def in_script(corrections: tuple[Correction, ...]) -> tuple[Correction, ...]:
        return tuple(c.in_script(*scripts) for c in corrections)

    people = tuple(dataclasses.replace(p, native_name=p.native_name_in(*scripts),
                                       corrections=in_script(p.corrections))
                   for p in convert(data.people))
    report = convert(data.report)
    return LocalizedReport(
        locale=locale, lang=target_lang, source_locale=data.report.source_locale,
        report=dataclasses.replace(report, corrections=in_script(report.corrections)),
        people=people,
    )


_TAG = re.compile(r"(<[^>]*>)")


def mark_slips(text: Any, sources: Iterable[str], mark: str) -> Any:
    """`text` with `mark` (an escaped HTML fragment) after every verbatim slip in `sources`.

    Only the text between tags is searched, so that an attribute is never touched; a passage
    shown in another script (a converted edition) simply has nothing to mark.
    """
    if not isinstance(text, Localized):
        return text
    needles = sorted({str(Markup.escape(s)) for s in sources if s}, key=len, reverse=True)
    if not needles:
        return text
    pattern = re.compile("|".join(re.escape(n) for n in needles))
    parts = _TAG.split(str(text.html))
    for i in range(0, len(parts), 2):  # even parts are text, odd parts tags
        parts[i] = pattern.sub(lambda m: m.group() + mark, parts[i])
    return dataclasses.replace(text, html=Markup("".join(parts)))
