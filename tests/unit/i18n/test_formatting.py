"""Locale-aware formatting gives the CLDR forms in both report locales."""

from __future__ import annotations

import pytest

from diglot.i18n import formatting as fmt
from diglot.model import PartialDate as D


@pytest.mark.parametrize(("locale", "expected"), [("zh_CN", "2019年8月"), ("en", "Aug 2019")])
def test_month(locale: str, expected: str) -> None:
    assert fmt.format_date(D(2019, 8), locale) == expected


@pytest.mark.parametrize(("locale", "expected"), [
    ("zh_CN", "2019年8月\u2009–\u20092023年1月"), ("en", "Aug 2019\u2009–\u2009Jan 2023")])
def test_month_range(locale: str, expected: str) -> None:
    assert fmt.format_period(D(2019, 8), D(2023, 1), locale) == expected


@pytest.mark.parametrize(("locale", "expected"), [
    ("zh_CN", "2013–2017年"), ("en", "2013\u2009–\u20092017")])
def test_year_range(locale: str, expected: str) -> None:
    assert fmt.format_period(D(2013), D(2017), locale) == expected


def test_mixed_precision_uses_the_coarser_one() -> None:
    assert fmt.format_period(D(2019, 8), D(2023), "en") == "2019\u2009–\u20092023"


def test_day_precision() -> None:
    assert fmt.format_date(D(2024, 2, 15), "en") == "Feb 15, 2024"
    assert fmt.format_date(D(2024, 2, 15), "zh_CN") == "2024年2月15日"


@pytest.mark.parametrize(("locale", "four", "one"), [
    ("zh_CN", "4年", "1年"), ("en", "4 years", "1 year"), ("zh_TW", "4 年", "1 年")])
def test_duration_of_year_ranges(locale: str, four: str, one: str) -> None:
    assert fmt.format_duration(D(2013), D(2017), locale) == four
    assert fmt.format_duration(D(2013), D(2014), locale) == one


def test_no_duration_for_month_ranges() -> None:
    # The exact range is shown instead; a rounded length could contradict the source.
    assert fmt.format_duration(D(2019, 8), D(2023, 1), "en") is None


@pytest.mark.parametrize(("value", "zh", "en"), [
    (14500, "1.45万", "14.5K"), (4000, "4000", "4K"), (123456, "12.3万", "123K"),
    (1234567, "123万", "1.23M"), (999, "999", "999")])
def test_compact_numbers_keep_three_significant_digits(value: int, zh: str, en: str) -> None:
    assert fmt.format_compact(value, "zh_CN") == zh
    assert fmt.format_compact(value, "en") == en


def test_numbers_are_grouped() -> None:
    assert fmt.format_number(14500, "en") == "14,500"


@pytest.mark.parametrize(("locale", "three", "two"), [
    ("zh_CN", "A、B和C", "A和B"), ("en", "A, B, and C", "A and B")])
def test_lists(locale: str, three: str, two: str) -> None:
    assert fmt.format_items(["A", "B", "C"], locale) == three
    assert fmt.format_items(["A", "B"], locale) == two


def test_bcp47() -> None:
    assert fmt.bcp47("zh_CN") == "zh-CN"  # not zh-Hans-CN: CSS :lang(zh-CN) must match
    assert fmt.bcp47("en") == "en"
