"""The PDF standards a build claims (`ua-1`, `a-3b`, `a-3a,ua-1`, `none`), parsed once, no I/O."""

from __future__ import annotations

from dataclasses import dataclass

# PDF/A parts a PDF may claim (at most one), and whether each needs a tagged document.
PDFA_PARTS = {"a-2b": False, "a-3b": False, "a-3a": True}
UA_PARTS = ("ua-1",)
KNOWN = (*UA_PARTS, *PDFA_PARTS, "none")
DEFAULT = "ua-1"


class StandardError(ValueError):
    """A `pdf_standard` value that names no standard diglot writes, or an impossible mix."""


@dataclass(frozen=True)
class PdfStandard:
    """At most one PDF/A part, and whether the file also claims PDF/UA-1."""

    pdfa: str | None = None  # "a-3b"
    ua: bool = False

    @property
    def tagged(self) -> bool:
        """Whether the PDF carries a structure tree (PDF/UA and the `a` levels need one)."""
        return self.ua or (self.pdfa is not None and PDFA_PARTS[self.pdfa])

    @property
    def claims(self) -> tuple[str, ...]:
        """The standards claimed, as `--pdf-standard` spells them."""
        return tuple(s for s in (self.pdfa, "ua-1" if self.ua else None) if s)

    def __str__(self) -> str:
        return ",".join(self.claims) or "none"


def parse(value: str | list[str] | tuple[str, ...]) -> PdfStandard:
    """`"a-3a,ua-1"` (or a list of names) as a PdfStandard; raises StandardError."""
    items = value.split(",") if isinstance(value, str) else list(value)
    if not all(isinstance(item, str) for item in items):
        raise StandardError(f"pdf_standard must be a string or a list of strings, got {value!r}")
    names = [item.strip().lower() for item in items if item.strip()]
    if not names:
        raise StandardError(f"no PDF standard given (known: {', '.join(KNOWN)})")
    unknown = [n for n in names if n not in KNOWN]
    if unknown:
        raise StandardError(f"unknown PDF standard {unknown[0]!r} (known: {', '.join(KNOWN)}; "
                            "combine them with commas, such as a-3a,ua-1)")
    if "none" in names:
        if set(names) != {"none"}:
            raise StandardError("'none' cannot be combined with another PDF standard")
        return PdfStandard()
    pdfa = list(dict.fromkeys(n for n in names if n in PDFA_PARTS))
    if len(pdfa) > 1:
        raise StandardError(f"a PDF conforms to one PDF/A part at most, not {' and '.join(pdfa)}")
    return PdfStandard(pdfa[0] if pdfa else None, "ua-1" in names)
