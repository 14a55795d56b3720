"""Imported by the workers' fork server before it forks any: the PDF writer, loaded once."""

import atexit
import os

from diglot import collector
from diglot.writers import import_pdf

# Only the PDF writer: most jobs write PDF, and WeasyPrint takes most of the server's start,
# which every worker waits for. A worker imports another writer (python-docx, a tenth of a
# second) at its first job of that format; in a build, one worker writes every DOCX.
import_pdf()
# Frozen before the first fork: every worker leaves what it inherits unscanned (and unwritten,
# so that its pages stay shared), and collects as seldom as the server.
collector.relax()
# The server leaves once the build is over, and what it loaded needs no tearing down: a
# fifth of a second of a core after the build's end, which whoever waits for the build's
# output waits for too. (Its workers leave with os._exit already.)
atexit.register(os._exit, 0)
