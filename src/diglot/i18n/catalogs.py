"""Catalogs at build time: read and check the .po, compile it in memory, look up with fallback.

A `.mo` file is never read: what a build uses is always what its `.po` says now, after the
checks, so a stale, damaged or hand-made `.mo` cannot change a report. `diglot compile` writes
`.mo` files for other gettext tools.
"""

from __future__ import annotations

import gettext
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

from diglot.errors import BuildWarning, CatalogError, Location, raise_collected
from diglot.i18n.checks import header_errors, message_problems, syntax_errors
from diglot.i18n.pofile import restore_previous

DOMAINS = ("messages", "content")
MESSAGES_SOURCE_LOCALE = "en"  # msgids of the templates are English


def po_path(locale_dir: Path, locale: str, domain: str) -> Path:
    return locale_dir / locale / "LC_MESSAGES" / f"{domain}.po"


def pot_path(locale_dir: Path, domain: str) -> Path:
    return locale_dir / f"{domain}.pot"


@dataclass(frozen=True)
class Fallback:
    """A string shown in the source language because no usable translation exists."""

    locale: str
    domain: str
    msgid: str
    reason: str  # untranslated | fuzzy | no catalog | rejected
    where: Location | None = None


def read_catalog(path: Path, locale: str | None, domain: str) -> Catalog:
    """Parse and validate one .po file; every syntax or header error names the file and line."""
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise CatalogError(f"cannot read catalog: {exc.strerror}", Location(path)) from None
    except UnicodeDecodeError as exc:
        line = text_line(path.read_bytes(), exc.start)
        raise CatalogError(f"the catalog is not UTF-8 (byte {exc.object[exc.start]:#04x})",
                           Location(path, line)) from None
    raise_collected(syntax_errors(path, text))
    try:
        catalog = read_po(io.StringIO(text), locale=locale, domain=domain, abort_invalid=True)
    except PoFileError as exc:
        line = getattr(exc, "lineno", None)  # Babel counts from 0
        message = re.sub(r" on \d+$", "", str(exc))
        raise CatalogError(f"invalid catalog: {message}: {getattr(exc, 'line', '')!r}",
                           Location(path, None if line is None else line + 1)) from None
    except ValueError as exc:
        raise CatalogError(f"cannot read catalog: {exc}", Location(path)) from None
    raise_collected(header_errors(path, catalog))
    restore_previous(catalog)
    return catalog


def text_line(raw: bytes, offset: int) -> int:
    """The 1-based line of a byte offset."""
    return raw.count(b"\n", 0, offset) + 1


def compile_mo(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def message_key(msgid: str, context: str | None = None) -> str:
    """How a compiled catalog keys a message: `context` EOT `msgid` when there is a context."""
    return f"{context}\x04{msgid}" if context else msgid


def catalog_key(message: object) -> str:
    """`message_key` of a Babel message (its singular msgid, with its context)."""
    msgid = message.id  # type: ignore[attr-defined]
    singular = msgid[0] if isinstance(msgid, tuple | list) else msgid
    return message_key(str(singular), message.context)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Layer:
    """One compiled catalog, with what must not be used from it (keys of `message_key`)."""

    path: Path
    table: gettext.GNUTranslations
    fuzzy: frozenset[str] = frozenset()
    rejected: frozenset[str] = frozenset()

    def get(self, key: str, plural_index: int | None = None) -> str | None:
        if key in self.rejected:
            return None
        lookup = key if plural_index is None else (key, plural_index)
        found = self.table._catalog.get(lookup)  # type: ignore[attr-defined]
        return found or None


@dataclass
class Translator:
    """Lookups in one locale and domain; every fallback is recorded.

    `layers` are searched in order (a project's catalog, then its themes'); no layer at all
    means the text is in the source language already, unless `missing` says a catalog was due.
    """

    locale: str
    domain: str
    layers: tuple[Layer, ...] = ()
    missing: bool = False
    fallbacks: list[Fallback] = field(default_factory=list)

    def lookup(self, msgid: str, where: Location | None = None,
               context: str | None = None) -> str:
        if not msgid or not (self.layers or self.missing):
            return msgid
        key = message_key(msgid, context)
        for layer in self.layers:
            found = layer.get(key)
            if found:
                return found
        self._record(key, msgid, where)
        return msgid

    def lookup_plural(self, singular: str, plural: str, n: int,
                      context: str | None = None) -> str:
        if not (self.layers or self.missing):
            return singular if n == 1 else plural
        key = message_key(singular, context)
        for layer in self.layers:
            found = layer.get(key, layer.table.plural(n))  # type: ignore[attr-defined]
            if found:
                return found
        self._record(key, singular, None)
        return singular if n == 1 else plural

    def _record(self, key: str, msgid: str, where: Location | None) -> None:
        if any(key in layer.rejected for layer in self.layers):
            reason = "rejected"
        elif any(key in layer.fuzzy for layer in self.layers):
            reason = "fuzzy"
        elif self.missing:
            reason = "no catalog"
        else:
            reason = "untranslated"
        self.fallbacks.append(Fallback(self.locale, self.domain, msgid, reason, where))

    # The gettext protocol, for Jinja2's i18n extension.
    def gettext(self, message: str) -> str:
        return self.lookup(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.lookup_plural(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        return self.lookup(message, context=context)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return self.lookup_plural(singular, plural, n, context)


def needs_translation(locale: str, source_locale: str) -> bool:
    """Whether text written in `source_locale` must be translated to be read in `locale`.

    A different language or script does (zh_CN to zh_TW); a different territory does not
    (en to en_GB), though a catalog for it is used when there is one.
    """
    target, source = Locale.parse(locale), Locale.parse(source_locale)
    return target.language != source.language or target.script != source.script


def load_translator(
    locale_dirs: Sequence[Path], locale: str, domain: str, source_locale: str,
    warnings: list[BuildWarning],
) -> Translator:
    """The translator for one locale and domain, from every folder that has its catalog
    (the first folder's translations win)."""
    if Locale.parse(locale) == Locale.parse(source_locale):
        return Translator(locale, domain)
    candidates = list(dict.fromkeys(po_path(d, locale, domain) for d in locale_dirs))
    found = [p for p in candidates if p.exists()]
    if not found:
        if not needs_translation(locale, source_locale):
            return Translator(locale, domain)
        warnings.append(BuildWarning(
            "catalog", f"no {domain} catalog for {locale}: the source text is shown",
            Location(candidates[0])))
        return Translator(locale, domain, missing=True)
    return Translator(locale, domain, tuple(_layer(po, locale, domain, warnings)
                                            for po in found))


def _layer(po: Path, locale: str, domain: str, warnings: list[BuildWarning]) -> Layer:
    catalog = read_catalog(po, locale, domain)
    rejected = _reject_bad_entries(catalog, po, domain, warnings)
    fuzzy = frozenset(catalog_key(m) for m in catalog if m.id and m.fuzzy)
    try:
        table = gettext.GNUTranslations(io.BytesIO(compile_mo(catalog)))
    except (ValueError, LookupError, SyntaxError) as exc:  # e.g. a Plural-Forms gettext refuses
        raise CatalogError(f"the header cannot be used: {exc}",
                           Location(po, _header_line(po, "Plural-Forms"))) from None
    return Layer(po, table, fuzzy, rejected)


def _header_line(po: Path, field: str) -> int:
    """The line of the .po that holds a header field (1 when it cannot be found)."""
    lines = po.read_text(encoding="utf-8").splitlines()
    return next((n for n, line in enumerate(lines, 1) if line.startswith(f'"{field}:')), 1)


def _reject_bad_entries(catalog: Catalog, po: Path, domain: str,
                        warnings: list[BuildWarning]) -> frozenset[str]:
    """Translations that fail a check; they fall back to the source text, with a warning."""
    rejected: set[str] = set()
    for message in catalog:
        problems = message_problems(message, domain)
        if problems:
            rejected.add(catalog_key(message))
            shown = str(message.id[0] if isinstance(message.id, tuple | list) else message.id)
            warnings.append(BuildWarning(
                "catalog", f"translation of {shown[:50]!r} not used: {'; '.join(problems)}",
                Location(po, message.lineno)))
    return frozenset(rejected)
