"""Generated data files with edge values: check and every writer succeed or name the line."""

from __future__ import annotations

import calendar
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from diglot.limits import (
    MAX_DIGITS,
    MAX_FACT_CHARS,
    MAX_HEADING_CHARS,
    MAX_TEXT_CHARS,
    MAX_YEAR,
    MIN_YEAR,
)
from diglot.model import DEGREES, LINK_KINDS

DATA = "data/people.yaml"
QUICK = settings(max_examples=25, deadline=None, database=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture])
SLOW = settings(QUICK, max_examples=5)

# -- text -------------------------------------------------------------------------------------

LETTERS = st.characters(codec="utf-8", categories=("L", "N", "P", "Zs"), exclude_characters="\r",
                        max_codepoint=0x9FFF)
PIECES = st.one_of(
    st.text(LETTERS, min_size=1, max_size=12),
    st.sampled_from([
        "Ada Lin", "林雅", "清华大学", "研究者", "Zoë Ångström", "，", "——", " ", "\n",
        # Markdown, whole and broken: spans, links, escapes, stray markers.
        "**粗体**", "*斜体*", "_it_", "`code`", "[主页](https://example.org/a)",
        "[mail](mailto:a@example.org)", "**", "*", "_", "`", "[", "](", "\\*", "\\",
        # Character references the loader allows, markup and template syntax shown as text.
        "&amp;", "&lt;", "&#12354;", "&#x4E2D;", "&#9;", "&#10;", "&#65533;", "&copy;",
        "<script>x</script>", "</p><h1>", "{{ 7*7 }}", "{% if %}", "%(x)s", "%s", "{name}",
    ]),
)
SHORT = st.lists(PIECES, min_size=1, max_size=8).map("".join)
# Long texts up to the limit, one unit repeated (a generated string of 20,000 is slow).
LONG = st.builds(lambda unit, n: (unit * n)[:MAX_TEXT_CHARS],
                 st.sampled_from(["长", "a", "Lorem ipsum ", "中文 English, ", "长句子。"]),
                 st.integers(1, MAX_TEXT_CHARS))
# One text in twenty is long: a file has a few dozen texts, and long ones are slow to write.
NAME = SHORT.filter(str.strip)  # names, advisors, venues, work titles: shown as written
TEXT = st.integers(0, 19).flatmap(lambda i: LONG if i == 0 else SHORT).filter(str.strip)


def up_to(limit: int) -> st.SearchStrategy[str]:
    """Texts for a field with its own, shorter limit, long ones among them."""
    return st.one_of(SHORT, LONG.map(lambda t: t[:limit])).filter(str.strip)


HEADING = up_to(MAX_HEADING_CHARS)  # the report's title, in each page's header
FACT = up_to(MAX_FACT_CHARS)  # a cell of a person's table of facts


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A value, or None for a field to leave out."""
    return st.one_of(st.none(), strategy)


# -- numbers and dates ------------------------------------------------------------------------

NUMBER = st.one_of(st.sampled_from([0, 1, 10 ** MAX_DIGITS - 1, 10 ** (MAX_DIGITS - 1)]),
                   st.integers(0, 10 ** MAX_DIGITS - 1))
YEAR = st.one_of(st.sampled_from([MIN_YEAR, MAX_YEAR, 1900, 2000, 2024]),
                 st.integers(MIN_YEAR, MAX_YEAR))


@st.composite
def partial_dates(draw: st.DrawFn) -> tuple[str, tuple[int, int, int]]:
    """YYYY, YYYY-MM or YYYY-MM-DD, often at a month's first or last day; and its sort key."""
    year = draw(YEAR)
    precision = draw(st.sampled_from(["year", "month", "day"]))
    if precision == "year":
        return f"{year:04d}", (year, 1, 1)
    month = draw(st.one_of(st.sampled_from([1, 2, 12]), st.integers(1, 12)))
    if precision == "month":
        return f"{year:04d}-{month:02d}", (year, month, 1)
    last = calendar.monthrange(year, month)[1]
    day = draw(st.one_of(st.sampled_from([1, last]), st.integers(1, last)))
    return f"{year:04d}-{month:02d}-{day:02d}", (year, month, day)


@st.composite
def periods(draw: st.DrawFn) -> dict[str, str]:
    """A start and an end, either left out, the end never before the start."""
    dates = sorted(draw(st.lists(partial_dates(), max_size=2)), key=lambda d: d[1])
    keys = draw(st.sampled_from([("start", "end"), ("start",), ("end",)]))[: len(dates)]
    return {key: value for key, (value, _) in zip(keys, dates, strict=False)}


# -- records ----------------------------------------------------------------------------------

def record(**fields: Any) -> st.SearchStrategy[dict[str, Any]]:
    """A mapping of the given fields; those drawn as None are left out."""
    return st.fixed_dictionaries(fields).map(
        lambda d: {k: v for k, v in d.items() if v is not None})


URL = st.sampled_from(["https://example.org/a", "http://例子.测试/路径", "mailto:a@example.org",
                       "https://example.org/?q=1&r=<x>", "HTTPS://EXAMPLE.ORG"])


@st.composite
def links(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(LINK_KINDS))
    label = draw(FACT if kind == "other" else optional(FACT))
    return {k: v for k, v in (("kind", kind), ("url", draw(optional(URL))), ("label", label))
            if v is not None}


def with_period(strategy: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict]:
    return st.builds(lambda d, p: {**d, **p}, strategy, periods())


EDUCATION = with_period(record(degree=st.sampled_from(DEGREES), institution=FACT,
                               field=optional(FACT), advisor=optional(NAME),
                               note=optional(FACT)))
EXPERIENCE = with_period(record(organization=FACT, role=optional(FACT), note=optional(FACT)))
WORK = record(title=NAME, year=optional(NUMBER), venue=optional(NAME),
              note=optional(FACT))
METRICS = record(citations=optional(NUMBER), papers=optional(NUMBER),
                 first_author_papers=optional(NUMBER))
BORN = record(year=NUMBER, estimated=optional(st.booleans()))


def some(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A short list, or None (an empty list is left out)."""
    return st.lists(strategy, max_size=3).map(lambda items: items or None)


def person(slug: str) -> st.SearchStrategy[dict[str, Any]]:
    return record(
        id=st.just(slug), name=NAME, native_name=optional(NAME),
        headline=optional(TEXT), born=optional(BORN), links=some(links()),
        education=some(EDUCATION), experience=some(EXPERIENCE), works=some(WORK),
        honors=some(FACT), metrics=optional(METRICS), commentary=some(TEXT),
    )


SLUGS = st.lists(st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True),
                 min_size=1, max_size=3, unique=True)
REPORT = record(
    id=st.from_regex(r"[a-z0-9]{1,10}(-[a-z0-9]{1,10}){0,2}", fullmatch=True),
    source_locale=st.just("zh_CN"), title=HEADING, subtitle=optional(TEXT),
    author=optional(NAME), date=optional(partial_dates().map(lambda d: d[0])),
    preface=some(TEXT),
    conclusion=optional(record(intro=optional(TEXT), points=some(TEXT), closing=optional(TEXT))),
)
DATA_FILES = st.builds(
    lambda report, people: {"report": report, "people": people},
    REPORT, SLUGS.flatmap(lambda slugs: st.tuples(*(person(s) for s in slugs)).map(list)),
)


def dump(value: dict[str, Any], style: str) -> str:
    if style == "json":  # JSON is YAML: every location is on a few long lines
        return json.dumps(value, ensure_ascii=False, indent=1)
    yaml = YAML(typ="safe", pure=True)
    yaml.allow_unicode = True
    yaml.default_flow_style = False
    yaml.width = 100
    out = io.StringIO()
    yaml.dump(value, out)
    return out.getvalue()


# -- the property -----------------------------------------------------------------------------

LOCATED = re.compile(r".*people\.yaml:(\d+):(\d+): .*")


def assert_clean(result: Any, what: str, lines: int) -> None:
    """Exit 0, or exit 1 with every problem on a line of its own naming a line of the file."""
    assert "Traceback" not in result.err and "internal error" not in result.err, result.err
    assert result.code in (0, 1), (what, result.err)
    if result.code == 1:
        problems = [line for line in result.err.splitlines()
                    if "people.yaml" in line and ": warning: " not in line]
        assert problems, (what, result.err)
        for problem in problems:
            match = LOCATED.fullmatch(problem)
            assert match and 1 <= int(match[1]) <= lines, (what, problem)


def write_and_check(project: Path, value: dict[str, Any], style: str, run_cli
                    ) -> tuple[Any, int]:
    """Write the data file, run `diglot check`; its result and the file's number of lines."""
    text = dump(value, style)
    (project / DATA).write_text(text, encoding="utf-8")
    checked = run_cli("-C", project, "check")
    lines = text.count("\n") + 1
    assert_clean(checked, "check", lines)
    event(f"check exit {checked.code}")
    return checked, lines


@QUICK
@given(value=DATA_FILES, style=st.sampled_from(["yaml", "json"]))
def test_generated_data_builds_html_and_docx_or_names_the_line(
        value: dict[str, Any], style: str, tiny_project: Path, run_cli) -> None:
    checked, lines = write_and_check(tiny_project, value, style, run_cli)
    built = run_cli("-C", tiny_project, "build", "-f", "html", "-f", "docx")
    assert_clean(built, "build", lines)
    # `check` is the build without the writing: they agree on whether the data is good.
    assert built.code == checked.code, built.err
    if built.code == 0:
        for locale in ("zh_CN", "en"):
            for ext in ("html", "docx"):
                assert (tiny_project / "build" / locale / f"{value['report']['id']}.{ext}").stat(
                ).st_size > 0


@pytest.mark.slow
@SLOW
@given(value=DATA_FILES, style=st.sampled_from(["yaml", "json"]))
def test_generated_data_builds_a_pdf_or_names_the_line(
        value: dict[str, Any], style: str, tiny_project: Path, run_cli) -> None:
    checked, lines = write_and_check(tiny_project, value, style, run_cli)
    built = run_cli("-C", tiny_project, "build", "-f", "pdf", "-l", "zh_CN")
    assert_clean(built, "build", lines)
    assert built.code == checked.code, built.err
    if built.code == 0:
        pdf = tiny_project / "build" / "zh_CN" / f"{value['report']['id']}.pdf"
        assert pdf.read_bytes().startswith(b"%PDF-")
