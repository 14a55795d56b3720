"""Customizing the report: block overrides, built-in themes, scaffolding, reference documents."""

from __future__ import annotations

from pathlib import Path

import docx
import jinja2
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from pypdf import PdfReader

from diglot import data, themedoc
from diglot.config import load as load_config
from diglot.render import CONTEXT, filters_for, template_context
from diglot.themeregistry import builtin_themes
from diglot.themes import ThemeChain
from diglot.writers import FORMATS

from ..conftest import REPO, paragraphs, pdf_text, squash

FIRST = "她的工作**非常扎实**，详见[主页](https://example.org/ada)。"
FIRST_PLAIN = "她的工作非常扎实，详见主页。"
OVERRIDE = """{% extends "default/report.html" %}
{% block commentary %}
{% if person.commentary %}
<div class="commentary"><p class="verdict">{{ person.commentary[-1] }}</p></div>
{% endif %}
{% endblock %}
"""


def make_theme(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def build(run_cli, project: Path, out: Path, *args: str | Path) -> None:
    result = run_cli("-C", project, "build", "-l", "zh_CN", "-f", "pdf", "-f", "docx",
                     "-o", out, *args)
    assert result.code == 0, result.err


def test_one_block_override_changes_that_block_only(tiny_project: Path, tmp_path: Path,
                                                    run_cli) -> None:
    theme = make_theme(tmp_path / "theme", {"report.html": OVERRIDE})
    build(run_cli, tiny_project, tmp_path / "plain")
    build(run_cli, tiny_project, tmp_path / "themed", "--theme", theme)

    plain = docx.Document(tmp_path / "plain/zh_CN/tiny-report.docx")
    plain_doc = [p.text for p in paragraphs(plain)]
    themed = docx.Document(tmp_path / "themed/zh_CN/tiny-report.docx")
    themed_doc = [p.text for p in paragraphs(themed)]
    removed = [t for t in plain_doc if t == FIRST_PLAIN]
    assert removed, "the first commentary paragraph is in the default build"
    assert themed_doc == [t for t in plain_doc if t != FIRST_PLAIN]

    plain_pdf = pdf_text(tmp_path / "plain/zh_CN/tiny-report.pdf")
    themed_pdf = pdf_text(tmp_path / "themed/zh_CN/tiny-report.pdf")
    assert squash(themed_pdf) == squash(plain_pdf).replace(squash(FIRST_PLAIN), "")
    assert len(PdfReader(tmp_path / "themed/zh_CN/tiny-report.pdf").pages) == \
        len(PdfReader(tmp_path / "plain/zh_CN/tiny-report.pdf").pages)


def test_new_project_builds_at_once(tmp_path: Path, run_cli,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    created = run_cli("new", "my-report")
    assert created.code == 0, created.err
    project = tmp_path / "my-report"
    assert (project / "diglot.toml").is_file() and (project / "theme/report.html").is_file()
    built = run_cli("-C", project, "build")
    assert built.code == 0, built.err
    assert "Every string was translated." in built.out and "0 warning(s)" in built.out
    en = squash(pdf_text(project / "build/en/my-report.pdf"))
    assert "TimBrooks" in en and squash("The Authors of Sora") in en
    word = docx.Document(project / "build/en/my-report.docx")
    example = data.load(project / "data/report.yaml")
    # The example override keeps the `commentary` class: its paragraphs keep that Word style
    # (in English, those after a person's first in its indented variant).
    styles = [p.style for p in paragraphs(word)]
    assert sum(s in ("commentary", "commentary indented") for s in styles) == \
        sum(len(p.commentary) for p in example.people)
    assert styles.count("commentary") == sum(1 for p in example.people if p.commentary)
    again = run_cli("new", "my-report")
    assert again.code == 2 and "not an empty folder" in again.err


@pytest.mark.parametrize("full", [False, True])
def test_theme_init_gives_a_theme_that_builds(tiny_project: Path, tmp_path: Path, run_cli,
                                              full: bool) -> None:
    args = ["-C", tmp_path, "theme", "init", "mine"] + (["--full"] if full else [])
    assert run_cli(*args).code == 0
    theme = tmp_path / "mine"
    names = sorted(p.name for p in theme.iterdir())
    expected = ["locales", "macros.html", "pairs.html", "report.css", "report.html",
                "theme.toml"] if full else \
        ["custom.css", "report.html", "theme.toml"]
    assert names == expected
    result = run_cli("-C", tiny_project, "build", "-l", "en", "-f", "html", "--theme", theme)
    assert result.code == 0, result.err


def test_reference_document_styles_are_honoured(tiny_project: Path, tmp_path: Path,
                                                run_cli) -> None:
    reference = docx.Document()
    verdict = reference.styles.add_style("verdict", WD_STYLE_TYPE.PARAGRAPH)
    verdict.base_style = reference.styles["Normal"]
    verdict.font.size = Pt(15)
    verdict.font.color.rgb = RGBColor(0xAA, 0x00, 0x00)
    fonts = reference.styles["Normal"].element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), "KaiTi")
    reference.save(tmp_path / "reference.docx")
    theme = make_theme(tmp_path / "theme", {"report.html": OVERRIDE})
    build(run_cli, tiny_project, tmp_path / "out", "--theme", theme,
          "--reference-docx", tmp_path / "reference.docx")
    word = docx.Document(tmp_path / "out/zh_CN/tiny-report.docx")
    styled = [p for p in word.paragraphs if p.style.name == "verdict"]
    assert styled, "the class selects the reference document's style"
    assert styled[0].style.font.color.rgb == RGBColor(0xAA, 0x00, 0x00)
    assert styled[0].style.font.size == Pt(15)
    normal = word.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "KaiTi"  # the reference's East Asian font is kept


def test_a_reference_that_is_not_word_is_a_clear_error(tiny_project: Path, tmp_path: Path,
                                                       run_cli) -> None:
    fake = tmp_path / "reference.docx"
    fake.write_text("not a Word document", encoding="utf-8")
    result = run_cli("-C", tiny_project, "build", "--reference-docx", fake)
    assert result.code == 1
    assert f"{fake}: reference document reference.docx is not a Word document" in result.err
    assert not (tiny_project / "build").exists()


def test_template_errors_name_file_line_and_theme(tiny_project: Path, tmp_path: Path,
                                                  run_cli) -> None:
    theme = make_theme(tmp_path / "theme", {
        "theme.toml": 'name = "mine"\n',
        "report.html": '{% extends "default/report.html" %}\n{% block cover %}\n{% if %}\n'
                       "{% endblock %}\n"})
    result = run_cli("-C", tiny_project, "build", "--theme", theme)
    assert result.code == 1
    assert f"{theme / 'report.html'}:3: template syntax error (theme 'mine'):" in result.err
    (theme / "report.html").write_text(
        '{% extends "default/report.html" %}\n{% block cover %}\n\n{{ nothing.here }}\n'
        "{% endblock %}\n", encoding="utf-8")
    result = run_cli("-C", tiny_project, "build", "--theme", theme)
    assert result.code == 1 and "Traceback" not in result.err
    assert f"{theme / 'report.html'}:4: template error (theme 'mine'): 'nothing' is undefined" \
        in result.err


def test_missing_parent_theme(tiny_project: Path, tmp_path: Path, run_cli) -> None:
    theme = make_theme(tmp_path / "theme", {"theme.toml": 'name = "mine"\nparent = "fancy"\n'})
    result = run_cli("-C", tiny_project, "build", "--theme", theme)
    assert result.code == 1
    assert (f"{theme / 'theme.toml'}: the parent theme 'fancy' of 'mine' is not a built-in "
            "theme") in result.err


def test_css_warnings_name_the_stylesheet(tiny_project: Path, tmp_path: Path, run_cli) -> None:
    theme = make_theme(tmp_path / "theme", {
        "theme.toml": 'stylesheets = ["extra.css"]\n',
        "extra.css": "p {\n  color: red;\n  colour: blue;\n}\n"})
    result = run_cli("-C", tiny_project, "build", "-l", "en", "--theme", theme)
    assert result.code == 0
    assert f"{theme / 'extra.css'}:3:3: warning: css: Ignored `colour: blue`, unknown property" \
        in result.err
    assert run_cli("-C", tiny_project, "build", "-l", "en", "--theme", theme,
                   "--strict").code == 1


def test_page_setup_from_the_theme(tiny_project: Path, tmp_path: Path, run_cli) -> None:
    theme = make_theme(tmp_path / "theme", {
        "theme.toml": '[page]\nsize = "Letter"\nmargins = "1in"\ncover = false\n'})
    build(run_cli, tiny_project, tmp_path / "out", "--theme", theme)
    reader = PdfReader(tmp_path / "out/zh_CN/tiny-report.pdf")
    assert float(reader.pages[0].mediabox.width) == pytest.approx(612, abs=0.5)
    assert "两位研究者" in pdf_text(tmp_path / "out/zh_CN/tiny-report.pdf").split("\f")[0]
    section = docx.Document(tmp_path / "out/zh_CN/tiny-report.docx").sections[0]
    assert section.page_width.inches == pytest.approx(8.5, abs=0.01)
    assert section.left_margin.inches == pytest.approx(1.0, abs=0.01)


@pytest.mark.parametrize("page", ['size = "0mm 0mm"', 'size = "5000mm 5000mm"',
                                  'size = "A5"\nmargins = "150mm"',
                                  'size = "A4"\nmargins = "20mm 100mm"'])
def test_a_page_no_report_fits_is_refused(page: str, tiny_project: Path, tmp_path: Path,
                                          run_cli) -> None:
    theme = make_theme(tmp_path / "theme", {"theme.toml": f"[page]\n{page}\n"})
    result = run_cli("-C", tiny_project, "check", "--theme", theme)
    assert result.code == 1 and "Traceback" not in result.err
    assert f"{theme / 'theme.toml'}: page" in result.err


def test_the_context_reference_is_complete() -> None:
    theme = ThemeChain.build()
    report = data.load(REPO / "tests/fixtures/tiny/data/people.yaml")
    from diglot.i18n.catalogs import Translator
    from diglot.localize import localize

    view = localize(report, "en", Translator("en", "content"))
    assert set(template_context(view, theme)) == set(CONTEXT)
    blocks = themedoc.blocks(theme)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(theme.default)),
                             extensions=["jinja2.ext.i18n", "jinja2.ext.do"])
    source = (theme.default / "report.html").read_text(encoding="utf-8")
    in_template = {b.name for b in env.parse(source).find_all(jinja2.nodes.Block)}
    assert in_template <= set(blocks)
    assert all(doc for _, doc in blocks.values()), "every block is described"
    assert all(f.__doc__ for f in filters_for("en").values()), "every filter is described"
    text = themedoc.reference(theme)
    for name in [*CONTEXT, *blocks, *filters_for("en")]:
        assert f"`{name}`" in text
    committed = (theme.default / "REFERENCE.md").read_text(encoding="utf-8")
    assert committed == text, "templates/REFERENCE.md is stale: run `diglot theme doc -o " \
                              "templates/REFERENCE.md`"


def test_brief_is_only_overrides() -> None:
    brief = ThemeChain.build("brief")
    assert [t.name for t in brief.themes] == ["brief", "default"]
    own = sorted(p.name for p in brief.dirs[0].iterdir())
    assert own == ["brief.css", "report.html", "theme.toml"]
    assert (brief.dirs[0] / "report.html").read_text(encoding="utf-8").startswith(
        '{% extends "default/report.html" %}')
    assert brief.page.cover is False and brief.page.toc is False


def test_scaffold_example_matches_the_default_report() -> None:
    from babel.messages.pofile import read_po

    scaffold = REPO / "src/diglot/scaffold"
    example = data.load(scaffold / "data/report.yaml")
    sora = {p.id: p for p in data.load(REPO / "data/sora-authors.yaml").people}
    assert all(p == sora[p.id] for p in example.people)
    with (scaffold / "locales/en/LC_MESSAGES/content.po").open("rb") as fp:
        ours = {m.id: m.string for m in read_po(fp) if m.id}
    with (REPO / "locales/en/LC_MESSAGES/content.po").open("rb") as fp:
        shipped = {m.id: m.string for m in read_po(fp) if m.id}
    assert ours and all(shipped[k] == v for k, v in ours.items())



def _chain_of(project: Path, flags: dict | None = None) -> ThemeChain:
    config = load_config(project, flags or {}, FORMATS)
    return ThemeChain.build(config.theme)


def test_a_bare_name_is_a_builtin_theme_whatever_folders_are_around(
        tiny_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    decoy = {"theme.toml": 'name = "decoy"\n', "report.html": "<p>decoy</p>"}
    make_theme(tiny_project / "brief", decoy)
    make_theme(tmp_path / "brief", decoy)
    monkeypatch.chdir(tmp_path)  # a folder `brief/` here too
    builtin = builtin_themes()["brief"]
    assert _chain_of(tiny_project, {"theme": "brief"}).dirs[0] == builtin
    settings = tiny_project / "diglot.toml"
    settings.write_text(settings.read_text(encoding="utf-8") + 'theme = "brief"\n',
                        encoding="utf-8")
    assert _chain_of(tiny_project).dirs[0] == builtin
    # A folder is a path: relative to the settings file, or to the working folder for a flag.
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        'theme = "brief"', 'theme = "./brief"'), encoding="utf-8")
    assert _chain_of(tiny_project).dirs[0] == (tiny_project / "brief").resolve()
    assert _chain_of(tiny_project, {"theme": "./brief"}).dirs[0] == (tmp_path / "brief").resolve()


def test_a_parent_folder_is_relative_to_its_theme(tiny_project: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    make_theme(tmp_path / "themes" / "base", {"theme.toml": 'name = "base"\n'})
    child = make_theme(tmp_path / "themes" / "child",
                       {"theme.toml": 'name = "child"\nparent = "../base"\n'})
    monkeypatch.chdir(tiny_project)
    chain = ThemeChain.build(child, project=tmp_path)
    assert [t.name for t in chain.themes] == ["child", "base", "default"]


def test_an_unknown_bare_name_says_how_to_name_a_folder(tiny_project: Path, run_cli) -> None:
    make_theme(tiny_project / "mine", {"theme.toml": 'name = "mine"\n'})
    result = run_cli("-C", tiny_project, "build", "--theme", "mine")
    assert result.code == 1
    assert "not a built-in theme" in result.err and "./mine" in result.err


def test_a_theme_installed_as_a_package_is_found_by_name(tiny_project: Path, tmp_path: Path,
                                                         run_cli,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    folder = site / "lab_theme" / "theme"
    folder.mkdir(parents=True)
    (site / "lab_theme" / "__init__.py").write_text(
        "from pathlib import Path\n\n\ndef folder():\n    return Path(__file__).parent / 'theme'\n",
        encoding="utf-8")
    (folder / "theme.toml").write_text('name = "lab"\n[page]\ncover = false\n', encoding="utf-8")
    info = site / "lab_theme-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: lab-theme\nVersion: 1.0\n",
                                   encoding="utf-8")
    (info / "entry_points.txt").write_text("[diglot.themes]\nlab = lab_theme:folder\n"
                                           "default = lab_theme:folder\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    themes = builtin_themes()
    assert themes["lab"] == folder.resolve()
    assert themes["default"] != folder.resolve()  # no installed theme replaces the default
    result = run_cli("-C", tiny_project, "build", "-l", "en", "-f", "html", "--theme", "lab")
    assert result.code == 0, result.err
    html = (tiny_project / "build/en/tiny-report.html").read_text(encoding="utf-8")
    assert 'class="cover"' not in html
