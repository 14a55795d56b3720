"""Shared fixtures: the repository, a tiny project in a temporary folder, CLI and PDF helpers."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from diglot.cli import main
from diglot.config import load as load_config
from diglot.pipeline import BuildResult, build
from diglot.writers import FORMATS

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]):
    """Call `diglot` in-process; returns exit code, stdout and stderr."""

    def run(*args: str | Path) -> Run:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def tiny_project(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/tiny: two people, zh_CN source, an English content catalog."""
    target = tmp_path / "tiny"
    shutil.copytree(FIXTURES / "tiny", target, ignore=shutil.ignore_patterns("*.mo", "build"))
    return target


@dataclass
class DefaultBuild:
    out: Path
    result: BuildResult


@pytest.fixture(scope="session")
def default_build(tmp_path_factory: pytest.TempPathFactory) -> DefaultBuild:
    """The repository's default report built once (PDF and HTML, zh_CN and en)."""
    out = tmp_path_factory.mktemp("default-build")
    config = load_config(REPO, {"formats": ["pdf", "html"], "output": out}, FORMATS)
    return DefaultBuild(out, build(config))


@dataclass
class Paragraph:
    style: str  # the style's name, as Word shows it
    text: str


def paragraphs(document: docx.document.Document) -> list[Paragraph]:
    """Every paragraph of the body, table cells included, in document order."""
    names = {s.style_id: s.name for s in document.styles}
    found = []
    for p in document.element.body.iter(qn("w:p")):
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        name = names[style.get(qn("w:val"))] if style is not None else "Normal"
        found.append(Paragraph(name, "".join(t.text or "" for t in p.iter(qn("w:t")))))
    return found


def pdf_text(path: Path, body_only: bool = False) -> str:
    """The text of a PDF as poppler's pdftotext reads it (reading order, CJK intact).

    With `body_only`, the running headers and footers in the A4 page margins are cut away,
    so that a paragraph broken across pages reads as one.
    """
    crop = ["-x", "0", "-y", "60", "-W", "596", "-H", "722"] if body_only else []
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", *crop, str(path), "-"],
                            capture_output=True, text=True, check=True)
    return result.stdout


def squash(text: str) -> str:
    """Text without whitespace or hyphens, to compare wrapped, hyphenated lines with a source."""
    return "".join(text.split()).replace("-", "").replace("\u2010", "").replace("\u00ad", "")


# The marks the Chinese typography may set full-width, and the mark after a slip in print.
_HALF_WIDTH = str.maketrans("，：；？！（）", ",:;?!()")
SIC_ZH = "〔原文如此〕"


def fold(text: str) -> str:
    """`squash`ed text with full-width punctuation read as ASCII and [sic] marks dropped: the
    same words whether or not the typography normalised them."""
    return squash(text).replace(SIC_ZH, "").replace("[sic]", "").translate(_HALF_WIDTH)
