"""What several commands print the same way: progress, fallbacks and the catalog status table."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the types only: a build with nothing changed loads neither
    from diglot.i18n.status import DomainStatus
    from diglot.pipeline import BuildResult

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def print_fallbacks(result: BuildResult) -> None:
    counts = result.fallback_counts()
    if not counts:
        print("Every string was translated.")
        return
    for (locale, domain), reasons in sorted(counts.items()):
        detail = ", ".join(f"{n} {reason}" for reason, n in sorted(reasons.items()))
        print(f"  {locale} {domain}: {sum(reasons.values())} string(s) shown in the source "
              f"language ({detail})")


def print_status(rows: list[DomainStatus]) -> None:
    if not rows:
        print("No catalogs: the report is built in its source language only.")
        return
    header = ("Locale", "Domain", "Translated", "Fuzzy", "Untranslated", "Obsolete", "Done")
    lines = [header] + [
        (r.locale, r.domain, str(r.translated), str(r.fuzzy), str(r.untranslated),
         str(r.obsolete), "no catalog" if r.missing else f"{r.percent:.0f}%")
        for r in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        cells = [c.ljust(w) if i < 2 else c.rjust(w)
                 for i, (c, w) in enumerate(zip(line, widths, strict=True))]
        print("  ".join(cells).rstrip())
