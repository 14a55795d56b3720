"""Message extraction: the Babel extractor for data files, template strings, and .pot writing."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import write_po

from diglot import data as data_module
from diglot.i18n.catalogs import write_atomic
from diglot.model import ReportData

JINJA_OPTIONS = {"extensions": "jinja2.ext.do", "trimmed": "true", "silent": "false"}
DATA_PATH_TAG = "data:"


def extract_data(
    fileobj: IO[bytes], keywords: Sequence[str], comment_tags: Sequence[str],
    options: dict[str, Any],
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel extractor (`babel.extractors` entry point `diglot_data`) for diglot data files.

    Every free-text field becomes a message; its data path is the translator comment.
    """
    name = getattr(fileobj, "name", "<data>")
    report = data_module.loads(fileobj.read(), name)
    for text in report.texts():
        yield text.location.line or 0, None, text.value, [f"{DATA_PATH_TAG} {text.location.path}"]


def content_catalog(report: ReportData, data_ref: str) -> Catalog:
    """The `content` template: every free-text value of the data, in file order."""
    catalog = _new_catalog("content")
    for text in report.texts():
        catalog.add(
            text.value,
            locations=[(data_ref, text.location.line or 0)],
            auto_comments=[f"{DATA_PATH_TAG} {text.location.path}"],
        )
    return catalog


def messages_catalog(theme_dirs: Sequence[Path], root: Path) -> Catalog:
    """The `messages` template: every translatable string of the theme templates."""
    catalog = _new_catalog("messages")
    for theme_dir in theme_dirs:
        found = extract_from_dir(
            theme_dir,
            method_map=[("**.html", "jinja2"), ("**.css", "ignore")],
            options_map={"**.html": JINJA_OPTIONS},
            comment_tags=("TRANSLATORS:",),
            strip_comment_tags=True,
        )
        for filename, lineno, message, comments, context in found:
            ref = _relative(theme_dir / filename, root)
            catalog.add(message, locations=[(ref, lineno)], auto_comments=comments,
                        context=context)
    return catalog


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _new_catalog(domain: str) -> Catalog:
    return Catalog(
        domain=domain, project="diglot report", version="1",
        header_comment=f"# Template for the {domain} domain of a diglot report.\n#",
        charset="utf-8", fuzzy=False,
    )


def render_po(catalog: Catalog, **options: Any) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, **options)
    return buffer.getvalue()


def without_dates(payload: bytes) -> bytes:
    return b"\n".join(line for line in payload.splitlines()
                      if not line.startswith((b'"POT-Creation-Date:', b'"PO-Revision-Date:')))


def write_catalog(catalog: Catalog, path: Path, **options: Any) -> bool:
    """Write a .pot or .po unless only its dates would change; True when written.

    `options` go to Babel's `write_po` (e.g. `include_previous`, `ignore_obsolete`).
    """
    payload = render_po(catalog, **options)
    if path.exists():
        old = path.read_bytes()
        if without_dates(old) == without_dates(payload):
            return False
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, payload)
    return True
