"""Benchmark of the DOCX writer: seconds and peak memory for the default report and 1000 people.

Usage: .venv/bin/python bench/bench_docx.py [PEOPLE]

The HTML is rendered through the real pipeline first; each writer run then happens in a fresh
process that holds only the rendered HTML, so its peak resident memory is the writer's own (plus the
interpreter and imports, measured just before the writer starts and shown apart). The writer's
`finish` step (the contents' page numbers, laid out by LibreOffice in a process of its own) is
left out. A second run under tracemalloc gives the Python-level peak as well. Figures only:
nothing here asserts on time.
"""

from __future__ import annotations

import gc
import json
import pickle
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
sys.path.insert(0, str(BENCH))


def render_cases(people: int) -> list[tuple[str, Path]]:
    """Render every locale of the default report and of a generated one; pickle the results."""
    import gendata
    from diglot import config as config_module
    from diglot import pipeline
    from diglot.writers import FORMATS

    OUT.mkdir(parents=True, exist_ok=True)
    generated = gendata.write(OUT / f"generated-{people}.yaml", people)
    cases = []
    for label, data in (("default report", None), (f"{people} people", generated)):
        flags = {"data": data, "formats": ["docx"]}
        config = config_module.load(REPO, flags, FORMATS)
        started = time.perf_counter()
        report, theme, catalogs, _warnings = pipeline.prepare(config)
        for locale, locale_catalogs in catalogs.items():
            rendered = pipeline.render_locale(report, theme, locale, locale_catalogs)
            path = OUT / f"{report.report.id}-{locale}.pickle"
            path.write_bytes(pickle.dumps(rendered))
            cases.append((f"{label}, {locale} ({len(rendered.html) // 1024} KiB of HTML)", path))
        print(f"rendered {label} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return cases


def measure(pickled: Path) -> dict[str, float]:
    """Run the writer once on one rendered document, in this (fresh) process."""
    from diglot.document import WriteContext
    from diglot.writers.docx import DocxWriter

    rendered = pickle.loads(pickled.read_bytes())
    dest = pickled.with_suffix(".docx")
    gc.collect()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    DocxWriter().write(rendered, dest, WriteContext((REPO,)))
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    DocxWriter().write(rendered, dest, WriteContext((REPO,)))
    traced = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"seconds": seconds, "base_mib": before / 1024, "peak_mib": (after - before) / 1024,
            "traced_mib": traced / 2**20, "docx_kib": dest.stat().st_size / 1024}


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        print(json.dumps(measure(Path(sys.argv[2]))))
        return
    people = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    print(f"{'document':<48} {'seconds':>8} {'RSS MiB':>8} {'traced MiB':>10} {'DOCX KiB':>9}")
    for label, pickled in render_cases(people):
        result = subprocess.run([sys.executable, __file__, "--measure", str(pickled)],
                                check=True, capture_output=True, text=True)
        figures = json.loads(result.stdout)
        print(f"{label:<48} {figures['seconds']:>8.2f} {figures['peak_mib']:>8.1f} "
              f"{figures['traced_mib']:>10.1f} {figures['docx_kib']:>9.0f}")
    print(f"RSS MiB: growth of the peak resident set while the writer ran, above the "
          f"{figures['base_mib']:.0f} MiB the process held before (0 when the writer fits in "
          "memory the process already had); traced MiB: tracemalloc's peak in a second run "
          "(Python objects, which include lxml's element proxies but not libxml2's own nodes).")


if __name__ == "__main__":
    main()
