"""Benchmark of a whole build, stage by stage: load, render, PDF, DOCX (figures, no asserts).

    python bench/bench_build.py [PEOPLE ...]     # default: the default report, then 200 people

Each report is built for one locale (zh_CN, the source language) in a fresh process, so that
the peak resident memory belongs to that build alone.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent


def measure(people: int) -> dict[str, float]:
    """Run in a child process: build one report and time each stage."""
    sys.path.insert(0, str(REPO))
    from bench import gendata

    from diglot import data
    from diglot.document import WriteContext
    from diglot.i18n.catalogs import load_translator
    from diglot.localize import localize
    from diglot.render import render
    from diglot.themes import ThemeChain
    from diglot.writers.docx import DocxWriter
    from diglot.writers.pdf import PdfWriter

    with tempfile.TemporaryDirectory() as tmp:
        source = REPO / "data/sora-authors.yaml" if people == 0 else \
            gendata.write(Path(tmp) / "people.yaml", people)
        figures: dict[str, float] = {}
        started = time.perf_counter()
        report = data.load(source)
        figures["load"] = time.perf_counter() - started
        theme = ThemeChain.build()
        warnings: list = []
        messages = load_translator(theme.catalog_dirs, "zh_CN", "messages", "en", warnings)
        content = load_translator((REPO / "locales",), "zh_CN", "content", "zh_CN", warnings)
        started = time.perf_counter()
        rendered = render(localize(report, "zh_CN", content), theme, messages)
        figures["render"] = time.perf_counter() - started
        roots = (REPO, source.parent)
        for name, writer in (("pdf", PdfWriter()), ("docx", DocxWriter())):
            target = Path(tmp) / f"out.{name}"
            started = time.perf_counter()
            writer.write(rendered, target, WriteContext(roots))
            writer.finish([target], WriteContext(roots))  # the DOCX contents' numbers
            figures[name] = time.perf_counter() - started
            figures[f"{name}_kib"] = target.stat().st_size / 1024
        if people:
            figures["pages"] = _pages(Path(tmp) / "out.pdf")
        figures["rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return figures


def _pages(pdf: Path) -> float:
    from pypdf import PdfReader

    return float(len(PdfReader(pdf).pages))


def main(sizes: list[int]) -> None:
    print(f"{'report (zh_CN)':<22}{'load s':>8}{'render s':>10}{'PDF s':>8}{'DOCX s':>8}"
          f"{'PDF KiB':>9}{'DOCX KiB':>10}{'peak RSS MiB':>14}")
    for size in sizes:
        child = subprocess.run([sys.executable, __file__, "--child", str(size)],
                               capture_output=True, text=True, check=True)
        f = json.loads(child.stdout.strip().splitlines()[-1])
        label = "default report" if size == 0 else f"{size} people"
        print(f"{label:<22}{f['load']:>8.2f}{f['render']:>10.2f}{f['pdf']:>8.2f}"
              f"{f['docx']:>8.2f}{f['pdf_kib']:>9.0f}{f['docx_kib']:>10.0f}{f['rss_mib']:>14.0f}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(measure(int(sys.argv[2]))))
    else:
        main([int(a) for a in sys.argv[1:]] or [0, 200])
