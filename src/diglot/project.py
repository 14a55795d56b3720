"""The translation project: the data and theme as the translation commands see them, fresh
catalog templates, the locales that have catalogs, and their status."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog

from diglot import data as data_module
from diglot.config import Config
from diglot.i18n import workflow
from diglot.i18n.status import DomainStatus, domain_status
from diglot.model import ReportData
from diglot.themes import ThemeChain


def catalog_dirs(config: Config, theme: ThemeChain, domain: str) -> tuple[Path, ...]:
    """Where a domain's catalogs are looked up: the project's, then (for `messages`) the
    themes', nearest first."""
    if domain == "messages":
        return (config.locale_dir, *theme.catalog_dirs)
    return (config.locale_dir,)


def relative_ref(path: Path, root: Path) -> str:
    """A path as catalogs cite it: relative to the project when it is inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


@dataclass
class Project:
    """What the translation commands work on: the data, the theme and fresh templates."""

    data: ReportData
    theme: ThemeChain
    templates: dict[str, Catalog]
    theme_templates: dict[Path, Catalog]  # themes inside the project with their own catalogs


def load_project(config: Config, data: ReportData | None = None,
                 theme: ThemeChain | None = None) -> Project:
    """The project's data, theme and fresh templates (data and theme reused when given)."""
    data = data or data_module.load(config.data)
    theme = theme or ThemeChain.build(config.theme, config.reference_docx, config.root)
    templates = workflow.fresh_templates(data, theme, config.root,
                                         relative_ref(config.data, config.root))
    return Project(data, theme, templates, workflow.theme_templates(theme, config.root))


def known_locales(config: Config, project: Project) -> list[str]:
    """Configured locales and every locale with a catalog, less those that need none."""
    found = sorted({p.parent.parent.name for p in config.locale_dir.glob("*/LC_MESSAGES/*.po")})
    locales = dict.fromkeys([*config.locales, *found])
    return [loc for loc in locales if workflow.domains_for(loc, project.data)]


def catalog_status(config: Config, project: Project, locales: list[str] | None = None
                   ) -> list[DomainStatus]:
    """Translation progress per locale and domain, against what the data and theme hold now."""
    rows = []
    for locale in locales if locales is not None else known_locales(config, project):
        for domain in workflow.domains_for(locale, project.data):
            dirs = catalog_dirs(config, project.theme, domain)
            rows.append(domain_status(dirs, locale, domain, project.templates[domain]))
    return rows
