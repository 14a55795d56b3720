"""One small declarative check for settings tables (`diglot.toml` or `[tool.diglot]`, and
`theme.toml`): which keys a table may hold and what kind of value each takes, every problem
located at its key's line and reported together."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from diglot.errors import ConfigError, DiglotError, key_location

KINDS = {
    "path": ((str,), "a path"),
    "string": ((str,), "a string"),
    "strings": ((str, list), "a string or a list of strings"),
    "bool": ((bool,), "true or false"),
    "table": ((dict,), "a table"),
    "any": ((object,), "a value"),
}


@dataclass(frozen=True)
class Key:
    """One key of a settings table and the kind of value it takes (see KINDS)."""

    name: str
    kind: str = "any"


def check(table: Mapping[str, Any], keys: Sequence[Key], source: Path, section: str
          ) -> tuple[list[DiglotError], dict[str, Any]]:
    """Unknown keys and values of the wrong kind in `table`, each at its line in `source`;
    and the table without them, so that nothing is reported twice."""
    known = {key.name: key for key in keys}
    errors: list[DiglotError] = []
    good: dict[str, Any] = {}
    for name, value in table.items():
        key = known.get(name)
        if key is None:
            errors.append(ConfigError(f"unknown setting {name!r} in {section} (known: "
                                      f"{', '.join(known)})", key_location(source, name)))
            continue
        types, described = KINDS[key.kind]
        wrong = not isinstance(value, types) or (isinstance(value, bool) and bool not in types)
        if key.kind == "strings" and isinstance(value, list):
            wrong = not all(isinstance(item, str) for item in value)
        if wrong:
            errors.append(ConfigError(f"{name} in {section} must be {described}, got "
                                      f"{value!r}", key_location(source, name)))
        else:
            good[name] = value
    return errors, good
