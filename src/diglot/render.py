"""One Jinja2 environment per locale: autoescape, StrictUndefined, i18n bound to `messages`."""

from __future__ import annotations

import dataclasses
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from markupsafe import Markup

from diglot import typography
from diglot.colophon import Colophon
from diglot.document import RenderedDocument, TypographyCounts
from diglot.errors import Location, TemplateError
from diglot.i18n import formatting as fmt
from diglot.i18n.catalogs import MESSAGES_SOURCE_LOCALE, Translator
from diglot.i18n.formatting import bcp47
from diglot.localize import LocalizedReport, mark_slips
from diglot.model import PartialDate
from diglot.parallel import Pair, Parallel
from diglot.sandbox import (
    ConfinedLoader,
    ImmutableSandbox,
    SecondLanguage,
    both,
    install_translations,
)
from diglot.themes import ThemeChain

ENTRY_TEMPLATE = "report.html"


class _CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once per process, for every environment `make_environment` makes:
    each locale gets an environment of its own, and compiling the theme's templates again
    for each would cost more than rendering them. The environments are alike but for their
    filters, globals and translations, which compiled code looks up when it runs; a bucket
    is used only for the same template file with the same source."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


def document_for(html: str, locale: str, lang: str, title: str, author: str | None,
                 theme: ThemeChain, template: Path, counts: TypographyCounts | None = None,
                 languages: tuple[str, ...] = ()) -> RenderedDocument:
    """The writers' record of one rendered edition: what they need of the theme, as values.

    `languages` are the locales a parallel edition is in (its `locale` is their pair's name).
    """
    languages = languages or (locale,)
    han = next((loc for loc in languages if _east_asian(bcp47(loc))), None)
    latin = next((loc for loc in languages if not _east_asian(bcp47(loc))), "default")
    return RenderedDocument(
        html, locale, lang, title, author, template, page=theme.page,
        latin_fonts=theme.fonts(latin), han_fonts=theme.fonts(han or "zh_Hans"),
        reference_docx=theme.reference_docx, asset_dirs=theme.dirs,
        typography=counts or TypographyCounts())


def _east_asian(lang: str) -> bool:
    return lang.replace("_", "-").lower().split("-", 1)[0] in ("zh", "ja", "ko")


def _css_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return f'"{escaped}"'


def counter_content(pattern: str) -> Markup:
    """`Page {page} of {pages}` -> the CSS `content` value with live page counters."""
    parts = []
    for piece in re.split(r"(\{pages?\})", str(pattern)):
        if piece in ("{page}", "{pages}"):
            parts.append(f"counter({piece[1:-1]})")
        elif piece:
            parts.append(_css_string(piece))
    return Markup(" ".join(parts) or '""')


_GENERIC_FAMILIES = ("serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui")


def font_family(names: Sequence[str]) -> Markup:
    """Font names as a CSS `font-family` value: `"Noto Serif CJK SC", serif`."""
    return Markup(", ".join(n if n in _GENERIC_FAMILIES else _css_string(n) for n in names)
                  or "serif")


def make_environment(theme: ThemeChain, locale: str, messages: Translator,
                     second: SecondLanguage | None = None) -> jinja2.Environment:
    """The environment templates of `theme` are rendered in for `locale`: Jinja's immutable
    sandbox, templates only from inside the theme folders, translations as text (in both
    languages of a parallel edition with `second`)."""
    loaders = {t.name: ConfinedLoader(t.folder, t.name) for t in reversed(theme.themes)}
    loaders["default"] = ConfinedLoader(theme.default, "default")
    env = ImmutableSandbox(
        loader=jinja2.ChoiceLoader([
            *(ConfinedLoader(t.folder, t.name) for t in theme.themes),
            # "default/report.html", "brief/report.html": any theme of the chain by name.
            jinja2.PrefixLoader(loaders),
        ]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_COMPILED,
    )
    install_translations(env, messages, second)
    env.filters.update(filters_for(locale))
    env.globals["asset"] = lambda name: _asset_url(theme, name)
    # `{% if words is han %}`: whether a text has Chinese characters (a quoted Latin word of a
    # Chinese source is read in the report's language, not marked as Chinese).
    env.tests["han"] = lambda value: bool(typography.HAN.search(str(value)))
    # `{% if text is pair %}`: a value of a parallel edition, in both languages.
    env.tests["pair"] = lambda value: isinstance(value, Pair)
    return env


def filters_for(locale: str) -> dict[str, Callable[..., Any]]:
    """The formatting filters, bound to `locale` (each also takes `locale=` to override it)."""

    def date(value: PartialDate, locale: str = locale) -> str:
        """`{{ d|date }}`: a date at its own precision, "2019年8月" / "Aug 2019"."""
        return fmt.format_date(value, locale)

    def period(start: PartialDate, end: PartialDate, locale: str = locale) -> str:
        """`{{ start|period(end) }}`: "2019年8月 – 2023年1月" / "Aug 2019 – Jan 2023"."""
        return fmt.format_period(start, end, locale)

    def duration(start: PartialDate, end: PartialDate, locale: str = locale) -> str | None:
        """`{{ start|duration(end) }}`: "4年" / "4 years" for ranges in whole years, else none."""
        return fmt.format_duration(start, end, locale)

    def number(value: int, locale: str = locale) -> str:
        """`{{ n|number }}`: grouped digits, "14,500"."""
        return fmt.format_number(value, locale)

    def compact(value: int, locale: str = locale) -> str:
        """`{{ n|compact }}`: three significant digits, "1.45万" / "14.5K"."""
        return fmt.format_compact(value, locale)

    def items(values: Any, locale: str = locale) -> Markup:
        """`{{ names|items }}`: a list in the locale's words, "A、B和C" / "A, B, and C"."""
        escaped = [Markup.escape(v) for v in values]
        return Markup(fmt.format_items([str(v) for v in escaped], locale))

    def sic(text: Any, corrections: Any, mark: str) -> Any:
        """`{{ paragraph|sic(person.corrections, mark) }}`: the mark after every slip that a
        correction quotes, where the text shows it verbatim."""
        html = Markup('<span class="sic">{}</span>').format(mark)
        slips = [c.source for c in corrections]
        if isinstance(text, Pair):
            return dataclasses.replace(text, first=mark_slips(text.first, slips, html),
                                       second=mark_slips(text.second, slips, html))
        return mark_slips(text, slips, html)

    return {"date": date, "period": period, "duration": duration, "number": number,
            "compact": compact, "items": items, "counter_content": counter_content,
            "font_family": font_family, "sic": sic, "both": both}


def _asset_url(theme: ThemeChain, name: str) -> str:
    found = theme.find(name)
    if found is None:
        raise TemplateError(f"asset {name!r} is not in any theme folder "
                            f"({', '.join(str(d) for d in theme.dirs)})")
    return found.as_uri()


# Every variable a template is rendered with; `diglot theme doc` prints this list.
CONTEXT = {
    "report": "The report (report.id, title, subtitle, author, date, preface, conclusion), "
              "every free-text field translated.",
    "people": "The people, in data order (see Person below), every free-text field translated.",
    "locale": "The output locale as configured, e.g. `zh_CN`.",
    "lang": "The output language for `lang` attributes, e.g. `zh-CN`.",
    "source_locale": "The locale the data is written in.",
    "source_lang": "The source language for `lang` attributes (passages shown untranslated).",
    "page": "The page setup: page.size, page.width_mm, page.height_mm, page.margin_*_mm, "
            "page.cover, page.toc, and page.css() for `@page`.",
    "fonts": "The fonts for this locale: fonts.body and fonts.heading (lists of CSS families, "
             "for the `font_family` filter), fonts.word_body, fonts.word_heading.",
    "source_fonts": "The fonts for the source locale (for passages shown untranslated).",
    "theme": "The theme chain: theme.stylesheets (to link, default theme's first), "
             "theme.themes (each with name, folder, description).",
    "view": "All of the above about the data in one object (view.report, view.people, ...).",
    "parallel": "In a parallel edition: parallel.first and parallel.second (locales), "
                "parallel.first_lang, parallel.second_lang, parallel.layout (`columns` or "
                "`interleaved`) and parallel.columns; none in any other edition. Every text is "
                "then a pair (see pair below) and `_()` strings take the `both` filter.",
    "second_fonts": "In a parallel edition, the fonts for the second language (as `fonts`).",
    "colophon": "The editions of this build, for a colophon: colophon.tool, "
                "colophon.version, and colophon.editions, each with locale, name(in_locale), "
                "original (the data's own language), translator and date (from the content "
                "catalog's Last-Translator or Language-Team and PO-Revision-Date; none when "
                "unknown), translated, total and percent.",
}


def template_context(view: LocalizedReport, theme: ThemeChain,
                     editions: Colophon | None = None,
                     parallel: Parallel | None = None) -> dict[str, Any]:
    """The variables of `CONTEXT` for one localized view."""
    return {
        "colophon": editions or Colophon(),
        "report": view.report, "people": view.people, "locale": view.locale, "lang": view.lang,
        "source_locale": view.source_locale, "source_lang": fmt.bcp47(view.source_locale),
        "page": theme.page, "fonts": theme.fonts(view.locale),
        "source_fonts": theme.fonts(view.source_locale), "theme": theme, "view": view,
        "parallel": parallel,
        "second_fonts": theme.fonts(parallel.second) if parallel else None,
    }


def render(view: LocalizedReport, theme: ThemeChain, messages: Translator,
           editions: Colophon | None = None,
           parallel: tuple[Parallel, Translator] | None = None) -> RenderedDocument:
    """Render the theme's entry template for one localized view; for a parallel edition, `view`
    holds pairs and `parallel` names the languages and the second one's `messages`."""
    second = None
    if parallel is not None:
        info, second_messages = parallel
        second = SecondLanguage(second_messages, info.first_lang, info.second_lang,
                                bcp47(MESSAGES_SOURCE_LOCALE))
    env = make_environment(theme, view.locale, messages, second)
    try:
        template = env.get_template(ENTRY_TEMPLATE)
        html = template.render(template_context(view, theme, editions,
                                                parallel[0] if parallel else None))
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or exc.name
        raise TemplateError(f"template syntax error{_in_theme(theme, where)}: {exc.message}",
                            Location(where, exc.lineno)) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template {exc.name!r} not found in "
                            f"{', '.join(str(d) for d in theme.dirs)}") from None
    except (jinja2.TemplateError, TypeError, ValueError, KeyError, AttributeError) as exc:
        where = _template_location(exc)
        raise TemplateError(f"template error{_in_theme(theme, where.file)}: {exc}",
                            where) from None
    except TemplateError as exc:  # raised by diglot inside a template (asset(), the loader)
        if exc.location.file is None:
            exc.location = _template_location(exc)
        raise
    html, counts = typography.apply(html, theme.typography, _unbreakable_names(view))
    title = view.report.title.plain  # type: ignore[attr-defined]
    if parallel is None:
        return document_for(html, view.locale, view.lang, title, view.report.author, theme,
                            Path(template.filename or ENTRY_TEMPLATE), counts)
    info = parallel[0]
    return document_for(html, f"{info.first}+{info.second}", view.lang, title,
                        view.report.author, theme, Path(template.filename or ENTRY_TEMPLATE),
                        counts, (info.first, info.second))


def _unbreakable_names(view: LocalizedReport) -> list[str]:
    """People's and advisors' names: never broken across lines."""
    names = [p.name for p in view.people]
    names += [e.advisor for p in view.people for e in p.education if e.advisor]
    return names


def _in_theme(theme: ThemeChain, filename: Path | str | None) -> str:
    found = theme.theme_of(filename)
    return f" (theme {found.name!r})" if found else ""


def _template_location(exc: BaseException) -> Location:
    """The innermost template frame of a rendering error (Jinja2 rewrites tracebacks so)."""
    found = Location()
    tb = exc.__traceback__ or sys.exc_info()[2]
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".htm", ".j2", ".jinja", ".xml", ".css")):
            found = Location(Path(filename), tb.tb_lineno)
        tb = tb.tb_next
    return found
