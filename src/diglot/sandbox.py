"""The edges of the template environment: the immutable sandbox, a loader confined to the theme
folders, and translations inserted as text, never as markup.

A theme may come from someone else: its templates must not run code, read files outside the
theme chain, or reach the network; a catalog may come back from a translator: its strings must
not become HTML.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import jinja2
from jinja2.loaders import split_template_path
from markupsafe import escape

from diglot.errors import Location, TemplateError
from diglot.i18n.catalogs import Translator


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


def install_translations(env: jinja2.Environment, messages: Translator) -> None:
    """Bind the `messages` domain to `_()`, `gettext`, `ngettext` (and their `p` forms).

    Jinja's new-style gettext marks what the callable returns as safe markup; the translation
    is escaped here first, so a catalog can only ever add text. A string shown untranslated is
    the template's own msgid, as trusted as the template itself.
    """

    def gettext(message: str) -> str:
        found = messages.gettext(message)
        return message if found == message else str(escape(found))

    def ngettext(singular: str, plural: str, n: int) -> str:
        found = messages.ngettext(singular, plural, n)
        return found if found in (singular, plural) else str(escape(found))

    def pgettext(context: str, message: str) -> str:
        found = messages.pgettext(context, message)
        return message if found == message else str(escape(found))

    def npgettext(context: str, singular: str, plural: str, n: int) -> str:
        found = messages.npgettext(context, singular, plural, n)
        return found if found in (singular, plural) else str(escape(found))

    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext, ngettext, newstyle=True, pgettext=pgettext, npgettext=npgettext)
