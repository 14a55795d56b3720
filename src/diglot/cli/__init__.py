"""Command line: `main(argv)` parses, runs one command, and turns every way a command can end
(an error, Ctrl-C, SIGTERM, a closed pipe, a bug) into one message and an exit status. The
commands live one per module beside it; nothing else in diglot prints or exits."""

from __future__ import annotations

import atexit
import contextlib
import importlib
import os
import signal
import sys
import threading
import traceback
from collections.abc import Sequence
from typing import NoReturn

from diglot import collector
from diglot.cli.arguments import make_parser
from diglot.cli.output import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from diglot.errors import DiglotError, ErrorGroup, UsageError, shown_path

# Each command's module, imported when it runs: a build with nothing changed must not pay for
# loading what rendering needs.
COMMANDS = {"build": "build", "batch": "batch", "check": "check", "extract": "extract",
            "init": "init_locale", "update": "update", "compile": "compile", "status": "status",
            "new": "new", "theme": "theme", "serve": "serve"}


class Terminated(BaseException):
    """SIGTERM, turned into an exception so that a build cleans up as it does on Ctrl-C."""


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = make_parser().parse_args(argv)
    except SystemExit as exc:  # argparse's own usage errors and --help
        return int(exc.code or 0)
    previous = _on_sigterm()
    try:
        return importlib.import_module(f"diglot.cli.{COMMANDS[args.command]}").run(args)
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


def program() -> NoReturn:
    """`diglot` as a program: `main` on the command line, then the exit. The interpreter is
    not torn down (a quarter of a second after a build, spent freeing what nobody will use
    again): the exit handlers run and the output is flushed, then the process ends. While a
    thread of a command still runs, the exit waits for it, as an ordinary one does."""
    collector.relax()
    code = main()
    if any(thread.is_alive() and not thread.daemon for thread in threading.enumerate()
           if thread is not threading.main_thread()):
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader that left; a closed stream
            stream.flush()
    os._exit(code)


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
