"""The command line's grammar: every command, option and help text, and the settings the
options override."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from diglot import __version__, pdfstandard
from diglot.edition import LAYOUTS
from diglot.writers import FORMATS

if TYPE_CHECKING:
    from diglot.config import Config


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="diglot", description="Render data about people plus a commentary as reports in "
        "several languages (PDF, DOCX, HTML) through gettext catalogs.")
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
    build.add_argument("-j", "--jobs", type=int, metavar="N",
                       help="write the outputs in N processes (default: every core when the "
                       "build is long enough to gain from it, else one)")
    build.add_argument("--chunks", metavar="auto|off|K",
                       help="lay out a long PDF (over about 100 pages) as K chunks of people "
                       "in K processes at once and stitch them into one file (default: auto, "
                       "one chunk per process of -j; off: one process)")
    build.add_argument("--parallel", action="append", metavar="FIRST:SECOND",
                       help="also build the parallel edition of two locales, each passage "
                       "beside its translation, into build/FIRST+SECOND/ (repeatable; e.g. "
                       "zh_CN:en)")
    build.add_argument("--parallel-layout", choices=LAYOUTS,
                       help="columns: the two languages side by side; interleaved: each "
                       "passage followed by its translation (default: the theme's, else "
                       "columns)")
    build.add_argument("--strict", action="store_true",
                       help="fail on any untranslated string or warning")
    build.add_argument("--force", action="store_true",
                       help="write every output again, even those whose inputs did not "
                       "change since the last build")

    serve = commands.add_parser("serve", help="a live preview: the real pages in a browser, "
                                "built again whenever a file is saved")
    common(serve)
    serve.add_argument("--port", type=_port, default=8000, metavar="N",
                       help="the port to listen on (default: 8000; 0: any free port)")
    serve.add_argument("--host", default="127.0.0.1", metavar="ADDRESS",
                       help="the address to listen on (default: 127.0.0.1, this machine only)")
    serve.add_argument("-l", "--locale", dest="locales", action="append", metavar="LOCALE",
                       help="show this locale (repeatable; default: the configured ones)")
    serve.add_argument("--theme", metavar="DIR|NAME",
                       help="a theme folder, or a built-in theme: default, brief")
    serve.add_argument("--parallel", action="append", metavar="FIRST:SECOND",
                       help="also show the parallel edition of two locales (repeatable)")
    serve.add_argument("--parallel-layout", choices=LAYOUTS,
                       help="columns or interleaved (default: the theme's, else columns)")

    batch = commands.add_parser("batch", help="build many data files with the project's "
                                "settings, theme and catalogs, locally or on a Dask cluster")
    batch.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                       help="show tracebacks of errors")
    batch.add_argument("files", nargs="+", type=Path, metavar="DATA_FILE",
                       help="the reports' data files (YAML)")
    batch.add_argument("-o", "--output", type=Path, metavar="DIR",
                       help="output folder (default: the project's, build)")
    batch.add_argument("-l", "--locale", dest="locales", action="append", metavar="LOCALE",
                       help="build this locale (repeatable; default: the configured ones)")
    batch.add_argument("-f", "--format", dest="formats", action="append", metavar="FORMAT",
                       choices=FORMATS, help=f"{' or '.join(FORMATS)} (repeatable)")
    batch.add_argument("--parallel", action="append", metavar="FIRST:SECOND",
                       help="also build this parallel edition of every report (repeatable)")
    batch.add_argument("--keep-going", action="store_true",
                       help="build and publish the other reports when one fails (exit "
                       "status 1 at the end); without it a failure publishes nothing")
    batch.add_argument("--executor", choices=("local", "dask"),
                       help="local: a pool of processes on this machine (default); dask: a "
                       "Dask cluster (pip install 'diglot[dask]')")
    batch.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                       help="the Dask scheduler to send the jobs to (implies --executor dask; "
                       "default: a LocalCluster on this machine)")
    batch.add_argument("-j", "--jobs", type=int, metavar="N",
                       help="processes (local) or LocalCluster workers (default: every core)")
    batch.add_argument("--force", action="store_true",
                       help="write every output again, even those whose inputs did not "
                       "change since the last build")

    check = commands.add_parser("check", help="validate data, catalogs and templates; "
                                "write nothing")
    common(check)
    check.add_argument("-l", "--locale", dest="locales", action="append", metavar="LOCALE")
    check.add_argument("--theme", metavar="DIR|NAME")
    check.add_argument("--parallel", action="append", metavar="FIRST:SECOND",
                       help="also check this parallel edition (repeatable)")
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
    reference = theme_commands.add_parser(
        "reference-docx", help="write the report as a Word reference document: edit its "
        "styles in Word, then name it by reference_docx")
    common(reference)
    reference.add_argument("-o", "--output", dest="target", type=Path, metavar="FILE",
                           default=Path("reference.docx"),
                           help="the file to write (default: reference.docx)")
    reference.add_argument("-l", "--locale", dest="reference_locale", metavar="LOCALE",
                           help="the locale whose styles (fonts, languages) it carries "
                           "(default: the first configured)")
    reference.add_argument("--theme", metavar="DIR|NAME")
    return parser


def _port(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number (0 to 65535)")
    return int(value)


def _pdf_standard(value: str) -> str:
    try:
        pdfstandard.parse(value)
    except pdfstandard.StandardError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value


def settings(args: argparse.Namespace) -> Config:
    """The project's settings with the command line's options over them."""
    from diglot import config  # deferred: `--help` does not need the settings' readers

    flags: dict[str, Any] = {key: getattr(args, key, None) for key in (
        "data", "locales", "formats", "output", "theme", "reference_docx", "strict",
        "pdf_standard", "jobs", "parallel", "parallel_layout", "chunks")}
    return config.load(args.project, flags, FORMATS)
