"""Writing a file whole or not at all, keeping the mode of the file it replaces."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(path: Path, payload: bytes) -> None:
    """Write `path` through a temporary neighbour and `os.replace`.

    The new file gets the old one's permission bits (a temporary file is created 0600), or
    the ones a plain `open` would give when there was no file. An OSError names `path`, not
    the temporary file, which is gone by the time anyone reads the message.
    """
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = _default_mode()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    try:
        with os.fdopen(fd, "wb") as fp:
            fp.write(payload)
        with contextlib.suppress(OSError):  # a file system without modes keeps its own
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
