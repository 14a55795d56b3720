"""The records of the data format (the report, its people and their parts) as model objects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from babel import Locale

from diglot import limits, markup
from diglot.data.values import Converters, T
from diglot.errors import DiglotError, Location
from diglot.i18n.locale_id import locale_problem
from diglot.model import (
    DEGREES,
    LINK_KINDS,
    Born,
    Conclusion,
    Correction,
    Education,
    Experience,
    Link,
    Metrics,
    Person,
    Report,
    ReportData,
    Source,
    Work,
    walk_texts,
)
from diglot.yamltree import Mapping, Node, Scalar, Sequence


class Schema(Converters):
    """Converters for each record of the data format; errors are collected, not raised."""

    def __init__(self, errors: list[DiglotError]) -> None:
        super().__init__(errors)
        self.person_ids: dict[str, Location] = {}

    def heading(self, convert: Callable[[Node, str], T | None]) -> Callable[[Node, str], T | None]:
        return self.bounded(convert, limits.MAX_HEADING_CHARS, "each page's header repeats it")

    def fact(self, convert: Callable[[Node, str], T | None]) -> Callable[[Node, str], T | None]:
        return self.bounded(convert, limits.MAX_FACT_CHARS, "it is a cell of the facts table")

    def report_data(self, root: Node) -> ReportData | None:
        f = self.fields(root, "")
        if f is None:
            return None
        # Whether there is a person is a question about the file, not about the people that
        # survived validation: when each of them has an error, those errors are the news.
        people_node = f.items.get("people", (None, None))[1]
        report = f.take("report", self.report, required=True)
        people = f.take("people", self.items(self.person), required=True)
        f.finish(("report", "people"))
        if isinstance(people_node, Sequence) and not people_node.items:
            self.error("at least one person is required", people_node.location, "people")
        if report is None or people is None:
            return None
        return ReportData(report, people, str(root.location.file), self.places)

    def report(self, node: Node, path: str) -> Report | None:
        f = self.fields(node, path)
        if f is None:
            return None
        values: dict[str, Any] = {
            "id": f.take("id", self.slug, required=True),
            "source_locale": f.take("source_locale", self.locale, required=True),
            "title": f.take("title", self.heading(self.text), required=True),
            "subtitle": f.take("subtitle", self.text),
            "author": f.take("author", self.fixed),
            "date": f.take("date", self.date),
            "preface": f.take("preface", self.items(self.text)) or (),
            "conclusion": f.take("conclusion", self.conclusion),
            "source": f.take("source", self.source),
            "corrections": f.take("corrections", self.items(self.correction)) or (),
        }
        f.finish(tuple(values))
        if None in (values["id"], values["source_locale"], values["title"]):
            return None
        report = Report(**values)
        self.check_corrections(report.corrections, report, f.path)
        return report

    def source(self, node: Node, path: str) -> Source | None:
        f = self.fields(node, path)
        if f is None:
            return None
        values: dict[str, Any] = {
            "title": f.take("title", self.text),
            "author": f.take("author", self.text),
            "url": f.take("url", self.web_url),
            "date": f.take("date", self.date),
            "note": f.take("note", self.text),
        }
        f.finish(tuple(values))
        return Source(**values)

    def web_url(self, node: Node, path: str) -> str | None:
        value = self.fixed(node, path)
        if value is not None and (not markup.is_safe_url(value)
                                  or not value.lower().startswith(("http://", "https://"))):
            self.error(f"{value!r}: a source address must be an http or https URL",
                       node.location, path)
            return None
        return value

    def correction(self, node: Node, path: str) -> Correction | None:
        f = self.fields(node, path)
        if f is None:
            return None
        sources = f.take("source", self.verbatim_forms, required=True)
        readings = f.take("reading", self.verbatim_forms, required=True)
        note = f.take("note", self.text)
        f.finish(("source", "reading", "note"))
        if sources is None or readings is None:
            return None
        (source, source_forms), (reading, reading_forms) = sources, readings
        if source == reading:
            self.error(f"the reading {reading!r} is the source text itself", node.location,
                       path)
            return None
        return Correction(source, reading, note, node.location.with_path(path),
                          source_forms, reading_forms)

    def verbatim_forms(self, node: Node, path: str
                       ) -> tuple[str, tuple[tuple[str, str], ...]] | None:
        """A quotation, or one form per script, the text's own first:
        `{zh_Hans: 从体来说, zh_Hant: 從體來說}`."""
        if isinstance(node, Scalar):
            value = self.verbatim(node, path)
            return (value, ()) if value is not None else None
        forms = self.script_forms(node, path, self.verbatim)
        return (forms[0][1], forms) if forms else None

    def verbatim(self, node: Node, path: str) -> str | None:
        """Text taken exactly as written (a quotation), surrounding blanks included."""
        scalar = self.scalar(node, path, "text")
        if scalar is None:
            return None
        if not scalar.value.strip():
            self.error("text is empty", node.location, path)
            return None
        return scalar.value

    def check_corrections(self, corrections: tuple[Correction, ...], owner: object,
                          path: str) -> None:
        """Every correction quotes its owner's text verbatim, and only once per quotation."""
        texts = [t.value for t in walk_texts(owner)]
        seen: set[str] = set()
        for correction in corrections:
            if correction.source in seen:
                self.error(f"{correction.source!r} is corrected twice", correction.location,
                           correction.location.path or path)
            seen.add(correction.source)
            if not any(correction.source in text for text in texts):
                self.error(f"{correction.source!r} does not occur in the text of "
                           f"{path or 'the report'}", correction.location,
                           correction.location.path or path)

    def conclusion(self, node: Node, path: str) -> Conclusion | None:
        f = self.fields(node, path)
        if f is None:
            return None
        values: dict[str, Any] = {
            "intro": f.take("intro", self.text),
            "points": f.take("points", self.items(self.text)) or (),
            "closing": f.take("closing", self.text),
        }
        f.finish(tuple(values))
        return Conclusion(**values)

    def person(self, node: Node, path: str) -> Person | None:
        f = self.fields(node, path)
        if f is None:
            return None
        person_id = f.take("id", self.slug, required=True)
        if person_id is not None:
            first = self.person_ids.setdefault(person_id, node.location)
            if first is not node.location:
                self.error(f"duplicate person id {person_id!r} (first used at line {first.line})",
                           node.location, f"{path}.id")
            # Later paths name the person by id, which survives reordering.
            f.path = f"people[{person_id}]"
        values: dict[str, Any] = {
            "id": person_id,
            "name": f.take("name", self.heading(self.fixed), required=True),
            "headline": f.take("headline", self.text),
            "born": f.take("born", self.born),
            "links": f.take("links", self.items(self.link)) or (),
            "education": f.take("education", self.items(self.education)) or (),
            "experience": f.take("experience", self.items(self.experience)) or (),
            "works": f.take("works", self.items(self.work)) or (),
            "honors": f.take("honors", self.items(self.fact(self.text))) or (),
            "metrics": f.take("metrics", self.metrics),
            "commentary": f.take("commentary", self.items(self.text)) or (),
            "corrections": f.take("corrections", self.items(self.correction)) or (),
        }
        names = f.take("native_name", self.native_name)
        f.finish(("id", "name", "native_name", *list(values)[2:]))
        values["native_name"], values["native_names"] = names or (None, ())
        if values["id"] is None or values["name"] is None:
            return None
        person = Person(**values)
        self.check_corrections(person.corrections, person, f.path)
        return person

    def native_name(self, node: Node, path: str
                    ) -> tuple[str | None, tuple[tuple[str, str], ...]] | None:
        """`郭宇飞`, or one form per script: `{zh_Hans: 郭宇飞, zh_Hant: 郭宇飛}`."""
        if isinstance(node, Scalar):
            return self.heading(self.fixed)(node, path), ()
        forms = self.script_forms(node, path, self.heading(self.fixed))
        return (forms[0][1], forms) if forms else None

    def script_forms(self, node: Node, path: str, convert: Callable[[Node, str], str | None]
                     ) -> tuple[tuple[str, str], ...]:
        """`{zh_Hans: ..., zh_Hant: ...}`: one form per script, in the order given."""
        f = self.fields(node, path)
        if f is None:
            return ()
        forms: list[tuple[str, str]] = []
        for key in list(f.items):
            key_node = f.items[key][0]
            form = f.take(key, convert)
            parsed = None if locale_problem(key) else Locale.parse(key)
            if parsed is None or not parsed.script or parsed.territory:
                self.error(f"{key!r} is not a script such as zh_Hans or zh_Hant",
                           key_node.location, f.child(key))
            elif form is not None:
                forms.append((f"{parsed.language}_{parsed.script}", form))
        if not forms and isinstance(node, Mapping) and not node.items:
            self.error("give at least one form", node.location, path)
        return tuple(forms)

    def born(self, node: Node, path: str) -> Born | None:
        f = self.fields(node, path)
        if f is None:
            return None
        year = f.take("year", self.integer, required=True)
        estimated = f.take("estimated", self.boolean)
        f.finish(("year", "estimated"))
        return Born(year, bool(estimated)) if year is not None else None

    def link(self, node: Node, path: str) -> Link | None:
        f = self.fields(node, path)
        if f is None:
            return None
        kind = f.take("kind", self.choice(LINK_KINDS), required=True)
        url = f.take("url", self.url)
        label = f.take("label", self.fact(self.text))
        f.finish(("kind", "url", "label"))
        if kind == "other" and label is None:
            self.error("a link of kind 'other' needs a label", node.location, path)
        return Link(kind, url, label) if kind else None

    def education(self, node: Node, path: str) -> Education | None:
        f = self.fields(node, path)
        if f is None:
            return None
        degree = f.take("degree", self.choice(DEGREES), required=True)
        institution = f.take("institution", self.fact(self.text), required=True)
        field = f.take("field", self.fact(self.text))
        advisor = f.take("advisor", self.fact(self.fixed))
        start, end = self.period(f, node)
        note = f.take("note", self.fact(self.text))
        f.finish(("degree", "institution", "field", "advisor", "start", "end", "note"))
        if degree is None or institution is None:
            return None
        return Education(degree, institution, field, advisor, start, end, note)

    def experience(self, node: Node, path: str) -> Experience | None:
        f = self.fields(node, path)
        if f is None:
            return None
        organization = f.take("organization", self.fact(self.text), required=True)
        role = f.take("role", self.fact(self.text))
        start, end = self.period(f, node)
        note = f.take("note", self.fact(self.text))
        f.finish(("organization", "role", "start", "end", "note"))
        if organization is None:
            return None
        return Experience(organization, role, start, end, note)

    def work(self, node: Node, path: str) -> Work | None:
        f = self.fields(node, path)
        if f is None:
            return None
        title = f.take("title", self.fact(self.fixed), required=True)
        year = f.take("year", self.integer)
        venue = f.take("venue", self.fact(self.fixed))
        note = f.take("note", self.fact(self.text))
        f.finish(("title", "year", "venue", "note"))
        return Work(title, year, venue, note) if title else None

    def metrics(self, node: Node, path: str) -> Metrics | None:
        f = self.fields(node, path)
        if f is None:
            return None
        values = {key: f.take(key, self.integer)
                  for key in ("citations", "papers", "first_author_papers")}
        f.finish(tuple(values))
        return Metrics(**values)
