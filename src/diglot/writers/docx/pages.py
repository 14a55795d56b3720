"""Page numbers for the DOCX contents, read from a LibreOffice layout of the same document."""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

from docx.oxml.ns import qn
from lxml import etree

from diglot.writers.docx import oxml

DOCUMENT_PART = "word/document.xml"
TIMEOUT_SECONDS = 120  # for each document of a run
# LibreOffice writes every Word bookmark as a named destination of the PDF.
PDF_FILTER = ('pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":'
              '{"type":"boolean","value":"true"}}')
_PAGEREF = re.compile(r"^\s*PAGEREF\s+(\S+)")
# A new profile makes LibreOffice run its graphics self-test at start (a second of CPU), as
# after an upgrade: the profile says it was last used by a version newer than any.
PROFILE_SETTINGS = b"""<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry">
<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="ooSetupLastVersion" \
oor:op="fuse"><value>99.0</value></prop></item>
</oor:items>
"""


class LayoutUnavailable(Exception):
    """LibreOffice is missing or could not lay the document out; the message says which."""


def soffice() -> str | None:
    """LibreOffice's command, when it is installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def number_contents(documents: Sequence[bytes]) -> list[bytes | LayoutUnavailable]:
    """Every document with a tab and a PAGEREF field after each contents entry (a bookmark
    link inside the TOC field), whose shown result is the page LibreOffice puts the bookmark
    on, as Word itself writes a contents; Word replaces the numbers when the field is updated.
    One LibreOffice run lays out all the documents: its start costs more than a document.

    A document LibreOffice could not lay out comes back as the reason, its bytes unchanged.
    Raises LayoutUnavailable when LibreOffice is missing or fails altogether.
    """
    prepared = [_Contents(data) for data in documents]
    pages = bookmark_pages([c.referenced for c in prepared if c.links])
    laid_out = iter(pages)
    return [c.numbered(next(laid_out)) if c.links else c.data for c in prepared]


class _Contents:
    """One document's contents links, given page references whose numbers are still 0."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.root = etree.fromstring(_read_part(data, DOCUMENT_PART))
        self.links = _contents_links(self.root)
        self.results = [oxml.page_reference(link, link.get(qn("w:anchor"))) for link in
                        self.links]
        self.referenced = _replace_part(data, DOCUMENT_PART, _serialize(self.root)) \
            if self.links else data

    def numbered(self, pages: dict[str, int] | LayoutUnavailable) -> bytes | LayoutUnavailable:
        if isinstance(pages, LayoutUnavailable):
            return pages
        for link, result in zip(self.links, self.results, strict=True):
            anchor = link.get(qn("w:anchor")) or ""
            page = pages.get(anchor, pages.get(_destination_name(anchor)))
            if page is None:
                return LayoutUnavailable(f"LibreOffice's layout has no page for the heading "
                                         f"{anchor!r}")
            result.text = str(page)
        return _replace_part(self.data, DOCUMENT_PART, _serialize(self.root))


def bookmark_pages(documents: Sequence[bytes]) -> list[dict[str, int] | LayoutUnavailable]:
    """The 1-based page of every bookmark of each DOCX, as LibreOffice lays it out (one run for
    all), or why a document has none."""
    if not documents:
        return []
    command = soffice()
    if command is None:
        raise LayoutUnavailable("LibreOffice (soffice) is not on PATH")
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    with tempfile.TemporaryDirectory(prefix="diglot-layout-") as folder:
        work = Path(folder)
        sources = [work / f"document-{number}.docx" for number in range(len(documents))]
        for source, data in zip(sources, documents, strict=True):
            source.write_bytes(data)
        profile = work / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_bytes(PROFILE_SETTINGS)
        _seed_extensions(profile / "user", command)
        args = [command, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                "--norestore", "--convert-to", PDF_FILTER, "--outdir", str(work / "out"),
                *map(str, sources)]
        _run(args, work, TIMEOUT_SECONDS * len(documents))
        found: list[dict[str, int] | LayoutUnavailable] = []
        for source in sources:
            pdf = work / "out" / f"{source.stem}.pdf"
            if not pdf.is_file():
                found.append(LayoutUnavailable("LibreOffice did not convert the document to "
                                               "PDF"))
                continue
            try:
                reader = PdfReader(pdf)
                found.append({str(name).removeprefix("/"):
                              reader.get_destination_page_number(dest) + 1
                              for name, dest in reader.named_destinations.items()})
            except (PdfReadError, ValueError, KeyError) as exc:
                found.append(LayoutUnavailable(f"LibreOffice's PDF cannot be read: {exc}"))
    return found


def _seed_extensions(user: Path, command: str) -> None:
    """Give a new profile the build id of the LibreOffice that runs it. Without one,
    LibreOffice takes its extension cache for another version's, clears it and starts a
    second time (a quarter of a second of CPU); a build id it cannot find is left out."""
    try:
        versionrc = (Path(command).resolve().parent / "versionrc").read_text(errors="replace")
    except OSError:
        return
    found = re.search(r"^buildid=(.+?)\s*$", versionrc, re.MULTILINE)
    if found:
        (user / "extensions").mkdir()
        (user / "extensions" / "buildid").write_text(found.group(1), encoding="utf-8")


def _run(args: list[str], work: Path, timeout: int) -> None:
    env = {**os.environ, "HOME": str(work)}  # LibreOffice writes into $HOME otherwise
    with subprocess.Popen(args, cwd=work, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, start_new_session=True) as process:
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # soffice.bin runs in the same group
            process.communicate()
            raise LayoutUnavailable(f"LibreOffice took more than {timeout} s") \
                from None
    if process.returncode:
        last = stderr.decode(errors="replace").strip().splitlines()[-1:] or [""]
        raise LayoutUnavailable(f"LibreOffice failed (exit {process.returncode}): {last[0]}")


def _destination_name(bookmark: str) -> str:
    """A bookmark's name as LibreOffice writes it as a PDF destination: each character but
    ASCII letters and digits as the hex digits of its UTF-8 bytes (`a_b` -> `a5Fb`)."""
    return "".join(c if c.isascii() and c.isalnum() else c.encode().hex().upper() for c in bookmark)


def _contents_links(root: etree._Element) -> list[etree._Element]:
    """The bookmark links of the paragraphs a TOC field spans (begin to its own end)."""
    links: list[etree._Element] = []
    depth, inside = 0, False
    for paragraph in root.iter(qn("w:p")):
        in_this = inside
        for element in paragraph.iter(qn("w:fldChar"), qn("w:instrText"), qn("w:hyperlink")):
            if element.tag == qn("w:instrText") and not inside and depth == 1 \
                    and (element.text or "").strip().startswith("TOC"):
                inside = in_this = True
            elif element.tag == qn("w:fldChar"):
                kind = element.get(qn("w:fldCharType"))
                if kind == "begin":
                    depth += 1
                elif kind == "end":
                    depth -= 1
                    if inside and depth == 0:
                        inside = False
            elif element.tag == qn("w:hyperlink") and in_this and element.get(qn("w:anchor")) \
                    and not _has_pageref(element):
                links.append(element)
    return links


def _has_pageref(link: etree._Element) -> bool:
    return any(_PAGEREF.match(t.text or "") for t in link.iter(qn("w:instrText")))


def _serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _read_part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read(name)


def _replace_part(data: bytes, name: str, content: bytes) -> bytes:
    """The package with one part's content replaced; every entry keeps its order and stamp,
    so equal input still gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, content if info.filename == name else source.read(info))
    return out.getvalue()
