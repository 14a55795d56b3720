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
    """Count, for every message the template has now, whether the catalogs translate it.

    The catalogs are those found along `locale_dirs`, combined as the build combines them
    (the first that translates a message wins); `path` is the first, the one to edit.
    """
    candidates = list(dict.fromkeys(po_path(d, locale, domain) for d in locale_dirs))
    found = [p for p in candidates if p.exists()]
    ids = [(m.id, m.context) for m in template if m.id]
    if not found:
        return DomainStatus(locale, domain, candidates[0], 0, 0, len(ids), 0, missing=True)
    catalogs = [read_catalog(p, locale, domain) for p in found]
    translated = fuzzy = 0
    for msgid, context in ids:
        entries = [e for e in (c.get(msgid, context) for c in catalogs) if e is not None]
        if any(not e.fuzzy and _all_filled(e.string) for e in entries):
            translated += 1
        elif any(e.fuzzy for e in entries):
            fuzzy += 1
    return DomainStatus(locale, domain, found[0], translated, fuzzy,
                        len(ids) - translated - fuzzy, len(catalogs[0].obsolete))


def _all_filled(string: object) -> bool:
    strings = string if isinstance(string, tuple | list) else (string,)
    return bool(strings) and all(strings)
