"""Catalogs may come back from a translator: a bad entry falls back with a located warning, a
bad file fails the build with a located error, a `.mo` is never trusted, and no catalog runs
code or puts markup or active links into a report."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from . import assert_refused, assert_untouched, debris, snapshot

CONTENT = "locales/en/LC_MESSAGES/content.po"
MESSAGES = "locales/zh_CN/LC_MESSAGES/messages.po"
HEADER = ('msgid ""\nmsgstr ""\n"Language: zh_CN\\n"\n'
          '"Content-Type: text/plain; charset=UTF-8\\n"\n'
          '"Plural-Forms: nplurals=1; plural=0;\\n"\n\n')


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if text in line)


def messages_po(project: Path, body: str) -> Path:
    po = project / MESSAGES
    po.parent.mkdir(parents=True, exist_ok=True)
    po.write_text(HEADER + body, encoding="utf-8")
    return po


def replace_in(project: Path, old: str, new: str) -> Path:
    po = project / CONTENT
    text = po.read_text(encoding="utf-8")
    assert old in text
    po.write_text(text.replace(old, new), encoding="utf-8")
    return po


# Entries that are refused one by one: the build goes on with the source text (or the theme's
# own translation) and warns at the entry's line.
@dataclass(frozen=True)
class Entry:
    locale: str
    write: Callable[[Path], Path]
    msgid: str
    absent: str  # what must not reach the report


ENTRIES = {
    "stray percent": Entry("zh_CN", lambda p: messages_po(
        p, 'msgid "Born"\nmsgstr "出生 100%"\n'), 'msgid "Born"', "100%"),
    "tag not in the msgid": Entry("zh_CN", lambda p: messages_po(
        p, 'msgid "Born"\nmsgstr "<b onclick=x>出生</b>"\n'), 'msgid "Born"', "onclick"),
    "entity not in the msgid": Entry("zh_CN", lambda p: messages_po(
        p, 'msgid "Born"\nmsgstr "出生&#60;script&#62;"\n'), 'msgid "Born"', "&#60;script"),
    "placeholder renamed": Entry("zh_CN", lambda p: messages_po(
        p, 'msgid "since %(date)s"\nmsgstr "自%(when)s起"\n'), 'msgid "since', "%(when)s"),
    "javascript link in content": Entry("en", lambda p: replace_in(
        p, "[homepage](https://example.org/ada)", "[homepage](javascript:alert(1))"),
        'msgid "她的工作', "javascript:"),
    "unbalanced Markdown in content": Entry("en", lambda p: replace_in(
        p, "**very solid**", "**very solid"), 'msgid "她的工作', "very solid"),
}


@pytest.mark.parametrize("case", sorted(ENTRIES))
@pytest.mark.parametrize("command", ["build", "check"])
def test_a_bad_entry_is_refused_with_its_line(case: str, command: str, tiny_project: Path,
                                             run_cli) -> None:
    entry = ENTRIES[case]
    po = entry.write(tiny_project)
    line = line_of(po, entry.msgid)
    args = ["-C", tiny_project, command, "-l", entry.locale]
    result = run_cli(*args, *(["-f", "html"] if command == "build" else []))
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    assert f"{po}:{line}: warning: translation of" in result.err
    if command == "build":
        html = (tiny_project / f"build/{entry.locale}/tiny-report.html").read_text("utf-8")
        assert entry.absent not in html
        assert debris(tiny_project) == []


# Files that cannot be used: the build fails naming the file (and line), nothing is replaced.
FILES: dict[str, tuple[Callable[[Path], Path], str | None]] = {
    "code in Plural-Forms": (lambda p: replace_in(
        p, "plural=(n != 1);", "plural=__import__('os').system('touch CANARY');"),
        '"Plural-Forms:'),
    "not UTF-8": (lambda p: _write_bytes(p, b"Two Researchers\xff\xfe"), None),
    "unterminated string": (lambda p: replace_in(
        p, 'msgstr "Two Researchers"', 'msgstr "Two Researchers'), 'msgstr "Two Researchers'),
    "a line that is not .po": (lambda p: replace_in(
        p, 'msgstr "Two Researchers"', 'msgstr "Two Researchers"\n<html>'), "<html>"),
    "charset other than UTF-8": (lambda p: replace_in(
        p, "charset=utf-8", "charset=ISO-8859-1"), None),
    "duplicate msgid": (lambda p: replace_in(
        p, 'msgid "谢谢阅读。"', 'msgid "谢谢阅读。"\nmsgstr "x"\n\nmsgid "谢谢阅读。"'),
        'msgstr "x"'),
}


def _write_bytes(project: Path, tail: bytes) -> Path:
    po = project / CONTENT
    po.write_bytes(po.read_bytes() + b'\nmsgid "x"\nmsgstr "' + tail + b'"\n')
    return po


@pytest.mark.parametrize("case", sorted(FILES))
def test_a_bad_catalog_fails_the_build_naming_it(case: str, tiny_project: Path,
                                                 run_cli) -> None:
    assert run_cli("-C", tiny_project, "build", "-f", "html").code == 0
    before = snapshot(tiny_project)
    write, marker = FILES[case]
    po = write(tiny_project)
    result = run_cli("-C", tiny_project, "build", "-f", "html")
    where = str(po)
    if marker is not None and case != "duplicate msgid":
        where += f":{line_of(po, marker)}"
    assert_refused(result, where)
    assert_untouched(tiny_project, before)
    assert not (tiny_project / "CANARY").exists() and not Path("CANARY").exists()


MO_FILES: dict[str, Callable[[bytes], bytes]] = {
    "empty": lambda _good: b"",
    "4 bytes": lambda good: good[:4],
    "20 bytes": lambda good: good[:20],
    "cut in half": lambda good: good[: len(good) // 2],
    "garbage": lambda _good: b"not a catalog at all " * 10,
    "unknown charset": lambda good: good.replace(b"charset=utf-8", b"charset=xx-nope"),
    "another translation": lambda good: good.replace(b"Two Researchers", b"<hr>Two Research"),
}


@pytest.mark.parametrize("case", sorted(MO_FILES))
def test_a_mo_file_never_changes_the_report(case: str, tiny_project: Path, run_cli,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # so that equal input, equal bytes
    assert run_cli("-C", tiny_project, "build", "-f", "html", "-f", "pdf").code == 0
    before = snapshot(tiny_project)
    assert run_cli("-C", tiny_project, "compile").code == 0
    mo = tiny_project / CONTENT.replace(".po", ".mo")
    mo.write_bytes(MO_FILES[case](mo.read_bytes()))
    later = (tiny_project / CONTENT).stat().st_mtime_ns + 10**9
    os.utime(mo, ns=(later, later))  # newer than its .po
    result = run_cli("-C", tiny_project, "build", "-f", "html", "-f", "pdf")
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    assert snapshot(tiny_project) == before  # byte for byte what the .po gave
