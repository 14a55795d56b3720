"""The benchmarks still run against the code as it is (their figures are theirs to report)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from .conftest import REPO


@pytest.mark.slow
def test_the_build_benchmark_runs_on_the_default_report() -> None:
    result = subprocess.run([sys.executable, str(REPO / "bench/bench_build.py"), "0"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    row = next(line for line in result.stdout.splitlines() if line.startswith("default report"))
    figures = [float(x) for x in re.findall(r"\d+(?:\.\d+)?", row)]
    assert len(figures) == 7 and all(x > 0 for x in figures[2:])  # PDF, DOCX times and sizes
