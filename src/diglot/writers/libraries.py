"""WeasyPrint's C libraries found from the dynamic linker's cache, not by compiler runs."""

from __future__ import annotations

import contextlib
import ctypes.util
import sys
import threading
from collections.abc import Iterator

# WeasyPrint tries several names for each of its libraries, one per platform, and cffi asks
# ctypes' find_library for each. For a name the linker's cache does not list, find_library
# runs gcc and then ld to look further (17 ms a name here, 0.3 s of a worker's start for the
# fifteen names that are not Linux's). Answered from the cache alone, those names are not
# found, and WeasyPrint goes on to the next, the library's file name (libpango-1.0.so.0),
# which the dynamic linker opens as it opens any.
_finder = getattr(ctypes.util, "_findSoname_ldconfig", None)
_lock = threading.Lock()


@contextlib.contextmanager
def found_quickly() -> Iterator[None]:
    """Within: find_library answered from the linker's cache (Linux), as before elsewhere."""
    if _finder is None or not sys.platform.startswith("linux"):
        yield
        return
    with _lock:
        original = ctypes.util.find_library
        ctypes.util.find_library = _finder
        try:
            yield
        finally:
            ctypes.util.find_library = original
