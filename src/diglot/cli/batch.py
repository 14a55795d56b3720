"""`diglot batch`: many data files with one project's settings, then a summary."""

from __future__ import annotations

import argparse
import sys

from diglot.cli.arguments import settings
from diglot.cli.output import EXIT_FAILED, EXIT_OK, progress
from diglot.errors import UsageError, shown_path


def run(args: argparse.Namespace) -> int:
    if args.executor == "local" and args.scheduler:
        raise UsageError("--scheduler needs --executor dask")
    executor = args.executor or ("dask" if args.scheduler else "local")
    args.data = args.files[0]  # the settings need a data file; each report replaces it
    config = settings(args)
    from diglot import batch  # deferred: the rendering stack takes a while to load

    result = batch.build(config, args.files, progress, force=args.force,
                         keep_going=args.keep_going, executor=executor,
                         scheduler=args.scheduler)
    for warning in [*result.warnings, *result.notes]:
        print(warning, file=sys.stderr)
    for report in result.failed:
        assert report.error is not None
        print(report.error, file=sys.stderr)
    print(f"{len(result.reports)} report(s) in {result.seconds:.1f} s: "
          f"{len(result.built)} built, {len(result.skipped)} unchanged, "
          f"{len(result.failed)} failed; {len(result.outputs)} file(s) written, "
          f"{len(result.unchanged)} unchanged.")
    for report in result.failed:
        print(f"  failed: {shown_path(report.file)}")
    print(f"{len(result.warnings)} warning(s).")
    return EXIT_FAILED if result.failed else EXIT_OK
