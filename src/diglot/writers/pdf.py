"""The PDF writer: WeasyPrint with a URL fetcher confined to the project and theme folders."""

from __future__ import annotations

import logging
import mimetypes
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from diglot import pdfstandard
from diglot.document import RenderedDocument, WriteContext
from diglot.errors import (
    BuildWarning,
    DiglotError,
    Location,
    OutputError,
    raise_collected,
    shown_path,
)
from diglot.images import pixel_problem
from diglot.pdfstandard import PdfStandard
from diglot.resources import Refused, ResourcePolicy
from diglot.writers import Writer, pdf_fastpaths, pdf_standards, pdf_tags
from diglot.writers.pdf_links import drop_unsafe_links


class ConfinedFetcher(URLFetcher):
    """Serves `data:` URLs, and files as the resource policy allows; records what it refuses
    and which stylesheet asked for it."""

    def __init__(self, policy: ResourcePolicy) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.policy = policy
        self.reading: Path | None = None  # the stylesheet being parsed, if any
        self.origins: dict[str, Path] = {}

    @property
    def refused(self) -> list[tuple[str, str]]:
        return self.policy.refused

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url.split(":", 1)[0].lower() == "data":
            return super().fetch(url, headers)
        try:
            path, body = self.policy.read(url)
            mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            too_large = pixel_problem(body) if mime_type.startswith("image/") else None
            if too_large:
                raise self.policy.refuse(url, too_large)
        except Refused:
            if self.reading is not None:
                self.origins.setdefault(url, self.reading)
            raise
        return URLFetcherResponse(path.as_uri(), body, headers={"Content-Type": mime_type})


class _Collect(logging.Handler):
    """Gathers WeasyPrint's warnings while it is attached to its logger."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())

    def __enter__(self) -> _Collect:
        logging.getLogger("weasyprint").addHandler(self)
        return self

    def __exit__(self, *_: object) -> None:
        logging.getLogger("weasyprint").removeHandler(self)


_NO_ALT = re.compile(r"has no required alt")
_PAGE = re.compile(r"Creating layout - Page (\d+)$")


class _Progress(logging.Handler):
    """Turns WeasyPrint's progress log into a line every 25 pages laid out; short documents,
    done in a second or two, say nothing."""

    EVERY = 25

    def __init__(self, report: Callable[[str], None]) -> None:
        super().__init__(logging.INFO)
        self.report = report
        self.long = False

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        page = _PAGE.search(message)
        if page and int(page.group(1)) % self.EVERY == 0:
            self.long = True
            self.report(f"laid out {page.group(1)} pages")
        elif self.long and "Repagination" in message:
            self.report("laying out again for page references")
        elif self.long and message.startswith("Step 6"):
            self.report("writing the PDF")


# WeasyPrint reports CSS problems as "... at LINE:COL..." without naming the stylesheet.
_CSS_POSITION = re.compile(r"^(?P<what>.*?),? at (?P<line>\d+):(?P<col>\d+)(?P<rest>.*)$")


class PdfWriter(Writer):
    """The PDF, laid out by WeasyPrint in the document's PDF standard."""

    def __init__(self, standard: PdfStandard | None = None, identifier: bytes | None = None,
                 chunks: int = 1) -> None:
        self.standard = standard or pdfstandard.parse(pdfstandard.DEFAULT)
        # The first half of the file's /ID, the same in every version of the file (a viewer
        # that reloads it keeps its place); None: WeasyPrint's choice for the standard.
        self.identifier = identifier
        self.chunks = chunks  # above 1: the people laid out in that many processes at once

    def write(self, rendered: RenderedDocument, dest: Path, context: WriteContext
              ) -> list[BuildWarning]:
        progress_log = logging.getLogger("weasyprint.progress")
        handler = _Progress(context.progress)
        progress_log.addHandler(handler)
        level = progress_log.level
        progress_log.setLevel(logging.INFO)
        try:
            if self.chunks > 1:
                from diglot.writers import pdf_chunks  # deferred: only long reports need it

                return pdf_chunks.write(self, rendered, dest, context, self.chunks,
                                        lambda: self.write_document(rendered, dest,
                                                                    context.roots))
            return self.write_document(rendered, dest, context.roots)
        finally:
            progress_log.removeHandler(handler)
            progress_log.setLevel(level)

    def write_document(self, rendered: RenderedDocument, dest: Path, roots: tuple[Path, ...],
                       after_layout: Callable[[Any], None] | None = None,
                       stylesheets: bool = True) -> list[BuildWarning]:
        """Lay out and write `rendered` in this process; `after_layout` sees the laid-out
        WeasyPrint document before it is written. Without `stylesheets`, what the stylesheets
        hold that WeasyPrint ignores is not reported (another chunk reports it)."""
        pdf_fastpaths.install()
        fetcher = ConfinedFetcher(ResourcePolicy(roots + rendered.asset_dirs,
                                                 rendered.asset_dirs[0]))
        base_url = rendered.asset_dirs[0].as_uri() + "/"
        try:
            with _Collect() as parsed:
                html = HTML(string=rendered.html, base_url=base_url, url_fetcher=fetcher)
            warnings = stylesheet_warnings(html.etree_element, rendered, base_url, fetcher) \
                if stylesheets else []
            with _Collect() as collected:
                document = html.render()
            _raise_refusals(fetcher, rendered)
            warnings += [BuildWarning("link", f"link to {_short(target)} is not http, https or "
                                      "mailto: shown as text, not a link", Location(
                                          rendered.template))
                         for target in drop_unsafe_links(document)]
            if after_layout is not None:
                after_layout(document)
            self._check_claims(document, dest)
            with _Collect() as written:  # attachments are fetched only now
                self._write_pdf(document, rendered, dest)
            _raise_refusals(fetcher, rendered)
        except RecursionError:
            raise OutputError("the layout nests too deeply to be rendered", Location(dest)) \
                from None
        # Stylesheet problems were reported with their file above, images without alt text by
        # the build; the rest stand as they are.
        messages = parsed.messages + collected.messages + written.messages
        return warnings + [BuildWarning("pdf", m) for m in messages
                           if not _CSS_POSITION.match(m) and not _is_refusal(m, fetcher)
                           and not _NO_ALT.search(m)]

    def _check_claims(self, document: Any, dest: Path) -> None:
        """A claimed standard the document cannot meet fails the build: tagged PDFs need a
        title and a language (a missing alt text is a warning of the build instead)."""
        if not self.standard.tagged:
            return
        metadata = document.metadata
        missing = [what for what, value in (("<title>", metadata.title),
                                            ("lang attribute on <html>", metadata.lang))
                   if not (value or "").strip()]
        if missing:
            raise OutputError(f"the PDF cannot be {' and '.join(self.standard.claims)}: the "
                              f"document has no {' and no '.join(missing)}", Location(dest))

    def _write_pdf(self, document: Any, rendered: RenderedDocument, dest: Path) -> None:
        standard = self.standard
        recorder = pdf_tags.LanguageRecorder()

        def finish(_document: Any, pdf: Any) -> None:
            if standard.tagged:
                pdf_tags.set_languages(pdf, recorder.langs, rendered.lang)
                pdf_tags.margins_as_artifacts(pdf)
                pdf_tags.annotations_in_links(pdf)
            if standard.pdfa:
                pdf_standards.no_interpolation(pdf)
            pdf_standards.finish_metadata(pdf, standard)

        options = pdf_standards.weasyprint_options(standard)
        if self.identifier is not None:
            options["pdf_identifier"] = self.identifier
        with recorder.active():
            document.write_pdf(dest, finisher=finish, **options)


def _short(url: str) -> str:
    """A URL as messages show it: a local file by its (relative) path, others cut at 80."""
    local = _local_path(url)
    if local is not None:
        return repr(f"file:{shown_path(local)}")
    return repr(url if len(url) <= 80 else url[:77] + "...")


def _raise_refusals(fetcher: ConfinedFetcher, rendered: RenderedDocument) -> None:
    """Every resource the fetcher refused is an error, named by the file that refers to it."""
    errors: list[DiglotError] = []
    for url, why in dict.fromkeys(fetcher.refused):
        errors.append(OutputError(f"resource {_short(url)} refused: {why}",
                                  referrer(url, fetcher.origins.get(url), rendered)))
    raise_collected(errors)


REFERRING = (".css", ".html", ".svg")  # theme files that can ask for a resource


def referrer(url: str, stylesheet: Path | None, rendered: RenderedDocument) -> Location:
    """The stylesheet or template that asks for `url`, at the first line naming it when one
    does: the stylesheet being read when it was fetched, else the first theme file naming it."""
    path = unquote(urlsplit(url).path) if urlsplit(url).scheme == "file" else url
    needle = path.rstrip("/").rsplit("/", 1)[-1] or url
    candidates = [stylesheet] if stylesheet else []
    for folder in rendered.asset_dirs:
        candidates += sorted(p for p in folder.rglob("*") if p.suffix in REFERRING)
    for candidate in [*candidates, rendered.template]:
        try:
            lines = candidate.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        number = next((n for n, line in enumerate(lines, 1) if needle in line), None)
        if number is not None:
            return Location(candidate, number)
    return Location(stylesheet or rendered.template)


def stylesheet_warnings(root: Any, rendered: RenderedDocument, base_url: str,
                        fetcher: ConfinedFetcher) -> list[BuildWarning]:
    """Parse each stylesheet of the document (`root`, its parsed tree) alone, so that what
    WeasyPrint ignores in it can be reported with the stylesheet's name, line and column."""
    warnings: list[BuildWarning] = []
    for element in root.iter():
        tag = str(element.tag).rsplit("}", 1)[-1]
        if tag == "link" and "stylesheet" in (element.get("rel") or "").split():
            url = urljoin(base_url, element.get("href") or "")
            where: Path | str = _local_path(url) or url
            fetcher.reading = where if isinstance(where, Path) else None
            with _Collect() as collected:
                try:
                    CSS(url=url, url_fetcher=fetcher, media_type="print")
                except Exception:  # refused or missing: the fetcher recorded it, the build fails
                    continue
                finally:
                    fetcher.reading = None
            inline = False
        elif tag == "style":
            where, inline = rendered.template, True
            with _Collect() as collected:
                CSS(string=element.text or "", base_url=base_url, url_fetcher=fetcher)
        else:
            continue
        for message in collected.messages:
            match = _CSS_POSITION.match(message)
            if match and inline:  # positions count from the <style> element, not the template
                location = Location(where)
                text = (f"css in a <style> element, line {match['line']} column {match['col']}: "
                        f"{match['what']}{match['rest']}").rstrip(".")
            elif match:
                location = Location(where, int(match["line"]), int(match["col"]))
                text = f"css: {match['what']}{match['rest']}".rstrip(".")
            else:
                location, text = Location(where), f"css: {message}"
            warnings.append(BuildWarning("css", text, location))
    return warnings


def _local_path(url: str) -> Path | None:
    parts = urlsplit(url)
    return Path(unquote(parts.path)) if parts.scheme == "file" else None


def _is_refusal(message: str, fetcher: ConfinedFetcher) -> bool:
    return any(url in message for url, _why in fetcher.refused)
