"""Rendering: data escaped, Markdown rendered safely, fallbacks marked, labels localized."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from diglot import data, markup
from diglot.errors import BuildWarning
from diglot.i18n.catalogs import load_translator
from diglot.localize import localize
from diglot.render import counter_content, render
from diglot.sandbox import ImmutableSandbox
from diglot.themeregistry import default_theme_dir
from diglot.themes import ThemeChain

HOSTILE = """\
report:
  id: r
  source_locale: zh_CN
  title: "</title><script>alert(1)</script>"
people:
  - id: a
    name: "<b>A</b>"
    headline: "</p><h1>big</h1>"
    commentary:
      - "<link rel=attachment href=file:///etc/passwd>"
      - "普通的**粗体**和[链接](https://example.org/x)"
"""


def render_html(text: str, locale: str) -> str:
    report = data.loads(text.encode("utf-8"), "hostile.yaml")
    warnings: list[BuildWarning] = []
    messages = load_translator((default_theme_dir() / "locales",), locale, "messages", "en",
                               warnings)
    # No content catalog at all: every text falls back to the source.
    content = load_translator((Path(__file__).parent / "no-such-folder",), locale, "content",
                              "zh_CN", warnings)
    view = localize(report, locale, content)
    return render(view, ThemeChain.build(), messages).html


def test_markup_in_data_is_shown_literally() -> None:
    html = render_html(HOSTILE, "zh_CN")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<h1>big</h1>" not in html and "&lt;/p&gt;&lt;h1&gt;big&lt;/h1&gt;" in html
    assert "<link rel=attachment" not in html
    assert "&lt;link rel=attachment href=file:///etc/passwd&gt;" in html
    assert "<b>A</b>" not in html and "&lt;b&gt;A&lt;/b&gt;" in html


def test_inline_markdown_is_rendered_with_safe_links_only() -> None:
    html = render_html(HOSTILE, "zh_CN")
    assert "<strong>粗体</strong>" in html
    assert '<a href="https://example.org/x">链接</a>' in html


def test_unsafe_links_in_translations_stay_text() -> None:
    # Data is validated at load time; translations come from .po files and are not.
    html = str(markup.render_inline("[x](javascript:alert(1)) [y](file:///etc/passwd) <i>z</i>"))
    assert "<a" not in html and "<i>" not in html
    assert "[x](javascript:alert(1))" in html


def test_absurd_markdown_nesting_does_not_crash() -> None:
    html = str(markup.render_inline("*" * 5000 + "x" + "*" * 5000 + "[" * 5000))
    assert "x" in html


def test_untranslated_text_is_marked_and_keeps_its_language() -> None:
    html = render_html(HOSTILE, "en")
    assert re.search(r'<p class="headline fallback" lang="zh-CN">', html)
    assert '<html lang="en">' in html


def test_template_words_come_from_the_messages_catalog() -> None:
    zh = render_html(HOSTILE, "zh_CN")
    en = render_html(HOSTILE, "en")
    assert "目录" in zh and "Contents" in en
    assert '"第 " counter(page) " 页，共 " counter(pages) " 页"' in zh
    assert '"Page " counter(page) " of " counter(pages)' in en


def test_counter_content_escapes_css() -> None:
    assert str(counter_content('a"b</style>{page}')) == '"a\\"b\\3c /style>" counter(page)'


def test_the_sandbox_remembers_jinjas_verdicts_by_type() -> None:
    ours, jinjas = ImmutableSandbox(), ImmutableSandboxedEnvironment()
    objects = [[], {}, set(), "text", 3, str, len, ThemeChain, (lambda: 0),
               (x for x in ()), Path("a"), BuildWarning("pdf", "m")]
    names = ["append", "clear", "keys", "upper", "mro", "__class__", "_private", "__globals__",
             "gi_frame", "name", "message", "kind", "pop", "add", "real"]
    for _ in range(2):  # the second time from what was remembered
        for obj in objects:
            for name in names:
                assert ours.is_safe_attribute(obj, name, None) == \
                    jinjas.is_safe_attribute(obj, name, None), (obj, name)
    template = ours.from_string("{{ items.append(1) }}")
    with pytest.raises(SecurityError):
        template.render(items=[])


@given(st.text(st.sampled_from(["a", "中", " ", "\n", "\r", "*", "_", "`", "[", "]", "(", ")",
                                "\\", "&", "#", ";", "<", ">", '"', "!", ":", "\x00", "é"]),
               max_size=12)
       | st.text(max_size=20))
@example("*em*")
@example("__strong__")
@example("`code`")
@example("[a](https://example.org)")
@example("\\!")
@example("&amp; &#35; &#x41;")
@example("a\r\nb")
@example("a\x00b")
def test_text_without_markdown_gives_what_the_parser_gives(text: str) -> None:
    fast = (markup.render_inline(text), markup.link_targets(text), markup.inspect(text),
            markup.plain_text(text), markup.render_both(text))
    pattern = markup._SIGNIFICANT
    markup._SIGNIFICANT = re.compile("")  # every text to the parser
    try:
        parsed = (markup.render_inline(text), markup.link_targets(text), markup.inspect(text),
                  markup.plain_text(text), markup.render_both(text))
    finally:
        markup._SIGNIFICANT = pattern
    assert fast == parsed
