"""The Word look follows the theme's stylesheet: `:root` colours and size reach the DOCX."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.shared import Pt

from diglot.writers.docx.palette import DEFAULT, palette, root_variables

from ....conftest import REPO


def test_a_theme_recolours_the_word_document(tiny_project: Path, run_cli) -> None:
    assert run_cli("-C", tiny_project, "theme", "init", "theme").code == 0
    css = tiny_project / "theme" / "custom.css"
    css.write_text(css.read_text() + "\n:root { --accent: #aa3311; --muted: rgb(10, 20, 30);"
                   " --font-size: 11pt; --rule: var(--accent); }\n")
    result = run_cli("-C", tiny_project, "build", "-l", "en", "-f", "docx", "--theme",
                     tiny_project / "theme")
    assert result.code == 0, result.err
    document = docx.Document(str(tiny_project / "build/en/tiny-report.docx"))
    styles = document.styles
    assert str(styles["Heading 1"].font.color.rgb) == "AA3311"
    assert str(styles["Title"].font.color.rgb) == "AA3311"
    assert str(styles["sep"].font.color.rgb) == "0A141E"
    assert styles["Normal"].font.size == Pt(11)
    # What Word cannot show keeps the default, and the build says so.
    rule = styles["section-title"].element.find(".//{*}pBdr/{*}bottom")
    assert rule.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}color") \
        == DEFAULT.rule
    assert "--rule" in result.err


def test_the_default_look_is_the_default_stylesheets() -> None:
    css = (REPO / "templates/report.css").read_text()
    assert palette(root_variables(css), lambda _m: None) == DEFAULT


def test_the_leading_of_the_document_s_language_outranks_the_plain_one() -> None:
    css = (":root { --line-height: 1.5; } :root:lang(zh) { --line-height: 1.6; }"
           ":root { --line-height: 1.4; --font-size: 9pt; } :root:lang(en) { --accent: #fff; }")
    assert root_variables(css) == {"--line-height": "1.4", "--font-size": "9pt"}
    assert root_variables(css, "zh-CN") == {"--line-height": "1.6"}
    assert root_variables(css, "zh_TW") == {"--line-height": "1.6"}
    assert root_variables(css, "en") == {"--accent": "#fff"}
    warned: list[str] = []
    look = palette({"--line-height": "1.6", "--font-size": "9pt"}, warned.append)
    assert (look.line_height, look.font_size) == (1.6, 9.0) and not warned
    assert palette({"--line-height": "20px"}, warned.append).line_height == DEFAULT.line_height
    assert "--line-height" in warned[0] and "number" in warned[0]
