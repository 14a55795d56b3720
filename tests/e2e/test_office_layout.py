"""LibreOffice's layout run: the page of each bookmark, and a document it cannot read."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from diglot.writers.docx import office

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(office.soffice() is None, reason="LibreOffice is not installed")]


def bookmarked(names_by_page: list[list[str]]) -> bytes:
    """A DOCX with a page break between pages, each page's paragraphs bookmarked by name."""
    document = docx.Document()
    number = 0
    for page, names in enumerate(names_by_page):
        if page:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        for name in names:
            paragraph = document.add_paragraph(f"Heading {name}")
            start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
            start.set(qn("w:id"), str(number))
            start.set(qn("w:name"), name)
            end.set(qn("w:id"), str(number))
            paragraph._p.insert(0, start)
            paragraph._p.append(end)
            number += 1
    data = io.BytesIO()
    document.save(data)
    return data.getvalue()


def test_each_bookmark_comes_back_with_its_page_whatever_its_name(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The run's folder has a space and Han in its name; so has a bookmark.
    folder = tmp_path / "a folder 文件夹"
    folder.mkdir()
    monkeypatch.setattr(office.tempfile, "tempdir", str(folder))
    first = bookmarked([["preface"], ["person_tim", "人物_一"], [], ["colophon"]])
    second = bookmarked([["only"]])
    assert office.bookmark_pages([first, second]) == [
        {"preface": 1, "person_tim": 2, "人物_一": 2, "colophon": 4}, {"only": 1}]


def test_a_document_libreoffice_cannot_open_fails_alone() -> None:
    broken = b"PK\x03\x04" + b"\0" * 200  # a ZIP header and nothing of a package
    found = office.bookmark_pages([broken, bookmarked([["after"]])])
    assert isinstance(found[0], office.LayoutUnavailable)
    assert found[1] == {"after": 1}
