"""`diglot new DIR`: a report project that builds at once."""

from __future__ import annotations

import argparse

from diglot.cli.output import EXIT_OK
from diglot.errors import shown_path
from diglot.scaffold import create_project


def run(args: argparse.Namespace) -> int:
    folder = args.project / args.folder
    written = create_project(folder)
    print(f"Created {shown_path(folder)} ({len(written)} files). Next:")
    print(f"  cd {shown_path(folder)} && diglot build")
    return EXIT_OK
