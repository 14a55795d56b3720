"""The benchmarks still run against the code as it is (their figures are theirs to report)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import REPO


@pytest.mark.slow
def test_the_build_benchmark_runs_on_the_default_report() -> None:
    result = subprocess.run([sys.executable, str(REPO / "bench/bench_build.py"), "0"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    row = next(line for line in result.stdout.splitlines() if line.startswith("default report"))
    figures = [float(x) for x in re.findall(r"\d+(?:\.\d+)?", row)]
    assert len(figures) == 7 and all(x > 0 for x in figures[2:])  # PDF, DOCX times and sizes


@pytest.mark.slow
def test_the_comparison_benchmark_runs_and_writes_its_figures(tmp_path: Path) -> None:
    figures = tmp_path / "compare.json"
    result = subprocess.run([sys.executable, str(REPO / "bench/compare.py"), "--cases",
                             "people,help", "--sizes", "2", "--repeat", "1", "--json",
                             str(figures)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    cases = json.loads(figures.read_text(encoding="utf-8"))["cases"]
    assert set(cases) == {"people-2", "help"}
    assert cases["people-2"]["ratio"] > 0 and cases["people-2"]["pdf_pages"]["zh_CN"] > 0
    # the CPU of the process that lays out the PDF is counted: near its run's wall time
    assert cases["people-2"]["bare"]["median_cpu_s"] > 0.5 * cases["people-2"]["bare"]["median_s"]
    assert cases["help"]["median_s"] > 0
