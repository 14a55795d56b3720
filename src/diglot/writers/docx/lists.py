"""DOCX output, lists: list and list item styles, numbering that starts again for each list."""

from __future__ import annotations

from dataclasses import replace

from lxml import etree

from diglot.writers.docx import source
from diglot.writers.docx.state import ListItem, ListStyles, TranslatorState


class ListsMixin(TranslatorState):
    """The visit_/depart_ methods of `<ul>`, `<ol>` and `<li>`; an inline list is one line."""

    def visit_ul(self, element: etree._Element) -> None:
        self._list(element, ordered=False)

    def visit_ol(self, element: etree._Element) -> None:
        self._list(element, ordered=True)

    def depart_ul(self, element: etree._Element) -> None:
        if not self.frames[-1].inline_list:
            self._close_paragraph()

    depart_ol = depart_ul

    def _list(self, element: etree._Element, ordered: bool) -> None:
        frame = self.frames[-1]
        classes = element.get("class", "").split()
        if "inline" in classes:
            frame.inline_list = True
            frame.inline_items = 0
            return
        self._close_paragraph()
        depth = min(frame.list_depth + 1, 3)
        suffix = "" if depth == 1 else f" {depth}"
        if any(self.rules.unmarked.intersection(source.classes(e))
               for e in (element, *element.iterancestors())):  # `list-style: none`: flush text
            frame.list_styles = ListStyles(frame.para_style, frame.para_style, None)
            return
        own = self.styles.of_classes(classes)[0]
        style = own or self.styles.id(("List Number" if ordered else "List Bullet") + suffix)
        num_id = self._restart_numbering(style, element.get("start")) if ordered else None
        frame.list_depth = depth
        frame.list_styles = ListStyles(style, self.styles.id("List Continue" + suffix), num_id)

    def visit_li(self, element: etree._Element) -> None:
        frame = self.frames[-1]
        if frame.inline_list:
            parent = self.frames[-2]
            if parent.inline_items:
                self._text(" · ", replace(frame.run, style=self.styles.character("sep")), keep=True)
            parent.inline_items += 1
            frame.inline_list = False
            return
        self._close_paragraph()
        styles = self.frames[-2].list_styles or ListStyles(
            self.styles.id("List Bullet"), self.styles.id("List Continue"), None)
        own = self.styles.of_classes(element.get("class", "").split())[0]
        frame.item = ListItem(own or styles.style, styles.continue_style, styles.num_id)

    def depart_li(self, element: etree._Element) -> None:
        if not self.frames[-2].inline_list:
            self._close_paragraph()

    def _restart_numbering(self, style: str, start: str | None) -> int | None:
        """A numbering instance of `style`'s list that starts again at 1 (or `start`)."""
        numbering = self.document.part.numbering_part.element
        num_id = self.styles.num_id(style)
        if num_id is None:
            return None
        num = numbering.num_having_numId(num_id)
        fresh = numbering.add_num(num.abstractNumId.val)
        override = fresh.add_lvlOverride(ilvl=0)
        override.add_startOverride(int(start) if start and start.isdigit() else 1)
        return int(fresh.numId)
