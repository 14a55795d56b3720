"""`diglot serve`: the live preview, until Ctrl-C."""

from __future__ import annotations

import argparse
import sys
import threading

from diglot.cli.arguments import settings
from diglot.cli.output import EXIT_OK, progress
from diglot.serve import Preview
from diglot.serve.app import is_loopback


def run(args: argparse.Namespace) -> int:
    config = settings(args)  # a mistake in the flags or the settings stops here, as in a build
    preview = Preview(lambda: settings(args), config, args.host, args.port, progress)
    try:
        preview.start()
        print(f"Serving the preview at {preview.url} (Ctrl-C to stop)", flush=True)
        if not is_loopback(args.host):
            print(f"diglot: warning: listening on {args.host}: anyone who can reach this "
                  "machine can read the report", file=sys.stderr)
        threading.Event().wait()  # until Ctrl-C or SIGTERM
    finally:
        preview.stop()
    return EXIT_OK
