"""`diglot extract`: the catalog templates (.pot) of the project and of its own themes."""

from __future__ import annotations

import argparse

from diglot import project
from diglot.cli.arguments import settings
from diglot.cli.output import EXIT_OK
from diglot.config import Config
from diglot.errors import shown_path
from diglot.i18n.catalogs import pot_path
from diglot.i18n.pofile import write_catalog


def run(args: argparse.Namespace) -> int:
    config = settings(args)
    write_templates(config, project.load_project(config))
    return EXIT_OK


def write_templates(config: Config, loaded: project.Project) -> None:
    """Write every .pot the project and its themes have; say which changed."""
    targets = [(pot_path(config.locale_dir, domain), catalog)
               for domain, catalog in loaded.templates.items()]
    targets += [(pot_path(folder, "messages"), catalog)
                for folder, catalog in loaded.theme_templates.items()]
    for path, catalog in targets:
        state = "written" if write_catalog(catalog, path) else "unchanged"
        print(f"{shown_path(path)}: {len(catalog)} message(s), {state}")
