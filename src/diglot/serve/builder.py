"""The preview's builder: one thread that renders the report with the pipeline's building
blocks, writes the PDF of each edition a reader looks at into a private folder, and turns its
pages into PNG images. WeasyPrint stays loaded between builds, which is what makes them fast.

Everything the HTTP threads read is swapped in whole under one lock; PDFium and the writers
run on the builder thread only."""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from diglot import jobs, pipeline
from diglot.config import Config
from diglot.document import RenderedDocument, WriteContext
from diglot.epoch import source_date_epoch
from diglot.errors import NOTE, DiglotError, ErrorGroup, Location, shown_path
from diglot.pdfstandard import PdfStandard
from diglot.serve.png import encode_rgb
from diglot.themes import ThemeChain

PAGE_WIDTH_PX = 1100  # the width of a page image: sharp at 100% on most screens, quick to make
WANTED_FOR = 5.0  # seconds an edition counts as looked at after a reader last asked for it
PRIVATE = ".serve"  # the builder's folder inside the output folder, one subfolder per process


@dataclass(frozen=True)
class PageImage:
    png: bytes
    version: int  # the build that first showed these pixels
    width: int
    height: int
    digest: str = ""  # of the pixels, to tell a page that did not change


@dataclass
class EditionView:
    """What a reader of one edition sees: its last good pages and where they came from."""

    name: str
    locales: tuple[str, ...]
    pages: tuple[PageImage, ...] = ()
    build: int = 0  # the build that made the pages; 0 before the first
    generation: int = -1  # the sources' generation those pages show
    tried: int = -1  # the last generation a PDF was attempted for, good or not
    pdf: Path | None = None
    document: RenderedDocument | None = None  # the one the pages come from (for the DOCX)
    warnings: list[str] = field(default_factory=list)
    fallbacks: int = 0
    # (build, file) of the last download written of each kind: the tagged PDF and the DOCX
    downloads: dict[str, tuple[int, Path]] = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    """One located message of a failed build."""

    text: str
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None

    def as_json(self) -> dict[str, object]:
        return {"text": self.text, "message": self.message, "file": self.file,
                "line": self.line, "column": self.column}


def problems_of(exc: BaseException) -> list[Problem]:
    """A build's failure as located messages, `FILE:LINE:COL: message` each."""
    if isinstance(exc, ErrorGroup):
        return [p for e in exc.errors for p in problems_of(e)]
    if isinstance(exc, DiglotError):
        where: Location = exc.location
        file = (shown_path(where.file) if isinstance(where.file, Path) else where.file)
        return [Problem(str(exc), exc.message, file, where.line, where.column)]
    if isinstance(exc, OSError) and exc.filename:
        text = f"{shown_path(exc.filename)}: {exc.strerror or exc}"
        return [Problem(text, str(exc.strerror or exc), shown_path(exc.filename))]
    text = f"internal error: {type(exc).__name__}: {str(exc)[:300]}"
    return [Problem(text, text)]


class Builder:
    """Builds on demand: after a change of the sources, and when a reader asks for an edition
    whose pages are older than the sources."""

    def __init__(self, load_config: Callable[[], Config], workdir: Path,
                 log: Callable[[str], None] = lambda _message: None,
                 on_config: Callable[[Config, tuple[Path, ...]], None] | None = None,
                 page_width: int = PAGE_WIDTH_PX) -> None:
        self.load_config = load_config
        self.workdir = workdir
        self.log = log
        self.on_config = on_config  # told the settings and theme folders after each load
        self.page_width = page_width
        self.lock = threading.Condition()
        self.build = 0  # finished builds, good or not
        self.building = False
        self.error: list[Problem] = []
        self.editions: dict[str, EditionView] = {}
        self.report_id = "report"
        self._generation = 0  # counts changes of the sources
        self._rendered_generation = -1  # the last generation rendered, good or not
        self._documents_generation = -1  # the generation `_documents` were rendered from
        self._documents: dict[str, RenderedDocument] = {}
        self._build_warnings: list[str] = []
        self._fallbacks: dict[str, int] = {}  # by locale
        self._config: Config | None = None
        self._theme: ThemeChain | None = None
        self._wanted: dict[str, float] = {}
        self._timings: dict[str, tuple[float, float]] = {}  # PDF and images, last build
        self._downloads: list[tuple[str, str, threading.Event, list[Path | None]]] = []
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="diglot-builder", daemon=True)

    # --- the reader's side (HTTP threads) -------------------------------------------------

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop after the step under way (a PDF being laid out is finished first)."""
        self._stopping.set()
        with self.lock:
            self.lock.notify_all()
        self._thread.join(timeout)

    def changed(self, paths: set[str] | None = None) -> None:
        """The sources changed: what is shown is out of date."""
        with self.lock:
            self._generation += 1
            self.lock.notify_all()

    def want(self, edition: str) -> None:
        """A reader looks at `edition`: keep it up to date first."""
        with self.lock:
            stale = edition in self.editions and \
                self.editions[edition].tried < self._generation
            self._wanted[edition] = time.monotonic()
            if stale:
                self.lock.notify_all()

    def download(self, edition: str, kind: str, timeout: float = 300.0) -> Path | None:
        """The `kind` file ("pdf" or "docx") of the pages shown for `edition`, written now if
        it is not yet: the pages come from an untagged PDF, quicker to make, and the PDF to
        download is the build's own, with its standard."""
        done, answer = threading.Event(), [None]
        with self.lock:
            view = self.editions.get(edition)
            if view is None or view.document is None:
                return None
            made = view.downloads.get(kind)
            if made and made[0] == view.build and made[1].is_file():
                return made[1]
            self._downloads.append((edition, kind, done, answer))  # type: ignore[arg-type]
            self.lock.notify_all()
        done.wait(timeout)
        return answer[0]

    # --- the builder thread ---------------------------------------------------------------

    def _targets(self) -> list[str]:
        """The editions to bring up to date now: those looked at lately (the latest first),
        else the first one, when their pages are older than the sources."""
        if self._documents_generation != self._rendered_generation:
            return []  # the last rendering failed: nothing newer to write
        now = time.monotonic()
        looked = sorted((t, name) for name, t in self._wanted.items()
                        if now - t < WANTED_FOR and name in self.editions)
        names = [name for _t, name in reversed(looked)] or list(self.editions)[:1]
        return [n for n in names if self.editions[n].tried < self._generation]

    def _run(self) -> None:
        first = True
        while not self._stopping.is_set():
            with self.lock:
                while not (first or self._stopping.is_set() or self._downloads
                           or (self._generation > self._rendered_generation)
                           or self._targets()):
                    self.lock.wait(0.5)
                if self._stopping.is_set():
                    break
                generation = self._generation
                render = first or generation > self._rendered_generation
                targets = self._targets()
                requests, self._downloads = self._downloads, []
                first = False
                if render or targets:
                    self.building = True
            if render or targets:
                self._build_step(generation, render, targets)
            for edition, kind, done, answer in requests:
                answer[0] = self._write_download(edition, kind)
                done.set()
        with self.lock:
            for _edition, _kind, done, _answer in self._downloads:
                done.set()

    def _build_step(self, generation: int, render: bool, targets: list[str]) -> None:
        started = time.perf_counter()
        problems: list[Problem] = []
        made: list[str] = []
        try:
            if render:
                self._render(generation)
                with self.lock:
                    targets = self._targets() or targets
            for name in targets:
                if self._stopping.is_set():
                    break
                self._write_pdf(name, generation)
                made.append(name)
        except Exception as exc:  # the server lives on: the error is shown, pages stay
            problems = problems_of(exc)
        with self.lock:
            self.build += 1
            self.building = False
            if problems:
                self.error = problems
            elif made or render:
                self.error = []
            self.lock.notify_all()
            number = self.build
        seconds = time.perf_counter() - started
        if problems:
            self.log(f"[build {number}] failed in {seconds:.1f} s:\n  " +
                     "\n  ".join(p.text for p in problems))
        elif made:
            views = [self.editions[n] for n in made]
            self.log(f"[build {number}] " + ", ".join(
                f"{v.name}: {len(v.pages)} page(s) (PDF {self._timings[v.name][0]:.1f} s, "
                f"images {self._timings[v.name][1]:.1f} s)" for v in views) +
                f" in {seconds:.1f} s; {len(views[0].warnings)} warning(s), "
                f"{views[0].fallbacks} string(s) untranslated")

    def _render(self, generation: int) -> None:
        """Settings, data, theme and catalogs read again, every edition rendered as HTML
        (cheap next to the PDF; the colophon needs every locale's catalogs anyway)."""
        with self.lock:  # tried now, good or not: the next try waits for the next change
            self._rendered_generation = generation
        config = self.load_config()
        self._config = config
        data, theme, catalogs, warnings = pipeline.prepare(config)
        self._theme = theme
        if self.on_config is not None:
            self.on_config(config, theme.dirs)
        result = pipeline.BuildResult(warnings=warnings, catalogs=catalogs, data=data,
                                      theme=theme)
        parallel, _notes = pipeline.parallel_editions(config, tuple(catalogs))
        documents = pipeline.render_all(data, theme, catalogs, result, parallel,
                                        config.parallel_layout)
        fallbacks: dict[str, int] = {}
        for (locale, _domain), reasons in result.fallback_counts().items():
            fallbacks[locale] = fallbacks.get(locale, 0) + sum(reasons.values())
        locales = {name: (name,) for name in catalogs}
        locales.update({e.name: (e.first, e.second) for e in parallel})
        with self.lock:
            self.report_id = data.report.id
            self._documents = documents
            self._build_warnings = [str(w) for w in result.warnings if w.kind != NOTE]
            self._fallbacks = fallbacks
            self._documents_generation = generation
            old = self.editions
            self.editions = {name: old.get(name) or EditionView(name, locales[name])
                             for name in documents}
            for name, view in self.editions.items():
                view.locales = locales[name]

    def _write_pdf(self, name: str, generation: int) -> None:
        config, theme, document = self._config, self._theme, self._documents[name]
        assert config is not None and theme is not None
        folder = self.workdir / _folder_name(name)
        with self.lock:
            self.editions[name].tried = generation
        stage = folder / f"{self.report_id}.pdf.part"
        target = folder / f"{self.report_id}.pdf"
        # Untagged: the tags change no pixel and cost a tenth of the time.
        options = {"standard": PdfStandard(), "identifier": self._identifier(name)}
        context = WriteContext((config.root, config.data.parent), source_date_epoch())
        started = time.perf_counter()
        found = jobs.run(jobs.WriteJob(name, "pdf", document, stage, target, context, options))
        os.replace(stage, target)
        written = time.perf_counter()
        images = self._rasterize(target, name)
        self._timings[name] = (written - started, time.perf_counter() - written)
        with self.lock:
            view = self.editions[name]
            view.pages = images
            view.build = self.build + 1
            view.generation = generation
            view.pdf = target
            view.document = document
            view.downloads = {}
            view.warnings = self._build_warnings + [str(w) for w in found if w.kind != NOTE]
            view.fallbacks = sum(self._fallbacks.get(loc, 0) for loc in view.locales)

    def _rasterize(self, pdf_path: Path, name: str) -> tuple[PageImage, ...]:
        """Every page as a PNG; a page whose pixels did not change keeps its bytes and its
        version, so that a browser does not fetch it again."""
        import pypdfium2

        with self.lock:
            previous = dict(enumerate(self.editions[name].pages)) \
                if name in self.editions else {}
        number = self.build + 1
        images = []
        document = pypdfium2.PdfDocument(str(pdf_path))
        try:
            for index in range(len(document)):
                page = document[index]
                try:
                    bitmap = page.render(scale=self.page_width / page.get_width(),
                                         rev_byteorder=True)  # RGB, not BGR
                    try:
                        pixels = bitmap.buffer
                        digest = hashlib.blake2b(pixels, digest_size=16).hexdigest()
                        same = previous.get(index)
                        if same is not None and same.digest == digest:
                            images.append(same)
                            continue
                        png = encode_rgb(pixels, bitmap.width, bitmap.height, bitmap.stride)
                    finally:
                        bitmap.close()
                    images.append(PageImage(png, number, bitmap.width, bitmap.height, digest))
                finally:
                    page.close()
        finally:
            document.close()
        return tuple(images)

    def _identifier(self, name: str) -> bytes:
        """A fixed first /ID, so that a PDF viewer that reloads the file (pdf.js) keeps its
        place."""
        return f"diglot-serve:{self.report_id}:{name}".encode()

    def _write_download(self, name: str, kind: str) -> Path | None:
        with self.lock:
            view = self.editions.get(name)
            if view is None or view.document is None or self._config is None \
                    or self._theme is None:
                return None
            document, build, config = view.document, view.build, self._config
            standard = config.pdf_standard or self._theme.pdf_standard
        folder = self.workdir / _folder_name(name)
        stage = folder / f"{self.report_id}.{kind}.part"
        target = folder / f"{self.report_id}-{build}.{kind}"
        options = {"standard": standard, "identifier": self._identifier(name)} \
            if kind == "pdf" else {}
        context = WriteContext((config.root, config.data.parent), source_date_epoch())
        try:
            jobs.run(jobs.WriteJob(name, kind, document, stage, target, context, options))
            os.replace(stage, target)
        except Exception as exc:
            self.log(f"{kind.upper()} not written:\n  " +
                     "\n  ".join(p.text for p in problems_of(exc)))
            return None
        with self.lock:
            made = view.downloads.get(kind)
            if made:
                made[1].unlink(missing_ok=True)
            view.downloads[kind] = (build, target)
        return target


def _folder_name(edition: str) -> str:
    """A folder for an edition's files: its name is a locale or two joined by `+`, but it is
    never trusted as a path."""
    return hashlib.sha1(edition.encode()).hexdigest()[:12]


def private_folder(output: Path) -> Path:
    """This process's own folder under `<output>/.serve/`; folders of processes that are gone
    are removed."""
    base = output / PRIVATE
    base.mkdir(parents=True, exist_ok=True)
    for child in base.iterdir():
        if child.name.isdigit() and int(child.name) != os.getpid() and not _alive(
                int(child.name)):
            shutil.rmtree(child, ignore_errors=True)
    mine = base / str(os.getpid())
    mine.mkdir(exist_ok=True)
    return mine


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
