"""A long PDF rendered in chunks reads as one render: text, outline, links, contents, footers."""

from __future__ import annotations

import contextlib
import importlib.util
import re
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import psutil
import pytest
from pypdf import PdfReader
from pypdf.generic import Destination

from diglot import pipeline
from diglot.config import load as load_config
from diglot.errors import NOTE, OutputError
from diglot.writers import FORMATS

from ..conftest import REPO, pdf_text, squash
from ..unit.writers.test_pdf_standards import verdict

pytestmark = pytest.mark.slow  # each test lays out PDFs in several processes

PEOPLE = 36
CHUNKS = 3  # three runs of people: the middle one has a cut on both sides


def _gendata() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gendata", REPO / "bench" / "gendata.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Pair:
    single: Path
    chunked: Path
    result: pipeline.BuildResult


def _build(data: Path, out: Path, chunks: int | str, theme: Path | None = None
           ) -> pipeline.BuildResult:
    flags = {"data": data, "formats": ["pdf"], "locales": ["zh_CN"], "output": out,
             "chunks": chunks}
    if theme is not None:
        flags["theme"] = theme
    return pipeline.build(load_config(REPO, flags, FORMATS))


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Pair:
    folder = tmp_path_factory.mktemp("chunks")
    data = _gendata().write(folder / "data.yaml", PEOPLE, seed=5)
    _build(data, folder / "single", "off")
    result = _build(data, folder / "chunked", CHUNKS)
    return Pair(folder / "single/zh_CN/generated.pdf", folder / "chunked/zh_CN/generated.pdf",
                result)


def _pages(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-layout", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:len(PdfReader(path).pages)]


def _outline(path: Path) -> list[tuple[int, str, int]]:
    """(depth, title, page index) of every outline item, in order."""
    reader = PdfReader(path)
    found: list[tuple[int, str, int]] = []

    def walk(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return found


def test_same_text_in_the_same_order(pair: Pair) -> None:
    def text(path: Path) -> str:
        # The contents' numbers (and so their leaders) move with the extra pages at cuts.
        return re.sub(r"\.{2,}", "", re.sub(r"\d+", "", squash(pdf_text(path, body_only=True))))

    assert text(pair.chunked) == text(pair.single)
    assert not [n for n in pair.result.notes if "chunks" in n.message]


def test_pages_within_a_page_per_cut_and_footers_continuous(pair: Pair) -> None:
    single, chunked = len(PdfReader(pair.single).pages), len(PdfReader(pair.chunked).pages)
    assert single <= chunked <= single + CHUNKS - 1
    pages = _pages(pair.chunked)
    for number, page in enumerate(pages[1:], 2):  # the cover has no footer
        footer = [line for line in page.splitlines() if line.strip()][-1]
        assert re.findall(r"\d+", footer) == [str(number), str(chunked)], footer


def test_same_outline_each_title_on_its_page(pair: Pair) -> None:
    single, chunked = _outline(pair.single), _outline(pair.chunked)
    assert [(d, t) for d, t, _ in chunked] == [(d, t) for d, t, _ in single]
    assert len(chunked) > PEOPLE
    pages = _pages(pair.chunked)
    for _depth, title, page in chunked:
        assert squash(title) in squash(pages[page]), title


def test_every_link_and_contents_number_finds_its_target(pair: Pair) -> None:
    reader = PdfReader(pair.chunked)
    pages = _pages(pair.chunked)
    named = reader.named_destinations
    headings = {}
    for name, destination in named.items():
        assert isinstance(destination, Destination)
        headings[name] = reader.get_destination_page_number(destination)
    internal = 0
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            action = annotation.get("/A")
            assert action is None or str(action.get("/URI", "")).startswith(("http", "mailto")), \
                action
            if "/Dest" in annotation:
                internal += 1
                assert str(annotation["/Dest"]) in named
    assert internal >= PEOPLE  # the contents links every person
    # Each contents line ends with the page its person's heading is on.
    by_title = {squash(t): p + 1 for d, t, p in _outline(pair.chunked)}
    numbered = 0
    for page in pages[1:4]:
        for line in page.splitlines():
            match = re.match(r"\s*\d+\s+(.+?)\s*\.{3,}\s*(\d+)\s*$", line)
            if match and squash(match[1]) in by_title:
                assert int(match[2]) == by_title[squash(match[1])], line
                numbered += 1
    assert numbered >= PEOPLE // 2
    assert {headings[f"person-{p}"] for p in ("person-00001", f"person-{PEOPLE:05d}")} \
        <= set(range(len(pages)))


def test_fonts_not_duplicated_and_standard_kept(pair: Pair) -> None:
    assert pair.chunked.stat().st_size <= pair.single.stat().st_size * 1.05
    single, chunked = PdfReader(pair.single), PdfReader(pair.chunked)
    assert chunked.metadata.title == single.metadata.title
    assert chunked.trailer["/Root"]["/Lang"] == single.trailer["/Root"]["/Lang"]
    assert verdict(pair.chunked, "ua-1") == []


def test_chunked_pdf_a_and_ua_reproducible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                           ) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    data = _gendata().write(tmp_path / "data.yaml", 12, seed=2)
    built = []
    for name in ("a", "b"):
        config = load_config(REPO, {"data": data, "formats": ["pdf"], "locales": ["zh_CN"],
                                    "output": tmp_path / name, "chunks": 2,
                                    "pdf_standard": "a-3a,ua-1"}, FORMATS)
        pipeline.build(config)
        built.append((tmp_path / name / "zh_CN/generated.pdf").read_bytes())
    assert built[0] == built[1]
    again = pipeline.build(load_config(REPO, {
        "data": data, "formats": ["pdf"], "locales": ["zh_CN"], "output": tmp_path / "a",
        "chunks": 2, "pdf_standard": "a-3a,ua-1"}, FORMATS))
    assert again.unchanged == [tmp_path / "a/zh_CN/generated.pdf"]  # the cache knows chunks
    assert verdict(tmp_path / "a/zh_CN/generated.pdf", "a-3a") == []
    assert verdict(tmp_path / "a/zh_CN/generated.pdf", "ua-1") == []


def test_a_theme_without_contents_is_cut_only_between_people(tmp_path: Path) -> None:
    data = _gendata().write(tmp_path / "data.yaml", 12, seed=4)
    brief = REPO / "src/diglot/themes/brief"
    result = _build(data, tmp_path / "chunked", 2, brief)
    assert not [n for n in result.notes if "chunks" in n.message]
    _build(data, tmp_path / "single", "off", brief)
    chunked, single = (tmp_path / "chunked/zh_CN/generated.pdf",
                       tmp_path / "single/zh_CN/generated.pdf")
    assert squash(pdf_text(chunked, body_only=True)) == squash(pdf_text(single, body_only=True))
    pages = _pages(chunked)
    assert len(_pages(single)) <= len(pages) <= len(_pages(single)) + 1
    assert [re.findall(r"\d+", [ln for ln in page.splitlines() if ln.strip()][-1])
            for page in pages] == [[str(i), str(len(pages))] for i in range(1, len(pages) + 1)]


def test_a_build_with_nothing_changed_knows_the_chunks(tiny_project: Path, run_cli,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    pdf = tiny_project / "build/zh_CN/tiny-report.pdf"

    def build(chunks: str) -> bytes:
        assert run_cli("-C", tiny_project, "build", "-l", "zh_CN", "--chunks", chunks).code == 0
        return pdf.read_bytes()

    chunked = build("2")
    assert build("2") == chunked
    assert build("off") != chunked  # the no-op shortcut did not keep the chunked file
    assert build("2") == chunked


@pytest.mark.parametrize(("css", "why"), [
    ("@page :left { margin-left: 30mm; }", "page selectors"),
    (".people { break-before: auto; }", "does not start a page")])
def test_a_theme_chunks_cannot_honour_renders_once_with_a_note(tmp_path: Path, css: str,
                                                               why: str) -> None:
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "theme.toml").write_text('stylesheets = ["extra.css"]\n', encoding="utf-8")
    (theme / "extra.css").write_text(css + "\n", encoding="utf-8")
    data = _gendata().write(tmp_path / "data.yaml", 4, seed=5)
    result = _build(data, tmp_path / "out", 2, theme)
    notes = [n for n in result.notes if n.kind == NOTE and "chunks" in n.message]
    assert len(notes) == 1 and why in notes[0].message
    single = _build(data, tmp_path / "single", "off", theme)
    assert not [n for n in single.notes if "chunks" in n.message]
    assert _pages(tmp_path / "out/zh_CN/generated.pdf") == \
        _pages(tmp_path / "single/zh_CN/generated.pdf")


def test_a_chunk_that_dies_fails_the_build_and_publishes_nothing(tmp_path: Path) -> None:
    data = _gendata().write(tmp_path / "data.yaml", PEOPLE, seed=5)
    me = psutil.Process()

    def kill_a_chunk() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if len(_workers(me)) >= 2:
                time.sleep(0.3)  # past its start, a second or more before its layout ends
                for chunk in reversed(_workers(me)):
                    with contextlib.suppress(psutil.NoSuchProcess):
                        chunk.kill()
                        return
            time.sleep(0.05)

    killer = threading.Thread(target=kill_a_chunk)
    killer.start()
    with pytest.raises(OutputError, match="stopped"):
        _build(data, tmp_path / "out", 2)
    killer.join()
    assert not (tmp_path / "out/zh_CN/generated.pdf").exists()
    assert not _workers(me)


def _workers(me: psutil.Process) -> list[psutil.Process]:
    """The worker processes this one has: spawned, or forked by its fork server."""
    found = []
    for child in me.children():
        try:
            command = " ".join(child.cmdline())
            if "spawn_main" in command:
                found.append(child)
            elif "forkserver" in command:
                found += [p for p in child.children() if p.status() != psutil.STATUS_ZOMBIE]
        except psutil.NoSuchProcess:
            continue
    return found
