"""Publishing: a build that fails changes no output, leaves no debris, names the real files,
cleans what killed builds left, and puts no active link into a PDF."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from diglot import publish
from diglot.errors import Location, OutputError
from diglot.writers.pdf import PdfWriter

from . import assert_refused, assert_untouched, debris, snapshot

BUILD = ("build", "-f", "html", "-f", "docx")


def blocked_by_a_file(project: Path) -> Path:
    folder = project / "build/en"
    for child in folder.iterdir():
        child.unlink()
    folder.rmdir()
    folder.write_text("a file where a folder goes", encoding="utf-8")
    return folder / "tiny-report.html"


def blocked_by_a_folder(project: Path) -> Path:
    target = project / "build/en/tiny-report.docx"
    target.unlink()
    (target / "inside").mkdir(parents=True)
    return target


@pytest.mark.parametrize("block", [blocked_by_a_file, blocked_by_a_folder])
def test_no_output_changes_when_one_target_is_blocked(block, tiny_project: Path,
                                                      run_cli) -> None:
    assert run_cli("-C", tiny_project, *BUILD).code == 0
    target = block(tiny_project)
    before = snapshot(tiny_project)
    # zh_CN is built first: its outputs must not be replaced before en is found blocked.
    result = run_cli("-C", tiny_project, *BUILD)
    assert_refused(result, str(target))
    assert_untouched(tiny_project, before)


def test_a_move_that_fails_puts_back_the_ones_done(tiny_project: Path, run_cli,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    assert run_cli("-C", tiny_project, *BUILD).code == 0
    before = snapshot(tiny_project)
    (tiny_project / "data/people.yaml").write_text(
        (tiny_project / "data/people.yaml").read_text(encoding="utf-8").replace(
            "两位研究者", "三位研究者"), encoding="utf-8")
    real_replace, moves = os.replace, []

    def failing_third(source: str | Path, target: str | Path) -> None:
        if ".staging-" in str(source) and ".previous" not in str(target):
            moves.append(target)
            if len(moves) == 3:
                raise OSError(28, "No space left on device", str(target))
        real_replace(source, target)

    monkeypatch.setattr(publish.os, "replace", failing_third)
    result = run_cli("-C", tiny_project, *BUILD)
    assert_refused(result, "No space left on device")
    assert_untouched(tiny_project, before)


def test_errors_name_the_output_not_the_staging_file(tiny_project: Path, run_cli,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def deep(self: PdfWriter, rendered: object, dest: Path, roots: object) -> list[object]:
        raise OutputError("the layout nests too deeply to be rendered", Location(dest))

    monkeypatch.setattr(PdfWriter, "write_document", deep)
    result = run_cli("-C", tiny_project, "build", "-l", "en", "-f", "pdf")
    assert_refused(result, "build/en/tiny-report.pdf: the layout nests too deeply")
    assert ".staging" not in result.err
    assert debris(tiny_project) == []


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_staging_folders_of_dead_builds_are_removed(tiny_project: Path, run_cli) -> None:
    build = tiny_project / "build"
    build.mkdir()
    stale = {"dead owner": str(_dead_pid()), "no owner, old": None}
    kept = {"live owner": str(os.getppid()), "no owner, recent": None}
    for name, owner in {**stale, **kept}.items():
        folder = build / f"{publish.PREFIX}{name.replace(' ', '').replace(',', '-')}"
        (folder / "zh_CN").mkdir(parents=True)
        (folder / "zh_CN/tiny-report.html").write_text("half written", encoding="utf-8")
        if owner:
            (folder / publish.OWNER).write_text(owner, encoding="ascii")
        if name == "no owner, old":
            old = time.time() - publish.ABANDONED_AFTER - 60
            os.utime(folder, (old, old))
    assert run_cli("-C", tiny_project, "build", "-f", "html").code == 0
    left = sorted(p.name for p in build.glob(publish.PREFIX + "*"))
    assert left == sorted(f"{publish.PREFIX}{n.replace(' ', '').replace(',', '-')}"
                          for n in kept)


def test_sigterm_cleans_up_like_ctrl_c(tiny_project: Path, run_cli) -> None:
    assert run_cli("-C", tiny_project, *BUILD).code == 0
    before = snapshot(tiny_project)
    (tiny_project / "data/people.yaml").write_text(
        (tiny_project / "data/people.yaml").read_text(encoding="utf-8").replace(
            "两位研究者", "三位研究者"), encoding="utf-8")
    build = subprocess.Popen([sys.executable, "-m", "diglot", "-C", str(tiny_project), "build",
                              "-f", "pdf", "-f", "docx", "-f", "html"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert build.stderr is not None
    first = build.stderr.readline()  # the first output is being written now
    assert first.startswith("[1/"), first
    build.send_signal(signal.SIGTERM)
    err = first + build.stderr.read()
    assert build.wait(timeout=120) == 143, err
    assert "Traceback" not in err
    assert_untouched(tiny_project, before)


THEME_REPORT = ('{% extends "default/report.html" %}{% block head %}{{ super() }}'
                '<link rel="stylesheet" href="extra.css">{% endblock %}'
                '{% block commentary %}<p><a href="javascript:alert(1)">run</a> '
                '<a href="file:///etc/passwd">read</a> <a href="notes.html">near</a> '
                '<a href="https://example.org/safe">safe</a></p>{% endblock %}')


def theme(project: Path, css: str) -> Path:
    folder = project / "theme"
    folder.mkdir(exist_ok=True)
    (folder / "report.html").write_text(THEME_REPORT, encoding="utf-8")
    (folder / "extra.css").write_text(css, encoding="utf-8")
    return folder


def test_a_pdf_links_only_to_the_web_and_to_itself(tiny_project: Path, run_cli) -> None:
    folder = theme(tiny_project, "p { color: #222 }\n")
    result = run_cli("-C", tiny_project, "build", "-l", "en", "-f", "pdf", "--theme", folder)
    assert result.code == 0, result.err
    for target in ("javascript:alert(1)", "/etc/passwd", "notes.html"):
        assert target in result.err and f"{folder / 'report.html'}: warning" in result.err
    uris = {annotation.get_object().get("/A", {}).get("/URI")
            for page in PdfReader(tiny_project / "build/en/tiny-report.pdf").pages
            for annotation in page.get("/Annots") or ()}
    uris.discard(None)
    assert "https://example.org/safe" in uris
    assert all(str(uri).startswith(("https:", "http:", "mailto:")) for uri in uris)


@pytest.mark.parametrize("css, needle", [
    ("p { color: #222 }\n@font-face { font-family: x; src: url(file:///etc/passwd) }\n"
     "p { font-family: x }\n", "file:///etc/passwd"),
    ('@import url("../../../../../../../etc/hostname");\n', "hostname"),
    ("p { background: url(http://127.0.0.1:9/x.png) }\n", "127.0.0.1"),
    ("p { background: url(missing.png) }\n", "missing.png"),
])
def test_a_refused_resource_names_the_stylesheet_line(css: str, needle: str,
                                                      tiny_project: Path, run_cli) -> None:
    assert run_cli("-C", tiny_project, "build", "-l", "en", "-f", "pdf").code == 0
    before = snapshot(tiny_project)
    folder = theme(tiny_project, css)
    line = next(n for n, text in enumerate(css.splitlines(), 1) if needle in text)
    result = run_cli("-C", tiny_project, "build", "-l", "en", "-f", "pdf", "--theme", folder)
    assert_refused(result, f"{folder / 'extra.css'}:{line}: resource")
    assert ".staging" not in result.err
    assert_untouched(tiny_project, before)


@pytest.mark.parametrize("side", [9000, 20000])  # under and over Pillow's own bomb limit
def test_an_image_of_too_many_pixels_is_refused(side: int, tiny_project: Path, run_cli) -> None:
    from PIL import Image

    folder = tiny_project / "theme"
    folder.mkdir()
    Image.new("1", (side, side)).save(folder / "bomb.png", optimize=True)  # some 100 KiB
    (folder / "report.html").write_text(
        '{% extends "default/report.html" %}{% block commentary %}'
        '<img src="bomb.png" alt="">{% endblock %}', encoding="utf-8")
    result = run_cli("-C", tiny_project, "build", "-l", "en", "-f", "pdf", "--theme", folder)
    assert_refused(result, f"{folder / 'report.html'}:1: resource")
    assert "pixel" in result.err
    assert not (tiny_project / "build/en").exists()


def test_what_an_svg_or_an_attachment_asks_for_is_refused(tiny_project: Path, run_cli) -> None:
    folder = tiny_project / "theme"
    folder.mkdir()
    (folder / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">\n'
        '<image href="file:///etc/hostname" width="5" height="5"/></svg>', encoding="utf-8")
    (folder / "report.html").write_text(
        '{% extends "default/report.html" %}{% block head %}{{ super() }}\n'
        '<link rel="attachment" href="http://127.0.0.1:9/leak.txt">{% endblock %}'
        '{% block commentary %}<img src="logo.svg" alt="logo">{% endblock %}', encoding="utf-8")
    result = run_cli("-C", tiny_project, "build", "-l", "en", "-f", "pdf", "--theme", folder)
    assert_refused(result, f"{folder / 'logo.svg'}:2: resource")
    assert f"{folder / 'report.html'}:2: resource" in result.err
    assert not (tiny_project / "build/en").exists()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_while_publishing_waits_until_it_is_done(sig: int, tiny_project: Path, run_cli,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    assert run_cli("-C", tiny_project, *BUILD).code == 0
    data = tiny_project / "data/people.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("两位研究者", "三位研究者"),
                    encoding="utf-8")
    real_publish = publish.publish

    def stopped_halfway(staging: Path, staged: list[tuple[Path, Path]]) -> list[Path]:
        done = real_publish(staging, staged[:1])
        os.kill(os.getpid(), sig)  # arrives with half the outputs moved
        return done + real_publish(staging, staged[1:])

    monkeypatch.setattr(publish, "publish", stopped_halfway)
    result = run_cli("-C", tiny_project, *BUILD)
    assert result.code == (130 if sig == signal.SIGINT else 143)
    assert "Traceback" not in result.err and "replaced, all of them" in result.err
    html = [p.read_text(encoding="utf-8") for p in (tiny_project / "build").glob("*/*.html")]
    assert len(html) == 2 and all("三位研究者" in h for h in html)
    assert debris(tiny_project) == []


ACTIVE = ('<p><a href="javascript:app.alert(1)">js</a> <a href="JaVaScript:x">j2</a> '
          '<a href=" file:///etc/passwd">f</a> <a href="https://ok.example/">ok</a> '
          '<a href="#person-ada-lin">in the page</a></p><script>alert(1)</script>'
          '<img src="x" onerror="alert(2)" alt=""><iframe src="https://x.example/"></iframe>'
          '<svg><a href="javascript:alert(3)"><text>t</text></a>'
          '<animate attributeName="href" values="javascript:alert(4)"/></svg>'
          '<meta http-equiv="refresh" content="0;url=javascript:alert(5)">'
          '<form action="javascript:alert(6)"><button formaction="javascript:7">b</button></form>')


def test_an_html_output_holds_no_active_content(tiny_project: Path, run_cli) -> None:
    folder = tiny_project / "theme"
    folder.mkdir()
    (folder / "report.html").write_text(
        '{% extends "default/report.html" %}{% block commentary %}' + ACTIVE +
        "{% endblock %}", encoding="utf-8")
    result = run_cli("-C", tiny_project, "build", "-l", "en", "-f", "html", "--theme", folder)
    assert result.code == 0, result.err
    assert f"{folder / 'report.html'}: warning: active content left out" in result.err
    html = (tiny_project / "build/en/tiny-report.html").read_text(encoding="utf-8")
    lowered = html.lower()
    for active in ("javascript:", "<script", "onerror", "<iframe", "<animate", "http-equiv",
                   "file:///etc"):
        assert active not in lowered, active
    assert 'href="https://ok.example/"' in html and 'href="#person-ada-lin"' in html
    assert "stylesheet" in html  # the page keeps its look
