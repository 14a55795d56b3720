"""The repository's report in every locale and both themes: PDF/UA-1 and PDF/A-3b verdicts,
/Lang on foreign passages, alt text, and the DOCX contents' page numbers."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from diglot.config import load as load_config
from diglot.pipeline import BuildResult, build
from diglot.writers import FORMATS
from diglot.writers.docx import office
from diglot.writers.docx import pages as docx_pages

from ..conftest import REPO, squash
from ..pdf_structure import structure
from ..unit.writers.test_pdf_standards import verdict

pytestmark = pytest.mark.slow

LOCALES = ("zh_CN", "en", "zh_TW")
HAN = re.compile(r"[\u4e00-\u9fff]")
BUILDS = [("default", "ua-1"), ("brief", "ua-1"), ("default", "a-3b"), ("brief", "a-3b")]


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """The report's PDFs, built once per theme and standard."""
    found = {}
    for theme, standard in BUILDS:
        out = tmp_path_factory.mktemp(f"{theme}-{standard}")
        config = load_config(REPO, {"formats": ["pdf"], "output": out, "theme": theme,
                                    "pdf_standard": standard}, FORMATS)
        result = build(config)
        assert [str(w) for w in result.warnings] == []  # no image without alt text, either
        found[theme, standard] = out
    return found


@pytest.mark.parametrize(("theme", "standard"), BUILDS)
@pytest.mark.parametrize("locale", LOCALES)
def test_the_validator_passes_every_pdf(builds: dict[tuple[str, str], Path], theme: str,
                                        standard: str, locale: str) -> None:
    pdf = builds[theme, standard] / locale / "sora-authors.pdf"
    assert verdict(pdf, standard) == []


@pytest.mark.parametrize("theme", ["default", "brief"])
def test_foreign_passages_carry_their_language(builds: dict[tuple[str, str], Path],
                                               theme: str) -> None:
    for locale in LOCALES:
        lang, elements = structure(builds[theme, "ua-1"] / locale / "sora-authors.pdf")
        assert lang == locale.replace("_", "-")
        marked = [(e.tag, e.lang, e.text.strip()) for e in elements if e.lang]
        if locale == "en":
            # 郭宇飞, in the heading (and in the contents, where there is one).
            assert ("Span", "zh-CN", "郭宇飞") in marked
            assert all(lang == "zh-CN" and HAN.search(text) for _, lang, text in marked)
            # Every Han passage of the English report is inside an element that says so.
            unmarked = [e.text for e in elements if e.leaf and HAN.search(e.text)
                        and e.effective_lang != "zh-CN"]
            assert unmarked == []
        else:
            assert marked == []  # the whole report is in the document's language


@pytest.mark.parametrize("theme", ["default", "brief"])
def test_every_figure_has_alt_text(builds: dict[tuple[str, str], Path], theme: str) -> None:
    for locale in LOCALES:
        _, elements = structure(builds[theme, "ua-1"] / locale / "sora-authors.pdf")
        assert all(e.alt for e in elements if e.tag == "Figure")


# -- the DOCX contents ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def docx_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    out = tmp_path_factory.mktemp("docx")
    result = build(load_config(REPO, {"formats": ["docx"], "output": out}, FORMATS))
    return out, result


def contents(path: Path) -> list[tuple[str, str, str]]:
    """(entry text, bookmark, shown page) for every contents entry of a DOCX; the text is the
    heading's without the person's number before it (a badge, set apart on the page)."""
    document = docx.Document(str(path))
    number = document.styles["toc-number"].style_id
    entries = []
    for link in document.element.body.iter(qn("w:hyperlink")):
        instr = [t.text or "" for t in link.iter(qn("w:instrText"))]
        if not any("PAGEREF" in i for i in instr):
            continue
        texts = [r for r in link.iter(qn("w:r"))]
        before_field, result, state = [], [], "text"
        for run in texts:
            kind = run.find(qn("w:fldChar"))
            if kind is not None:
                state = {"begin": "instr", "separate": "result", "end": "done"}[
                    kind.get(qn("w:fldCharType"))]
                continue
            target = before_field if state == "text" else result if state == "result" else None
            style = run.find(f"{qn('w:rPr')}/{qn('w:rStyle')}")
            if style is not None and style.get(qn("w:val")) == number:
                continue
            if target is not None:
                target += [t.text or "" for t in run.iter(qn("w:t"))]
        bookmark = re.search(r"PAGEREF\s+(\S+)", " ".join(instr)).group(1)  # type: ignore[union-attr]
        assert link.get(qn("w:anchor")) == bookmark
        entries.append(("".join(before_field), bookmark, "".join(result)))
    return entries


@pytest.mark.skipif(office.soffice() is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("locale", LOCALES)
def test_docx_contents_show_libreoffice_page_numbers(docx_build: tuple[Path, BuildResult],
                                                     locale: str, tmp_path: Path) -> None:
    out, result = docx_build
    assert result.notes == []
    path = out / locale / "sora-authors.docx"
    entries = contents(path)
    assert len(entries) == 16  # preface, 13 people, conclusion, colophon
    assert all(page.isdigit() for _, _, page in entries)
    pages = [int(page) for _, _, page in entries]
    assert pages == sorted(pages) and pages[0] >= 3  # after the cover and the contents
    # LibreOffice's own PDF of the finished file has each heading on the page it shows.
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "sora-authors.pdf"
    for text, _, page in entries:
        shown = subprocess.run(["pdftotext", "-f", page, "-l", page, "-enc", "UTF-8", str(pdf),
                                "-"], capture_output=True, text=True, check=True).stdout
        assert squash(text) in squash(shown), (text, page)
    settings = docx.Document(str(path)).settings.element
    assert settings.find(qn("w:updateFields")) is None  # Word opens it without asking


@pytest.mark.skipif(office.soffice() is None, reason="LibreOffice is not installed")
def test_docx_with_page_numbers_is_reproducible(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    for out in ("one", "two"):
        build(load_config(REPO, {"formats": ["docx"], "locales": ["en"],
                                 "output": tmp_path / out}, FORMATS))
    one = (tmp_path / "one/en/sora-authors.docx").read_bytes()
    assert one == (tmp_path / "two/en/sora-authors.docx").read_bytes()
    assert all(page.isdigit() for _, _, page in contents(tmp_path / "one/en/sora-authors.docx"))


@pytest.mark.skipif(office.soffice() is None, reason="LibreOffice is not installed")
def test_one_libreoffice_run_numbers_every_docx(tiny_project: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    runs: list[int] = []
    real = docx_pages.bookmark_pages

    def counted(documents: list[bytes]) -> list[dict[str, int] | docx_pages.LayoutUnavailable]:
        runs.append(len(documents))
        return real(documents)

    monkeypatch.setattr(docx_pages, "bookmark_pages", counted)
    result = build(load_config(tiny_project, {"formats": ["docx", "pdf"], "jobs": 2},
                               FORMATS))
    assert runs == [2]  # zh_CN and en, laid out together
    assert result.notes == []
    for locale in ("zh_CN", "en"):
        entries = contents(tiny_project / "build" / locale / "tiny-report.docx")
        # the preface, two people, the conclusion and the colophon
        assert len(entries) == 5 and all(page.isdigit() for _, _, page in entries), locale


def _lay_out_one_line_kept(work: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Lay out a one-line DOCX in LibreOffice with diglot's profile, the run's folder kept at
    `work`; returns the profile's user folder."""

    @contextlib.contextmanager
    def kept(prefix: str = "") -> Iterator[str]:
        work.mkdir()
        yield str(work)

    monkeypatch.setattr(office.tempfile, "TemporaryDirectory", kept)
    document = docx.Document()
    document.add_paragraph("One line")
    data = io.BytesIO()
    document.save(data)
    assert docx_pages.bookmark_pages([data.getvalue()]) == [{}]
    user = work / "profile" / "user"
    assert (user / "extensions" / "bundled").is_dir()  # LibreOffice ran with this profile
    return user


@pytest.mark.skipif(office.soffice() is None, reason="LibreOffice is not installed")
def test_the_layout_run_skips_libreoffices_graphics_self_test(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    user = _lay_out_one_line_kept(tmp_path / "work", monkeypatch)
    assert not (user / "GraphicsRenderTests.log").exists()


@pytest.mark.skipif(office.soffice() is None, reason="LibreOffice is not installed")
def test_the_layout_run_starts_libreoffice_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A profile whose extension cache LibreOffice takes for another version's is cleared
    # (the whole folder) before LibreOffice starts again: a file put there beside diglot's
    # seed survives only a single start.
    work = tmp_path / "work"
    real_run = office._run

    def run(args: list[str], folder: Path, timeout: int, environment: dict[str, str]) -> None:
        extensions = work / "profile" / "user" / "extensions"
        extensions.mkdir(exist_ok=True)
        (extensions / "marker").write_text("kept")
        real_run(args, folder, timeout, environment)

    monkeypatch.setattr(office, "_run", run)
    user = _lay_out_one_line_kept(work, monkeypatch)
    assert (user / "extensions" / "marker").read_text() == "kept"


@pytest.mark.skipif(office.soffice() is None, reason="LibreOffice is not installed")
def test_a_docx_libreoffice_cannot_lay_out_keeps_its_contents_unnumbered(
        tiny_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = docx_pages.bookmark_pages

    def first_fails(documents: list[bytes]) -> list[dict[str, int] | docx_pages.LayoutUnavailable]:
        return [docx_pages.LayoutUnavailable("the layout broke"), *real(documents[1:])]

    monkeypatch.setattr(docx_pages, "bookmark_pages", first_fails)
    result = build(load_config(tiny_project, {"formats": ["docx"], "jobs": 1}, FORMATS))
    numbered = {locale: contents(tiny_project / "build" / locale / "tiny-report.docx")
                for locale in ("zh_CN", "en")}
    assert sorted(len(entries) for entries in numbered.values()) == [0, 5]
    assert [n.message for n in result.notes if "the layout broke" in n.message] != []
    for entries in numbered.values():
        assert all(page.isdigit() for _, _, page in entries)
