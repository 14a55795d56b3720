"""`diglot compile`: a .mo beside every .po of the project and its themes, for other tools."""

from __future__ import annotations

import argparse

from diglot.cli.arguments import settings
from diglot.cli.output import EXIT_OK
from diglot.errors import shown_path
from diglot.i18n import workflow
from diglot.themes import ThemeChain


def run(args: argparse.Namespace) -> int:
    config = settings(args)
    theme = ThemeChain.build(config.theme, config.reference_docx, config.root)
    folders = [config.locale_dir] + [t.folder / "locales" for t in
                                     workflow.project_themes_with_catalogs(theme, config.root)]
    written = [path for folder in folders for path in workflow.compile_catalogs(folder)]
    for path in written:
        print(shown_path(path))
    print(f"Compiled {len(written)} catalog(s).")
    return EXIT_OK
