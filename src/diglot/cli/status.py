"""`diglot status`: translated, fuzzy and untranslated strings per locale and domain."""

from __future__ import annotations

import argparse
import json

from diglot import project
from diglot.cli.arguments import settings
from diglot.cli.output import EXIT_FAILED, EXIT_OK, print_status


def run(args: argparse.Namespace) -> int:
    config = settings(args)
    loaded = project.load_project(config)
    # -l narrows the table to those locales; without it, every locale with a catalog.
    rows = project.catalog_status(config, loaded, list(config.locales) if args.locales else None)
    if args.json:
        print(json.dumps([row.as_json() for row in rows], ensure_ascii=False, indent=2))
    else:
        print_status(rows)
    if args.strict and not all(row.complete for row in rows):
        return EXIT_FAILED
    return EXIT_OK
