"""SOURCE_DATE_EPOCH, read in one place for every stage that stamps a time on its output."""

from __future__ import annotations

import os

from diglot.errors import ConfigError


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH as an integer; a malformed value is an error."""
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None or raw == "":
        return None
    if not raw.isdigit():
        raise ConfigError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, got {raw!r}")
    return int(raw)
