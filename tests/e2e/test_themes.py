"""The brief theme on the repository's report: a handout of a few pages, without cover or
contents."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from diglot import data

from ..conftest import REPO, fold, paragraphs, pdf_text, squash


@pytest.mark.slow
@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_brief_theme_builds_the_default_report(tmp_path: Path, run_cli, locale: str) -> None:
    result = run_cli("-C", REPO, "build", "-l", locale, "-f", "pdf", "-f", "docx",
                     "--theme", "brief", "-o", tmp_path)
    assert result.code == 0, result.err
    assert "0 warning(s)" in result.out
    sora = data.load(REPO / "data/sora-authors.yaml")
    pdf = tmp_path / locale / "sora-authors.pdf"
    first_page = pdf_text(pdf).split("\f")[0]
    assert squash(sora.people[0].name) in squash(first_page)  # no cover, no contents page
    word = docx.Document(tmp_path / locale / "sora-authors.docx")
    texts = [p.text for p in paragraphs(word)]
    assert not [e for e in word.element.body.iter(qn("w:instrText")) if "TOC" in (e.text or "")]
    tables = word.tables
    assert len(tables) == len([p for p in sora.people if p.education or p.experience
                               or p.works or p.honors or p.metrics or p.born])
    assert all(len(t.columns) == 4 for t in tables)  # facts in two columns
    if locale == "zh_CN":
        tim = sora.people[0]
        assert fold(tim.commentary[0].value) in fold(pdf_text(pdf, body_only=True))
        assert fold(tim.commentary[1].value) not in fold(pdf_text(pdf, body_only=True))
        assert fold(tim.commentary[0].value) in fold("".join(texts))
        assert fold(tim.commentary[1].value) not in fold("".join(texts))
    pages = len(PdfReader(pdf).pages)
    assert pages <= 7  # a handout; the full report has 12
