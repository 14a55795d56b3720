"""Translation checks on their own: the placeholders of a message, and what a template's
translation may carry."""

from __future__ import annotations

import pytest

from diglot.i18n.checks import entry_problems, placeholders


def test_placeholder_names() -> None:
    assert placeholders("%(a)s and {b} and %(c)d") == {"a", "b", "c"}


@pytest.mark.parametrize(("translation", "problems"), [
    ("seit %(datum)s", ["placeholders"]),  # a misspelt name is that, not a stray %
    ("seit 100% %(date)s", ["a % that"]),
    ("seit 100%% %(date)s", []),
    ("<b>seit</b> %(date)s", ["markup"]),
    ("seit &amp; %(date)s", ["markup"]),
])
def test_template_translations_format_and_carry_no_markup(translation: str,
                                                          problems: list[str]) -> None:
    found = entry_problems("since %(date)s", translation, "messages")
    assert len(found) == len(problems), found
    assert all(f.startswith(p) for f, p in zip(found, problems, strict=True)), found
