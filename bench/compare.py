"""Benchmark of diglot against bare WeasyPrint on diglot's own HTML, side by side (figures only).

    python bench/compare.py [--repeat N] [--repeat-large N] [--quick] [--sizes 100,1000]
                            [--cases default,people,noop,help] [--json FILE]

Every run is a whole fresh process, timed from outside by a small wrapper process whose
`RUSAGE_CHILDREN` peak resident memory is that run's (the largest process of it, workers
included). Runs of diglot and of bare WeasyPrint alternate (A B, then B A, ...), and the medians
are compared within this one run, against the goals of issue 12:

- default: `diglot build --force` (every configured locale and edition, PDF + DOCX) against
  `weasyprint.HTML(...).write_pdf()` of the same editions' HTML one after another in one process;
  at most 0.75.
- N people (bench/gendata.py), zh_CN, PDF only: `diglot build --data ... -l zh_CN -f pdf
  --force` against bare WeasyPrint on that HTML; at most 0.6 at 1000 people, 700 MB per process.
- noop: `diglot build` again with nothing changed; at most 0.3 s.
- help: `diglot --help`; at most 0.2 s.

For each comparison the CPU time of all of a run's processes (wrapper's RUSAGE_CHILDREN) is
shown too: divided by the cores it is the shortest wall time any scheduling of that work
could reach, and so the best ratio the work itself allows.

The HTML is diglot's own (`diglot build -f html`, the HTML writer's copy of what the PDF writer
lays out). diglot writes tagged PDF/UA-1 by default; bare WeasyPrint writes a plain PDF.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
GOALS = {"default": 0.75, "people-1000": 0.6}
SECONDS_GOALS = {"noop": 0.3, "help": 0.2}
MEMORY_GOAL_MB = 700  # per process, at 1000 people
CASES = ("default", "people", "noop", "help")
LARGE = 500  # sizes from here on are run --repeat-large times
EPOCH = "1700000000"


def diglot_command() -> list[str]:
    script = Path(sys.executable).with_name("diglot")
    return [str(script)] if script.exists() else [sys.executable, "-m", "diglot"]


def timed(command: list[str]) -> dict[str, Any]:
    """Run `command` through a fresh wrapper process: its wall time, peak RSS and output."""
    wrapper = subprocess.run([sys.executable, __file__, "--wrap", "--", *command],
                             capture_output=True, text=True, cwd=REPO,
                             env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    if wrapper.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{wrapper.stderr[-3000:]}")
    return json.loads(wrapper.stdout.strip().splitlines()[-1])


def wrap(command: list[str]) -> None:
    """In the wrapper process: run the command, then report what it took. The wrapper is
    made the reaper of the command's orphans (Linux), so that a process the command leaves
    behind, such as multiprocessing's fork server with the workers it forked, counts in the
    peak memory too."""
    _reap_orphans()
    started = time.perf_counter()
    child = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if child.returncode != 0:
        sys.stderr.write(child.stdout + child.stderr)
        sys.exit(child.returncode)
    while True:  # the orphans exit once the command has: wait for them, for their rusage
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            break
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # every descendant, all reaped
    print(json.dumps({"seconds": seconds, "peak_mb": usage.ru_maxrss * 1024 / 1e6,  # KiB
                      "cpu_s": usage.ru_utime + usage.ru_stime,
                      "stdout": child.stdout, "output": child.stdout + child.stderr}))


def _reap_orphans() -> None:
    """Become the subreaper of this process's descendants (prctl PR_SET_CHILD_SUBREAPER)."""
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(36, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")


def bare(out_dir: Path, html_files: list[Path]) -> None:
    """In a fresh process: bare WeasyPrint on each HTML file, one after another."""
    import weasyprint

    base_url = (REPO / "templates").as_uri() + "/"
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {}
    for number, html in enumerate(html_files):
        started = time.perf_counter()
        weasyprint.HTML(filename=str(html), base_url=base_url).write_pdf(
            out_dir / f"{number}-{html.parent.name}.pdf")
        files[html.parent.name] = time.perf_counter() - started
    print(json.dumps(files))


def pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def chunked(output: str) -> str | None:
    """The first line of diglot's output that speaks of chunks, if any."""
    return next((line.strip() for line in output.splitlines()
                 if re.search(r"\bchunk", line, re.I)), None)


def alternate(first: list[str], second: list[str], repeat: int) -> tuple[list[dict], list[dict]]:
    """Run the two commands `repeat` times each, in the order A B, B A, A B, ..."""
    a_runs: list[dict] = []
    b_runs: list[dict] = []
    for round_ in range(repeat):
        order = ((first, a_runs), (second, b_runs))
        for command, runs in order if round_ % 2 == 0 else reversed(order):
            runs.append(timed(command))
            print(f"    {'diglot' if runs is a_runs else 'bare  '} "
                  f"{runs[-1]['seconds']:7.2f} s {runs[-1]['peak_mb']:6.0f} MB", flush=True)
    return a_runs, b_runs


def summary(runs: list[dict]) -> dict[str, Any]:
    return {"seconds": [round(r["seconds"], 3) for r in runs],
            "median_s": round(statistics.median(r["seconds"] for r in runs), 3),
            "median_cpu_s": round(statistics.median(r["cpu_s"] for r in runs), 3),
            "peak_mb": round(max(r["peak_mb"] for r in runs), 1)}


def html_of(work: Path, label: str, extra: list[str]) -> list[Path]:
    """diglot's own HTML for a case, every edition of it."""
    out = work / f"html-{label}"
    timed([*diglot_command(), "build", "-f", "html", "-o", str(out), "--force", *extra])
    return sorted(out.glob("*/*.html"), key=lambda p: (("+" in p.parent.name), p.parent.name))


def compare_case(work: Path, label: str, extra: list[str], repeat: int) -> dict[str, Any]:
    """diglot against bare WeasyPrint on the HTML of one case."""
    html_files = html_of(work, label, extra)
    out = work / f"out-{label}"
    bare_out = work / f"bare-{label}"
    diglot = [*diglot_command(), "build", "-o", str(out), "--force", *extra]
    plain = [sys.executable, __file__, "--bare", str(bare_out), *map(str, html_files)]
    print(f"{label}: {', '.join(p.parent.name for p in html_files)} "
          f"({sum(p.stat().st_size for p in html_files) // 1024} KiB of HTML)", flush=True)
    d_runs, b_runs = alternate(diglot, plain, repeat)
    bare_files = [json.loads(r["stdout"].strip().splitlines()[-1]) for r in b_runs]
    per_file = {name: statistics.median(run[name] for run in bare_files)
                for name in bare_files[0]}
    result = {"diglot": summary(d_runs), "bare": summary(b_runs),
              "bare_per_file_s": {k: round(v, 3) for k, v in per_file.items()},
              "pdf_pages": {p.parent.name: pages(p) for p in sorted(out.glob("*/*.pdf"))},
              "chunked": chunked(d_runs[-1]["output"])}
    result["ratio"] = round(result["diglot"]["median_s"] / result["bare"]["median_s"], 3)
    return result


def seconds_case(command: list[str], repeat: int) -> dict[str, Any]:
    runs = []
    for _ in range(repeat):
        runs.append(timed(command))
    return {**summary(runs), "output": runs[-1]["output"].strip().splitlines()[:3]}


def main(args: argparse.Namespace) -> dict[str, Any]:
    sys.path.insert(0, str(REPO))
    from bench import gendata

    work = args.json.parent / "compare"  # outputs, kept for a look
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "cores": os.cpu_count(), "usable_cores": len(os.sched_getaffinity(0)),
        "repeat": args.repeat, "repeat_large": args.repeat_large, "cases": {}}
    print(f"cores: {results['cores']} ({results['usable_cores']} usable); runs alternate, "
          f"medians of {args.repeat} (sizes from {LARGE} people: {args.repeat_large})", flush=True)
    cases = results["cases"]
    if "default" in args.cases:
        cases["default"] = compare_case(work, "default", [], args.repeat)
    if "noop" in args.cases:
        out = work / "out-default"
        if not (out / "zh_CN").exists():
            timed([*diglot_command(), "build", "-o", str(out), "--force"])
        cases["noop"] = seconds_case([*diglot_command(), "build", "-o", str(out)],
                                     max(args.repeat, 5))
    if "help" in args.cases:
        cases["help"] = seconds_case([*diglot_command(), "--help"], max(args.repeat, 5))
    if "people" in args.cases:
        for size in args.sizes:
            data = gendata.write(work / f"people-{size}.yaml", size)
            repeat = args.repeat_large if size >= LARGE else args.repeat
            cases[f"people-{size}"] = compare_case(
                work, f"people-{size}", ["--data", str(data), "-l", "zh_CN", "-f", "pdf"], repeat)
    return results


def report(results: dict[str, Any]) -> None:
    """The table of medians, ratios and goals; under each comparison, the CPU time of all
    its processes and the ratio that CPU time alone allows on this machine's cores (no
    scheduling does better)."""
    cores = results["usable_cores"]
    print(f"\n{'case':<16}{'diglot s':>10}{'bare s':>9}{'ratio':>7}{'goal':>7}"
          f"{'diglot MB':>11}{'bare MB':>9}{'pages':>7}{'s/page':>8}  met")
    for name, case in results["cases"].items():
        if "diglot" in case:
            goal = GOALS.get(name)
            pdf_pages = sum(case["pdf_pages"].values())
            met = "–" if goal is None else "yes" if case["ratio"] <= goal else "no"
            if name == "people-1000" and case["diglot"]["peak_mb"] > MEMORY_GOAL_MB:
                met += f" (memory: no, goal {MEMORY_GOAL_MB} MB)"
            print(f"{name:<16}{case['diglot']['median_s']:>10.2f}{case['bare']['median_s']:>9.2f}"
                  f"{case['ratio']:>7.2f}{goal if goal else '–':>7}"
                  f"{case['diglot']['peak_mb']:>11.0f}{case['bare']['peak_mb']:>9.0f}"
                  f"{pdf_pages:>7}{case['bare']['median_s'] / pdf_pages:>8.3f}  {met}")
            floor = case["diglot"]["median_cpu_s"] / cores
            print(f"{'':<16}CPU of every process: diglot {case['diglot']['median_cpu_s']:.2f} s,"
                  f" bare {case['bare']['median_cpu_s']:.2f} s; on {cores} cores diglot's CPU "
                  f"alone takes {floor:.2f} s, ratio {floor / case['bare']['median_s']:.2f}")
            if case["chunked"]:
                print(f"{'':<16}diglot says: {case['chunked']}")
        else:
            goal = SECONDS_GOALS[name]
            print(f"{name:<16}{case['median_s']:>10.3f}{'–':>9}{'–':>7}{goal:>6}s"
                  f"{case['peak_mb']:>11.0f}{'–':>9}{'–':>7}{'–':>8}  "
                  f"{'yes' if case['median_s'] <= goal else 'no'}")
    default = results["cases"].get("default")
    if default:
        print("\ndefault, bare WeasyPrint per edition: "
              + ", ".join(f"{k} {v:.2f} s" for k, v in default["bare_per_file_s"].items()))


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (default 3)")
    parser.add_argument("--repeat-large", type=int, default=1,
                        help=f"runs of each from {LARGE} people on (default 1)")
    parser.add_argument("--sizes", default="100,1000",
                        help="generated report sizes, comma-separated (default 100,1000)")
    parser.add_argument("--quick", action="store_true", help="leave out sizes over 100 people")
    parser.add_argument("--cases", default=",".join(CASES),
                        help=f"which cases, comma-separated (default {','.join(CASES)})")
    parser.add_argument("--json", type=Path, default=REPO / "build" / "bench" / "compare.json",
                        help="where the figures go (default build/bench/compare.json); the "
                        "outputs go beside it, in compare/")
    args = parser.parse_args(argv)
    args.sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.quick:
        args.sizes = [s for s in args.sizes if s <= 100]
    args.cases = [c for c in args.cases.split(",") if c]
    unknown = set(args.cases) - set(CASES)
    if unknown:
        parser.error(f"unknown cases: {', '.join(sorted(unknown))}")
    return args


if __name__ == "__main__":
    if sys.argv[1:2] == ["--wrap"]:
        wrap(sys.argv[3:])
    elif sys.argv[1:2] == ["--bare"]:
        bare(Path(sys.argv[2]), [Path(p) for p in sys.argv[3:]])
    else:
        options = parse(sys.argv[1:])
        figures = main(options)
        report(figures)
        options.json.parent.mkdir(parents=True, exist_ok=True)
        options.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        print(f"\nfigures: {options.json}")
