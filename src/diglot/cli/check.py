"""`diglot check`: everything a build checks, nothing written."""

from __future__ import annotations

import argparse
import sys

from diglot import pipeline
from diglot.cli.arguments import settings
from diglot.cli.output import EXIT_FAILED, EXIT_OK, print_fallbacks
from diglot.errors import shown_path


def run(args: argparse.Namespace) -> int:
    config = settings(args)
    result = pipeline.check(config)
    assert result.data is not None
    for warning in [*result.warnings, *result.notes]:
        print(warning, file=sys.stderr)
    print(f"{shown_path(config.data)}: {len(result.data.people)} people, "
          f"{sum(1 for _ in result.data.texts())} text(s); rendered "
          f"{', '.join([*result.catalogs, *result.pairs])}; "
          f"{len(result.warnings)} warning(s)")
    print_fallbacks(result)
    if config.strict and (result.warnings or result.fallbacks):
        print("--strict: failing because of the above", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK
