"""Themes and translations may come from someone else: they cannot run code, escape the theme
folders, or put markup into a report."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from ..conftest import pdf_text

EVIL = {
    "globals": "{{ cycler.__init__.__globals__.os.popen('touch CANARY').read() }}",
    "builtins": "{{ lipsum.__globals__['__builtins__']['open']('CANARY').read() }}",
    "class": "{{ person.__class__.__mro__ }}",
    "mutate": "{% do people.append(1) %}",
}


def theme_with(folder: Path, block: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "theme.toml").write_text('name = "evil"\n', encoding="utf-8")
    (folder / "report.html").write_text(
        '{% extends "default/report.html" %}\n{% block commentary %}' + block +
        "{% endblock %}\n", encoding="utf-8")
    return folder


def outputs(project: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((project / "build").rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", sorted(EVIL))
def test_theme_code_is_refused(case: str, tiny_project: Path, tmp_path: Path, run_cli) -> None:
    canary = tmp_path / "canary.txt"
    canary.write_text("SECRET-CANARY", encoding="utf-8")
    assert run_cli("-C", tiny_project, "build", "-l", "en", "-f", "html").code == 0
    before = outputs(tiny_project)
    theme = theme_with(tiny_project / "evil", EVIL[case].replace("CANARY", str(canary)))
    result = run_cli("-C", tiny_project, "build", "-l", "en", "-f", "html", "--theme", theme)
    assert result.code == 1 and "Traceback" not in result.err
    assert "report.html" in result.err
    assert outputs(tiny_project) == before
    assert not (tiny_project / "CANARY").exists()


def test_symlink_out_of_a_theme_is_refused(tiny_project: Path, tmp_path: Path, run_cli) -> None:
    canary = tmp_path / "canary.txt"
    canary.write_text("SECRET-CANARY", encoding="utf-8")
    theme = theme_with(tiny_project / "evil", '{% include "leak.txt" %}')
    (theme / "leak.txt").symlink_to(canary)
    result = run_cli("-C", tiny_project, "build", "-l", "en", "--theme", theme)
    assert result.code == 1 and "outside the theme folder" in result.err
    assert not (tiny_project / "build/en/tiny-report.pdf").exists() or \
        "SECRET-CANARY" not in pdf_text(tiny_project / "build/en/tiny-report.pdf")


def test_a_parent_outside_the_project_is_refused(tiny_project: Path, run_cli) -> None:
    theme = theme_with(tiny_project / "evil", "")
    (theme / "theme.toml").write_text('name = "evil"\nparent = "/"\n', encoding="utf-8")
    result = run_cli("-C", tiny_project, "build", "-l", "en", "--theme", theme)
    assert result.code == 1 and "outside the project" in result.err


def test_translations_are_text_never_markup(tiny_project: Path, run_cli) -> None:
    po = tiny_project / "locales/zh_CN/LC_MESSAGES/messages.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgid "Contents"\nmsgstr "目录<script>alert(1)</script>"\n\n'
                  'msgid "Education"\nmsgstr "教育 <img src=x onerror=alert(1)"\n',
                  encoding="utf-8")
    result = run_cli("-C", tiny_project, "build", "-l", "zh_CN", "-f", "html")
    assert result.code == 0, result.err
    # Markup the msgid does not have is refused with its line ...
    assert f"{po}:5: warning: translation of 'Contents' not used: markup" in result.err
    html = (tiny_project / "build/zh_CN/tiny-report.html").read_text(encoding="utf-8")
    assert "<script>" not in html
    # ... and what is not a whole tag is shown as text.
    assert "<img" not in html and "教育 &lt;img src=x onerror=alert(1)" in html
