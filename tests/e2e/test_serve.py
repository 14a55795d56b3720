"""`diglot serve`: the live preview, on a free loopback port against a copy of the tiny project
with a project theme. Every server is stopped by its test; every wait is bounded."""

from __future__ import annotations

import base64
import http.client
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader

from diglot.cli import main
from diglot.cli.arguments import make_parser
from diglot.config import load
from diglot.serve import Preview
from diglot.writers import FORMATS

from ..conftest import REPO

TIMEOUT = 120.0  # seconds any one rebuild may take on a loaded machine
MARKER = "A line the preview must show"


@pytest.fixture
def project(tiny_project: Path) -> Path:
    """The tiny project with a theme of its own, from `diglot theme init`."""
    assert main(["-C", str(tiny_project), "theme", "init", "theme"]) == 0
    settings = tiny_project / "diglot.toml"
    settings.write_text(settings.read_text(encoding="utf-8") + 'theme = "./theme"\n',
                        encoding="utf-8")
    return tiny_project


class Served:
    def __init__(self, preview: Preview) -> None:
        self.preview = preview
        self.log: list[str] = []

    def get(self, path: str, host: str | None = None) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.preview.port, timeout=TIMEOUT)
        try:
            headers = {"Host": host} if host else {}
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def state(self, edition: str = "zh_CN") -> dict[str, Any]:
        status, _headers, body = self.get(f"/state?edition={edition}")
        assert status == 200
        return json.loads(body)

    def wait(self, test: Callable[[dict[str, Any]], bool], edition: str = "zh_CN"
             ) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            state = self.state(edition)
            if test(state):
                return state
            time.sleep(0.1)
        raise AssertionError(f"the preview never got there: {state}\n" + "\n".join(self.log))

    def page(self, edition: str, number: int) -> bytes:
        status, headers, body = self.get(f"/pages/{edition}/{number}.png")
        assert status == 200 and headers["Content-Type"] == "image/png"
        return body

    def pages(self, edition: str = "zh_CN") -> list[bytes]:
        state = self.state(edition)
        return [self.page(edition, p["n"]) for p in state["pages"]]


@pytest.fixture
def served(project: Path) -> Iterator[Served]:
    config = load(project, {}, FORMATS)
    preview = Preview(lambda: load(project, {}, FORMATS), config, port=0)
    server = Served(preview)
    preview.builder.log = server.log.append
    with preview:
        server.wait(lambda s: s["page_count"] > 0)
        yield server
    assert not preview.workdir.exists()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_page_state_and_page_images_are_served(served: Served) -> None:
    status, headers, body = served.get("/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b"<script>" in body and b"http" not in body.replace(b"http-equiv", b"")
    assert headers["X-Content-Type-Options"] == "nosniff"
    policy = headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "img-src 'self'" in policy
    assert "unsafe-inline" not in policy and "http" not in policy
    state = served.state()
    assert state["editions"] == ["zh_CN", "en"] and state["edition"] == "zh_CN"
    assert state["error"] is None and state["page_count"] == len(state["pages"]) > 1
    assert isinstance(state["warnings"], int) and isinstance(state["fallbacks"], int)
    for number, png in enumerate(served.pages(), 1):
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG" and image.width == state["pages"][number - 1]["w"]
        assert image.height > image.width  # A4, upright
    served.wait(lambda s: s["page_count"] > 0, edition="en")  # built when asked for


def test_a_changed_template_changes_the_pages(served: Served, project: Path) -> None:
    before = served.state()
    old_pages = served.pages()
    edit(project / "theme/report.html", '<div class="commentary boxed">',
         f'<div class="commentary boxed"><p>{MARKER}</p>')
    after = served.wait(lambda s: s["pages_build"] > before["pages_build"])
    assert after["build"] > before["build"] and after["error"] is None
    new_pages = served.pages()
    assert new_pages != old_pages
    changed = [n for n, p in enumerate(after["pages"]) if p["v"] == after["pages_build"]]
    assert changed  # and only those ask the browser for new images


def test_a_changed_catalog_rebuilds(served: Served, project: Path) -> None:
    before = served.wait(lambda s: s["page_count"] > 0, edition="en")
    old_pages = served.pages("en")
    edit(project / "locales/en/LC_MESSAGES/content.po", 'msgstr "Two Researchers"',
         'msgstr "Two Researchers, Revised and Much Longer"')
    served.wait(lambda s: s["pages_build"] > before["pages_build"], edition="en")
    assert served.pages("en") != old_pages


def test_a_template_error_is_shown_located_and_the_last_pages_stay(served: Served,
                                                                    project: Path) -> None:
    good = served.state()
    good_pages = served.pages()
    template = project / "theme/report.html"
    text = template.read_text(encoding="utf-8")
    line = text.splitlines().index('<div class="commentary boxed">') + 1
    edit(template, '<div class="commentary boxed">', '<div class="commentary boxed">{% if %}')
    failed = served.wait(lambda s: s["error"] is not None)
    assert failed["build"] > good["build"] and failed["pages_build"] == good["pages_build"]
    error = failed["error"][0]
    assert error["file"].endswith("report.html") and error["line"] == line
    assert f"report.html:{line}" in error["text"]
    assert served.pages() == good_pages  # the last good pages, still served
    template.write_text(text, encoding="utf-8")
    fixed = served.wait(lambda s: s["error"] is None)
    assert fixed["build"] > failed["build"] and fixed["page_count"] == good["page_count"]


def test_a_data_error_is_located(served: Served, project: Path) -> None:
    good = served.state()
    edit(project / "data/people.yaml", "born: {year: 1990", "born: {year: nineteen")
    failed = served.wait(lambda s: s["error"] is not None)
    error = failed["error"][0]
    assert error["file"].endswith("people.yaml") and error["line"] and error["column"]
    assert failed["pages_build"] == good["pages_build"]


@pytest.mark.parametrize("path", [
    "/pages/../../etc/passwd", "/pages/zh_CN/../../../etc/passwd", "/pages/%2e%2e/1.png",
    "/pages/nowhere/1.png", "/pages/zh_CN/0.png", "/pages/zh_CN/999.png",
    "/pages/zh_CN/1.png/x", "/pages/zh_CN/-1.png", "/download/nowhere.pdf",
    "/download/zh_CN.txt", "/download/..%2fdiglot.toml.pdf", "/etc/passwd", "/diglot.toml",
    "/theme/report.html", "//etc/passwd"])
def test_nothing_but_its_own_routes(served: Served, path: str) -> None:
    status, headers, _body = served.get(path)
    assert status == 404 and headers["X-Content-Type-Options"] == "nosniff"


def test_only_loopback_names_and_only_reading(served: Served) -> None:
    assert served.preview.http.server_address[0] == "127.0.0.1"
    assert make_parser().parse_args(["serve"]).host == "127.0.0.1"
    assert served.get("/state", host="attacker.example:80")[0] == 403
    assert served.get("/", host=f"localhost:{served.preview.port}")[0] == 200
    connection = http.client.HTTPConnection("127.0.0.1", served.preview.port, timeout=30)
    connection.request("POST", "/state", body=b"{}")
    assert connection.getresponse().status == 405
    connection.close()


def test_the_downloads_and_a_stable_pdf_identifier(served: Served, project: Path) -> None:
    state = served.state()
    status, headers, pdf = served.get(state["downloads"]["pdf"])
    assert status == 200 and pdf.startswith(b"%PDF-")
    assert "attachment" in headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(pdf))
    first_id = reader.trailer["/ID"][0]
    # The download is the build's PDF, tagged for its standard (PDF/UA-1 by default), and
    # shows the same pages as the preview.
    assert "/StructTreeRoot" in reader.trailer["/Root"] and len(reader.pages) == len(
        state["pages"])
    edit(project / "theme/custom.css", "padding-left: 5mm;", "padding-left: 9mm;")
    served.wait(lambda s: s["pages_build"] > state["pages_build"])
    again = served.get(state["downloads"]["pdf"])[2]
    assert again != pdf and PdfReader(io.BytesIO(again)).trailer["/ID"][0] == first_id
    status, headers, docx = served.get(state["downloads"]["docx"])
    assert status == 200 and docx.startswith(b"PK")
    assert headers["Content-Type"].endswith("wordprocessingml.document")


def test_the_command_prints_its_address_and_stops_on_ctrl_c(project: Path) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; from diglot.cli import main; sys.exit(main())",
         "-C", str(project), "serve", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert "http://127.0.0.1:" in line
        port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", "/state")
            state = json.loads(connection.getresponse().read())
            connection.close()
            if state["page_count"]:
                break
            time.sleep(0.2)
        assert state["page_count"] > 0
        process.send_signal(signal.SIGINT)
        code = process.wait(TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert code == 130  # as every command ends on Ctrl-C
    assert list((project / "build/.serve").iterdir()) == []  # its private folder is gone
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=5):
        pass


# --- one real browser -------------------------------------------------------------------

class Browser:
    """Headless Chromium driven over the Chrome DevTools Protocol."""

    def __init__(self, profile: Path) -> None:
        import websocket

        self.process = subprocess.Popen(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu",
             "--remote-debugging-port=0", f"--user-data-dir={profile}",
             "--window-size=1000,800", "--no-first-run", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not port_file.is_file() or not port_file.read_text().strip():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError("chromium did not start")
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        connection = http.client.HTTPConnection("127.0.0.1", int(port), timeout=30)
        connection.request("GET", "/json/list")
        targets = json.loads(connection.getresponse().read())
        connection.close()
        page = next(t for t in targets if t["type"] == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60,
                                                  suppress_origin=True)
        self.next_id = 0

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise AssertionError(message["error"])
                return message["result"]

    def js(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True,
                           awaitPromise=True)
        return result["result"].get("value")

    def until(self, expression: str) -> Any:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            value = self.js(expression)
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"never true in the browser: {expression}")

    def close(self) -> None:
        try:
            self.socket.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


SCREENSHOT = Path(os.environ.get("DIGLOT_SCREENSHOT", REPO / "build/serve-preview.png"))


def capture(browser: Browser, path: Path) -> None:
    shot = browser.call("Page.captureScreenshot", format="png")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(base64.b64decode(shot["data"]))
    assert Image.open(path).width > 500


@pytest.mark.skipif(shutil.which("chromium") is None,
                    reason="Debian's chromium is not installed (make test installs it)")
def test_a_browser_reloads_the_pages_and_keeps_its_place(served: Served, project: Path,
                                                         tmp_path: Path) -> None:
    browser = Browser(tmp_path / "profile")
    try:
        browser.call("Page.enable")
        browser.call("Page.navigate", url=f"{served.preview.url}")
        count = served.state()["page_count"]
        browser.until(f"document.querySelectorAll('main img').length === {count} && "
                      "[...document.querySelectorAll('main img')].every(i => i.complete && "
                      "i.naturalWidth > 0)")
        browser.js("window.scrollTo(0, document.querySelectorAll('main figure')[2]"
                   ".getBoundingClientRect().top + window.scrollY + 137)")
        time.sleep(0.5)
        scrolled = browser.js("window.scrollY")
        assert scrolled > 500
        before = browser.js("[...document.querySelectorAll('main img')].map(i => i.src)")
        build = int(browser.js("document.body.dataset.build"))
        edit(project / "theme/custom.css", "--accent: #6b3a2a;", "--accent: #1f6fb2;")
        browser.until(f"Number(document.body.dataset.build) > {build}")
        browser.until("[...document.querySelectorAll('main img')].every(i => i.complete)")
        after = browser.js("[...document.querySelectorAll('main img')].map(i => i.src)")
        assert after != before and len(after) == len(before)
        served_now = served.state()
        assert [u.rsplit("?v=", 1)[1] for u in after] == [
            str(p["v"]) for p in served_now["pages"]]
        assert abs(browser.js("window.scrollY") - scrolled) <= 3
        assert "#edition=zh_CN&page=3" in browser.js("location.hash")
        # An error shows above the pages, which stay.
        edit(project / "theme/report.html", '<div class="commentary boxed">',
             '<div class="commentary boxed">{% if %}')
        browser.until("document.getElementById('error').classList.contains('on')")
        assert "report.html:" in browser.js("document.getElementById('error-text').textContent")
        assert browser.js("document.querySelectorAll('main img').length") == len(after)
        assert abs(browser.js("window.scrollY") - scrolled) <= 3
        # Two views to look at: the pages across a page break, and the error above them.
        browser.js("window.scrollTo(0, document.querySelectorAll('main figure')[3]"
                   ".getBoundingClientRect().top + window.scrollY - 350)")
        time.sleep(0.3)
        capture(browser, SCREENSHOT.with_name(SCREENSHOT.stem + "-error.png"))
        edit(project / "theme/report.html", '{% if %}', '')
        browser.until("!document.getElementById('error').classList.contains('on')")
        browser.until("[...document.querySelectorAll('main img')].every(i => i.complete)")
        time.sleep(0.3)
        capture(browser, SCREENSHOT)
        # Another edition: its pages, at the same page.
        page = int(browser.js("new URLSearchParams(location.hash.slice(1)).get('page')"))
        browser.js("const s = document.getElementById('edition'); s.value = 'en';"
                   "s.dispatchEvent(new Event('change'))")
        browser.until("[...document.querySelectorAll('main img')].length > 0 && "
                      "[...document.querySelectorAll('main img')].every(i => i.complete && "
                      "i.src.includes('/pages/en/'))")
        assert browser.js("location.hash") == f"#edition=en&page={page}"
        top = browser.js(f"document.querySelectorAll('main figure')[{page - 1}]"
                         ".getBoundingClientRect().top")
        assert 0 <= top < 100  # that page at the top of the window, under the bar
    finally:
        browser.close()
