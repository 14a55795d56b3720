"""SOURCE_DATE_EPOCH, read in one place for every stage that stamps a time on its output."""

from __future__ import annotations

import datetime as dt
import os
import re

from diglot.errors import ConfigError

# 9999-12-31T23:59:59Z: the last second every writer can stamp (PDF, DOCX, zip entries).
LATEST = int(dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.UTC).timestamp())
_DIGITS = re.compile(r"[0-9]{1,20}")


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH as an integer; a malformed or out-of-range value is an error."""
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None or raw == "":
        return None
    if not _DIGITS.fullmatch(raw):
        raise ConfigError("SOURCE_DATE_EPOCH must be a whole number of seconds since "
                          f"1970-01-01 (ASCII digits), got {raw[:40]!r}")
    value = int(raw)
    if value > LATEST:
        raise ConfigError(f"SOURCE_DATE_EPOCH {value} is after the year 9999; the latest "
                          f"time a report can carry is {LATEST}")
    return value
