"""How far each catalog is translated, counted against the current templates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog

from diglot.i18n.catalogs import po_path, read_catalog


@dataclass(frozen=True)
class DomainStatus:
    """Counts for one locale and domain; fuzzy entries never count as translated."""

    locale: str
    domain: str
    path: Path
    translated: int
    fuzzy: int
    untranslated: int
    obsolete: int
    missing: bool = False  # no catalog file at all

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0

    @property
    def complete(self) -> bool:
        return not self.missing and self.translated == self.total

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["path"] = str(self.path)
        data.update(total=self.total, percent=round(self.percent, 1))
        return data


def domain_status(locale_dirs: Sequence[Path], locale: str, domain: str, template: Catalog
                  ) -> DomainStatus:
    """Count the catalog's entries for every message the template has now.

    The catalog is the first found along `locale_dirs`, as the build would use it.
    """
    candidates = [po_path(d, locale, domain) for d in locale_dirs]
    path = next((p for p in candidates if p.exists()), candidates[0])
    ids = [m.id for m in template if m.id]
    if not path.exists():
        return DomainStatus(locale, domain, path, 0, 0, len(ids), 0, missing=True)
    catalog = read_catalog(path, locale, domain)
    translated = fuzzy = 0
    for msgid in ids:
        entry = catalog.get(msgid)
        if entry is None:
            continue
        strings = entry.string if isinstance(entry.string, tuple | list) else (entry.string,)
        if entry.fuzzy:
            fuzzy += 1
        elif strings and all(strings):
            translated += 1
    return DomainStatus(locale, domain, path, translated, fuzzy,
                        len(ids) - translated - fuzzy, len(catalog.obsolete))
