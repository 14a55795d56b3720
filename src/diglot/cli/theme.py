"""`diglot theme init DIR` and `diglot theme doc`: start a theme, read the template reference."""

from __future__ import annotations

import argparse

from diglot.cli.output import EXIT_OK
from diglot.errors import shown_path


def run(args: argparse.Namespace) -> int:
    if args.theme_command == "doc":
        from diglot.themedoc import reference

        text = reference()
        if args.output:
            args.output.write_text(text, encoding="utf-8")
            print(f"{shown_path(args.output)}: written")
        else:
            print(text, end="")
        return EXIT_OK
    from diglot.scaffold import init_theme

    folder = args.project / args.folder
    written = init_theme(folder, full=args.full)
    print(f"Created {shown_path(folder)} ({len(written)} files). Use it with "
          f"`diglot build --theme {shown_path(folder)}` or `theme = ...` in "
          "[tool.diglot].")
    return EXIT_OK
