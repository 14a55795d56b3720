"""The PDF writer: WeasyPrint with a URL fetcher confined to the project and theme folders."""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from diglot.errors import BuildWarning, Location, OutputError
from diglot.render import Rendered

MAX_RESOURCE_BYTES = 50 * 1024 * 1024


class ConfinedFetcher(URLFetcher):
    """Serves `data:` URLs and files inside `roots`; refuses and records everything else."""

    def __init__(self, roots: tuple[Path, ...]) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.roots = tuple(root.resolve() for root in roots)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            return self._refuse(url, "only files of the project and its themes may be used")
        path = Path(unquote(urlsplit(url).path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            return self._refuse(url, "outside the project and theme folders")
        if not path.is_file():
            return self._refuse(url, "file not found")
        size = path.stat().st_size
        if size > MAX_RESOURCE_BYTES:
            return self._refuse(url, f"{size} bytes is over the {MAX_RESOURCE_BYTES}-byte limit")
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(),
                                  headers={"Content-Type": mime_type})

    def _refuse(self, url: str, why: str) -> URLFetcherResponse:
        self.refused.append(f"{url}: {why}")
        raise ValueError(f"refused {url}: {why}")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class PdfWriter:
    name = "pdf"
    suffix = ".pdf"

    def write(self, rendered: Rendered, dest: Path, roots: tuple[Path, ...]) -> list[BuildWarning]:
        fetcher = ConfinedFetcher(roots + rendered.theme.dirs)
        logger = logging.getLogger("weasyprint")
        handler = _Collect()
        logger.addHandler(handler)
        try:
            document = HTML(string=rendered.html, base_url=rendered.theme.dirs[0].as_uri() + "/",
                            url_fetcher=fetcher).render()
            if fetcher.refused:
                raise OutputError("resources refused: " + "; ".join(fetcher.refused),
                                  Location(dest))
            document.write_pdf(dest)
        except RecursionError:
            raise OutputError("the layout nests too deeply to be rendered", Location(dest)) \
                from None
        finally:
            logger.removeHandler(handler)
        return [BuildWarning("pdf", message)
                for message in handler.messages if not _is_refusal(message, fetcher)]


def _is_refusal(message: str, fetcher: ConfinedFetcher) -> bool:
    return any(r.split(": ", 1)[0] in message for r in fetcher.refused)
