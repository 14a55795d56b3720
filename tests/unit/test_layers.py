"""The seams of the package: imports go only down the layer table, writers know a rendered
document only through its record, and that record pickles (so that a job can run in another
process)."""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

from ..conftest import REPO

SRC = REPO / "src"
WRITERS = SRC / "diglot/writers"
# ARCHITECTURE.md: writers never import render, settings, data or pipeline (nor the themes).
FORBIDDEN = ("diglot.render", "diglot.config", "diglot.data", "diglot.pipeline",
             "diglot.themes", "diglot.localize", "diglot.cli")


# The places of ARCHITECTURE.md's table, bottom first: a module may import its own place and the
# places below it. Where the code differs from the table, the code is the record: the settings
# name a theme, so they sit above the themes; the catalog commands' project logic
# (`i18n.workflow`, `i18n.prefill`) and the Babel extractor (`i18n.extract`) sit above data and
# themes, apart from the catalogs and formatting they use.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("errors", ("errors",)),
    ("basics", ("", "atomic", "boundedread", "collector", "edition", "epoch", "images", "layout",
                "markup", "pdfstandard", "publish", "resources", "schema")),
    ("records", ("model", "document", "typography")),
    ("writers", ("writers",)),
    ("i18n", ("i18n",)),
    ("data", ("data", "yamltree", "limits")),
    ("themes", ("themes", "themefile", "themeregistry")),
    ("settings", ("config",)),
    ("localize", ("localize", "parallel", "colophon", "glyphs", "alttext")),
    ("render", ("render", "sandbox")),
    ("jobs", ("jobs", "cache", "executors")),
    ("extractor", ("i18n.extract",)),
    ("project", ("project", "i18n.workflow", "i18n.prefill", "scaffold", "themedoc")),
    ("pipeline", ("pipeline", "batch")),
    ("serve", ("serve",)),
    ("cli", ("cli", "__main__")),
)


def place(module: str) -> tuple[int, str] | None:
    """The layer (its rank and name) of a `diglot...` module, by the longest matching name
    (`""` is the package itself)."""
    name = module.removeprefix("diglot").removeprefix(".")
    matches = [(len(member), rank, layer) for rank, (layer, members) in enumerate(LAYERS)
               for member in members
               if name == member or (member and name.startswith(member + "."))]
    return max(matches)[1:] if matches else None


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every module a source file imports, lazily or not, and every name imported from one
    (`from diglot import x` gives `diglot` and `diglot.x`)."""
    found: set[str] = set()
    package = module_name(path).split(".") if path.is_relative_to(SRC) else []
    if path.name != "__init__.py":
        package = package[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[:len(package) - node.level + 1] + (
                    [node.module] if node.module else []))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def upward(module: str, imported: set[str]) -> list[str]:
    """The imports of `module` that go up the layer table (or to a module with no place)."""
    rank = place(module)
    assert rank is not None, f"{module} has no place in LAYERS"
    wrong = []
    for name in sorted(imported):
        if not name.startswith("diglot") or name == module:
            continue
        target = place(name)
        if target is None or target[0] > rank[0]:
            wrong.append(f"{module} ({rank[1]}) imports {name} "
                         f"({target[1] if target else 'no place'})")
    return wrong


def source_modules() -> dict[str, Path]:
    return {module_name(path): path for path in (SRC / "diglot").rglob("*.py")}


def test_every_module_has_a_place() -> None:
    assert [name for name in source_modules() if place(name) is None] == []


def test_imports_go_only_down_the_layer_table() -> None:
    modules = source_modules()
    known = set(modules)
    wrong = [line for name, path in sorted(modules.items())
             for line in upward(name, imports(path) & known)]
    assert wrong == []


def test_the_layer_table_refuses_an_import_that_goes_up(tmp_path: Path) -> None:
    source = tmp_path / "sample.py"
    source.write_text("from diglot import render\nimport diglot.pipeline\n", encoding="utf-8")
    found = imports(source)
    assert upward("diglot.data", found) == [
        "diglot.data (data) imports diglot.pipeline (pipeline)",
        "diglot.data (data) imports diglot.render (render)"]
    assert upward("diglot.cli.build", found) == []
    assert upward("diglot.writers.docx", {"diglot.config"}) == [
        "diglot.writers.docx (writers) imports diglot.config (settings)"]


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
