"""`diglot theme reference-docx`: the theme's Word styles as a document to edit, and back."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.shared import RGBColor

from ..unit.writers.docx.test_look import findings


def paragraph_texts(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs if p.text.strip()]


def test_the_reference_document_carries_the_themes_styles(tiny_project: Path, run_cli) -> None:
    assert run_cli("-C", tiny_project, "theme", "init", "theme").code == 0
    css = tiny_project / "theme" / "custom.css"
    css.write_text(css.read_text() + "\n:root { --accent: #aa3311; }\n")
    result = run_cli("-C", tiny_project, "theme", "reference-docx", "-o",
                     tiny_project / "styles.docx", "-l", "en", "--theme", tiny_project / "theme")
    assert result.code == 0, result.err
    assert 'reference_docx = "styles.docx"' in result.out
    reference = tiny_project / "styles.docx"
    assert findings(reference) == []
    styles = docx.Document(str(reference)).styles
    assert str(styles["Heading 1"].font.color.rgb) == "AA3311"
    assert "en" in (styles["Normal"].element.xpath("string(//w:docDefaults//w:lang/@w:val)")
                    or "")
    assert not list(tiny_project.glob(".styles.docx.part"))


def test_styles_edited_in_the_reference_reach_every_build(tiny_project: Path, run_cli) -> None:
    assert run_cli("-C", tiny_project, "theme", "reference-docx", "-o",
                   tiny_project / "styles.docx").code == 0
    reference = tiny_project / "styles.docx"
    edited = docx.Document(str(reference))  # as a Word user would: one style changed, saved
    edited.styles["Heading 1"].font.color.rgb = RGBColor(0x11, 0x77, 0x22)
    edited.save(str(reference))
    plain = run_cli("-C", tiny_project, "build", "-f", "docx", "-o", tiny_project / "plain")
    assert plain.code == 0, plain.err
    styled = run_cli("-C", tiny_project, "build", "-f", "docx", "-o", tiny_project / "styled",
                     "--reference-docx", reference)
    assert styled.code == 0, styled.err
    for locale in ("zh_CN", "en"):
        built = tiny_project / "styled" / locale / "tiny-report.docx"
        assert str(docx.Document(str(built)).styles["Heading 1"].font.color.rgb) == "117722"
        # The reference's own text is gone: the body is the build's.
        assert paragraph_texts(built) == paragraph_texts(
            tiny_project / "plain" / locale / "tiny-report.docx")
        assert findings(built) == []


def test_a_locale_the_project_lacks_writes_nothing(tiny_project: Path, run_cli) -> None:
    target = tiny_project / "reference.docx"
    result = run_cli("-C", tiny_project, "theme", "reference-docx", "-l", "fr", "-o", target)
    assert result.code == 2
    assert "fr" in result.err
    assert not target.exists()
