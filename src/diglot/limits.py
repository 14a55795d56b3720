"""What one data file may hold, and the warning for a report that will be slow to build."""

from __future__ import annotations

from pathlib import Path

from diglot.errors import BuildWarning, Location
from diglot.model import ReportData

MAX_BYTES = 20 * 1024 * 1024  # the data file
MAX_DEPTH = 48  # nested lists and mappings, block and flow together; the format needs 6
MAX_NODES = 500_000  # values, lists and mappings in one file (the default report has 630)
MAX_TEXT_CHARS = 20_000  # one free-text value (the default report's longest is 275)
# The report's title and a person's names: each page's running header repeats them, so the PDF's
# cost grows with their length times the pages (2,000 characters: 15 s more for two pages).
MAX_HEADING_CHARS = 300
# A value in a person's table of facts (education, experience, works, honors, link labels):
# a table cell's layout grows faster than its text, in CJK most (one cell of 5,000 Han
# characters: 28 s; of 20,000: minutes; fifteen of 500: 2 s). The default report's longest is 70.
MAX_FACT_CHARS = 500
MAX_INLINE_ELEMENTS = 200  # bold, italic, code and link spans in one text
MAX_DIGITS = 15  # a whole number (citations, papers, years)
MIN_YEAR, MAX_YEAR = 1, 9999

# Above these a build still works but takes minutes: warn, do not refuse.
WARN_PEOPLE = 300
WARN_TEXT_CHARS = 2_000_000
# Measured on the default theme: about 0.19 s per PDF page, about 0.75 pages per person;
# a page holds some 1,500 characters of running text.
SECONDS_PER_PAGE = 0.19
PAGES_PER_PERSON = 0.75
CHARS_PER_PAGE = 1_500
SECONDS_PER_DOCX = 1.4  # with its contents' page numbers from LibreOffice
# From this estimate of a PDF's pages, it is laid out in chunks at once (`chunks = "auto"`):
# below it the second or two that processes cost to start outweighs the gain.
CHUNK_ABOVE_PAGES = 100
# At most this many estimated pages a chunk: a process laying out 152 pages of the default
# theme in Chinese peaks near 602 MB (1000 people in 5 runs of people), 190 pages near
# 703 MB, 400 pages near 1.1 GB.
PAGES_PER_CHUNK = 200
# Above this estimate of one process's time, a build writes in a pool of processes.
PARALLEL_ABOVE_SECONDS = 6.0


def estimated_pages(data: ReportData) -> int:
    """A rough page count of one PDF of the report on the default theme."""
    chars = sum(len(t.value) for t in data.texts())
    return round(len(data.people) * PAGES_PER_PERSON + chars / CHARS_PER_PAGE)


def size_warnings(data: ReportData) -> list[BuildWarning]:
    """One warning when the report is large enough that the PDF takes minutes to build."""
    chars = sum(len(t.value) for t in data.texts())
    if len(data.people) <= WARN_PEOPLE and chars <= WARN_TEXT_CHARS:
        return []
    pages = estimated_pages(data)
    minutes = pages * SECONDS_PER_PAGE / 60
    return [BuildWarning(
        "size",
        f"a large report ({len(data.people)} people, {chars} characters of text): each PDF "
        f"may take about {max(1, round(minutes))} minute(s) to build (an estimate: about "
        f"{pages} pages at about {SECONDS_PER_PAGE} s a page)",
        # A Path, so that the message shows it relative to the current folder like the others.
        Location(Path(data.source) if data.source else None),
    )]
