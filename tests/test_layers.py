"""The seams of the package: writers know a rendered document only through its record, and
that record pickles (so that a job can run in another process)."""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

from .conftest import REPO

WRITERS = REPO / "src/diglot/writers"
# ARCHITECTURE.md: writers never import render, settings, data or pipeline (nor the themes).
FORBIDDEN = ("diglot.render", "diglot.config", "diglot.data", "diglot.pipeline",
             "diglot.themes", "diglot.localize", "diglot.cli")


def imports(path: Path) -> set[str]:
    """Every module a source file imports, lazily or not."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def test_writers_import_nothing_above_them() -> None:
    wrong = {f"{path.name}: {name}" for path in WRITERS.rglob("*.py")
             for name in imports(path) if name.startswith(FORBIDDEN)}
    assert wrong == set()


def test_the_layer_check_sees_an_import() -> None:
    assert "diglot.document.RenderedDocument" in imports(WRITERS / "html.py")


def test_a_rendered_document_pickles(tiny_project: Path) -> None:
    from diglot import pipeline
    from diglot.config import load
    from diglot.writers import FORMATS

    config = load(tiny_project, {"locales": ["en"]}, FORMATS)
    data, theme, catalogs, _warnings = pipeline.prepare(config)
    document = pipeline.render_locale(data, theme, "en", catalogs["en"])
    again = pickle.loads(pickle.dumps(document))
    assert again == document
    assert again.asset_dirs and again.page.width_mm == 210.0
