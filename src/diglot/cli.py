"""Command line: parse arguments, call the pipeline, print, exit. The only module that prints."""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from diglot import __version__, pipeline
from diglot import config as config_module
from diglot.errors import DiglotError, ErrorGroup, UsageError

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
                       choices=("pdf", "html"), help="pdf or html (repeatable)")
    build.add_argument("-o", "--output", type=Path, metavar="DIR",
                       help="output folder (default: build)")
    build.add_argument("--theme", type=Path, metavar="DIR", help="theme folder")
    build.add_argument("--strict", action="store_true",
                       help="fail on any untranslated string or warning")

    check = commands.add_parser("check", help="validate data, catalogs and templates")
    common(check)
    check.add_argument("-l", "--locale", dest="locales", action="append", metavar="LOCALE")
    check.add_argument("--theme", type=Path, metavar="DIR")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")

    extract = commands.add_parser("extract", help="write locales/messages.pot and content.pot")
    common(extract)
    extract.add_argument("--theme", type=Path, metavar="DIR")

    compile_ = commands.add_parser("compile", help="compile every .po into a .mo")
    common(compile_)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse's own usage errors and --help
        return int(exc.code or 0)
    try:
        return _run(args)
    except UsageError as exc:
        _report_error(exc, args.debug)
        return EXIT_USAGE
    except DiglotError as exc:
        _report_error(exc, args.debug)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("diglot: interrupted; earlier outputs are untouched", file=sys.stderr)
        return 130


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
            ("data", "locales", "formats", "output", "theme", "strict")}


def _run(args: argparse.Namespace) -> int:
    from diglot.writers import FORMATS

    config = config_module.load(args.project, _flags(args), FORMATS)
    if args.command == "build":
        return _build(config)
    if args.command == "check":
        return _check(config)
    if args.command == "extract":
        return _extract(config)
    if args.command == "compile":
        return _compile(config)
    raise UsageError(f"unknown command {args.command!r}")  # pragma: no cover - argparse guards


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _build(config: config_module.Config) -> int:
    result = pipeline.build(config, _progress)
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    print(f"Wrote {len(result.outputs)} file(s) in {result.seconds:.1f} s:")
    for path in result.outputs:
        print(f"  {pipeline.shown_path(path)}  ({path.stat().st_size / 1024:.0f} KiB)")
    _print_fallbacks(result)
    print(f"{len(result.warnings)} warning(s).")
    return EXIT_OK


def _print_fallbacks(result: pipeline.BuildResult) -> None:
    counts = result.fallback_counts()
    if not counts:
        print("Every string was translated.")
        return
    for (locale, domain), reasons in sorted(counts.items()):
        detail = ", ".join(f"{n} {reason}" for reason, n in sorted(reasons.items()))
        print(f"  {locale} {domain}: {sum(reasons.values())} string(s) shown in the source "
              f"language ({detail})")


def _check(config: config_module.Config) -> int:
    data, theme, catalogs, warnings = pipeline.prepare(config)
    for locale, locale_catalogs in catalogs.items():
        pipeline.render_locale(data, theme, locale, locale_catalogs)
    for warning in warnings:
        print(warning, file=sys.stderr)
    result = pipeline.BuildResult(warnings=warnings, catalogs=catalogs)
    print(f"{config.data.name}: {len(data.people)} people, "
          f"{sum(1 for _ in data.texts())} text(s); locales: {', '.join(catalogs)}")
    _print_fallbacks(result)
    if config.strict and (warnings or result.fallbacks):
        return EXIT_FAILED
    return EXIT_OK


def _extract(config: config_module.Config) -> int:
    from diglot import data as data_module
    from diglot.i18n import extract
    from diglot.i18n.catalogs import pot_path
    from diglot.themes import ThemeChain

    report = data_module.load(config.data)
    theme = ThemeChain.build(config.theme)
    ref = pipeline.relative_ref(config.data, config.root)
    templates = {
        "messages": extract.messages_catalog(theme.dirs, config.root),
        "content": extract.content_catalog(report, ref),
    }
    for domain, catalog in templates.items():
        path = pot_path(config.locale_dir, domain)
        written = extract.write_template(catalog, path)
        state = "written" if written else "unchanged"
        print(f"{pipeline.shown_path(path)}: {len(catalog)} message(s), {state}")
    return EXIT_OK


def _compile(config: config_module.Config) -> int:
    from diglot.i18n.catalogs import compile_mo, read_catalog, write_atomic

    count = 0
    for po in sorted(config.locale_dir.glob("*/LC_MESSAGES/*.po")):
        locale, domain = po.parent.parent.name, po.stem
        write_atomic(po.with_suffix(".mo"), compile_mo(read_catalog(po, locale, domain)))
        print(f"{pipeline.shown_path(po.with_suffix('.mo'))}")
        count += 1
    print(f"Compiled {count} catalog(s).")
    return EXIT_OK
