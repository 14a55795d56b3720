"""`diglot build`: every configured locale in every configured format, then a summary."""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING

from diglot import cache
from diglot.cli.arguments import settings
from diglot.cli.output import EXIT_OK, print_fallbacks, print_status, progress
from diglot.epoch import source_date_epoch
from diglot.errors import NOTE, shown_path

if TYPE_CHECKING:
    from diglot.config import Config

HEAVY_FORMATS = ("pdf", "docx")  # the formats whose writers take seconds, not milliseconds


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    config = settings(args)
    if not args.force and (record := cache.unchanged(config, source_date_epoch())) is not None:
        for warning in record.warnings:
            print(warning, file=sys.stderr)
        print(f"Nothing changed since the last build: {len(record.built)} file(s) up to date "
              f"in {time.perf_counter() - started:.1f} s.")
        print(f"{sum(w.kind != NOTE for w in record.warnings)} warning(s).")
        return EXIT_OK
    if _likely_in_processes(config, args.force):
        from diglot.writers import processes

        processes.start_ahead()  # it loads WeasyPrint while this process loads the rest
    from diglot import pipeline, project  # deferred: the rendering stack takes a while to load

    result = pipeline.build(config, progress, force=args.force)
    for warning in [*result.warnings, *result.notes]:
        print(warning, file=sys.stderr)
    unchanged = f" ({len(result.unchanged)} unchanged)" if result.unchanged else ""
    print(f"Wrote {len(result.outputs)} file(s) in {result.seconds:.1f} s{unchanged}:")
    for path in result.outputs:
        print(f"  {shown_path(path)}  ({path.stat().st_size / 1024:.0f} KiB)")
    print_fallbacks(result)
    for name, (pairs, untranslated) in result.pairs.items():
        shown = f", {untranslated} with the source in place of the translation (marked)" \
            if untranslated else ""
        print(f"  {name}: {pairs} passage(s) beside their translation{shown}")
    for locale, counts in result.typography.items():
        if counts.punctuation or counts.spaces:
            print(f"  {locale} typography: {counts.punctuation} punctuation mark(s) made "
                  f"full-width, {counts.spaces} typed space(s) between Han and Latin set as "
                  "layout spacing")
    print(f"{len(result.warnings)} warning(s).")
    assert result.project is not None  # made by the build before it published
    print_status(project.catalog_status(config, result.project, list(result.catalogs)))
    return EXIT_OK


def _likely_in_processes(config: Config, force: bool) -> bool:
    """Whether the build is likely to write in worker processes: every output is to be
    written (`--force`, or none was before), on more than one core, and at least two of them
    are PDF or DOCX. Decided before the data is read, when the fork server that the workers
    come from can still load WeasyPrint beside this process; the build decides for itself
    later, and a small one leaves the server unused."""
    from diglot.config import content_catalog_locales
    from diglot.jobs import available_cores

    if config.jobs == 1 or available_cores() < 2:
        return False
    if not force and cache.load(config.output).outputs:
        return False
    locales = len(config.locales) or 1 + len(content_catalog_locales(config))
    heavy = sum(name in HEAVY_FORMATS for name in config.formats)
    return heavy * (locales + len(config.parallel)) >= 2
