"""`diglot theme init DIR`, `doc` and `reference-docx`: start a theme, read the template
reference, write the Word reference document."""

from __future__ import annotations

import argparse

from diglot.cli.arguments import settings
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
    if args.theme_command == "reference-docx":
        return _reference_docx(args)
    from diglot.scaffold import init_theme

    folder = args.project / args.folder
    written = init_theme(folder, full=args.full)
    print(f"Created {shown_path(folder)} ({len(written)} files). Use it with "
          f"`diglot build --theme {shown_path(folder)}` or `theme = ...` in "
          "[tool.diglot].")
    return EXIT_OK


def _reference_docx(args: argparse.Namespace) -> int:
    from diglot import pipeline  # deferred: the rendering stack takes a while to load

    config = settings(args)
    target = args.target.resolve()  # like every path on the command line: from here
    locale = pipeline.write_reference_docx(config, args.reference_locale, target)
    root = config.root.resolve()
    named = target.relative_to(root) if target.is_relative_to(root) else target
    print(f"{shown_path(target)}: written ({locale}). Change its styles in Word or LibreOffice "
          f"(its text only shows them), then set reference_docx = \"{named}\" in the "
          "settings, or pass --reference-docx: every DOCX takes its styles, the body comes "
          "from the build.")
    return EXIT_OK
