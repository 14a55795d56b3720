"""Imported by the workers' fork server before it forks any: every writer, loaded once."""

import atexit
import os

from diglot.writers import import_all

import_all()
# The server leaves once the build is over, and what it loaded needs no tearing down: a
# fifth of a second of a core after the build's end, which whoever waits for the build's
# output waits for too. (Its workers leave with os._exit already.)
atexit.register(os._exit, 0)
