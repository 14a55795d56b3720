"""Data file -> validated model; every error names FILE:LINE:COL, the data path and the value."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from babel import Locale

from diglot import limits, markup, yamltree
from diglot.boundedread import read_regular_file
from diglot.errors import DataError, DiglotError, Location, raise_collected
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
    PartialDate,
    Person,
    Report,
    ReportData,
    Source,
    Text,
    Work,
    walk_texts,
)
from diglot.yamltree import Mapping, Node, Scalar, Sequence

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
INTEGER = re.compile(r"^[0-9]+$")
_NULLS = ("", "~", "null", "Null", "NULL")

T = TypeVar("T")


def load(path: Path) -> ReportData:
    """Read, parse and validate one data file; raise every problem found at once."""
    return loads(read_regular_file(path, limits.MAX_BYTES, "data file"), path)


def loads(raw: bytes, file: Path | str = "<data>") -> ReportData:
    """Validate data given as bytes (the file name is used in messages)."""
    errors: list[DiglotError] = []
    root = yamltree.parse(yamltree.read_bytes(raw, file), file, errors)
    schema = _Schema(errors)
    data = schema.report_data(root)
    errors.sort(key=lambda e: (e.location.line or 0, e.location.column or 0))
    raise_collected(errors)
    assert data is not None
    return data


class _Fields:
    """The keys of one mapping, taken one by one; what is left over is unknown."""

    def __init__(self, node: Mapping, path: str, schema: _Schema) -> None:
        self.path = path
        self.node = node
        self.schema = schema
        self.items: dict[str, tuple[Scalar, Node]] = {}
        for key, value in node.items:
            self.items.setdefault(key.value, (key, value))

    def child(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def take(self, key: str, convert: Callable[[Node, str], T | None], required: bool = False
             ) -> T | None:
        entry = self.items.pop(key, None)
        if entry is None or _is_null(entry[1]):
            if required:
                self.schema.error(f"missing required field {key!r}", self.node.location,
                                  self.child(key))
            return None
        return convert(entry[1], self.child(key))

    def finish(self, allowed: tuple[str, ...]) -> None:
        for key, (key_node, _) in self.items.items():
            self.schema.error(
                f"unknown key {key!r} (expected one of: {', '.join(allowed)})",
                key_node.location, self.child(key),
            )


def _shorten(value: str, width: int = 40) -> str:
    """A value quoted for a message, cut short when it is long."""
    return repr(value) if len(value) <= width else f"{value[:width]!r}... ({len(value)} characters)"


def _is_null(node: Node) -> bool:
    return isinstance(node, Scalar) and node.plain and node.value in _NULLS


class _Schema:
    """Converters for each record of the data format; errors are collected, not raised."""

    def __init__(self, errors: list[DiglotError]) -> None:
        self.errors = errors
        self.person_ids: dict[str, Location] = {}
        self.places: dict[str, Location] = {}

    def error(self, message: str, location: Location, path: str) -> None:
        self.errors.append(DataError(message, location.with_path(path)))

    # -- scalars -----------------------------------------------------------------------------

    def scalar(self, node: Node, path: str, what: str) -> Scalar | None:
        if isinstance(node, Scalar):
            self.places.setdefault(path, node.location)
            return node
        self.error(f"expected {what}, got {yamltree.describe(node)}", node.location, path)
        return None

    def text(self, node: Node, path: str) -> Text | None:
        scalar = self.scalar(node, path, "text")
        if scalar is None:
            return None
        value = scalar.value.strip()
        if not value:
            self.error("text is empty", node.location, path)
            return None
        if len(value) > limits.MAX_TEXT_CHARS:
            self.error(f"text is {len(value)} characters long; the limit is "
                       f"{limits.MAX_TEXT_CHARS} (split it into paragraphs)", node.location, path)
            return None
        if yamltree.FORBIDDEN.search(value):  # the parser has reported it, with its offset
            return None
        inline = markup.inspect(value)
        if inline.elements > limits.MAX_INLINE_ELEMENTS:
            self.error(f"text has {inline.elements} inline Markdown elements (bold, italic, "
                       f"code, links); the limit is {limits.MAX_INLINE_ELEMENTS}",
                       node.location, path)
        for target in inline.links:
            if not markup.is_safe_url(target):
                self.error(f"link {target!r} in text: only http, https and mailto links are "
                           "allowed", node.location, path)
        for reference, code in inline.references:
            if code > 0x10FFFF or yamltree.FORBIDDEN.match(chr(code)):
                self.error(f"character reference {reference} names U+{code:04X}, a control or "
                           "non-character, which is not allowed in text", node.location, path)
                return None
        bad = yamltree.FORBIDDEN.search(inline.html)
        if bad:
            self.error(f"control or non-character U+{ord(bad.group()):04X} is not allowed in "
                       "text (written as a character reference such as &#12;)",
                       node.location, path)
            return None
        return Text(value, node.location.with_path(path))

    def bounded(self, convert: Callable[[Node, str], T | None], limit: int, why: str
                ) -> Callable[[Node, str], T | None]:
        """`convert`, for a value that costs the PDF more than its length: at most `limit`."""
        def convert_bounded(node: Node, path: str) -> T | None:
            value = convert(node, path)
            length = len(str(value)) if value is not None else 0
            if length > limit:
                self.error(f"{path.rsplit('.', 1)[-1]} is {length} characters long; the limit "
                           f"is {limit} ({why})", node.location, path)
                return None
            return value
        return convert_bounded

    def heading(self, convert: Callable[[Node, str], T | None]) -> Callable[[Node, str], T | None]:
        return self.bounded(convert, limits.MAX_HEADING_CHARS, "each page's header repeats it")

    def fact(self, convert: Callable[[Node, str], T | None]) -> Callable[[Node, str], T | None]:
        return self.bounded(convert, limits.MAX_FACT_CHARS, "it is a cell of the facts table")

    def fixed(self, node: Node, path: str) -> str | None:
        text = self.text(node, path)
        return text.value if text else None

    def slug(self, node: Node, path: str) -> str | None:
        value = self.fixed(node, path)
        if value is not None and not SLUG.match(value):
            self.error(f"{value!r} is not a slug (lowercase letters, digits and single hyphens)",
                       node.location, path)
            return None
        return value

    def integer(self, node: Node, path: str) -> int | None:
        scalar = self.scalar(node, path, "a whole number")
        if scalar is None:
            return None
        if not scalar.plain or not INTEGER.match(scalar.value):
            self.error(f"expected a whole number, got {_shorten(scalar.value)}",
                       node.location, path)
            return None
        if len(scalar.value) > limits.MAX_DIGITS:
            self.error(f"number has {len(scalar.value)} digits; the limit is "
                       f"{limits.MAX_DIGITS}", node.location, path)
            return None
        return int(scalar.value)

    def boolean(self, node: Node, path: str) -> bool | None:
        scalar = self.scalar(node, path, "true or false")
        if scalar is None:
            return None
        if scalar.plain and scalar.value in ("true", "false"):
            return scalar.value == "true"
        self.error(f"expected true or false, got {scalar.value!r}", node.location, path)
        return None

    def date(self, node: Node, path: str) -> PartialDate | None:
        scalar = self.scalar(node, path, "a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        if scalar is None:
            return None
        match = DATE.match(scalar.value.strip())
        if not match:
            self.error(f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got "
                       f"{_shorten(scalar.value)}", node.location, path)
            return None
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        if not limits.MIN_YEAR <= year <= limits.MAX_YEAR:
            self.error(f"year {year:04d} in {scalar.value!r} is out of range (years run from "
                       f"{limits.MIN_YEAR:04d} to {limits.MAX_YEAR})", node.location, path)
            return None
        if month is not None and not 1 <= month <= 12:
            self.error(f"invalid month in {scalar.value!r}", node.location, path)
            return None
        if (day is not None and month is not None
                and not 1 <= day <= calendar.monthrange(year, month)[1]):
            self.error(f"invalid day in {scalar.value!r}", node.location, path)
            return None
        return PartialDate(year, month, day)

    def url(self, node: Node, path: str) -> str | None:
        value = self.fixed(node, path)
        if value is not None and not markup.is_safe_url(value):
            self.error(f"{value!r}: only http, https and mailto links are allowed",
                       node.location, path)
            return None
        return value

    def locale(self, node: Node, path: str) -> str | None:
        value = self.fixed(node, path)
        if value is None:
            return None
        problem = locale_problem(value)
        if problem:
            self.error(problem, node.location, path)
            return None
        return value

    def choice(self, choices: tuple[str, ...]) -> Callable[[Node, str], str | None]:
        def convert(node: Node, path: str) -> str | None:
            value = self.fixed(node, path)
            if value is not None and value not in choices:
                self.error(f"{value!r} is not one of: {', '.join(choices)}", node.location, path)
                return None
            return value
        return convert

    # -- containers --------------------------------------------------------------------------

    def fields(self, node: Node, path: str) -> _Fields | None:
        if isinstance(node, Mapping):
            return _Fields(node, path, self)
        self.error(f"expected a mapping, got {yamltree.describe(node)}", node.location, path)
        return None

    def items(self, convert: Callable[[Node, str], T | None]
              ) -> Callable[[Node, str], tuple[T, ...]]:
        def convert_list(node: Node, path: str) -> tuple[T, ...]:
            if not isinstance(node, Sequence):
                self.error(f"expected a list, got {yamltree.describe(node)}", node.location, path)
                return ()
            out = (convert(item, f"{path}[{i}]") for i, item in enumerate(node.items))
            return tuple(v for v in out if v is not None)
        return convert_list

    def period(self, f: _Fields, node: Node) -> tuple[PartialDate | None, PartialDate | None]:
        start, end = f.take("start", self.date), f.take("end", self.date)
        if start and end and end.to_date() < start.to_date():
            self.error(f"end {end} is before start {start}", node.location, f.path)
        return start, end

    # -- records -----------------------------------------------------------------------------

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
