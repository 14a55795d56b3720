"""The edges of the template environment: the immutable sandbox, a loader confined to the theme
folders, and translations inserted as text, never as markup.

A theme may come from someone else: its templates must not run code, read files outside the
theme chain, or reach the network; a catalog may come back from a translator: its strings must
not become HTML.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from diglot.errors import Location, TemplateError
from diglot.i18n.catalogs import Translator
from diglot.localize import Localized
from diglot.parallel import Pair


class ImmutableSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, its verdict on an attribute remembered for the object's type:
    Jinja decides by the type and the attribute's name alone, and a report of 1000 people asks
    100 000 times."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._verdicts: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = super().is_safe_attribute(obj, attr, value)
        return verdict


class ConfinedLoader(jinja2.BaseLoader):
    """Templates from one theme folder only: a path that resolves outside it (through `..` or a
    symbolic link to a file or folder elsewhere) is refused, naming the template."""

    def __init__(self, folder: Path, theme_name: str) -> None:
        self.folder = folder.resolve()
        self.theme_name = theme_name

    def get_source(self, environment: jinja2.Environment, template: str
                   ) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)  # refuses ".." pieces
        candidate = self.folder.joinpath(*pieces)
        if not candidate.is_file():
            raise jinja2.TemplateNotFound(template)
        resolved = candidate.resolve()
        if not resolved.is_relative_to(self.folder):
            raise TemplateError(f"template {template!r} of theme {self.theme_name!r} leads "
                                f"outside the theme folder (to {resolved}); it is not used",
                                Location(candidate))
        try:
            source = resolved.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise TemplateError(f"cannot read template {template!r}: {exc}",
                                Location(candidate)) from None
        mtime = os.path.getmtime(resolved)
        return source, str(candidate), lambda: os.path.getmtime(resolved) == mtime

    def list_templates(self) -> list[str]:
        return sorted(p.relative_to(self.folder).as_posix() for p in self.folder.rglob("*")
                      if p.is_file())


def install_translations(env: jinja2.Environment, messages: Translator,
                         second: SecondLanguage | None = None) -> None:
    """Bind the `messages` domain to `_()`, `gettext`, `ngettext` (and their `p` forms).

    Jinja's new-style gettext marks what the callable returns as safe markup; the translation
    is escaped here first, so a catalog can only ever add text. A string shown untranslated is
    the template's own msgid, as trusted as the template itself. With `second` (a parallel
    edition) each call returns the first language's string, which also carries the second
    language's, for the `both` filter.
    """
    first = _Escaping(messages)
    env.install_gettext_callables(  # type: ignore[attr-defined]
        first.gettext, first.ngettext, newstyle=True, pgettext=first.pgettext,
        npgettext=first.npgettext)
    if second is None:
        return
    other = _Escaping(second.messages)
    names = ("gettext", "ngettext", "pgettext", "npgettext")
    for name in names:
        env.globals[name] = _bilingual(getattr(first, name), getattr(other, name), second)
    env.globals["_"] = env.globals["gettext"]


@dataclass(frozen=True)
class SecondLanguage:
    """The second language of a parallel edition: its catalog and the `lang` values of both."""

    messages: Translator
    first_lang: str
    lang: str  # BCP 47
    source_lang: str  # what a string left untranslated is written in


class _Escaping:
    """A translator's lookups, each translation escaped (an untranslated msgid stays as is)."""

    def __init__(self, messages: Translator) -> None:
        self.messages = messages

    def gettext(self, message: str) -> str:
        found = self.messages.gettext(message)
        return message if found == message else str(escape(found))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        found = self.messages.ngettext(singular, plural, n)
        return found if found in (singular, plural) else str(escape(found))

    def pgettext(self, context: str, message: str) -> str:
        found = self.messages.pgettext(context, message)
        return message if found == message else str(escape(found))

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        found = self.messages.npgettext(context, singular, plural, n)
        return found if found in (singular, plural) else str(escape(found))


def _bilingual(first: Callable[..., str], second: Callable[..., str],
               languages: SecondLanguage) -> Callable[..., Bilingual]:
    """A new-style gettext function (as Jinja's own: keyword values escaped into the string,
    `num` defaulting to the count) that looks a string up in both languages."""
    plural = first.__name__ in ("ngettext", "npgettext")

    @jinja2.pass_context
    def lookup(_context: jinja2.runtime.Context, *args: Any, **values: Any) -> Bilingual:
        if plural:
            values.setdefault("num", args[-1])
        fallbacks = len(languages.messages.fallbacks)
        a = Markup(first(*args)) % values
        b = Markup(second(*args)) % values
        fallback = len(languages.messages.fallbacks) > fallbacks
        return Bilingual(a, Pair(
            Localized(a, a.striptags(), str(args[0]), languages.first_lang),
            Localized(b, b.striptags(), str(args[0]),
                      languages.source_lang if fallback else languages.lang, fallback),
            languages.first_lang))

    return lookup


class Bilingual(Markup):
    """A template string in the first language; `pair` holds it in both (the `both` filter)."""

    pair: Pair | None

    def __new__(cls, base: object = "", pair: Pair | None = None) -> Bilingual:
        made = super().__new__(cls, base)
        made.pair = pair  # operations on the string make plain ones: the pair is not theirs
        return made


def both(value: Any) -> Any:
    """`{{ _("Education")|both }}`: a template string in both languages of a parallel edition
    ("教育 Education", each half with its own `lang`); in any other edition, the string."""
    pair = getattr(value, "pair", None) if isinstance(value, Bilingual) else None
    return pair if pair is not None else value
