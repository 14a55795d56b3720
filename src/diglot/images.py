"""The size limit on images, shared by the writers: pixels counted from the header alone."""

from __future__ import annotations

import io
import warnings

from PIL import Image, UnidentifiedImageError

MAX_IMAGE_PIXELS = 50_000_000  # some 7000 x 7000; a page needs a tenth of that


def pixel_problem(data: bytes) -> str | None:
    """Why a raster image is too large to decode, or None (also for what is not one)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:  # reads the header, decodes nothing
                width, height = image.size
    except Image.DecompressionBombError:  # Pillow's own, higher limit: too large either way
        return f"more than the {MAX_IMAGE_PIXELS}-pixel limit"
    except (UnidentifiedImageError, OSError, ValueError):
        return None
    if width * height > MAX_IMAGE_PIXELS:
        return f"{width}x{height} pixels is over the {MAX_IMAGE_PIXELS}-pixel limit"
    return None
