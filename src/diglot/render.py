"""One Jinja2 environment per locale: autoescape, StrictUndefined, i18n bound to `messages`."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from diglot.errors import Location, TemplateError
from diglot.i18n import formatting as fmt
from diglot.i18n.catalogs import Translator
from diglot.localize import LocalizedReport
from diglot.model import PartialDate
from diglot.themes import ThemeChain

ENTRY_TEMPLATE = "report.html"


@dataclass(frozen=True)
class Rendered:
    """The HTML of one locale, and what writers need to turn it into a file."""

    html: str
    locale: str
    lang: str
    title: str
    author: str | None
    theme: ThemeChain
    template: Path  # the entry template file, for messages about it


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


def make_environment(theme: ThemeChain, locale: str, messages: Translator) -> jinja2.Environment:
    """The environment templates of `theme` are rendered in for `locale`."""
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([
            jinja2.FileSystemLoader([str(d) for d in theme.dirs]),
            jinja2.PrefixLoader({"default": jinja2.FileSystemLoader(str(theme.default))}),
        ]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(messages, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(filters_for(locale))
    env.globals["asset"] = lambda name: _asset_url(theme, name)
    return env


def filters_for(locale: str) -> dict[str, Callable[..., Any]]:
    """The formatting filters, bound to `locale` (each also takes `locale=` to override it)."""

    def date(value: PartialDate, locale: str = locale) -> str:
        return fmt.format_date(value, locale)

    def period(start: PartialDate, end: PartialDate, locale: str = locale) -> str:
        return fmt.format_period(start, end, locale)

    def duration(start: PartialDate, end: PartialDate, locale: str = locale) -> str | None:
        return fmt.format_duration(start, end, locale)

    def number(value: int, locale: str = locale) -> str:
        return fmt.format_number(value, locale)

    def compact(value: int, locale: str = locale) -> str:
        return fmt.format_compact(value, locale)

    def items(values: Any, locale: str = locale) -> Markup:
        escaped = [Markup.escape(v) for v in values]
        return Markup(fmt.format_items([str(v) for v in escaped], locale))

    return {"date": date, "period": period, "duration": duration, "number": number,
            "compact": compact, "items": items, "counter_content": counter_content}


def _asset_url(theme: ThemeChain, name: str) -> str:
    found = theme.find(name)
    if found is None:
        raise TemplateError(f"asset {name!r} is not in any theme folder "
                            f"({', '.join(str(d) for d in theme.dirs)})")
    return found.as_uri()


def render(view: LocalizedReport, theme: ThemeChain, messages: Translator) -> Rendered:
    """Render the theme's entry template for one localized view."""
    env = make_environment(theme, view.locale, messages)
    try:
        template = env.get_template(ENTRY_TEMPLATE)
        html = template.render(report=view.report, people=view.people, locale=view.locale,
                               lang=view.lang, view=view, page=theme.page)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"template syntax error: {exc.message}",
                            Location(exc.filename or exc.name, exc.lineno)) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template {exc.name!r} not found in "
                            f"{', '.join(str(d) for d in theme.dirs)}") from None
    except (jinja2.UndefinedError, TypeError, ValueError, KeyError) as exc:
        raise TemplateError(f"template error: {exc}", _template_location(exc)) from None
    title = view.report.title.plain  # type: ignore[attr-defined]
    return Rendered(html, view.locale, view.lang, title, view.report.author, theme,
                    Path(template.filename or ENTRY_TEMPLATE))


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
