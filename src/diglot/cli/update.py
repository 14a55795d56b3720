"""`diglot update`: extract, then merge the templates into every catalog."""

from __future__ import annotations

import argparse

from diglot import project
from diglot.cli.arguments import settings
from diglot.cli.extract import write_templates
from diglot.cli.output import EXIT_OK
from diglot.errors import shown_path
from diglot.i18n import workflow


def run(args: argparse.Namespace) -> int:
    config = settings(args)
    loaded = project.load_project(config)
    write_templates(config, loaded)
    updated = workflow.update_catalogs(config.locale_dir, loaded.templates,
                                       no_obsolete=args.no_obsolete)
    for folder, catalog in loaded.theme_templates.items():
        updated += workflow.update_catalogs(folder, {"messages": catalog},
                                            no_obsolete=args.no_obsolete)
    for item in updated:
        state = "updated" if item.written else "unchanged"
        print(f"{shown_path(item.path)}: {state}; {item.fuzzy} fuzzy, "
              f"{item.obsolete} obsolete")
    return EXIT_OK
