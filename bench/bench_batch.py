"""Benchmark of `diglot batch`: the local process pool against a Dask LocalCluster with the
same number of workers (figures, no asserts).

    python bench/bench_batch.py [REPORTS [WORKERS]]   # default: 200 reports, every core

Each report is generated with 5 people (bench/gendata.py, one seed each) and built in two
locales, zh_CN (the source) and en, in PDF and DOCX: 4 outputs per report. en has no content
catalog in the benchmark's project, so its column shows the source, marked as a fallback;
the writers do the same work either way. Each executor builds the whole batch from scratch
(--force, a fresh output folder); the Dask run includes starting and closing its cluster, as
`diglot batch --executor dask` does.

The overhead per job is an executor's wall time times its workers, divided by the jobs, less
what one job takes written in this process (the mean of a sample, measured first): what
sending, starting and collecting cost each job, with the batch's loading and rendering (done
once, by the client, the same for both executors) counted in it.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PEOPLE = 5
SAMPLE = 4  # jobs written in this process to know what one costs


def main(count: int, workers: int) -> None:
    sys.path.insert(0, str(REPO))
    from bench import gendata

    from diglot import batch, jobs
    from diglot.config import Config, load
    from diglot.writers import FORMATS

    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        (project / "diglot.toml").write_text(
            'locales = ["zh_CN", "en"]\nformats = ["pdf", "docx"]\n', encoding="utf-8")
        files = []
        for number in range(count):
            data = gendata.generate(PEOPLE, seed=number)
            data["report"]["id"] = f"report-{number:04d}"
            files.append(project / "data" / f"report-{number:04d}.yaml")
            files[-1].parent.mkdir(exist_ok=True)
            files[-1].write_text(gendata.dump(data), encoding="utf-8")

        def config(output: str) -> Config:
            return load(project, {"data": files[0], "output": project / output,
                                  "jobs": workers}, FORMATS)

        # What one job costs in one process: a sample of the first reports' jobs.
        started = time.perf_counter()
        planned = batch.build(config("sample"), files[:1], force=True).reports[0].jobs
        sample = planned[:SAMPLE]
        started = time.perf_counter()
        for job in sample:
            jobs.run(job)
        per_job = (time.perf_counter() - started) / len(sample)

        rows = []
        for executor in ("local", "dask"):
            started = time.perf_counter()
            result = batch.build(config(executor), files, force=True, executor=executor)
            seconds = time.perf_counter() - started
            assert not result.failed, [str(r.error) for r in result.failed]
            outputs = len(result.outputs)
            rows.append((executor, seconds, outputs))

    print(f"{count} reports of {PEOPLE} people, zh_CN + en (no catalog: the source, marked), "
          f"PDF + DOCX: {count * 4} jobs, {workers} workers; one job alone: {per_job:.2f} s")
    print(f"{'executor':<24}{'wall s':>8}{'reports/min':>13}{'overhead/job s':>16}")
    for executor, seconds, outputs in rows:
        label = "local pool" if executor == "local" else "dask LocalCluster"
        overhead = seconds * workers / outputs - per_job
        print(f"{label:<24}{seconds:>8.1f}{count / seconds * 60:>13.1f}{overhead:>16.2f}")
    local, dask = rows[0][1], rows[1][1]
    print(f"dask against the local pool: {(dask - local) / (count * 4) * workers:+.2f} s of "
          "worker time per job")


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:]]
    from diglot.jobs import available_cores

    main(arguments[0] if arguments else 200,
         arguments[1] if len(arguments) > 1 else available_cores())
