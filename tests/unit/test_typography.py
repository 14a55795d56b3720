"""Chinese typography at render time: full-width punctuation, Han–Latin spacing, unbroken runs."""

from __future__ import annotations

import re

import pytest

from diglot.typography import GAP, Typography, apply, normalize_punctuation

NORMALIZE = Typography(cjk_punctuation="normalize", autospace=True)
KEEP = Typography(cjk_punctuation="keep", autospace=False)


def page(body: str, lang: str = "zh-CN") -> str:
    return f'<html lang="{lang}"><head><title>t</title></head><body>{body}</body></html>'


def text_of(html: str) -> str:
    """The body's text, tags dropped, the layout gap shown as `_`."""
    body = html.split("<body>", 1)[1].split("</body>", 1)[0]
    return re.sub(r"<[^>]+>", "", body).replace(GAP, "_").replace("&gt;", ">")


@pytest.mark.parametrize(("source", "printed"), [
    ("应该是读了硕士的, 但是没有写", "应该是读了硕士的，但是没有写"),
    ("最后发现宝藏? 我想", "最后发现宝藏？我想"),
    ("他说: 很好", "他说：很好"),
    ("大厂结合; 出色的", "大厂结合；出色的"),
    ("有点猛! 真的", "有点猛！真的"),
    ("质量高(两篇oral)", "质量高（两篇oral）"),
    ("gap了,否则应该有早于2019年的文章 , 这或许", "gap了，否则应该有早于2019年的文章，这或许"),
])
def test_ascii_marks_between_han_become_full_width(source: str, printed: str) -> None:
    out, count = normalize_punctuation(source)
    assert out == printed
    assert count == sum(ch in "，：；？！（）" for ch in printed)


@pytest.mark.parametrize("kept", [
    "FAIR, Adobe, NVIDIA",  # a list of Latin names
    "Barlow twins: Self-supervised learning",  # a title's colon
    "1,000 and 1:20",  # digits
    "“他说, 好”",  # inside a quotation
    "https://example.org/a,b(c)",  # a URL
    "《论文: 副标题》",  # a title
])
def test_latin_runs_quotations_urls_and_titles_are_kept(kept: str) -> None:
    assert normalize_punctuation(kept) == (kept, 0)


def test_the_rendered_page_is_normalized_and_counted() -> None:
    html = page("<p>主要从事图相关处理(超分辨率, 在Google), 宝藏?</p>")
    out, counts = apply(html, NORMALIZE)
    assert text_of(out) == "主要从事图相关处理（超分辨率，在_Google），宝藏？"
    assert counts.punctuation == 5


def test_keep_leaves_the_text_as_written() -> None:
    html = page("<p>主要从事图相关处理(超分辨率, 在Google), 宝藏?</p>")
    out, counts = apply(html, KEEP)
    assert text_of(out) == "主要从事图相关处理(超分辨率, 在Google), 宝藏?"
    assert not counts


def test_emphasis_code_and_other_languages_are_left_alone() -> None:
    html = page('<p>他说: <em>I find them restrictive: my most</em></p>'
                '<p>见<code>a, b</code>吧</p><p lang="en">Hello, world (twice)</p>')
    out, _ = apply(html, NORMALIZE)
    text = text_of(out)
    assert "他说：I find them restrictive: my most" in text
    assert "a, b" in text and "Hello, world (twice)" in text


def test_han_latin_boundaries_get_a_quarter_em_and_typed_spaces_become_it() -> None:
    out, counts = apply(page("<p>在2019年 CVPR 上</p>"), NORMALIZE)
    assert text_of(out) == "在_2019_年_CVPR_上"
    assert counts.spaces == 2 and counts.gaps == 4
    assert 'class="cjk-space"' in out  # a span the DOCX writer can drop


def test_no_spacing_in_latin_text() -> None:
    out, counts = apply(page("<p>Sora is here, 2024.</p>", lang="en"), NORMALIZE)
    assert text_of(out) == "Sora is here, 2024." and not counts


def test_names_and_arrows_never_break() -> None:
    html = page("<p>building 0 -> 1 engineering systems, advised by Alyosha Efros</p>",
                lang="en")
    out, _ = apply(html, NORMALIZE, ["Alyosha Efros"])
    assert '<span class="nobreak">0 -&gt; 1</span>' in out
    assert '<span class="nobreak">Alyosha Efros</span>' in out


# -- the setting, end to end ----------------------------------------------------------------------

def _with_commentary(project, text: str) -> None:
    path = project / "data" / "people.yaml"
    source = path.read_text(encoding="utf-8")
    marker = "      - 她的工作**非常扎实**，详见[主页](https://example.org/ada)。"
    assert marker in source
    path.write_text(source.replace(marker, f"{marker}\n      - \"{text}\""), encoding="utf-8")


def test_the_project_setting_turns_normalisation_on(tiny_project, run_cli) -> None:
    from ..conftest import pdf_text, squash

    _with_commentary(tiny_project, "她读了硕士, 但是没有写(见主页)")
    kept = run_cli("-C", tiny_project, "build", "-l", "zh_CN", "-f", "html")
    assert kept.code == 0, kept.err
    html = (tiny_project / "build/zh_CN/tiny-report.html").read_text(encoding="utf-8")
    assert "她读了硕士, 但是没有写(见主页)" in html  # the default theme keeps what is written
    assert not re.search(r"typography: [1-9]\d* punctuation", kept.out)
    settings = tiny_project / "diglot.toml"
    settings.write_text(settings.read_text(encoding="utf-8")
                        + '\n[typography]\ncjk_punctuation = "normalize"\n', encoding="utf-8")
    result = run_cli("-C", tiny_project, "build", "-l", "zh_CN", "-f", "pdf")
    assert result.code == 0, result.err
    counted = re.search(r"zh_CN typography: (\d+) punctuation mark\(s\) made full-width",
                        result.out)
    assert counted and int(counted.group(1)) >= 3  # ours, and the fixture's own
    text = squash(pdf_text(tiny_project / "build/zh_CN/tiny-report.pdf"))
    assert "她读了硕士，但是没有写（见主页）" in text


def test_an_unknown_mode_is_an_error_naming_the_setting(tiny_project, run_cli) -> None:
    settings = tiny_project / "diglot.toml"
    settings.write_text(settings.read_text(encoding="utf-8")
                        + '\n[typography]\ncjk_punctuation = "fullwidth"\n', encoding="utf-8")
    result = run_cli("-C", tiny_project, "build", "-l", "zh_CN", "-f", "html")
    assert result.code != 0
    assert "cjk_punctuation" in result.err and "fullwidth" in result.err
