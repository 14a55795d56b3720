"""A data file may come from someone else: each bad one is refused where it is, writing nothing."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest

from diglot import glyphs
from diglot.cache import RECORD
from diglot.cli import main
from diglot.limits import (
    MAX_BYTES,
    MAX_DEPTH,
    MAX_FACT_CHARS,
    MAX_HEADING_CHARS,
    MAX_INLINE_ELEMENTS,
)

from ..conftest import FIXTURES

DATA = "data/people.yaml"
BASE = (FIXTURES / "tiny" / DATA).read_text(encoding="utf-8")
# The fixture's last person, Bo Chen, ends the file with one commentary paragraph.
LAST_COMMENTARY = "      - 他是一位工程师。\n"
assert BASE.endswith(LAST_COMMENTARY)
# Lists and mappings above a field of a person: the file's mapping, `people`, the person.
ABOVE_A_FIELD = 3
FORMATS = ("-f", "html", "-f", "docx", "-f", "pdf")


def person(*lines: str) -> str:
    """The fixture with `lines` added as fields of its last person."""
    return BASE + "".join(f"    {line}\n" for line in lines)


def commentary(value: str) -> str:
    """The fixture with its last person's one commentary paragraph replaced by `value`."""
    return BASE.removesuffix(LAST_COMMENTARY) + f"      - {value}\n"


def at(text: str, needle: str, key: str = "") -> str:
    """`LINE:COL` of the one occurrence of `needle` in `text` (of what follows it with `key`)."""
    assert text.count(key + needle) == 1, key + needle
    before = text[: text.index(key + needle) + len(key)]
    return f"{before.count(chr(10)) + 1}:{len(before) - (before.rfind(chr(10)) + 1) + 1}"


def line_col(line: int, column: int) -> str:
    return f"{line}:{column}"


BASE_LINES = BASE.count("\n")


@dataclass(frozen=True)
class Case:
    write: Callable[[Path], list[str]]  # makes the bad input; returns extra arguments
    code: int
    messages: tuple[str, ...]  # regexes, each matching one whole line of stderr
    command: tuple[str, ...] = ("build", *FORMATS)
    subprocess: bool = False  # could hang: run it apart, with a timeout


def data(text: str | bytes) -> Callable[[Path], list[str]]:
    def write(project: Path) -> list[str]:
        target = project / DATA
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(text, encoding="utf-8")
        return []
    return write


def located(where: str, message: str, path: str | None = None) -> str:
    """A regex for one message line: the data file, where, what, and the data path."""
    text = f"{re.escape(DATA)}{':' + where if where else ''}: {message}"
    return text + (rf" \(at {re.escape(path)}\)" if path else "")


def start_0000() -> str:
    return person("education:", "  - degree: phd", "    institution: X", "    start: 0000",
                  "    end: 2000")


def start_10000() -> str:
    return person("education:", "  - degree: phd", "    institution: X", "    start: 10000")


def report_date_0000() -> str:
    assert BASE.count("date: 2024-02\n") == 1
    return BASE.replace("date: 2024-02\n", "date: 0000-01-01\n")


NINES = "9" * 5000
HUGE = str(10**30)
FLOW = "[" * 100_000 + "]" * 100_000
# A list in a list, one level a line, 1000 levels deep (1 MB of indentation).
BLOCK = ["honors:"] + [" " * (2 + 2 * i) + "-" for i in range(1000)] + [" " * 2002 + "x"]
BOLD_BRACKETS = "**[" * 3000
PARAGRAPH = "长" * 5_000_000
SPANS = "*a* " * (MAX_INLINE_ELEMENTS + 1)
STARS_AROUND_A_LINK = "*" * 2000 + "[x](https://example.org)" + "*" * 2000
JS_LINK = person("links:", "  - kind: homepage", "    url: javascript:alert(1)")
ALL_INVALID = BASE.replace("id: ada-lin", "id: Ada_Lin").replace("id: bo-chen", "id: bo chen")
NO_NAME = BASE.replace("    name: Bo Chen\n", "")
UNKNOWN = person("nickname: Bob")
# After Han characters, whose UTF-8 is 3 bytes each: the column counts characters.
BAD_UTF8 = BASE.encode("utf-8").replace("林雅".encode(), "林雅".encode() + b"\xff")
BAD_OFFSET = BAD_UTF8.index(b"\xff")
BOM = b"\xef\xbb\xbf"
LONG_TITLE = BASE.replace("title: 两位研究者", "title: " + "长" * 2000)
LONG_NAME = BASE.replace("native_name: 林雅", "native_name: " + "林" * (MAX_HEADING_CHARS + 1))
LONG_ADVISOR = BASE.replace("advisor: Grace Hopper", "advisor: " + "师" * 20_000)
LONG_HONOR = BASE.replace("      - 最佳论文奖", "      - " + "奖" * (MAX_FACT_CHARS + 1))
EMPTY_PEOPLE = BASE[: BASE.index("people:")] + "people: []\n"
COMMENTARY = "people[bo-chen].commentary[0]"


def fifo(project: Path) -> list[str]:
    (project / DATA).unlink()
    os.mkfifo(project / DATA)
    return []


def folder(project: Path) -> list[str]:
    (project / DATA).unlink()
    (project / DATA).mkdir()
    return []


def over_the_limit(project: Path) -> list[str]:
    # Valid YAML all the way: a comment one byte too long makes the file MAX_BYTES + 1.
    head = BASE.encode("utf-8") + b"# "
    (project / DATA).write_bytes(head + b"x" * (MAX_BYTES + 1 - len(head) - 1) + b"\n")
    return []


CASES: dict[str, Case] = {
    "year 0000 in a period": Case(data(start_0000()), 1, (located(
        at(start_0000(), "0000"), "year 0000 .* out of range.*",
        "people[bo-chen].education[0].start"),)),
    "year 0000 in the report's date": Case(data(report_date_0000()), 1, (located(
        at(report_date_0000(), "0000-01-01"), "year 0000 .* out of range.*", "report.date"),)),
    "year 10000": Case(data(start_10000()), 1, (located(
        at(start_10000(), "10000"), ".*YYYY.*'10000'", "people[bo-chen].education[0].start"),)),
    "a 5000-digit year of birth": Case(data(person(f"born: {{year: {NINES}}}")), 1, (located(
        at(person(f"born: {{year: {NINES}}}"), NINES), "number has 5000 digits.*",
        "people[bo-chen].born.year"),)),
    "citations 10**30": Case(data(person(f"metrics: {{citations: {HUGE}}}")), 1, (located(
        at(person(f"metrics: {{citations: {HUGE}}}"), HUGE), "number has 31 digits.*",
        "people[bo-chen].metrics.citations"),)),
    "100,000 nested [ (flow)": Case(
        data(person(f"honors: {FLOW}")), 1,
        # The first `[` is the person's fourth level; the one past the limit is refused.
        (located(line_col(BASE_LINES + 1, len("    honors: ") + 1 + MAX_DEPTH - ABOVE_A_FIELD),
                 ".*nested more than 48 levels.*"),),
        subprocess=True),
    "1000 nested block lists": Case(
        data(person(*BLOCK)), 1,
        (located(line_col(BASE_LINES + 2 + MAX_DEPTH - ABOVE_A_FIELD,
                          4 + 2 + 2 * (MAX_DEPTH - ABOVE_A_FIELD) + 1),
                 ".*nested more than 48 levels.*"),),
        subprocess=True),
    "**[ 3000 times": Case(data(commentary(f'"{BOLD_BRACKETS}"')), 1, (located(
        at(commentary(f'"{BOLD_BRACKETS}"'), f'"{BOLD_BRACKETS}"'),
        "text has 1500 inline Markdown elements.*", COMMENTARY),)),
    "2000 * around a link, 2000 * after": Case(
        data(commentary(f'"{STARS_AROUND_A_LINK}"')), 1, (located(
            at(commentary(f'"{STARS_AROUND_A_LINK}"'), '"**'),
            "text has 1001 inline Markdown elements.*", COMMENTARY),)),
    "a 5 MB paragraph": Case(data(commentary(PARAGRAPH)), 1, (located(
        at(commentary(PARAGRAPH), PARAGRAPH), "text is 5000000 characters long.*",
        COMMENTARY),)),
    "201 inline spans": Case(data(commentary(f'"{SPANS}"')), 1, (located(
        at(commentary(f'"{SPANS}"'), f'"{SPANS}"'), "text has 201 inline Markdown elements.*",
        COMMENTARY),)),
    "a 2000-character title": Case(data(LONG_TITLE), 1, (located(
        at(LONG_TITLE, "长", "title: "), f"title is 2000 characters long; the limit is "
        f"{MAX_HEADING_CHARS}.*",
        "report.title"),)),
    "a native name one character too long": Case(data(LONG_NAME), 1, (located(
        at(LONG_NAME, "林林", "native_name: "),
        f"native_name is {MAX_HEADING_CHARS + 1} characters long.*",
        "people[ada-lin].native_name"),)),
    "a 20,000-character advisor": Case(data(LONG_ADVISOR), 1, (located(
        at(LONG_ADVISOR, "师", "advisor: "), f"advisor is 20000 characters long; the limit is "
        f"{MAX_FACT_CHARS}.*", "people[ada-lin].education[0].advisor"),)),
    "an honor one character too long": Case(data(LONG_HONOR), 1, (located(
        at(LONG_HONOR, "奖", "      - "),
        f"honors\\[0\\] is {MAX_FACT_CHARS + 1} characters long.*",
        "people[ada-lin].honors[0]"),)),
    "--data /dev/zero": Case(
        lambda _project: ["--data", "/dev/zero"], 1,
        (re.escape("/dev/zero: ") + ".*character device.*",), subprocess=True),
    "a FIFO as --data": Case(fifo, 1, (located("", ".*named pipe.*"),), subprocess=True),
    "a folder as --data": Case(folder, 1, (located("", ".*folder.*"),)),
    "a file over 20 MiB": Case(over_the_limit, 1, (located(
        "", f"data file is {MAX_BYTES + 1} bytes; the limit is {MAX_BYTES}"),)),
    "&#7; (BEL) as an entity": Case(data(commentary("响铃&#7;")), 1, (located(
        at(commentary("响铃&#7;"), "响铃"), ".*&#7;.*U\\+0007.*", COMMENTARY),)),
    "&#12; (form feed) as an entity": Case(data(commentary("换页&#12;")), 1, (located(
        at(commentary("换页&#12;"), "换页"), ".*U\\+000C.*", COMMENTARY),)),
    "&#x85; (NEL) as an entity in a headline": Case(data(person("headline: A&#x85;B")), 1, (
        located(at(person("headline: A&#x85;B"), "A&#x85;B"), ".*U\\+0085.*",
                "people[bo-chen].headline"),)),
    "\\a (BEL) as a YAML escape": Case(data(commentary('"响铃\\a"')), 1, (located(
        at(commentary('"响铃\\a"'), '"响铃'), ".*U\\+0007.*"),)),
    "invalid UTF-8": Case(data(BAD_UTF8), 1, (located(
        at(BASE.replace("林雅", "林雅~"), "~"),
        rf"invalid UTF-8 at byte offset {BAD_OFFSET} \(byte 0xff\)"),)),
    "invalid UTF-8 after a BOM": Case(data(BOM + BAD_UTF8), 1, (located(
        at(BASE.replace("林雅", "林雅~"), "~"),
        rf"invalid UTF-8 at byte offset {len(BOM) + BAD_OFFSET} \(byte 0xff\)"),)),
    "a BOM": Case(data(BOM + BASE.encode("utf-8")), 0, (), command=("check",)),
    "every person invalid": Case(data(ALL_INVALID), 1, (
        located(at(ALL_INVALID, "Ada_Lin"), "'Ada_Lin' is not a slug.*", "people[0].id"),
        located(at(ALL_INVALID, "bo chen"), "'bo chen' is not a slug.*", "people[1].id"),
        "diglot: 2 errors",
    )),
    "no person at all": Case(data(EMPTY_PEOPLE), 1, (located(
        at(EMPTY_PEOPLE, "[]"), "at least one person is required", "people"),)),
    "a missing required field": Case(data(NO_NAME), 1, (located(
        at(NO_NAME, "id: bo-chen"), "missing required field 'name'",
        "people[bo-chen].name"),)),
    "an unknown key": Case(data(UNKNOWN), 1, (located(
        at(UNKNOWN, "nickname"), "unknown key 'nickname' .*", "people[bo-chen].nickname"),)),
    "a javascript: link": Case(data(JS_LINK), 1, (located(
        at(JS_LINK, "javascript:"), "'javascript:alert\\(1\\)': only http, https and mailto.*",
        "people[bo-chen].links[0].url"),)),
    "a javascript: link in Markdown": Case(
        data(commentary("看[这里](javascript:alert(1))")), 1, (located(
            at(commentary("看[这里](javascript:alert(1))"), "看"),
            "link 'javascript:alert\\(1\\)' in text.*", COMMENTARY),)),
}


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny project, built once in every format and locale: the outputs to keep intact."""
    project = tmp_path_factory.mktemp("built") / "tiny"
    shutil.copytree(FIXTURES / "tiny", project, ignore=shutil.ignore_patterns("*.mo", "build"))
    assert main(["-C", str(project), "build", *FORMATS]) == 0
    return project


def hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def debris(project: Path) -> list[str]:
    """Hidden entries (`.staging-*` and the like) anywhere in build/ or locales/, the build
    cache's record aside."""
    return [p.relative_to(project).as_posix() for top in ("build", "locales")
            for p in (project / top).rglob(".*") if p != project / "build" / RECORD]


@dataclass
class Outcome:
    code: int
    err: str


def run(case: Case, project: Path, args: list[str], run_cli) -> Outcome:
    argv = [*case.command, *args]
    if case.subprocess:
        done = subprocess.run([sys.executable, "-m", "diglot", *argv], cwd=project,
                              capture_output=True, text=True, timeout=120,
                              stdin=subprocess.DEVNULL)
        return Outcome(done.returncode, done.stderr)
    result = run_cli(*argv)
    return Outcome(result.code, result.err)


@pytest.mark.parametrize("name", list(CASES))
def test_bad_data_is_refused_where_it_is(name: str, built: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch, run_cli) -> None:
    case = CASES[name]
    project = tmp_path / "tiny"
    shutil.copytree(built, project, symlinks=True)
    before = hashes(project / "build")
    assert before  # the earlier outputs are there to be kept
    args = case.write(project)
    monkeypatch.chdir(project)  # messages name files relative to the current folder
    outcome = run(case, project, args, run_cli)
    assert outcome.code == case.code, outcome.err
    assert "Traceback" not in outcome.err and "internal error" not in outcome.err
    lines = outcome.err.splitlines()
    for message in case.messages:
        assert any(re.fullmatch(message, line) for line in lines), (message, outcome.err)
    # Only the real errors: nothing else is blamed (a spurious 'at least one person').
    blamed = [line for line in lines if line.startswith(("data/", "/dev/"))]
    assert len(blamed) == len([m for m in case.messages if not m.startswith("diglot:")]), \
        outcome.err
    assert hashes(project / "build") == before
    assert debris(project) == []


def glyph_missing(candidates: str) -> str:
    """The first of `candidates` that no installed font has; skip when all are covered."""
    for char in candidates:
        if glyphs.covered(char) is False:
            return char
    pytest.skip(f"an installed font covers each of {candidates!r}, or fc-list is missing")


def with_glyph(field: str, char: str) -> str:
    if field == "name":
        return BASE.replace("name: Bo Chen", f"name: Bo{char}Chen")
    return person(f"{field}: Bo{char}Chen")


def font_warning(field: str, char: str, where: str) -> str:
    return (rf"{where}: warning: no installed font has {re.escape(char)} \(U\+{ord(char):04X}\)"
            rf".*\(at people\[bo-chen\]\.{field}\)")


@pytest.mark.parametrize("field", ["headline", "name"])
def test_a_character_no_font_has_is_a_warning(field: str, built: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch, run_cli) -> None:
    char = glyph_missing("\U00020000\u0926\u0e01")
    project = tmp_path / "tiny"
    shutil.copytree(built, project)
    text = with_glyph(field, char)
    (project / DATA).write_text(text, encoding="utf-8")
    monkeypatch.chdir(project)
    # A headline is free text, a name a plain value: both are told at their line and column.
    where = located(at(text, f"Bo{char}"), "")[:-2]
    for command in (("check",), ("build", *FORMATS)):
        result = run_cli(*command)
        assert result.code == 0, result.err
        assert "Traceback" not in result.err
        warning = font_warning(field, char, where)
        assert any(re.fullmatch(warning, line) for line in result.err.splitlines()), result.err
    assert sorted(hashes(project / "build")) == sorted(hashes(built / "build"))
    assert debris(project) == []


def test_a_large_report_is_a_warning_not_a_refusal(built: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   run_cli) -> None:
    project = tmp_path / "tiny"
    shutil.copytree(built, project)
    people = "".join(f"  - id: p{i}\n    name: P {i}\n" for i in range(300))
    (project / DATA).write_text(BASE + people, encoding="utf-8")  # 302 people
    monkeypatch.chdir(project)
    result = run_cli("check")
    assert result.code == 0, result.err
    assert any(re.fullmatch(rf"{re.escape(DATA)}: warning: a large report \(302 people, .*",
                            line) for line in result.err.splitlines()), result.err
    assert hashes(project / "build") == hashes(built / "build")


def test_a_title_longer_than_a_docx_property_is_written(tiny_project: Path, run_cli) -> None:
    title, author = "长" * MAX_HEADING_CHARS, "A" * 20_000  # within the limits, past python-docx's
    text = BASE.replace("title: 两位研究者", f"title: {title}").replace(
        "author: Test Writer", f"author: {author}")
    (tiny_project / DATA).write_text(text, encoding="utf-8")
    result = run_cli("-C", tiny_project, "build", "-f", "docx", "-l", "zh_CN")
    assert result.code == 0, result.err
    core = docx.Document(str(tiny_project / "build/zh_CN/tiny-report.docx")).core_properties
    assert len(core.title) <= 255 and title.startswith(core.title.rstrip("…"))
    assert len(core.author) <= 255 and author.startswith(core.author.rstrip("…"))


@pytest.mark.parametrize("marks", ["*" * 10_000, "[" * 10_000, "_" * 10_000, "`" * 10_000,
                                   "*a " * 5000, "[a](" * 3000])
def test_unbalanced_markdown_is_shown_as_text(marks: str, tiny_project: Path, run_cli) -> None:
    (tiny_project / DATA).write_text(commentary(f'"{marks}"'), encoding="utf-8")
    result = run_cli("-C", tiny_project, "build", "-l", "zh_CN", *FORMATS)
    assert result.code == 0, result.err
    html = (tiny_project / "build/zh_CN/tiny-report.html").read_text(encoding="utf-8")
    assert marks.strip()[:200] in html  # literal: no span, no link
