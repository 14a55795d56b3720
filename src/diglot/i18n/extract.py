"""Message extraction: the Babel extractor for data files, template strings, and .pot writing."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import jinja2
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir

from diglot import data as data_module
from diglot.errors import Location, TemplateError
from diglot.model import Correction, ReportData
from diglot.themefile import Theme
from diglot.themeregistry import builtin_name

JINJA_OPTIONS = {"extensions": "jinja2.ext.do", "trimmed": "true", "silent": "false"}
DATA_PATH_TAG = "data:"
SLIP_TAG = "slip in the source:"


def extract_data(
    fileobj: IO[bytes], keywords: Sequence[str], comment_tags: Sequence[str],
    options: dict[str, Any],
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel extractor (`babel.extractors` entry point `diglot_data`) for diglot data files.

    Every free-text field becomes a message; its data path is the translator comment.
    """
    name = getattr(fileobj, "name", "<data>")
    report = data_module.loads(fileobj.read(), name)
    slips = report.slips_in()
    for text in report.texts():
        yield (text.location.line or 0, None, text.value,
               [f"{DATA_PATH_TAG} {text.location.path}", *_slip_comments(slips, text.value)])


def _slip_comments(slips: dict[str, list[Correction]], value: str) -> list[str]:
    """Translator comments for the slips a text keeps verbatim (the data's `corrections`)."""
    return [f"{SLIP_TAG} “{c.source}” reads “{c.reading}”" for c in slips.get(value, ())]


def content_catalog(report: ReportData, data_ref: str) -> Catalog:
    """The `content` template: every free-text value of the data, in file order."""
    catalog = _new_catalog("content")
    slips = report.slips_in()
    for text in report.texts():
        catalog.add(
            text.value,
            locations=[(data_ref, text.location.line or 0)],
            auto_comments=[f"{DATA_PATH_TAG} {text.location.path}",
                           *_slip_comments(slips, text.value)],
        )
    return catalog


def messages_catalog(themes: Sequence[Theme], root: Path) -> Catalog:
    """The `messages` template: every translatable string of the theme templates.

    References are relative to the project for theme files inside it, and name the theme for
    the others (`diglot:default/macros.html:16` for a built-in theme), never a machine's path.
    """
    catalog = _new_catalog("messages")
    current = [""]  # the file being read, for an error message

    def note(filename: str, _method: str, _options: dict[str, Any]) -> None:
        current[0] = filename

    for theme in themes:
        current[0] = ""
        found = extract_from_dir(
            theme.folder,
            method_map=[("**.html", "jinja2"), ("**.css", "ignore")],
            options_map={"**.html": JINJA_OPTIONS},
            comment_tags=("TRANSLATORS:",),
            strip_comment_tags=True,
            callback=note,
        )
        try:
            for filename, lineno, message, comments, context in found:
                ref = template_ref(theme, theme.folder / filename, root)
                catalog.add(message, locations=[(ref, lineno)], auto_comments=comments,
                            context=context)
        except jinja2.TemplateSyntaxError as exc:
            where = theme.folder / current[0]
            raise TemplateError(f"template syntax error (theme {theme.name!r}): {exc.message}; "
                                "every .html file of a theme is read as a template",
                                Location(where, exc.lineno)) from None
    return catalog


def template_ref(theme: Theme, path: Path, root: Path) -> str:
    """How a catalog cites a template file of `theme`."""
    resolved, root = path.resolve(), root.resolve()
    if resolved.is_relative_to(root):
        return resolved.relative_to(root).as_posix()
    inside = path.relative_to(theme.folder).as_posix()
    name = builtin_name(theme.folder)
    return f"diglot:{name}/{inside}" if name else f"theme:{theme.name}/{inside}"


def _new_catalog(domain: str) -> Catalog:
    return Catalog(
        domain=domain, project="diglot report", version="1",
        header_comment=f"# Template for the {domain} domain of a diglot report.\n#",
        charset="utf-8", fuzzy=False,
    )
