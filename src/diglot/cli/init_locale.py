"""`diglot init LOCALE`: the catalogs a new language needs, pre-translated on request."""

from __future__ import annotations

import argparse

from diglot import project
from diglot.cli.arguments import settings
from diglot.cli.output import EXIT_OK
from diglot.errors import UsageError, shown_path
from diglot.i18n import workflow
from diglot.i18n.locale_id import locale_problem


def run(args: argparse.Namespace) -> int:
    config = settings(args)
    locale = args.new_locale
    problem = locale_problem(locale)
    if problem:
        raise UsageError(problem)
    loaded = project.load_project(config)
    domains = workflow.domains_for(locale, loaded.data)
    if not domains:
        print(f"{locale} reads the source text as it is: no catalog is needed.")
        return EXIT_OK
    fill = None
    if args.prefill == "opencc":
        from diglot.i18n.prefill import opencc_prefill

        fill = opencc_prefill(locale, loaded.data.report.source_locale,
                              project.catalog_dirs(config, loaded.theme, "messages"))
    for path in workflow.init_locale(config.locale_dir, locale, loaded.templates, domains, fill):
        print(f"{shown_path(path)}: created"
              + (" (pre-translated, every entry fuzzy until reviewed)" if fill else ""))
    if locale not in config.locales:
        print(f"Add {locale!r} to `locales` in [tool.diglot] to build it by default.")
    return EXIT_OK
