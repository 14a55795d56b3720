"""Command line: parse arguments, call the pipeline, print, exit. The only module that prints."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from diglot import __version__, pdfstandard, pipeline
from diglot import config as config_module
from diglot.alttext import missing_alt_text
from diglot.errors import DiglotError, ErrorGroup, UsageError, shown_path
from diglot.i18n import workflow
from diglot.i18n.catalogs import pot_path
from diglot.i18n.locale_id import locale_problem
from diglot.i18n.pofile import write_catalog
from diglot.i18n.status import DomainStatus
from diglot.themes import ThemeChain
from diglot.writers import FORMATS

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="diglot", description="Render data about people plus a commentary as reports in "
        "several languages (PDF, HTML) through gettext catalogs.")
    parser.add_argument("--version", action="version", version=f"diglot {__version__}")
    parser.add_argument("-C", "--project", type=Path, default=Path("."), metavar="DIR",
                        help="project folder (default: the current folder)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--data", type=Path, metavar="FILE", help="the data file (YAML)")
        sub.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                         help="show tracebacks of errors")

    build = commands.add_parser("build", help="build the report in every locale and format")
    common(build)
    build.add_argument("-l", "--locale", dest="locales", action="append", metavar="LOCALE",
                       help="build this locale (repeatable; default: the configured ones)")
    build.add_argument("-f", "--format", dest="formats", action="append", metavar="FORMAT",
                       choices=FORMATS, help=f"{' or '.join(FORMATS)} (repeatable)")
    build.add_argument("-o", "--output", type=Path, metavar="DIR",
                       help="output folder (default: build)")
    build.add_argument("--theme", metavar="DIR|NAME",
                       help="a theme folder, or a built-in theme: default, brief")
    build.add_argument("--reference-docx", type=Path, metavar="FILE",
                       help="a Word document whose styles the DOCX output uses")
    build.add_argument("--pdf-standard", type=_pdf_standard, metavar="LIST",
                       help="standards the PDF meets, comma-separated: "
                       f"{', '.join(pdfstandard.KNOWN)} (default: {pdfstandard.DEFAULT})")
    build.add_argument("--strict", action="store_true",
                       help="fail on any untranslated string or warning")

    check = commands.add_parser("check", help="validate data, catalogs and templates; "
                                "write nothing")
    common(check)
    check.add_argument("-l", "--locale", dest="locales", action="append", metavar="LOCALE")
    check.add_argument("--theme", metavar="DIR|NAME")
    check.add_argument("--strict", action="store_true",
                       help="fail on any untranslated string or warning")

    extract = commands.add_parser("extract", help="write locales/messages.pot and content.pot")
    common(extract)
    extract.add_argument("--theme", metavar="DIR|NAME")

    init = commands.add_parser("init", help="start catalogs for a new language")
    common(init)
    init.add_argument("new_locale", metavar="LOCALE", help="e.g. de, fr, zh_TW")
    init.add_argument("--theme", metavar="DIR|NAME")
    init.add_argument("--prefill", choices=("opencc",),
                      help="pre-translate (marked fuzzy): opencc converts Simplified Chinese "
                      "into Traditional")

    update = commands.add_parser("update", help="extract, then merge the templates into every "
                                 "catalog (changed text becomes fuzzy)")
    common(update)
    update.add_argument("--theme", metavar="DIR|NAME")
    update.add_argument("--no-obsolete", action="store_true",
                        help="drop entries whose source text is gone instead of keeping them")

    compile_ = commands.add_parser("compile", help="compile every .po into a .mo")
    common(compile_)

    status = commands.add_parser("status", help="translated, fuzzy and untranslated strings "
                                 "per locale and domain")
    common(status)
    status.add_argument("-l", "--locale", dest="locales", action="append", metavar="LOCALE")
    status.add_argument("--theme", metavar="DIR|NAME")
    status.add_argument("--json", action="store_true", help="machine-readable output")
    status.add_argument("--strict", action="store_true",
                        help="exit 1 when anything is not translated")

    new = commands.add_parser("new", help="start a report project in a new folder")
    new.add_argument("folder", type=Path, metavar="DIR")

    theme = commands.add_parser("theme", help="work on themes")
    theme_commands = theme.add_subparsers(dest="theme_command", required=True,
                                          metavar="THEME_COMMAND")
    theme_init = theme_commands.add_parser("init", help="copy the default theme for editing")
    theme_init.add_argument("folder", type=Path, metavar="DIR")
    theme_init.add_argument("--full", action="store_true",
                            help="copy every file of the default theme, not only an override")
    theme_doc = theme_commands.add_parser("doc", help="print the template reference "
                                          "(context, filters, blocks, theme.toml)")
    theme_doc.add_argument("-o", "--output", type=Path, metavar="FILE",
                           help="write it to FILE instead of printing it")
    return parser


def _pdf_standard(value: str) -> str:
    try:
        pdfstandard.parse(value)
    except pdfstandard.StandardError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value


class Terminated(BaseException):
    """SIGTERM, turned into an exception so that a build cleans up as it does on Ctrl-C."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse's own usage errors and --help
        return int(exc.code or 0)
    previous = _on_sigterm()
    try:
        return _run(args)
    except UsageError as exc:
        _report_error(exc, args.debug)
        return EXIT_USAGE
    except DiglotError as exc:
        _report_error(exc, args.debug)
        return EXIT_FAILED
    except (KeyboardInterrupt, Terminated) as exc:
        stopped = "interrupted" if isinstance(exc, KeyboardInterrupt) else "terminated"
        outputs = ("the outputs had just been replaced, all of them" if
                   getattr(exc, "outputs_published", False) else "earlier outputs are untouched")
        print(f"diglot: {stopped}; {outputs}", file=sys.stderr)
        return 130 if isinstance(exc, KeyboardInterrupt) else 143
    except BrokenPipeError:  # `diglot status | head -1`: the reader has what it wanted
        _quiet_stdout()
        return EXIT_OK
    except OSError as exc:  # a file-system error no command foresaw
        if args.debug:
            traceback.print_exception(exc)
        where = f"{shown_path(exc.filename)}: " if exc.filename else "diglot: error: "
        print(f"{where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:
        if args.debug:
            traceback.print_exception(exc)
        print(f"diglot: internal error: {type(exc).__name__}: {str(exc)[:300]}"
              + ("" if args.debug else " (run with --debug for the traceback)"), file=sys.stderr)
        return EXIT_FAILED
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _on_sigterm() -> signal.Handlers | None:
    """Raise `Terminated` on SIGTERM while a command runs (the main thread only can)."""

    def terminate(_signum: int, _frame: object) -> None:
        raise Terminated

    try:
        return signal.signal(signal.SIGTERM, terminate)  # type: ignore[return-value]
    except ValueError:  # not the main thread
        return None


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's last flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a file descriptor (captured in tests)
        pass


def _report_error(exc: DiglotError, debug: bool) -> None:
    if debug:
        traceback.print_exception(exc)
    errors = exc.errors if isinstance(exc, ErrorGroup) else [exc]
    for error in errors:
        text = str(error)
        print(text if error.location.file else f"diglot: error: {text}", file=sys.stderr)
    if len(errors) > 1:
        print(f"diglot: {len(errors)} errors", file=sys.stderr)


def _flags(args: argparse.Namespace) -> dict[str, Any]:
    return {key: getattr(args, key, None) for key in
            ("data", "locales", "formats", "output", "theme", "reference_docx", "strict",
             "pdf_standard")}


def _run(args: argparse.Namespace) -> int:
    if args.command == "new":
        return _new(args)
    if args.command == "theme":
        return _theme(args)
    config = config_module.load(args.project, _flags(args), FORMATS)
    commands = {"build": _build, "check": _check, "extract": _extract, "init": _init,
                "update": _update, "compile": _compile, "status": _status}
    return commands[args.command](config, args)


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _build(config: config_module.Config, args: argparse.Namespace) -> int:
    result = pipeline.build(config, _progress)
    for warning in [*result.warnings, *result.notes]:
        print(warning, file=sys.stderr)
    print(f"Wrote {len(result.outputs)} file(s) in {result.seconds:.1f} s:")
    for path in result.outputs:
        print(f"  {shown_path(path)}  ({path.stat().st_size / 1024:.0f} KiB)")
    _print_fallbacks(result)
    _print_typography(result)
    print(f"{len(result.warnings)} warning(s).")
    assert result.project is not None  # made by the build before it published
    _print_status(pipeline.catalog_status(config, result.project, list(result.catalogs)))
    return EXIT_OK


def _print_typography(result: pipeline.BuildResult) -> None:
    for locale, counts in result.typography.items():
        if counts.punctuation or counts.spaces:
            print(f"  {locale} typography: {counts.punctuation} punctuation mark(s) made "
                  f"full-width, {counts.spaces} typed space(s) between Han and Latin set as "
                  "layout spacing")


def _print_fallbacks(result: pipeline.BuildResult) -> None:
    counts = result.fallback_counts()
    if not counts:
        print("Every string was translated.")
        return
    for (locale, domain), reasons in sorted(counts.items()):
        detail = ", ".join(f"{n} {reason}" for reason, n in sorted(reasons.items()))
        print(f"  {locale} {domain}: {sum(reasons.values())} string(s) shown in the source "
              f"language ({detail})")


def _check(config: config_module.Config, args: argparse.Namespace) -> int:
    data, theme, catalogs, warnings = pipeline.prepare(config)
    for locale, locale_catalogs in catalogs.items():
        warnings += missing_alt_text(pipeline.render_locale(data, theme, locale,
                                                            locale_catalogs))
    pipeline.load_project(config, data, theme)  # every template of the themes reads
    for warning in warnings:
        print(warning, file=sys.stderr)
    result = pipeline.BuildResult(warnings=warnings, catalogs=catalogs)
    print(f"{shown_path(config.data)}: {len(data.people)} people, "
          f"{sum(1 for _ in data.texts())} text(s); rendered {', '.join(catalogs)}; "
          f"{len(warnings)} warning(s)")
    _print_fallbacks(result)
    if config.strict and (warnings or result.fallbacks):
        print("--strict: failing because of the above", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _write_templates(config: config_module.Config, project: pipeline.Project) -> None:
    targets = [(pot_path(config.locale_dir, domain), catalog)
               for domain, catalog in project.templates.items()]
    targets += [(pot_path(folder, "messages"), catalog)
                for folder, catalog in project.theme_templates.items()]
    for path, catalog in targets:
        state = "written" if write_catalog(catalog, path) else "unchanged"
        print(f"{shown_path(path)}: {len(catalog)} message(s), {state}")


def _extract(config: config_module.Config, args: argparse.Namespace) -> int:
    _write_templates(config, pipeline.load_project(config))
    return EXIT_OK


def _init(config: config_module.Config, args: argparse.Namespace) -> int:
    locale = args.new_locale
    problem = locale_problem(locale)
    if problem:
        raise UsageError(problem)
    project = pipeline.load_project(config)
    domains = workflow.domains_for(locale, project.data)
    if not domains:
        print(f"{locale} reads the source text as it is: no catalog is needed.")
        return EXIT_OK
    fill = None
    if args.prefill == "opencc":
        from diglot.i18n.prefill import opencc_prefill

        fill = opencc_prefill(locale, project.data.report.source_locale,
                              pipeline.catalog_dirs(config, project.theme, "messages"))
    for path in workflow.init_locale(config.locale_dir, locale, project.templates, domains, fill):
        print(f"{shown_path(path)}: created"
              + (" (pre-translated, every entry fuzzy until reviewed)" if fill else ""))
    if locale not in config.locales:
        print(f"Add {locale!r} to `locales` in [tool.diglot] to build it by default.")
    return EXIT_OK


def _update(config: config_module.Config, args: argparse.Namespace) -> int:
    project = pipeline.load_project(config)
    _write_templates(config, project)
    updated = workflow.update_catalogs(config.locale_dir, project.templates,
                                       no_obsolete=args.no_obsolete)
    for folder, catalog in project.theme_templates.items():
        updated += workflow.update_catalogs(folder, {"messages": catalog},
                                            no_obsolete=args.no_obsolete)
    for item in updated:
        state = "updated" if item.written else "unchanged"
        print(f"{shown_path(item.path)}: {state}; {item.fuzzy} fuzzy, "
              f"{item.obsolete} obsolete")
    return EXIT_OK


def _compile(config: config_module.Config, args: argparse.Namespace) -> int:
    theme = ThemeChain.build(config.theme, config.reference_docx, config.root)
    folders = [config.locale_dir] + [t.folder / "locales" for t in
                                     workflow.project_themes_with_catalogs(theme, config.root)]
    written = [path for folder in folders for path in workflow.compile_catalogs(folder)]
    for path in written:
        print(shown_path(path))
    print(f"Compiled {len(written)} catalog(s).")
    return EXIT_OK


def _status(config: config_module.Config, args: argparse.Namespace) -> int:
    project = pipeline.load_project(config)
    # -l narrows the table to those locales; without it, every locale with a catalog.
    rows = pipeline.catalog_status(config, project, list(config.locales) if args.locales else None)
    if args.json:
        print(json.dumps([row.as_json() for row in rows], ensure_ascii=False, indent=2))
    else:
        _print_status(rows)
    if args.strict and not all(row.complete for row in rows):
        return EXIT_FAILED
    return EXIT_OK


def _print_status(rows: list[DomainStatus]) -> None:
    if not rows:
        print("No catalogs: the report is built in its source language only.")
        return
    header = ("Locale", "Domain", "Translated", "Fuzzy", "Untranslated", "Obsolete", "Done")
    lines = [header] + [
        (r.locale, r.domain, str(r.translated), str(r.fuzzy), str(r.untranslated),
         str(r.obsolete), "no catalog" if r.missing else f"{r.percent:.0f}%")
        for r in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        cells = [c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(line, widths,
                                                                                     strict=True))]
        print("  ".join(cells).rstrip())


def _new(args: argparse.Namespace) -> int:
    from diglot.scaffold import create_project

    folder = args.project / args.folder
    written = create_project(folder)
    print(f"Created {shown_path(folder)} ({len(written)} files). Next:")
    print(f"  cd {shown_path(folder)} && diglot build")
    return EXIT_OK


def _theme(args: argparse.Namespace) -> int:
    if args.theme_command == "doc":
        from diglot.themedoc import reference

        text = reference()
        if args.output:
            args.output.write_text(text, encoding="utf-8")
            print(f"{shown_path(args.output)}: written")
        else:
            print(text, end="")
        return EXIT_OK
    from diglot.scaffold import init_theme

    folder = args.project / args.folder
    written = init_theme(folder, full=args.full)
    print(f"Created {shown_path(folder)} ({len(written)} files). Use it with "
          f"`diglot build --theme {shown_path(folder)}` or `theme = ...` in "
          "[tool.diglot].")
    return EXIT_OK
