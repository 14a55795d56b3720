""".po and .pot files written the way GNU gettext writes them, and read back whole.

Babel's writer wraps the previous msgid (`#| msgid "..."`) like a comment, in the middle of its
quoted string, which GNU `msgfmt` rejects; and Babel's reader keeps `#|` lines as translator
comments, so the previous msgid would be lost on the next update. Here Babel writes every entry
without it, the previous msgid is added as `msgmerge` writes it, and it is restored on reading.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import normalize, unescape, write_po

from diglot.atomic import write_atomic

# Header fields whose change alone is no reason to rewrite a file.
VOLATILE_HEADERS = (b'"POT-Creation-Date:', b'"PO-Revision-Date:', b'"Generated-By:')
_PREVIOUS_KEYWORD = re.compile(r'^\|\s*(msgctxt|msgid_plural|msgid)\s+(".*")$')
_PREVIOUS_CONTINUATION = re.compile(r'^\|\s*(".*")$')


def render_po(catalog: Catalog, include_previous: bool = True,
              ignore_obsolete: bool = False) -> bytes:
    """The file for `catalog`: strings unwrapped, previous msgids as GNU tools write them."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, include_previous=False, ignore_obsolete=ignore_obsolete)
    text = buffer.getvalue().decode(catalog.charset or "utf-8")
    if not include_previous or not any(m.previous_id for m in catalog if m.id):
        return text.encode(catalog.charset or "utf-8")
    # Babel writes one block per entry, separated by an empty line, in catalog order (the
    # header first); no line inside an entry is empty.
    blocks = text.split("\n\n")
    entries = list(catalog)
    for index, message in enumerate(entries):
        if message.id and message.previous_id:
            blocks[index] = _with_previous(blocks[index], message)
    return "\n\n".join(blocks).encode(catalog.charset or "utf-8")


def _with_previous(block: str, message: Message) -> str:
    lines = block.split("\n")
    first_id = f"msgid {normalize(_singular(message.id), width=0)}".split("\n")[0]
    at = next((i for i, line in enumerate(lines) if line.startswith(("msgctxt ", "msgid "))),
              None)
    if at is None or first_id not in lines[at:at + 2]:
        raise RuntimeError(f"unexpected .po layout near {first_id!r}")
    previous = [f"#| msgid {normalize(message.previous_id[0], prefix='#| ', width=0)}"]
    if len(message.previous_id) > 1:
        previous.append(
            f"#| msgid_plural {normalize(message.previous_id[1], prefix='#| ', width=0)}")
    return "\n".join([*lines[:at], *previous, *lines[at:]])


def _singular(msgid: str | tuple[str, ...] | list[str]) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


def restore_previous(catalog: Catalog) -> None:
    """Turn the `#|` lines that Babel's reader leaves among the translator comments back into
    each entry's previous msgid."""
    for message in catalog:
        if not message.id or not any(c.startswith("|") for c in message.user_comments):
            continue
        parts: dict[str, list[str]] = {}
        current: list[str] | None = None
        kept = []
        for comment in message.user_comments:
            keyword = _PREVIOUS_KEYWORD.match(comment)
            continuation = _PREVIOUS_CONTINUATION.match(comment)
            if keyword:
                current = parts.setdefault(keyword.group(1), [])
                current.append(unescape(keyword.group(2)))
            elif continuation and current is not None:
                current.append(unescape(continuation.group(1)))
            else:
                current = None
                kept.append(comment)
        message.user_comments = kept
        if "msgid" in parts:
            message.previous_id = ["".join(parts["msgid"])]
            if "msgid_plural" in parts:
                message.previous_id.append("".join(parts["msgid_plural"]))


def comparable(payload: bytes) -> bytes:
    """A catalog's bytes without the header fields that change on every write."""
    return b"\n".join(line for line in payload.splitlines()
                      if not line.startswith(VOLATILE_HEADERS))


def write_catalog(catalog: Catalog, path: Path, **options: Any) -> bool:
    """Write a .pot or .po unless only its dates or generator would change; True when written.

    `options` go to `render_po` (`include_previous`, `ignore_obsolete`). The file's permission
    bits are kept.
    """
    payload = render_po(catalog, **options)
    if path.exists() and comparable(path.read_bytes()) == comparable(payload):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, payload)
    return True
