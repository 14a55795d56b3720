"""Locale-aware formatting of dates, ranges, durations, numbers and lists through Babel/CLDR."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from babel import Locale
from babel.dates import format_interval, format_skeleton
from babel.lists import format_list
from babel.numbers import format_compact_decimal, format_decimal
from babel.units import format_unit

from diglot.model import PartialDate

_SKELETONS = {"year": "y", "month": "yMMM", "day": "yMMMd"}


@lru_cache(maxsize=64)
def _locale(locale: str) -> Locale:
    """Parsed once: Babel looks a locale string up on disk every time it parses it."""
    return Locale.parse(locale)
_ORDER = ("year", "month", "day")


def bcp47(locale: str) -> str:
    """`zh_CN` -> `zh-CN` (the form HTML `lang` attributes and PDF metadata use).

    The identifier is kept as written: Babel would add the likely script (`zh-Hans-CN`),
    which `:lang(zh-CN)` in CSS does not match.
    """
    _locale(locale)  # validates
    return locale.replace("_", "-")


def format_date(value: PartialDate, locale: str) -> str:
    """A date at its own precision: "2019年8月" / "Aug 2019"."""
    return format_skeleton(_SKELETONS[value.precision], value.to_date(), locale=_locale(locale))


def format_period(start: PartialDate, end: PartialDate, locale: str) -> str:
    """A range at the coarser precision of its ends: "2019年8月 – 2023年1月" /
    "Aug 2019 – Jan 2023"."""
    precision = min(start.precision, end.precision, key=_ORDER.index)
    return format_interval(
        _truncate(start, precision).to_date(), _truncate(end, precision).to_date(),
        _SKELETONS[precision], locale=_locale(locale),
    )


def _truncate(value: PartialDate, precision: str) -> PartialDate:
    if precision == "year":
        return PartialDate(value.year)
    if precision == "month":
        return PartialDate(value.year, value.month)
    return value


def format_duration(start: PartialDate, end: PartialDate, locale: str) -> str | None:
    """Whole years between two year-only dates ("4年" / "4 years"); None otherwise.

    Ranges given to the month or day are exact already; a duration rounded from them would
    contradict what the source says about the same span, so none is given.
    """
    if start.precision != "year" or end.precision != "year" or end.year <= start.year:
        return None
    return format_units(end.year - start.year, "duration-year", locale)


def format_units(value: int, unit: str, locale: str) -> str:
    """`4 years` in the longest form CLDR has for the locale ("4年" where zh has no long form)."""
    text = ""
    for length in ("long", "short", "narrow"):
        text = format_unit(value, unit, length=length, locale=_locale(locale))
        if unit not in text:  # Babel falls back to "4 duration-year" when a length is missing
            return text
    return text


def format_number(value: int | float, locale: str) -> str:
    """A number with the locale's grouping: "14,500"."""
    return format_decimal(value, locale=_locale(locale))


def format_compact(value: int, locale: str, significant: int = 3) -> str:
    """A compact number with up to three significant digits: "1.45万" / "14.5K"."""
    whole = format_compact_decimal(value, locale=_locale(locale), fraction_digits=0)
    digits = sum(ch.isdigit() for ch in whole)
    plain = format_decimal(value, locale=_locale(locale), group_separator=False)
    if digits >= significant or whole == plain:  # already precise, or too small to compact
        return whole
    return format_compact_decimal(value, locale=_locale(locale),
                                  fraction_digits=significant - digits)


def format_items(items: Iterable[str], locale: str, style: str = "standard") -> str:
    """A list in the locale's words: "A、B和C" / "A, B, and C"."""
    return format_list(list(items), style=style, locale=_locale(locale))


@lru_cache(maxsize=64)
def script_of(locale: str) -> str | None:
    """The script a locale is written in: zh_CN -> Hans, zh_TW -> Hant, en -> Latn."""
    from babel.core import get_global

    parsed = _locale(locale)
    if parsed.script:
        return str(parsed.script)
    likely = get_global("likely_subtags")
    for key in (f"{parsed.language}_{parsed.territory}" if parsed.territory else "",
                parsed.language):
        found = likely.get(key) if key else None
        if found:
            return str(Locale.parse(found).script or "") or None
    return None
