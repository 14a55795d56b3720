"""PDF standards on the tiny project: choosing them, validator verdicts, /Lang, alt text."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import page
import pytest
from PIL import Image
from pypdf import PdfReader

from diglot import pdfstandard
from diglot.pdfstandard import PdfStandard, StandardError

from ...conftest import pdf_text, squash
from ...pdf_structure import stream_length_errors, structure

PROFILES = {"ua-1": page.ValidationProfile.PDF_UA_1, "a-2b": page.ValidationProfile.PDF_A_2B,
            "a-3b": page.ValidationProfile.PDF_A_3B, "a-3a": page.ValidationProfile.PDF_A_3A}


def verdict(path: Path, standard: str) -> list[str]:
    """The rules a PDF fails for one standard, in the page-validation validator."""
    report = page.validate_pdf(path, profile=PROFILES[standard])
    failed = [f"{f.rule_id}: {f.message}" for f in report.failures]
    assert report.is_compliant == (not failed)
    # The validator counts a stream's last data byte as its end-of-line marker when that byte
    # is CR or LF (compressed data ends so now and then): the rule is checked exactly here.
    if any("STREAM-LENGTH" in f for f in failed) and not stream_length_errors(path):
        failed = [f for f in failed if "STREAM-LENGTH" not in f]
    return failed


@pytest.mark.parametrize(("value", "expected"), [
    ("ua-1", PdfStandard(None, True)), ("a-3b", PdfStandard("a-3b", False)),
    ("A-3a, UA-1", PdfStandard("a-3a", True)), ("ua-1,a-2b", PdfStandard("a-2b", True)),
    (["a-3b", "ua-1"], PdfStandard("a-3b", True)), ("none", PdfStandard())])
def test_standards_parse(value: str | list[str], expected: PdfStandard) -> None:
    assert pdfstandard.parse(value) == expected
    assert pdfstandard.parse(str(expected)) == expected


@pytest.mark.parametrize("value", ["a-4", "ua-2", "", "none,ua-1", "a-2b,a-3b", "pdf/a-3b"])
def test_impossible_standards_are_refused(value: str) -> None:
    with pytest.raises(StandardError):
        pdfstandard.parse(value)


@pytest.mark.parametrize("value", ["a-4", "a-2b,a-3b", "none,ua-1"])
def test_unknown_standard_on_the_command_line_is_bad_usage(tiny_project: Path, run_cli,
                                                           value: str) -> None:
    result = run_cli("-C", tiny_project, "build", "--pdf-standard", value)
    assert result.code == 2
    assert not (tiny_project / "build").exists()


def test_unknown_standard_in_the_settings_is_located(tiny_project: Path, run_cli) -> None:
    config = tiny_project / "diglot.toml"
    text = config.read_text(encoding="utf-8") + 'pdf_standard = "a-9z"\n'
    config.write_text(text, encoding="utf-8")
    line = text.splitlines().index('pdf_standard = "a-9z"') + 1
    result = run_cli("-C", tiny_project, "build")
    assert result.code == 1
    assert re.search(rf"{re.escape(str(config))}:{line}:\d+: .*'a-9z'", result.err), result.err


def test_unknown_standard_in_a_theme_is_located(tiny_project: Path, run_cli) -> None:
    theme = tiny_project / "theme"
    theme.mkdir()
    (theme / "theme.toml").write_text('name = "t"\npdf_standard = ["a-3b", "a-2b"]\n',
                                      encoding="utf-8")
    result = run_cli("-C", tiny_project, "build", "--theme", theme)
    assert result.code == 1
    assert f"{theme / 'theme.toml'}:2:" in result.err


@pytest.mark.parametrize("standard", ["ua-1", "a-2b", "a-3b", "a-3a", "a-3a,ua-1", "a-3b,ua-1"])
def test_each_standard_passes_the_validator(tiny_project: Path, run_cli, standard: str) -> None:
    result = run_cli("-C", tiny_project, "build", "--pdf-standard", standard)
    assert result.code == 0, result.err
    for locale in ("zh_CN", "en"):
        pdf = tiny_project / f"build/{locale}/tiny-report.pdf"
        for claim in standard.split(","):
            assert verdict(pdf, claim) == [], (locale, claim)


def test_none_claims_nothing(tiny_project: Path, run_cli) -> None:
    assert run_cli("-C", tiny_project, "build", "-l", "en", "--pdf-standard", "none").code == 0
    pdf = tiny_project / "build/en/tiny-report.pdf"
    assert verdict(pdf, "ua-1") and verdict(pdf, "a-3b")  # the validator tells them apart
    assert "/StructTreeRoot" not in PdfReader(pdf).trailer["/Root"]


def test_default_is_ua1_and_a_theme_or_the_settings_change_it(tiny_project: Path,
                                                              run_cli) -> None:
    pdf = tiny_project / "build/en/tiny-report.pdf"
    assert run_cli("-C", tiny_project, "build", "-l", "en").code == 0
    assert verdict(pdf, "ua-1") == [] and verdict(pdf, "a-3b")
    theme = tiny_project / "theme"
    theme.mkdir()
    (theme / "theme.toml").write_text('name = "archive"\npdf_standard = "a-3b"\n',
                                      encoding="utf-8")
    config = tiny_project / "diglot.toml"
    config.write_text(config.read_text(encoding="utf-8") + 'theme = "./theme"\n',
                      encoding="utf-8")
    assert run_cli("-C", tiny_project, "build", "-l", "en").code == 0
    assert verdict(pdf, "a-3b") == [] and verdict(pdf, "ua-1")
    config.write_text(config.read_text(encoding="utf-8") + 'pdf_standard = "a-3a,ua-1"\n',
                      encoding="utf-8")
    assert run_cli("-C", tiny_project, "build", "-l", "en").code == 0
    assert verdict(pdf, "a-3a") == [] and verdict(pdf, "ua-1") == []
    assert run_cli("-C", tiny_project, "build", "-l", "en", "--pdf-standard", "a-2b").code == 0
    assert verdict(pdf, "a-2b") == [] and verdict(pdf, "ua-1")


def test_foreign_passages_carry_their_language(tiny_project: Path, run_cli) -> None:
    assert run_cli("-C", tiny_project, "build").code == 0
    lang, elements = structure(tiny_project / "build/en/tiny-report.pdf")
    assert lang == "en"
    foreign = [(e.tag, e.lang, e.text.strip()) for e in elements if e.lang]
    # The fuzzy commentary is shown in Chinese, and the native name is Chinese.
    assert ("P", "zh-CN", "他是一位工程师。") in foreign
    assert ("Span", "zh-CN", "林雅") in foreign
    assert all(lang == "zh-CN" and re.search(r"[\u4e00-\u9fff]", text)
               for _, lang, text in foreign), foreign
    # Nothing inside a marked element repeats its language.
    assert all(not e.lang for e in elements if e.tag == "Document")
    lang, elements = structure(tiny_project / "build/zh_CN/tiny-report.pdf")
    assert lang == "zh-CN" and not [e for e in elements if e.lang]


def test_running_headers_and_footers_are_not_content(tiny_project: Path, run_cli) -> None:
    assert run_cli("-C", tiny_project, "build", "-l", "en").code == 0
    pdf = tiny_project / "build/en/tiny-report.pdf"
    footer = f"Page 2 of {len(PdfReader(pdf).pages)}"
    assert footer in pdf_text(pdf)  # still drawn
    _, elements = structure(pdf)
    texts = [e.text for e in elements]
    assert any("Ada Lin" in t for t in texts)
    assert not any(footer in t for t in texts)


def test_same_epoch_same_bytes_for_every_standard(tiny_project: Path, tmp_path: Path, run_cli,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    for standard in ("ua-1", "a-3a,ua-1", "a-3b"):
        for out in ("one", "two"):
            assert run_cli("-C", tiny_project, "build", "-l", "en", "--pdf-standard", standard,
                           "-o", tmp_path / standard / out).code == 0
        one = (tmp_path / standard / "one/en/tiny-report.pdf").read_bytes()
        assert one == (tmp_path / standard / "two/en/tiny-report.pdf").read_bytes(), standard


def _image_theme(project: Path, alt: str | None) -> Path:
    theme = project / "theme"
    theme.mkdir(exist_ok=True)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (29, 78, 110)).save(buffer, "PNG")
    (theme / "logo.png").write_bytes(buffer.getvalue())
    alt_attr = f' alt="{alt}"' if alt is not None else ""
    (theme / "report.html").write_text(
        '{% extends "default/report.html" %}{% block preface %}'
        f'<p><img src="{{{{ asset(\'logo.png\') }}}}"{alt_attr} width="40"></p>'
        "{{ super() }}{% endblock %}", encoding="utf-8")
    return theme


def test_images_carry_their_alt_text(tiny_project: Path, run_cli) -> None:
    theme = _image_theme(tiny_project, "The lab's logo")
    result = run_cli("-C", tiny_project, "build", "-l", "en", "-f", "pdf", "-f", "docx",
                     "--theme", theme)
    assert result.code == 0, result.err
    pdf = tiny_project / "build/en/tiny-report.pdf"
    figures = [e for e in structure(pdf)[1] if e.tag == "Figure"]
    assert [f.alt for f in figures] == ["The lab's logo"]
    assert verdict(pdf, "ua-1") == []
    document = docx.Document(str(tiny_project / "build/en/tiny-report.docx"))
    descriptions = [d.get("descr") for d in document.element.body.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
    assert descriptions == ["The lab's logo"]


@pytest.mark.parametrize("alt", [None, ""])
def test_an_image_without_alt_text_is_a_warning(tiny_project: Path, run_cli,
                                                alt: str | None) -> None:
    theme = _image_theme(tiny_project, alt)
    result = run_cli("-C", tiny_project, "build", "-l", "en", "--theme", theme)
    assert result.code == 0, result.err
    assert "1 warning(s)." in result.out
    assert "logo.png" in result.err
    assert run_cli("-C", tiny_project, "check", "-l", "en", "--theme", theme).code == 0
    result = run_cli("-C", tiny_project, "build", "-l", "en", "--theme", theme, "--strict")
    assert result.code == 1


def test_a_tagged_standard_needs_a_title(tiny_project: Path, run_cli) -> None:
    theme = tiny_project / "theme"
    theme.mkdir()
    (theme / "report.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"></head>'
        "<body><p>{{ report.title }}</p></body></html>", encoding="utf-8")
    assert run_cli("-C", tiny_project, "build", "-l", "en", "--theme", theme,
                   "--pdf-standard", "none").code == 0
    text = squash(pdf_text(tiny_project / "build/en/tiny-report.pdf"))
    assert "TwoResearchers" in text
    result = run_cli("-C", tiny_project, "build", "-l", "en", "--theme", theme)
    assert result.code == 1 and "<title>" in result.err


def test_the_stream_length_check_finds_a_wrong_length(tiny_project: Path, run_cli,
                                                       tmp_path: Path) -> None:
    assert run_cli("-C", tiny_project, "build", "-l", "en", "--pdf-standard", "a-3b").code == 0
    pdf = tiny_project / "build/en/tiny-report.pdf"
    assert stream_length_errors(pdf) == []
    data = pdf.read_bytes()
    found = re.search(rb"/Length (\d+)", data)
    assert found is not None
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(data[:found.start(1)] + str(int(found[1]) - 3).encode() +
                       data[found.end(1):])
    assert len(stream_length_errors(broken)) == 1
