"""The parallel edition: every passage beside its translation, in order, in PDF and DOCX."""

from __future__ import annotations

import subprocess
from pathlib import Path

import docx
import lxml.html
import pytest
from babel.messages.pofile import read_po
from docx.oxml.ns import qn
from markupsafe import Markup
from pypdf import PdfReader

from diglot.localize import Localized
from diglot.markup import plain_text
from diglot.parallel import Pair
from diglot.sandbox import Bilingual, both

from ..conftest import fold
from ..pdf_structure import structure
from .writers.docx.test_look import findings
from .writers.test_pdf_standards import verdict

EDITION = "zh_CN+en"


def build(project: Path, run_cli, *args: str) -> Path:
    """Build the zh_CN:en edition of `project` (with any other options); its output folder."""
    result = run_cli("-C", project, "build", "--parallel", "zh_CN:en", *args)
    assert result.code == 0, result.err
    return project / "build" / EDITION


def classed(root: lxml.html.HtmlElement, *names: str) -> list[lxml.html.HtmlElement]:
    """The elements under `root` that have every class of `names` (document order)."""
    test = " and ".join(f"contains(concat(' ', normalize-space(@class), ' '), ' {n} ')"
                        for n in names)
    return root.xpath(f".//*[{test}]")


def html_pairs(html: Path, scopes: tuple[str, ...] = ("preface", "person", "conclusion")
               ) -> list[tuple[lxml.html.HtmlElement, lxml.html.HtmlElement]]:
    """The (first, second) halves of every pair of the text (of every pair with no `scopes`),
    in document order."""
    root = lxml.html.parse(str(html)).getroot()
    sections = [s for name in scopes for s in classed(root, name)] if scopes else [root]
    found = []
    for pair in classed(root, "pair"):
        if not any(s is pair or pair in s.iterdescendants() for s in sections):
            continue
        if scopes and classed(pair, "editor-note"):
            continue
        first, second = [h for h in pair[0] if "pair-half" in h.classes]
        assert "pair-first" in first.classes and "pair-second" in second.classes
        found.append((first, second))
    return found


def text(element: lxml.html.HtmlElement) -> str:
    return " ".join("".join(element.itertext()).split())


def expected_pairs(project: Path) -> list[tuple[str, str, bool]]:
    """The tiny project's passages in data order, each with its English translation (the
    source where the catalog has none), and whether it has none."""
    with open(project / "locales/en/LC_MESSAGES/content.po", "rb") as f:
        catalog = read_po(f)
    msgids = ["这是一份只有两个人的报告。", "计算机科学家", "她的工作**非常扎实**，详见[主页]"
              "(https://example.org/ada)。", "第二段评论，提到 2019 年。", "他是一位工程师。",
              "我们学到了：", "数据要准确", "翻译要完整", "谢谢阅读。"]
    found = []
    for msgid in msgids:
        message = catalog.get(msgid)
        assert message is not None and message.string, msgid
        number = {"数据要准确": "1. ", "翻译要完整": "2. "}.get(msgid, "")
        shown = msgid if message.fuzzy else message.string  # a fuzzy entry is not used
        found.append((number + plain_text(msgid), number + plain_text(shown), message.fuzzy))
    return found


@pytest.fixture
def columns(tiny_project: Path, run_cli) -> Path:
    return build(tiny_project, run_cli, "-f", "pdf", "-f", "docx", "-f", "html")


def test_every_passage_is_a_pair_in_data_order(columns: Path, tiny_project: Path) -> None:
    pairs = html_pairs(columns / "tiny-report.html")
    got = [(fold(text(a)), fold(text(b)), "fallback" in b.classes) for a, b in pairs]
    want = [(fold(a), fold(b), untranslated) for a, b, untranslated in expected_pairs(tiny_project)]
    assert got == want and any(untranslated for *_, untranslated in want)


def test_each_half_says_its_language(columns: Path) -> None:
    root = lxml.html.parse(str(columns / "tiny-report.html")).getroot()
    assert root.get("lang") == "zh-CN"
    pairs = html_pairs(columns / "tiny-report.html")
    assert all(a.get("lang") is None for a, _b in pairs)
    # A half shown untranslated is in the document's language, zh-CN, and says none.
    assert {b.get("lang") for a, b in pairs} == {"en", None}
    assert all(b.get("lang") == "en" for a, b in pairs if "fallback" not in b.classes)
    # In the PDF, every English passage is tagged English, the Chinese ones Chinese.
    document_lang, elements = structure(columns / "tiny-report.pdf")
    assert document_lang == "zh-CN"
    paragraphs = {fold(e.text): e.effective_lang for e in elements if e.tag == "P" and e.text}
    for a, b in pairs:
        assert paragraphs.get(fold(text(a))) in (None, "zh-CN")
        assert paragraphs[fold(text(b))] == "en" if "fallback" not in b.classes else \
            paragraphs[fold(text(b))] in (None, "zh-CN")
    # In the DOCX, the runs of the second column are English.
    document = docx.Document(str(columns / "tiny-report.docx"))
    for tbl in document.element.body.iter(qn("w:tbl")):
        if not _is_pair_table(tbl):
            continue
        for tr in tbl.iter(qn("w:tr")):
            first, second = tr.findall(qn("w:tc"))
            if _text(first) == _text(second):  # shown untranslated, in the document's language
                assert {_lang(r) for r in second.iter(qn("w:r"))} == {None}
                continue
            assert {_lang(r) for r in second.iter(qn("w:r")) if _text(r).strip()} == {"en-US"}
            assert not any(_lang(r) == "en-US" for r in first.iter(qn("w:r"))
                           if any("\u4e00" <= c <= "\u9fff" for c in _text(r)))


def test_the_docx_has_the_same_pairs_in_tables(columns: Path) -> None:
    everything = html_pairs(columns / "tiny-report.html", ())
    # A pair in a heading group (the headline) is two paragraphs that keep with what follows.
    in_header = [(a, b) for a, b in everything
                 if any(e.tag == "header" for e in a.iterancestors())]
    html = [(fold(text(a)), fold(text(b))) for a, b in everything if (a, b) not in in_header]
    document = docx.Document(str(columns / "tiny-report.docx"))
    body = document.element.body
    by_id = {s.style_id: s for s in document.styles}

    def numbered(style_id: str | None) -> bool:  # the style, or one it is based on
        while style_id in by_id:
            style = by_id[style_id]
            if style.element.find(f"{qn('w:pPr')}/{qn('w:numPr')}") is not None:
                return True
            style_id = style.base_style.style_id if style.base_style is not None else None
        return False

    rows = []
    for tbl in body.iter(qn("w:tbl")):
        if _is_pair_table(tbl):
            for tr in tbl.findall(qn("w:tr")):
                first, second = tr.findall(qn("w:tc"))
                rows.append((fold(_text(first)), fold(_text(second))))
                # Short rows stay on one page; a row never carries list numbering, neither
                # its own nor through its paragraphs' styles.
                assert tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None
                assert tr.find(f".//{qn('w:numPr')}") is None
                assert not any(numbered(style.get(qn("w:val")))
                               for style in tr.iter(qn("w:pStyle")))
    assert rows == html
    styles = {s.style_id: s.name for s in document.styles}
    headlines = [p for p in body.iterchildren(qn("w:p")) if _style(p, styles) == "headline"]
    assert [fold(_text(p)) for p in headlines] == [fold(text(h)) for pair in in_header
                                                   for h in pair]
    assert document.styles["headline"].paragraph_format.keep_with_next
    # Consecutive pairs share a table: Ada Lin's two paragraphs of commentary are one table.
    assert any(len(t.findall(qn("w:tr"))) >= 2 for t in body.iter(qn("w:tbl"))
               if _is_pair_table(t))
    # Headings stand outside the tables, one paragraph each, both languages in it: the Word
    # contents lists each section once.
    for tbl in body.iter(qn("w:tbl")):
        assert not [p for p in tbl.iter(qn("w:p"))
                    if (s := p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")) is not None
                    and s.get(qn("w:val")).startswith("Heading")]
    headings = [_text(p) for p in body.iterchildren(qn("w:p"))
                if _style(p, styles) == "section-title"]
    assert headings == ["前言 Preface", "总结 Conclusion", "版本说明 About this edition"]
    assert findings(columns / "tiny-report.docx") == []


def test_the_docx_stacks_bilingual_titles_and_labels_as_the_pdf_does(columns: Path) -> None:
    """report.css sets the second language of the title, the subtitle and the facts labels on
    a line of its own, smaller and lighter (`display: block`): a line break, then a run in a
    gloss style; elsewhere the gloss stays inline."""
    document = docx.Document(str(columns / "tiny-report.docx"))
    styles = {s.style_id: s.name for s in document.styles}
    by_style: dict[str, list] = {}
    for p in document.element.body.iter(qn("w:p")):
        by_style.setdefault(_style(p, styles), []).append(p)
    for name, gloss in (("Title", "title-gloss"), ("Table Heading", "label-gloss")):
        assert by_style.get(name), name
        for p in by_style[name]:
            runs = list(p.iter(qn("w:r")))
            breaks = [i for i, r in enumerate(runs) if r.find(qn("w:br")) is not None]
            assert len(breaks) == 1, (name, _text(p))
            before, after = runs[:breaks[0]], runs[breaks[0] + 1:]
            assert any("\u4e00" <= c <= "\u9fff" for c in "".join(map(_text, before)))
            assert not "".join(map(_text, before)).endswith(" ")
            assert after and all(_run_style(r, styles) == gloss for r in after), _text(p)
            assert {_lang(r) for r in after} == {"en-US"}
    for gloss, size in (("title-gloss", 18.5), ("label-gloss", 8)):
        font = document.styles[gloss].font
        assert font.bold is False and font.size.pt == size
        assert font.color.rgb == document.styles["pair-gloss"].font.color.rgb
    # The kicker keeps its gloss inline, as the PDF does.
    kicker = by_style["cover-kicker"][0]
    assert kicker.find(f".//{qn('w:br')}") is None
    assert "pair-gloss" in {_run_style(r, styles) for r in kicker.iter(qn("w:r"))}


def test_the_pdf_shows_each_pair_on_one_page(columns: Path) -> None:
    pdf = columns / "tiny-report.pdf"
    pages = int(next(line.split()[-1] for line in subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
        if line.startswith("Pages:")))
    texts = [fold(subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", str(i), "-l", str(i),
                                  str(pdf), "-"], capture_output=True, text=True,
                                 check=True).stdout) for i in range(1, pages + 1)]
    for a, b in html_pairs(columns / "tiny-report.html"):
        first, second = fold(text(a)), fold(text(b))
        on = [i for i, page in enumerate(texts) if first[:12] in page and second[:20] in page]
        assert on, (first, second)
    assert verdict(pdf, "ua-1") == []
    # The outline lists each section and person once, in both languages where they differ.
    assert [item.title for item in PdfReader(pdf).outline] == [
        "前言 Preface", "Ada Lin 林雅", "Bo Chen", "总结 Conclusion",
        "版本说明 About this edition"]


def test_a_pair_taller_than_a_page_breaks_with_both_halves(tiny_project: Path, run_cli) -> None:
    """Both halves run on together over the pages, from the person's first page (no page is
    left empty for want of room), and the next pair comes after both."""
    zh = "这是一个很长的段落，" * 260 + "结束。"
    en = "This is a very long paragraph. " * 200 + "Done."
    data = tiny_project / "data/people.yaml"
    data.write_text(data.read_text().replace("      - 他是一位工程师。",
                                             f"      - {zh}\n      - 他是一位工程师。"))
    po = tiny_project / "locales/en/LC_MESSAGES/content.po"
    po.write_text(po.read_text() + f'\nmsgid "{zh}"\nmsgstr "{en}"\n')
    out = build(tiny_project, run_cli, "-f", "pdf", "-f", "docx")
    pdf = out / "tiny-report.pdf"
    pages = [fold(subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", str(i), "-l", str(i),
                                  str(pdf), "-"], capture_output=True, text=True).stdout)
             for i in range(1, 30)]
    pages = [page for page in pages if page]

    def on(needle: str, last: bool = False) -> int:
        found = [i for i, page in enumerate(pages) if fold(needle) in page]
        assert found, needle
        return found[-1] if last else found[0]

    start = on("2BoChen", last=True)  # the person opens (the contents lists it first)
    assert on("这是一个很长的段落") == on("This is a very long") == start
    assert on("结束。", last=True) > start and on("Done.", last=True) > start
    assert on("他是一位工程师", last=True) >= max(on("结束。", last=True), on("Done.", last=True))
    # In the DOCX that row may break across pages; the short ones may not.
    document = docx.Document(str(out / "tiny-report.docx"))
    rows = [tr for tbl in document.element.body.iter(qn("w:tbl")) if _is_pair_table(tbl)
            for tr in tbl.findall(qn("w:tr"))]
    kept = {fold(_text(tr))[:6]: tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None
            for tr in rows}
    assert kept[fold(zh)[:6]] is False and sum(kept.values()) == len(kept) - 1


def test_interleaved_sets_each_translation_below_its_source(tiny_project: Path,
                                                             run_cli) -> None:
    out = build(tiny_project, run_cli, "--parallel-layout", "interleaved", "-f", "html",
                "-f", "docx")
    pairs = html_pairs(out / "tiny-report.html")
    assert pairs and all(a.getparent().getparent().classes >= {"pair", "pair-interleaved"}
                         for a, _b in pairs)
    document = docx.Document(str(out / "tiny-report.docx"))
    assert not [t for t in document.element.body.iter(qn("w:tbl")) if _is_pair_table(t)]
    styles = {s.style_id: s.name for s in document.styles}
    paragraphs = list(document.element.body.iter(qn("w:p")))
    translations = [i for i, p in enumerate(paragraphs) if _style(p, styles) == "Translation"]
    outside_headers = [a for a, _b in html_pairs(out / "tiny-report.html", ())
                       if not any(e.tag == "header" for e in a.iterancestors())]
    assert len(translations) == len(outside_headers)  # a headline keeps its own style
    for i in translations:  # the source above keeps with its translation, each on one page
        assert paragraphs[i - 1].find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None
        assert all(p.find(f"{qn('w:pPr')}/{qn('w:keepLines')}") is not None
                   for p in paragraphs[i - 1:i + 1])
    assert findings(out / "tiny-report.docx") == []


def test_a_locale_without_any_catalog_marks_every_pair(tiny_project: Path, run_cli) -> None:
    result = run_cli("-C", tiny_project, "build", "-l", "zh_CN", "-l", "de",
                     "--parallel", "zh_CN:de", "-f", "html")
    assert result.code == 0, result.err
    pairs = html_pairs(tiny_project / "build/zh_CN+de/tiny-report.html")
    assert pairs
    for first, second in pairs:
        assert "fallback" in second.classes and second.get("lang") is None  # zh-CN
        assert "fallback" not in first.classes
        assert fold(text(first)) == fold(text(second))
    assert "zh_CN+de:" in result.out and "marked" in result.out
    strict = run_cli("-C", tiny_project, "build", "-l", "zh_CN", "-l", "de", "--parallel",
                     "zh_CN:de", "-f", "html", "-o", "strict", "--strict")
    assert strict.code == 1 and not (tiny_project / "strict").exists()


def test_either_order(tiny_project: Path, run_cli) -> None:
    result = run_cli("-C", tiny_project, "build", "--parallel", "en:zh_CN", "-f", "html")
    assert result.code == 0, result.err
    html = tiny_project / "build/en+zh_CN/tiny-report.html"
    assert lxml.html.parse(str(html)).getroot().get("lang") == "en"
    first, second = html_pairs(html)[0]
    assert second.get("lang") == "zh-CN" and first.get("lang") is None
    assert fold(text(second)) == fold("这是一份只有两个人的报告。")


def test_settings_name_editions(tiny_project: Path, run_cli) -> None:
    settings = tiny_project / "diglot.toml"
    settings.write_text(settings.read_text() + 'parallel = ["zh_CN:en"]\n'
                        'parallel_layout = "interleaved"\n')
    result = run_cli("-C", tiny_project, "build", "-f", "html")
    assert result.code == 0, result.err
    html = tiny_project / "build" / EDITION / "tiny-report.html"
    assert classed(lxml.html.parse(str(html)).getroot(), "pair-interleaved")
    # `-l` leaving one of its locales out skips the edition, and says so.
    result = run_cli("-C", tiny_project, "build", "-f", "html", "-l", "zh_CN", "-o",
                     tiny_project / "only")
    assert result.code == 0 and not (tiny_project / "only" / EDITION).exists()
    assert "zh_CN:en is not built" in result.err


@pytest.mark.parametrize(("args", "names"), [
    (("--parallel", "zh_CN"), "zh_CN"), (("--parallel", "en:en"), "en:en"),
    (("--parallel", "zh_CN:fr"), "fr"), (("--parallel", "zh_CN:../x"), "../x"),
    (("--parallel", "zh_CN:en", "--parallel-layout", "grid"), "grid")])
def test_wrong_editions_are_usage_errors(tiny_project: Path, run_cli, args: tuple[str, ...],
                                         names: str) -> None:
    result = run_cli("-C", tiny_project, "build", *args)
    assert result.code == 2 and names in result.err
    assert not (tiny_project / "build").exists()


def test_wrong_settings_are_located(tiny_project: Path, run_cli) -> None:
    settings = tiny_project / "diglot.toml"
    settings.write_text(settings.read_text() + 'parallel = ["zh_CN-en"]\n'
                        'parallel_layout = "grid"\n')
    result = run_cli("-C", tiny_project, "build")
    assert result.code != 0
    lines = settings.read_text().splitlines()
    for key in ("parallel", "parallel_layout"):
        line = next(i for i, text_ in enumerate(lines, 1) if text_.startswith(f"{key} ="))
        assert f"diglot.toml:{line}" in result.err


def test_a_pair_reads_once_where_both_halves_agree() -> None:
    zh = Localized(Markup("谷歌"), "谷歌", "谷歌", "zh-CN")
    en = Localized(Markup("Google"), "Google", "谷歌", "en")
    same = Localized(Markup("Google"), "Google", "Google", "zh-CN")
    both_halves = str(Pair(zh, en, "zh-CN").__html__())
    assert "谷歌" in both_halves and 'lang="en"' in both_halves and "Google" in both_halves
    assert Pair(same, Localized(Markup("Google"), "Google", "Google", "en"), "zh-CN") \
        .__html__().count("Google") == 1
    marked = Localized(Markup("Google"), "Google", "Google", "zh-CN", fallback=True)
    assert Pair(same, marked, "zh-CN").__html__().count("Google") == 2


def test_both_leaves_a_one_language_string_alone() -> None:
    assert both(Markup("教育")) == Markup("教育")
    pair = Pair(Localized(Markup("教育"), "教育", "Education", "zh-CN"),
                Localized(Markup("Education"), "Education", "Education", "en"), "zh-CN")
    label = Bilingual("教育", pair)
    assert str(label) == "教育" and both(label) is pair
    assert getattr(label + "x", "pair", None) is None  # a changed string is one language's


def _is_pair_table(tbl) -> bool:  # type: ignore[no-untyped-def]
    style = tbl.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}")
    return style is not None and style.get(qn("w:val")).lower().startswith("pair")


def _text(element) -> str:  # type: ignore[no-untyped-def]
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def _lang(run) -> str | None:  # type: ignore[no-untyped-def]
    lang = run.find(f"{qn('w:rPr')}/{qn('w:lang')}")
    if lang is None:
        return None
    return lang.get(qn("w:val")) or lang.get(qn("w:eastAsia"))


def _style(p, styles: dict[str, str]) -> str:  # type: ignore[no-untyped-def]
    style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return styles[style.get(qn("w:val"))] if style is not None else "Normal"


def _run_style(run, styles: dict[str, str]) -> str | None:  # type: ignore[no-untyped-def]
    style = run.find(f"{qn('w:rPr')}/{qn('w:rStyle')}")
    return styles[style.get(qn("w:val"))] if style is not None else None
