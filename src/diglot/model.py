"""Typed records of a report's data; no I/O."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field, fields, is_dataclass, replace
from functools import cached_property

from diglot.errors import Location

DEGREES = ("bachelor", "master", "phd", "postdoc")
LINK_KINDS = ("google_scholar", "homepage", "github", "linkedin", "twitter", "thesis", "other")


@dataclass(frozen=True)
class Text:
    """A free-text value in the source language, with where it came from."""

    value: str
    location: Location = field(default_factory=Location, compare=False)

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    def to_date(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def __str__(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
        if self.day is not None:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)


@dataclass(frozen=True)
class Link:
    kind: str
    url: str | None = None
    label: Text | None = None


@dataclass(frozen=True)
class Education:
    degree: str
    institution: Text
    field: Text | None = None
    advisor: str | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    note: Text | None = None


@dataclass(frozen=True)
class Experience:
    organization: Text
    role: Text | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    note: Text | None = None


@dataclass(frozen=True)
class Work:
    title: str
    year: int | None = None
    venue: str | None = None
    note: Text | None = None


@dataclass(frozen=True)
class Born:
    year: int
    estimated: bool = False


@dataclass(frozen=True)
class Metrics:
    citations: int | None = None
    papers: int | None = None
    first_author_papers: int | None = None


@dataclass(frozen=True)
class Correction:
    """A slip in the source, kept verbatim in the text, and how the report reads it."""

    source: str  # what the source says, exactly as the text quotes it (fixed)
    reading: str  # what it means (fixed)
    note: Text | None = None
    location: Location = field(default_factory=Location, compare=False)
    # The same two in other scripts, as a converted edition shows them: ((zh_Hant, ...), ...).
    source_forms: tuple[tuple[str, str], ...] = ()
    reading_forms: tuple[tuple[str, str], ...] = ()
    converted: bool = False  # `source` is another script's form, not the data's own text

    def in_script(self, *scripts: str | None) -> Correction:
        """The correction as an edition in the first of `scripts` that has a form shows it."""
        source = _form_in(self.source_forms, scripts)
        reading = _form_in(self.reading_forms, scripts)
        if source is None and reading is None:
            return self
        own = self.source_forms[0][0] if self.source_forms else None
        return replace(self, source=source[1] if source else self.source,
                       reading=reading[1] if reading else self.reading,
                       converted=source is not None and source[0] != own)


def _form_in(forms: tuple[tuple[str, str], ...], scripts: tuple[str | None, ...]
             ) -> tuple[str, str] | None:
    """(script key, form) for the first of `scripts` that `forms` has."""
    by_script = {key.rsplit("_", 1)[-1]: (key, form) for key, form in forms}
    return next((by_script[s] for s in scripts if s in by_script), None)


@dataclass(frozen=True)
class Source:
    """Where the report's words come from; every field only as far as it is known."""

    title: Text | None = None
    author: Text | None = None
    url: str | None = None
    date: PartialDate | None = None
    note: Text | None = None


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    native_name: str | None = None  # in the source's script; see native_names for others
    headline: Text | None = None
    born: Born | None = None
    links: tuple[Link, ...] = ()
    education: tuple[Education, ...] = ()
    experience: tuple[Experience, ...] = ()
    works: tuple[Work, ...] = ()
    honors: tuple[Text, ...] = ()
    metrics: Metrics | None = None
    commentary: tuple[Text, ...] = ()
    corrections: tuple[Correction, ...] = ()
    # The native name per script, ("zh_Hans", "郭宇飞"), ("zh_Hant", "郭宇飛"); may be empty.
    native_names: tuple[tuple[str, str], ...] = ()

    def native_name_in(self, *scripts: str | None) -> str | None:
        """The native name in the first of `scripts` (Hans, Hant, ...) that has a form, else
        `native_name`."""
        forms = {key.rsplit("_", 1)[-1]: form for key, form in self.native_names}
        return next((forms[s] for s in scripts if s in forms), self.native_name)


@dataclass(frozen=True)
class Conclusion:
    intro: Text | None = None
    points: tuple[Text, ...] = ()
    closing: Text | None = None


@dataclass(frozen=True)
class Report:
    id: str
    source_locale: str
    title: Text
    subtitle: Text | None = None
    author: str | None = None
    date: PartialDate | None = None
    preface: tuple[Text, ...] = ()
    conclusion: Conclusion | None = None
    source: Source | None = None
    corrections: tuple[Correction, ...] = ()


@dataclass(frozen=True)
class ReportData:
    """One data file: the report and its people."""

    report: Report
    people: tuple[Person, ...]
    source: str = ""
    # Where each value was written, by data path ("people[ada-lin].name"), for messages about
    # values the model keeps as plain strings.
    places: dict[str, Location] = field(default_factory=dict, compare=False, repr=False)

    def texts(self) -> tuple[Text, ...]:
        """Every free-text value, in file order (the order translators see)."""
        return self._texts

    @cached_property  # a build asks several times (size, colophon, catalogs): walk once
    def _texts(self) -> tuple[Text, ...]:
        return tuple(text for owner in (self.report, *self.people)
                     for text in sorted(walk_texts(owner), key=lambda t: t.location.line or 0))

    def slips_in(self) -> dict[str, list[Correction]]:
        """For each free-text value, the corrections whose slip it quotes verbatim."""
        found: dict[str, list[Correction]] = {}
        for owner in (self.report, *self.people):
            for text in walk_texts(owner):
                for correction in owner.corrections:
                    if correction.source in text.value:
                        found.setdefault(text.value, []).append(correction)
        return found


def walk_texts(value: object) -> Iterator[Text]:
    if isinstance(value, Text):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from walk_texts(item)
    elif is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            yield from walk_texts(getattr(value, f.name))
