"""DOCX output, the reference document's styles by name: ids, inheritance, following styles."""

from __future__ import annotations

from pathlib import Path

from docx.document import Document
from docx.oxml.ns import qn

from diglot.errors import Location, OutputError

VAL = qn("w:val")


class StyleIndex:
    """Style ids by lower-case name and kind, looked up once (python-docx scans every time)."""

    def __init__(self, document: Document, template: Path) -> None:
        self.document = document
        self.template = template
        self._ids: dict[tuple[str, str], str] = {}
        self._based_on: dict[str, str] = {}
        self._italics: dict[str, bool] = {}
        for style in document.styles.element.iter(qn("w:style")):
            name = style.find(qn("w:name"))
            style_id = style.get(qn("w:styleId"))
            if name is None or style_id is None:
                continue
            self._ids.setdefault((name.get(VAL).lower(), style.get(qn("w:type"))), style_id)
            based = style.find(qn("w:basedOn"))
            if based is not None:
                self._based_on[style_id] = based.get(VAL)
        self.normal = self.id("Normal")
        # A paragraph after one of style S takes S's next style where that is a variant of S.
        self.following = {s.get(qn("w:styleId")): n.get(VAL)
                          for s in document.styles.element.iter(qn("w:style"))
                          if (n := s.find(qn("w:next"))) is not None
                          and self.inherits(n.get(VAL), s.get(qn("w:styleId")))}

    def id(self, name: str, kind: str = "paragraph") -> str:
        """The id of the style `name`, which the document must have."""
        found = self._ids.get((name.lower(), kind))
        if found is None:
            raise OutputError(f"the reference document has no {kind} style {name!r}",
                              Location(self.template))
        return found

    def find(self, name: str, kind: str = "paragraph") -> str | None:
        """The id of the style `name`, or None when the document has none."""
        return self._ids.get((name.lower(), kind))

    def character(self, name: str) -> str | None:
        return self._ids.get((name.lower(), "character"))

    def of_classes(self, classes: list[str], table: bool = False
                   ) -> tuple[str | None, str | None]:
        """The paragraph (or table) style and the character style that `classes` name.

        Where several classes name a style the last one wins, as the more specific class comes
        last by habit (`item-lead work-title`).
        """
        para = char = None
        kind = "table" if table else "paragraph"
        for name in classes:
            key = name.lower()
            para = self._ids.get((key, kind), para)
            char = self._ids.get((key, "character"), char)
        return para, (None if table else char)

    def is_italic(self, *styles: str | None) -> bool:
        """Whether text in these styles (a character style, a paragraph style) is italic: the
        first of them, or of the styles each is based on, that says so decides."""
        return any(self._italic(style) for style in styles if style is not None)

    def _italic(self, style: str) -> bool:
        if style not in self._italics:
            found, current, seen = False, style, set()
            while current is not None and current not in seen:
                seen.add(current)
                element = self.document.styles.element.get_by_id(current)
                italic = None if element is None else element.find(f"{qn('w:rPr')}/{qn('w:i')}")
                if italic is not None:
                    found = italic.get(VAL, "true").lower() not in ("0", "false", "off")
                    break
                current = self._based_on.get(current)
            self._italics[style] = found
        return self._italics[style]

    def inherits(self, style: str, ancestor: str) -> bool:
        """Whether `style` is based on `ancestor`, directly or not."""
        seen = set()
        while style in self._based_on and style not in seen:
            seen.add(style)
            style = self._based_on[style]
            if style == ancestor:
                return True
        return False

    def num_id(self, style: str) -> int | None:
        """The numbering instance of paragraph style `style` (or of a style it is based on)."""
        styles = self.document.styles.element
        current: str | None = style
        while current is not None:
            element = styles.get_by_id(current)
            if element is None:
                return None
            num_id = element.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
            if num_id is not None:
                return int(num_id.get(VAL))
            current = self._based_on.get(current)
        return None
