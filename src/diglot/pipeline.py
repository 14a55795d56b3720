"""The spine: validate everything, render each locale once, hand it to every writer, publish."""

from __future__ import annotations

import multiprocessing.pool
import shutil
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from diglot import cache, colophon, glyphs, jobs, limits, publish
from diglot import data as data_module
from diglot.alttext import missing_alt_text
from diglot.colophon import Colophon
from diglot.config import Config, content_catalog_locales
from diglot.document import RenderedDocument, TypographyCounts, WriteContext
from diglot.edition import Edition
from diglot.epoch import source_date_epoch
from diglot.errors import (
    NOTE,
    BuildWarning,
    DiglotError,
    Location,
    OutputError,
    UsageError,
    shown_path,
)
from diglot.i18n.catalogs import MESSAGES_SOURCE_LOCALE, Fallback, Translator, load_translator
from diglot.localize import LocalizedReport, localize
from diglot.model import ReportData
from diglot.parallel import Parallel, count_pairs, pair_views
from diglot.project import Project, catalog_dirs, load_project
from diglot.render import render
from diglot.themes import ThemeChain
from diglot.writers import TABLE, processes

Progress = Callable[[str], None]


@dataclass
class LocaleCatalogs:
    content: Translator
    messages: Translator


@dataclass
class BuildResult:
    outputs: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)  # outputs the cache left in place
    seconds: float = 0.0
    warnings: list[BuildWarning] = field(default_factory=list)
    notes: list[BuildWarning] = field(default_factory=list)  # each said once
    catalogs: dict[str, LocaleCatalogs] = field(default_factory=dict)
    data: ReportData | None = None
    theme: ThemeChain | None = None
    project: Project | None = None  # for the status table, made before anything is published
    typography: dict[str, TypographyCounts] = field(default_factory=dict)  # by edition
    # Parallel editions by name: (pairs, pairs whose second half shows the source).
    pairs: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def fallbacks(self) -> list[Fallback]:
        return [f for c in self.catalogs.values() for t in (c.content, c.messages)
                for f in t.fallbacks]

    def fallback_counts(self) -> dict[tuple[str, str], Counter[str]]:
        """Distinct source strings shown untranslated, by (locale, domain) and reason."""
        counts: dict[tuple[str, str], Counter[str]] = {}
        seen: set[tuple[str, str, str]] = set()
        for f in self.fallbacks:
            if (f.locale, f.domain, f.msgid) in seen:
                continue
            seen.add((f.locale, f.domain, f.msgid))
            counts.setdefault((f.locale, f.domain), Counter())[f.reason] += 1
        return counts


class StrictFailure(DiglotError):
    category = "strict"


def build_locales(config: Config, data: ReportData) -> tuple[str, ...]:
    """The configured locales, or the source locale plus every locale with a content catalog."""
    if config.locales:
        return config.locales
    found = content_catalog_locales(config)
    return tuple(dict.fromkeys([data.report.source_locale, *found]))


def parallel_editions(config: Config, locales: tuple[str, ...]
                      ) -> tuple[tuple[Edition, ...], list[BuildWarning]]:
    """The parallel editions to build: those whose two locales are both built. One named on the
    command line must be; one of the settings is skipped, with a note, when `-l` leaves a
    locale out."""
    found, notes = [], []
    for edition in config.parallel:
        missing = [loc for loc in (edition.first, edition.second) if loc not in locales]
        if not missing:
            found.append(edition)
        elif config.parallel_from_flags:
            raise UsageError(f"--parallel {edition}: {' and '.join(missing)} "
                             f"{'is' if len(missing) == 1 else 'are'} not among the locales "
                             f"built ({', '.join(locales)}); add -l {' -l '.join(missing)}")
        else:
            notes.append(BuildWarning(NOTE, f"the parallel edition {edition} is not built: "
                                      f"{' and '.join(missing)} not among the locales built",
                                      Location(config.source)))
    return tuple(found), notes


def prepare(config: Config) -> tuple[ReportData, ThemeChain, dict[str, LocaleCatalogs],
                                     list[BuildWarning]]:
    """Everything that can be checked before rendering: settings, data, theme, catalogs."""
    source_date_epoch()
    data = data_module.load(config.data)
    theme = ThemeChain.build(config.theme, config.reference_docx, config.root).with_typography(
        config.typography)
    warnings: list[BuildWarning] = []
    catalogs = {
        locale: LocaleCatalogs(
            content=load_translator(catalog_dirs(config, theme, "content"), locale, "content",
                                    data.report.source_locale, warnings),
            messages=load_translator(catalog_dirs(config, theme, "messages"), locale,
                                     "messages", MESSAGES_SOURCE_LOCALE, warnings),
        )
        for locale in build_locales(config, data)
    }
    warnings += limits.size_warnings(data) + glyphs.report_warnings(
        data, {locale: c.content for locale, c in catalogs.items()})
    return data, theme, catalogs, warnings


def render_locale(data: ReportData, theme: ThemeChain, locale: str, catalogs: LocaleCatalogs,
                  editions: Colophon | None = None) -> RenderedDocument:
    """One locale's HTML; `editions` describes every locale of the build for the colophon."""
    if editions is None:
        editions = colophon.build(data, {locale: catalogs.content})
    return render(localize(data, locale, catalogs.content), theme, catalogs.messages, editions)


def build(config: Config, progress: Progress = lambda _message: None,
          force: bool = False) -> BuildResult:
    """Build every configured locale in every configured format; publish only on success.
    Outputs whose inputs did not change since the last build are left as they are, unless
    `force`."""
    started = time.perf_counter()
    epoch = source_date_epoch()
    inputs = cache.Inputs(config, epoch)  # before anything is read
    record = cache.load(config.output)
    data, theme, catalogs, warnings = prepare(config)
    inputs.add(theme.dirs, tuple(p for p in (theme.reference_docx,) if p is not None))
    result = BuildResult(warnings=warnings, catalogs=catalogs, data=data, theme=theme)
    for warning in warnings:
        if warning.kind == "size":  # said now, before the minutes it warns of
            progress(str(warning))
    options = {"pdf": {"standard": config.pdf_standard or theme.pdf_standard}}
    parallel, result.notes = parallel_editions(config, tuple(catalogs))
    staging = publish.open_staging(config.output)
    ahead: tuple[int, Future[multiprocessing.pool.Pool]] | None = None
    helper = ThreadPoolExecutor(1, thread_name_prefix="diglot-project")
    try:
        ahead = _pool_ahead(config, data, force or not record.outputs,
                            len(catalogs) + len(parallel))
        documents = render_all(data, theme, catalogs, result, parallel, config.parallel_layout)
        context = WriteContext((config.root, config.data.parent), epoch)
        planned = [jobs.WriteJob(
            locale, name, document, staging / locale / f"{data.report.id}{suffix}",
            config.output / locale / f"{data.report.id}{suffix}", context,
            options.get(name, {})) for locale, document in documents.items()
            for name, suffix in ((n, TABLE[n].suffix) for n in config.formats)]
        chunks = _chunks(config, data, [job.format for job in planned])
        if chunks > 1:  # part of the key: the pages can break otherwise than in one layout
            planned = [replace(job, options={**job.options, "chunks": chunks})
                       if job.format == "pdf" else job for job in planned]
        keys = {_name(config, job): inputs.job_key(job.document, job.format, job.options,
                                                    context) for job in planned}
        to_write = planned if force else _skip_unchanged(config, planned, keys, record,
                                                         result, progress)
        workers = _workers(config, data, [job.format for job in to_write])
        # Long layouts in this process say how far they are, under the output's own line.
        told = replace(context, progress=lambda message: progress(f"      {message}"))
        to_write = [replace(job, context=told) if workers == 1 or job.options.get("chunks", 1) > 1
                    else job for job in to_write]
        found_by_name: dict[str, list[BuildWarning]] = {}
        # The catalog templates (for the status the build ends with) are made while this
        # process waits for the outputs, not after them.
        project = helper.submit(load_project, config, data, theme)
        # A chunked PDF starts processes of its own, which a pool's worker cannot.
        pooled = [job for job in to_write if job.options.get("chunks", 1) == 1]
        chunked = [job for job in to_write if job.options.get("chunks", 1) > 1]
        workers, pool = (ahead[0], ahead[1].result()) if ahead is not None else (workers, None)
        for job, found in [*jobs.write_all(pooled, workers, progress, len(result.unchanged),
                                           pool),
                           *jobs.run_all(chunked, 1, progress,
                                         len(result.unchanged) + len(pooled))]:
            found_by_name[_name(config, job)] = found
            _take_warnings(result, found)
        staged = [(job.stage, job.target) for job in to_write]
        if config.strict:
            _fail_if_strict(result)
        result.project = project.result()

        def published(outputs: list[Path]) -> None:
            result.outputs = outputs
            _remember(config, record, inputs, result, keys, found_by_name)

        publish.move_into_place(config.output, staging, staged, published)
    except OSError as exc:
        raise OutputError(f"cannot publish the outputs: {exc.strerror}",
                          Location(config.output)) from None
    except BaseException as exc:  # Ctrl-C or SIGTERM: say whether the outputs were replaced
        exc.outputs_published = bool(result.outputs)  # type: ignore[attr-defined]
        raise
    finally:
        helper.shutdown(wait=False, cancel_futures=True)
        if ahead is not None:
            _stop(ahead[1])
        shutil.rmtree(staging, ignore_errors=True)
    result.seconds = time.perf_counter() - started
    return result


def render_parallel(data: ReportData, theme: ThemeChain, edition: Edition, layout: str,
                    first: LocaleCatalogs, second: LocaleCatalogs,
                    editions: Colophon | None = None) -> tuple[RenderedDocument, tuple[int, int]]:
    """A parallel edition's HTML, and its count of pairs and of pairs shown untranslated."""
    if editions is None:
        editions = colophon.build(data, {edition.first: first.content,
                                         edition.second: second.content})
    return _render_pairs(localize(data, edition.first, first.content),
                         localize(data, edition.second, second.content), theme, layout,
                         first.messages, second.messages, editions)


def _render_pairs(first: LocalizedReport, second: LocalizedReport, theme: ThemeChain,
                  layout: str, first_messages: Translator, second_messages: Translator,
                  editions: Colophon) -> tuple[RenderedDocument, tuple[int, int]]:
    view = pair_views(first, second)
    info = Parallel(first.locale, second.locale, first.lang, second.lang, layout)
    document = render(view, theme, first_messages, editions, (info, second_messages))
    return document, count_pairs(view)


def render_all(data: ReportData, theme: ThemeChain, catalogs: dict[str, LocaleCatalogs],
               result: BuildResult, parallel: tuple[Edition, ...] = (),
               layout: str | None = None) -> dict[str, RenderedDocument]:
    """Every locale and parallel edition rendered once (each locale's text translated once,
    for its own edition and the parallel ones); what rendering found goes into `result`."""
    editions = colophon.build(data, {locale: c.content for locale, c in catalogs.items()})
    views = {locale: localize(data, locale, c.content) for locale, c in catalogs.items()}
    documents = {locale: render(views[locale], theme, c.messages, editions)
                 for locale, c in catalogs.items()}
    for edition in parallel:
        documents[edition.name], result.pairs[edition.name] = _render_pairs(
            views[edition.first], views[edition.second], theme, layout or theme.parallel_layout,
            catalogs[edition.first].messages, catalogs[edition.second].messages, editions)
    for name, document in documents.items():
        result.typography[name] = document.typography
        result.warnings += missing_alt_text(document)
    return documents


def write_reference_docx(config: Config, locale: str | None, target: Path) -> str:
    """The report's DOCX in `locale` (default: the first one built), written to `target` to
    serve as a reference document: its styles are the ones the theme gives Word, to be edited
    there and named by `reference_docx` (whose body a build replaces). Returns the locale."""
    data, theme, catalogs, _warnings = prepare(config)
    locale = locale or next(iter(catalogs))
    if locale not in catalogs:
        raise UsageError(f"{locale} is not a locale of this project (it has "
                         f"{', '.join(catalogs)})")
    document = render_locale(data, theme, locale, catalogs[locale])
    stage = target.with_name(f".{target.name}.part")
    context = WriteContext((config.root, config.data.parent), source_date_epoch())
    try:
        jobs.run(jobs.WriteJob(locale, "docx", document, stage, target, context))
        stage.replace(target)
    finally:
        stage.unlink(missing_ok=True)
    return locale


def check(config: Config) -> BuildResult:
    """What a build checks, without writing: settings, data, theme and catalogs, every locale
    rendered, every template of the themes read for its messages."""
    data, theme, catalogs, warnings = prepare(config)
    result = BuildResult(warnings=warnings, catalogs=catalogs, data=data, theme=theme)
    parallel, result.notes = parallel_editions(config, tuple(catalogs))
    render_all(data, theme, catalogs, result, parallel, config.parallel_layout)
    result.project = load_project(config, data, theme)
    return result


def _workers(config: Config, data: ReportData, formats: list[str]) -> int:
    """How many processes write the outputs of `formats`: `jobs` when set; else every core
    when the outputs would take a while in one (a pool costs a second or two to start), else
    one."""
    if config.jobs is not None:
        return config.jobs
    pdfs, docxs = formats.count("pdf"), formats.count("docx")
    serial = (pdfs * limits.estimated_pages(data) * limits.SECONDS_PER_PAGE
              + docxs * limits.SECONDS_PER_DOCX)
    return jobs.available_cores() if serial >= limits.PARALLEL_ABOVE_SECONDS else 1


def _pool_ahead(config: Config, data: ReportData, everything: bool, editions: int
                ) -> tuple[int, Future[multiprocessing.pool.Pool]] | None:
    """Worker processes (and how many) started before rendering, when `everything` is to be
    written and more than one process would write it: they get ready (WeasyPrint loaded)
    while this process renders. The pool starts in a thread, as its processes wait for the
    fork server to load the writers. A PDF in chunks starts its processes later, from the
    fork server, which is started now for them."""
    formats = [name for name in config.formats for _ in range(editions)]
    if _chunks(config, data, formats) > 1:
        processes.start_ahead()
        formats = [name for name in formats if name != "pdf"]  # not written in the pool
    workers = min(_workers(config, data, formats), len(formats))
    if not everything or workers < 2:
        return None
    starter = ThreadPoolExecutor(1, thread_name_prefix="diglot-pool")
    try:
        return workers, starter.submit(jobs.start_pool, workers, formats=sorted(set(formats)))
    finally:
        starter.shutdown(wait=False)


def _stop(pool: Future[multiprocessing.pool.Pool]) -> None:
    """Terminate a pool started ahead, once it has started."""
    try:
        started = pool.result()
    except Exception:  # it never started: nothing to stop (a build that used it said why)
        return
    started.terminate()


def _chunks(config: Config, data: ReportData, formats: list[str]) -> int:
    """How many chunks of people each PDF is laid out in at once: the setting's number; with
    `auto`, when the PDF is long and fewer PDFs than processes (`jobs`, else cores) are
    written, one chunk per process, or more to keep each under PAGES_PER_CHUNK pages (and
    its process's memory bounded); else 1."""
    if config.chunks == "off":
        return 1
    if isinstance(config.chunks, int):
        return config.chunks
    cores = config.jobs or jobs.available_cores()
    pages = limits.estimated_pages(data)
    if pages < limits.CHUNK_ABOVE_PAGES or cores < 2 or formats.count("pdf") >= cores:
        return 1
    return max(cores, -(-pages // limits.PAGES_PER_CHUNK))


def _fail_if_strict(result: BuildResult) -> None:
    problems = [f"{sum(c.values())} {domain} string(s) not translated for {locale}"
                for (locale, domain), c in result.fallback_counts().items()]
    problems += [str(w) for w in result.warnings]
    if problems:
        raise StrictFailure("--strict: nothing was written because of:\n  " +
                            "\n  ".join(problems))


def _take_warnings(result: BuildResult, found: list[BuildWarning]) -> None:
    """A job's warnings into the result; each note said once."""
    result.warnings += [w for w in found if w.kind != NOTE]
    result.notes += [w for w in found if w.kind == NOTE and
                     w.message not in {n.message for n in result.notes}]


def _name(config: Config, job: jobs.WriteJob) -> str:
    """An output as the cache records it: its path inside the output folder."""
    return job.target.relative_to(config.output).as_posix()


def _skip_unchanged(config: Config, planned: list[jobs.WriteJob], keys: dict[str, str],
                    record: cache.Record, result: BuildResult, progress: Progress
                    ) -> list[jobs.WriteJob]:
    """The jobs to run: those whose output the record does not show as made from the same
    key and still as published. The others are said unchanged, with the warnings they had."""
    to_write = []
    for job in planned:
        entry = record.fresh(config.output, _name(config, job), keys[_name(config, job)])
        if entry is None:
            to_write.append(job)
            continue
        result.unchanged.append(job.target)
        progress(f"[{len(result.unchanged)}/{len(planned)}] {job.locale} {job.format}: "
                 f"unchanged ({shown_path(job.target)})")
        _take_warnings(result, entry.warnings)
    return to_write


def _remember(config: Config, record: cache.Record, inputs: cache.Inputs, result: BuildResult,
              keys: dict[str, str], written: dict[str, list[BuildWarning]]) -> None:
    """Record what the build published, for the next build to skip what did not change."""
    for name, found in written.items():
        digest = cache.sha256_file(config.output / name)
        if digest is not None:
            record.outputs[name] = cache.Entry(keys[name], digest, found)
    record.build_key = inputs.build_key()
    record.folders = [str(folder) for folder in inputs.trees]
    record.files = [str(path) for path in inputs.extra_files]
    record.built = list(keys)
    record.warnings = [*result.warnings, *result.notes]
    cache.save(config.output, record)

