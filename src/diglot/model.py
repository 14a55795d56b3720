"""Typed records of a report's data; no I/O."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field, fields, is_dataclass

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
class Person:
    id: str
    name: str
    native_name: str | None = None
    headline: Text | None = None
    born: Born | None = None
    links: tuple[Link, ...] = ()
    education: tuple[Education, ...] = ()
    experience: tuple[Experience, ...] = ()
    works: tuple[Work, ...] = ()
    honors: tuple[Text, ...] = ()
    metrics: Metrics | None = None
    commentary: tuple[Text, ...] = ()


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


@dataclass(frozen=True)
class ReportData:
    """One data file: the report and its people."""

    report: Report
    people: tuple[Person, ...]
    source: str = ""

    def texts(self) -> Iterator[Text]:
        """Every free-text value, in file order (the order translators see)."""
        yield from _walk_texts(self.report)
        for person in self.people:
            yield from _walk_texts(person)


def _walk_texts(value: object) -> Iterator[Text]:
    if isinstance(value, Text):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from _walk_texts(item)
    elif is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            yield from _walk_texts(getattr(value, f.name))
