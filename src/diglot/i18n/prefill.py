"""Machine pre-translation for new catalogs: Simplified to Traditional Chinese with OpenCC."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog, Message

from diglot.errors import CatalogError, UsageError
from diglot.i18n.catalogs import po_path, read_catalog
from diglot.i18n.workflow import Prefill

# Taiwan and Hong Kong conventions include vocabulary (數據 -> 資料), not only characters.
_CONFIGS = {"TW": "s2twp", "HK": "s2hk", "MO": "s2hk"}
SIMPLIFIED_SOURCE = "zh_CN"


def opencc_prefill(locale: str, content_source: str, catalog_dirs: Sequence[Path]) -> Prefill:
    """Fill content entries from their Simplified msgids and messages entries from the
    Simplified Chinese `messages` catalog, each converted to Traditional Chinese."""
    target = Locale.parse(locale)
    if target.language != "zh" or target.script != "Hant":
        raise UsageError(f"--prefill opencc converts Simplified into Traditional Chinese; "
                         f"{locale} is not a Traditional Chinese locale")
    try:
        import opencc
    except ImportError:
        raise UsageError("--prefill opencc needs the OpenCC package: "
                         "pip install 'diglot[opencc]'") from None
    converter = opencc.OpenCC(_CONFIGS.get(target.territory or "", "s2t"))
    source = Locale.parse(content_source)
    content_is_simplified = source.language == "zh" and source.script == "Hans"
    simplified = _simplified_messages(catalog_dirs)

    def prefill(domain: str, message: Message) -> str | tuple[str, ...] | None:
        if domain == "content":
            return converter.convert(str(message.id)) if content_is_simplified else None
        entry = simplified.get(message.id) if simplified else None
        if entry is None or entry.fuzzy or not entry.string:
            return None
        if isinstance(entry.string, tuple | list):
            return tuple(converter.convert(s) for s in entry.string)
        return converter.convert(entry.string)

    return prefill


def _simplified_messages(catalog_dirs: Sequence[Path]) -> Catalog | None:
    for folder in catalog_dirs:
        path = po_path(folder, SIMPLIFIED_SOURCE, "messages")
        if path.exists():
            try:
                return read_catalog(path, SIMPLIFIED_SOURCE, "messages")
            except CatalogError:
                return None
    return None
