"""Benchmark of the parallel edition against the two monolingual reports it pairs (figures only).

    python bench/bench_parallel.py [PEOPLE ...]   # default: the default report, 100, 1000

Each edition (zh_CN, en, zh_CN+en) is rendered and written as PDF and DOCX in a fresh process,
so that its peak resident memory is its own; the ratio compares the parallel edition with the
zh_CN and en reports together. The default report (0) uses the repository's catalogs; generated
reports get a pseudo-translation: for every passage, English filler text of the length an English
translation of it would have (1.8 Latin letters per Han character), so that the layout work is
that of a real translation.
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
EDITIONS = ("zh_CN", "en", "zh_CN+en")
FILLER = ("the work shows how a small team with a clear goal and the backing of a large "
          "company can turn an idea that looked impossible into a working system within a "
          "few years of patient engineering and careful research ")


def pseudo_catalog(data_file: Path, locale_dir: Path) -> None:
    """An English content catalog with a filler translation of every passage of `data_file`."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    from diglot import data

    catalog = Catalog(locale="en", domain="content")
    for text in data.load(data_file).texts():
        han = sum(1 for c in text.value if "\u4e00" <= c <= "\u9fff")
        length = max(8, int(han * 1.8) + len(text.value) - han)
        words = (FILLER * (length // len(FILLER) + 1))[:length].rsplit(" ", 1)[0]
        catalog.add(text.value, words.capitalize() + ".")
    target = locale_dir / "en" / "LC_MESSAGES" / "content.po"
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as f:
        write_po(f, catalog)


def measure(people: int, edition: str) -> dict[str, float]:
    """Run in a child process: render and write one edition, timing each step."""
    sys.path.insert(0, str(REPO))
    from bench import gendata

    from diglot import data
    from diglot.document import WriteContext
    from diglot.edition import parse_edition
    from diglot.i18n.catalogs import load_translator
    from diglot.pipeline import LocaleCatalogs, render_locale, render_parallel
    from diglot.themes import ThemeChain
    from diglot.writers.docx import DocxWriter
    from diglot.writers.pdf import PdfWriter

    with tempfile.TemporaryDirectory() as tmp:
        if people == 0:
            source, locales = REPO / "data/sora-authors.yaml", REPO / "locales"
        else:
            source, locales = gendata.write(Path(tmp) / "people.yaml", people), Path(tmp)
            pseudo_catalog(source, locales)
        report = data.load(source)
        theme = ThemeChain.build()
        warnings: list = []

        def catalogs(locale: str) -> LocaleCatalogs:
            return LocaleCatalogs(
                load_translator((locales,), locale, "content", "zh_CN", warnings),
                load_translator(theme.catalog_dirs, locale, "messages", "en", warnings))

        figures: dict[str, float] = {}
        started = time.perf_counter()
        if "+" in edition:
            pair = parse_edition(edition.replace("+", ":"))
            rendered, _counts = render_parallel(report, theme, pair, "columns",
                                                catalogs(pair.first), catalogs(pair.second))
        else:
            rendered = render_locale(report, theme, edition, catalogs(edition))
        figures["render"] = time.perf_counter() - started
        for name, writer in (("pdf", PdfWriter()), ("docx", DocxWriter())):
            target = Path(tmp) / f"out.{name}"
            started = time.perf_counter()
            writer.write(rendered, target, WriteContext((REPO, source.parent)))
            writer.finish([target], WriteContext((REPO, source.parent)))  # DOCX contents' numbers
            figures[name] = time.perf_counter() - started
            figures[f"{name}_kib"] = target.stat().st_size / 1024
        from pypdf import PdfReader

        figures["pages"] = float(len(PdfReader(Path(tmp) / "out.pdf").pages))
        figures["rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return figures


def main(sizes: list[int]) -> None:
    print(f"{'report':<16}{'edition':<10}{'render s':>9}{'PDF s':>8}{'DOCX s':>8}{'pages':>7}"
          f"{'PDF KiB':>9}{'peak RSS MiB':>14}")
    results = {}
    for size in sizes:
        label = "default report" if size == 0 else f"{size} people"
        for edition in EDITIONS:
            child = subprocess.run([sys.executable, __file__, "--child", str(size), edition],
                                   capture_output=True, text=True, check=True)
            f = json.loads(child.stdout.strip().splitlines()[-1])
            results[(size, edition)] = f
            print(f"{label:<16}{edition:<10}{f['render']:>9.2f}{f['pdf']:>8.2f}{f['docx']:>8.2f}"
                  f"{f['pages']:>7.0f}{f['pdf_kib']:>9.0f}{f['rss_mib']:>14.0f}", flush=True)
        total = {e: sum(results[(size, e)][k] for k in ("render", "pdf", "docx"))
                 for e in EDITIONS}
        pages = {e: results[(size, e)]["pages"] for e in EDITIONS}
        print(f"{label}: parallel {total['zh_CN+en']:.1f} s against {total['zh_CN']:.1f} s + "
              f"{total['en']:.1f} s for the two reports, ratio "
              f"{total['zh_CN+en'] / (total['zh_CN'] + total['en']):.2f}; pages "
              f"{pages['zh_CN+en']:.0f} against {pages['zh_CN']:.0f} + {pages['en']:.0f}",
              flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(measure(int(sys.argv[2]), sys.argv[3])))
    else:
        main([int(a) for a in sys.argv[1:]] or [0, 100, 1000])
