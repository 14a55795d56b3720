"""PNG files of rendered pages, made quickly: rows unfiltered and deflated at level 1 (a page
is mostly white, which compresses well without filters), about twice as fast as the usual
adaptive filtering for a file a few percent larger."""

from __future__ import annotations

import struct
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(
        ">I", zlib.crc32(kind + data))


def encode_rgb(pixels: bytes | memoryview, width: int, height: int, stride: int) -> bytes:
    """A PNG of 8-bit RGB rows of `stride` bytes each (the first `width * 3` are the row)."""
    row = width * 3
    data = memoryview(pixels)
    lines = b"".join(b"\0" + data[y * stride:y * stride + row] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return (SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(lines, 1))
            + _chunk(b"IEND", b""))
