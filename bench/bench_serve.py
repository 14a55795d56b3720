"""Save-to-screen time of the live preview (figures only).

    python bench/bench_serve.py [RUNS]   # default: 5

The repository's project (settings, data, catalogs) is copied into a temporary folder, given a
theme of its own by `diglot theme init`, and served by `diglot serve -l zh_CN --port 0` in a
process of its own, as a designer would run it. After the first build, the theme's report.html
is edited RUNS times; each time is measured from just before the file is written until /state
shows a new build of the zh_CN pages and every page image that changed has been fetched. The
repository's own templates are never touched.
"""

from __future__ import annotations

import http.client
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
DIGLOT = [sys.executable, "-c", "import sys; from diglot.cli import main; sys.exit(main())"]
ANCHOR = '<div class="commentary boxed">'
TIMEOUT = 300.0


def project_copy(folder: Path) -> Path:
    """The repository's report with a project theme, in `folder`."""
    project = folder / "report"
    project.mkdir()
    shutil.copy(REPO / "pyproject.toml", project)
    for name in ("data", "locales"):
        shutil.copytree(REPO / name, project / name, ignore=shutil.ignore_patterns("*.mo"))
    subprocess.run([*DIGLOT, "-C", str(project), "theme", "init", "theme"], check=True,
                   capture_output=True)
    settings = project / "pyproject.toml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("[tool.diglot]\n", '[tool.diglot]\ntheme = "./theme"\n', 1),
                        encoding="utf-8")
    return project


def get(port: int, path: str) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{path}: HTTP {response.status}")
        return body
    finally:
        connection.close()


def state(port: int) -> dict:
    return json.loads(get(port, "/state?edition=zh_CN"))


def wait_for(port: int, test, timeout: float = TIMEOUT) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = state(port)
        if test(found):
            return found
        time.sleep(0.02)
    raise RuntimeError(f"the preview did not get there: {found}")


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory() as folder:
        project = project_copy(Path(folder))
        server = subprocess.Popen([*DIGLOT, "-C", str(project), "serve", "-l", "zh_CN",
                                   "--port", "0"], stdout=subprocess.PIPE, text=True)
        try:
            assert server.stdout is not None
            port = int(server.stdout.readline().split("127.0.0.1:")[1].split("/")[0])
            first = wait_for(port, lambda s: s["page_count"] > 0)
            print(f"first build: {first['page_count']} pages of zh_CN")
            template = project / "theme/report.html"
            original = template.read_text(encoding="utf-8")
            times = []
            for run in range(1, runs + 1):
                before = state(port)["pages_build"]
                time.sleep(1.0)  # the machine quiet again, the watcher idle
                started = time.perf_counter()
                template.write_text(original.replace(
                    ANCHOR, f"{ANCHOR}<p>Edited for run {run}.</p>", 1), encoding="utf-8")
                now = wait_for(port, lambda s, b=before: s["pages_build"] > b)
                if now["error"]:
                    raise RuntimeError(now["error"])
                changed = [p for p in now["pages"] if p["v"] == now["pages_build"]]
                for page in changed:
                    get(port, f"/pages/zh_CN/{page['n']}.png?v={page['v']}")
                seconds = time.perf_counter() - started
                times.append(seconds)
                print(f"run {run}: {seconds:.2f} s ({len(changed)} of {now['page_count']} "
                      "pages changed)")
            print("save to new pages served, default report, zh_CN: median "
                  f"{statistics.median(times):.2f} s "
                  f"of {runs} (min {min(times):.2f}, max {max(times):.2f})")
        finally:
            server.terminate()
            server.wait(60)


if __name__ == "__main__":
    main()
