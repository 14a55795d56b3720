"""The parallel edition: two localized views of one report zipped into pairs of passages."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from diglot.localize import Localized, LocalizedReport
from diglot.typography import HAN


@dataclass(frozen=True)
class Pair:
    """A free-text value in both languages of a parallel edition.

    `{{ value }}` inserts both halves inline (`span.pair-first`, then `span.pair-second
    .pair-gloss`, each with its own `lang`), or one when they read the same; `value.first` and
    `value.second` are the halves (each a text, with `lang` and `fallback`); `value.plain` is the
    first half's text and `value.fallback` is true when the second half shows the source
    untranslated.
    """

    first: Localized
    second: Localized
    lang: str  # the document's language: a half in another language says so

    @property
    def plain(self) -> str:
        return self.first.plain

    @property
    def fallback(self) -> bool:
        return self.second.fallback

    @property
    def lines(self) -> int:
        """About how many lines its taller half takes in half an A4 text column at body size
        (21 Han characters or 45 other ones a line), for a layout that keeps short pairs whole."""
        def estimate(half: Localized) -> float:
            han = len(HAN.findall(half.plain))
            return han / 21 + (len(half.plain) - han) / 45 + 1
        return int(max(estimate(self.first), estimate(self.second)))

    @property
    def same(self) -> bool:
        """Both halves read alike (a name such as "Google", kept in the translation)."""
        return self.first.html == self.second.html and not self.second.fallback

    def lang_of(self, half: Localized) -> str | None:
        """The `lang` attribute a half needs: none where it is the document's language."""
        return half.lang if half.lang != self.lang else None

    def __html__(self) -> str:
        first = _span("pair-first", self.first, self.lang_of(self.first))
        if self.same:
            return str(first)
        second = _span("pair-second pair-gloss", self.second, self.lang_of(self.second))
        return str(Markup('<span class="pair-inline">{} {}</span>').format(first, second))

    def __str__(self) -> str:
        return self.first.plain


def _span(role: str, half: Localized, lang: str | None) -> Markup:
    classes = f"{role} fallback" if half.fallback else role
    lang_attr = Markup(' lang="{}"').format(lang) if lang else ""
    return Markup('<span class="{}"{}>{}</span>').format(classes, lang_attr, half.html)


def pair_views(first: LocalizedReport, second: LocalizedReport) -> LocalizedReport:
    """`first` with every translated value made a Pair with its counterpart in `second`.

    Both views come from the same data, so their trees have the same shape; the values that are
    not translated (dates, numbers, names, identifiers) are the first view's.
    """
    lang = first.lang

    def zip_values(a: Any, b: Any) -> Any:
        if isinstance(a, Localized) and isinstance(b, Localized):
            return Pair(a, b, lang)
        if isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b):
            return tuple(zip_values(x, y) for x, y in zip(a, b, strict=True))
        if dataclasses.is_dataclass(a) and not isinstance(a, type) and type(a) is type(b):
            return dataclasses.replace(a, **{
                f.name: zip_values(getattr(a, f.name), getattr(b, f.name))
                for f in dataclasses.fields(a) if f.init})
        return a

    return dataclasses.replace(first, report=zip_values(first.report, second.report),
                               people=zip_values(first.people, second.people))


@dataclass(frozen=True)
class Parallel:
    """What a template knows of the parallel edition it renders (`parallel`; none otherwise)."""

    first: str  # locales
    second: str
    first_lang: str  # BCP 47
    second_lang: str
    layout: str  # "columns" or "interleaved"

    @property
    def columns(self) -> bool:
        return self.layout == "columns"


def count_pairs(view: LocalizedReport) -> tuple[int, int]:
    """How many pairs a parallel view holds, and how many show the source for want of a
    translation."""
    pairs = fallbacks = 0

    def walk(value: Any) -> None:
        nonlocal pairs, fallbacks
        if isinstance(value, Pair):
            pairs += 1
            fallbacks += value.fallback
        elif isinstance(value, tuple):
            for item in value:
                walk(item)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name))

    walk((view.report, view.people))
    return pairs, fallbacks
