"""Data file -> validated model; every error names FILE:LINE:COL, the data path and the value."""

from __future__ import annotations

from pathlib import Path

from diglot import limits, yamltree
from diglot.boundedread import read_regular_file
from diglot.data.records import Schema
from diglot.errors import DiglotError, raise_collected
from diglot.model import ReportData


def load(path: Path) -> ReportData:
    """Read, parse and validate one data file; raise every problem found at once."""
    return loads(read_regular_file(path, limits.MAX_BYTES, "data file"), path)


def loads(raw: bytes, file: Path | str = "<data>") -> ReportData:
    """Validate data given as bytes (the file name is used in messages)."""
    errors: list[DiglotError] = []
    root = yamltree.parse(yamltree.read_bytes(raw, file), file, errors)
    schema = Schema(errors)
    data = schema.report_data(root)
    errors.sort(key=lambda e: (e.location.line or 0, e.location.column or 0))
    raise_collected(errors)
    assert data is not None
    return data
