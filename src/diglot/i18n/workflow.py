"""The translator's workflow on files: extract templates, start, update and compile catalogs."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from diglot.atomic import write_atomic
from diglot.errors import CatalogError, Location
from diglot.i18n import extract
from diglot.i18n.catalogs import (
    DOMAINS,
    MESSAGES_SOURCE_LOCALE,
    catalog_key,
    compile_mo,
    needs_translation,
    po_path,
    read_catalog,
)
from diglot.i18n.pofile import write_catalog
from diglot.model import ReportData
from diglot.themefile import Theme
from diglot.themes import ThemeChain

Prefill = Callable[[str, Message], str | tuple[str, ...] | None]


def fresh_templates(data: ReportData, theme: ThemeChain, root: Path, data_ref: str
                    ) -> dict[str, Catalog]:
    """Both templates as `extract` would write them now, in memory."""
    return {
        "messages": extract.messages_catalog(theme.themes, root),
        "content": extract.content_catalog(data, data_ref),
    }


def theme_templates(theme: ThemeChain, root: Path) -> dict[Path, Catalog]:
    """The `messages` template of each theme of the chain that lives inside the project and
    keeps its own catalogs, by its `locales/` folder: the strings of that theme's own files.

    `diglot extract` and `update` maintain these catalogs as they do the project's.
    """
    return {t.folder / "locales": extract.messages_catalog([t], root)
            for t in project_themes_with_catalogs(theme, root)}


def project_themes_with_catalogs(theme: ThemeChain, root: Path) -> list[Theme]:
    """The themes of the chain inside the project that keep their own `locales/` folder."""
    root = root.resolve()
    return [t for t in theme.themes
            if t.folder.is_relative_to(root) and (t.folder / "locales").is_dir()]


def source_locale_of(domain: str, data: ReportData) -> str:
    return MESSAGES_SOURCE_LOCALE if domain == "messages" else data.report.source_locale


def domains_for(locale: str, data: ReportData) -> list[str]:
    """The domains a locale needs a catalog for (none for text already in its language)."""
    return [d for d in DOMAINS if needs_translation(locale, source_locale_of(d, data))]


def init_locale(locale_dir: Path, locale: str, templates: dict[str, Catalog],
                domains: Iterable[str], prefill: Prefill | None = None) -> list[Path]:
    """Start a catalog per domain for a new language; existing catalogs are never overwritten."""
    targets = [(domain, po_path(locale_dir, locale, domain)) for domain in domains]
    existing = [path for _, path in targets if path.exists()]
    if existing:
        raise CatalogError(f"{locale} already has this catalog; use `diglot update` to bring it "
                           "up to date", Location(existing[0]))
    written = []
    for domain, path in targets:
        catalog = Catalog(locale=locale, domain=domain, project="diglot report", version="1",
                          fuzzy=False, charset="utf-8",
                          header_comment=f"# {locale} translation of the {domain} domain.\n#")
        for template in templates[domain]:
            if not template.id:
                continue
            string = prefill(domain, template) if prefill else None
            if string is None:
                string = ("",) * catalog.num_plurals if template.pluralizable else ""
            catalog.add(template.id, string, locations=template.locations,
                        flags=set(template.flags) | ({"fuzzy"} if prefill and any(string)
                                                     else set()),
                        auto_comments=template.auto_comments, context=template.context)
        write_catalog(catalog, path, include_previous=True)
        written.append(path)
    return written


@dataclass(frozen=True)
class Updated:
    path: Path
    written: bool
    fuzzy: int
    obsolete: int


def update_catalogs(locale_dir: Path, templates: dict[str, Catalog], no_obsolete: bool = False
                    ) -> list[Updated]:
    """Merge the templates into every catalog: changed text turns fuzzy, removed text obsolete."""
    results = []
    for path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        locale, domain = path.parent.parent.name, path.stem
        if domain not in templates:
            continue
        catalog = read_catalog(path, locale, domain)
        previous = {catalog_key(m): m.previous_id for m in catalog if m.id and m.previous_id}
        catalog.update(templates[domain], no_fuzzy_matching=False, update_header_comment=False,
                       keep_user_comments=True, update_creation_date=False)
        for message in catalog:
            if not message.id:
                continue
            # As msgmerge does: a fuzzy entry keeps the text it was translated from until a
            # translator clears it; a translated one needs no previous text.
            if not message.fuzzy:
                message.previous_id = []
            elif not message.previous_id:
                message.previous_id = list(previous.get(catalog_key(message), []))
        for key, message in list(catalog.obsolete.items()):
            strings = message.string if isinstance(message.string, tuple | list) \
                else (message.string,)
            if not any(strings):  # nothing was translated: nothing worth keeping
                del catalog.obsolete[key]
        written = write_catalog(catalog, path, include_previous=True,
                                ignore_obsolete=no_obsolete)
        fuzzy = sum(1 for m in catalog if m.id and m.fuzzy)
        results.append(Updated(path, written, fuzzy, 0 if no_obsolete else len(catalog.obsolete)))
    return results


def compile_catalogs(locale_dir: Path) -> list[Path]:
    """Compile every .po under the locale folder into its .mo."""
    written = []
    for po in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        write_atomic(mo, compile_mo(read_catalog(po, po.parent.parent.name, po.stem)))
        written.append(mo)
    return written
