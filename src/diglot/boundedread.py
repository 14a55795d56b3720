"""Reading an input file that may come from someone else: regular files only, size bounded."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from diglot.errors import DataError, Location

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_regular_file(path: Path, limit: int, what: str) -> bytes:
    """The bytes of `path`, refusing anything but a regular file of at most `limit` bytes.

    The file is checked before it is opened (a FIFO would block the open, a device would be
    read without end), opened without blocking, checked again on the open descriptor (it may
    have been swapped meanwhile), and read no further than one byte past the limit.
    """
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            raise DataError(f"{what} is {_kind(mode)}, not a regular file", Location(path))
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as handle:
            opened = os.fstat(handle.fileno())
            if not stat.S_ISREG(opened.st_mode):
                raise DataError(f"{what} is {_kind(opened.st_mode)}, not a regular file",
                                Location(path))
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise DataError(f"cannot read {what}: {exc.strerror}", Location(path)) from None
    if len(raw) > limit:
        size = max(opened.st_size, len(raw))
        raise DataError(f"{what} is {size} bytes; the limit is {limit}", Location(path))
    return raw
