"""Locale identifiers as diglot accepts them: canonical, known to CLDR, safe as folder names."""

from __future__ import annotations

import re

from babel import Locale, UnknownLocaleError

# language, optional script, optional territory: zh_CN, zh_Hant_TW, en, es_419. Babel's own
# parser accepts far more (`en.x/../../y` drops the part after the dot, `en@../../x` keeps the
# modifier as written), and a locale becomes a folder name: only this shape is let through.
_CANONICAL = re.compile(r"[a-z]{2,3}(?:_[A-Z][a-z]{3})?(?:_(?:[A-Z]{2}|[0-9]{3}))?")


def locale_problem(text: object) -> str | None:
    """Why `text` is not an acceptable locale identifier, or None when it is one."""
    if not isinstance(text, str):
        return f"a locale must be text such as 'zh_CN', got {text!r}"
    if not _CANONICAL.fullmatch(text):
        shown = text if len(text) <= 40 else text[:40] + "..."
        return (f"{shown!r} is not a locale identifier: use language, optional script and "
                "territory, such as 'en', 'zh_CN' or 'zh_Hant_TW'")
    try:
        Locale.parse(text)
    except (ValueError, UnknownLocaleError):
        return f"unknown locale {text!r}"
    return None

