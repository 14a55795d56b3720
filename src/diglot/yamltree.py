"""Safe YAML reading into a tree of nodes that remember their line and column."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml import events as ev
from yaml.error import MarkedYAMLError, YAMLError
from yaml.reader import ReaderError

from diglot.errors import DataError, DiglotError, Location, raise_collected
from diglot.limits import MAX_DEPTH, MAX_NODES

# libyaml's parser, some twenty times faster than a pure-Python one on a report of 1000 people.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# C0/C1 controls except tab and newline, lone surrogates, and the Unicode noncharacters.
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    "\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0010fffe\U0010ffff]"
)


@dataclass
class Node:
    location: Location


@dataclass
class Scalar(Node):
    value: str
    plain: bool = True  # unquoted: YAML 1.1 would have coerced it (yes, 3.10, 1:20)


@dataclass
class Mapping(Node):
    items: list[tuple[Scalar, Node]] = field(default_factory=list)


@dataclass
class Sequence(Node):
    items: list[Node] = field(default_factory=list)


def describe(node: Node) -> str:
    """A short name of the node's kind for error messages."""
    if isinstance(node, Mapping):
        return "a mapping"
    if isinstance(node, Sequence):
        return "a list"
    return "a value"


def read_bytes(raw: bytes, file: Path | str) -> str:
    """Decode UTF-8 (a BOM is accepted); invalid bytes are an error with their offset.

    The offset counts bytes from the start of the file, BOM included; the line and column
    count characters, as the parser's own messages do.
    """
    bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
    body = raw[len(bom):]
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        line_start = body.rfind(b"\n", 0, exc.start) + 1
        column = len(body[line_start:exc.start].decode("utf-8")) + 1  # valid up to the error
        raise DataError(
            f"invalid UTF-8 at byte offset {len(bom) + exc.start} (byte 0x{body[exc.start]:02x})",
            Location(file, line, column),
        ) from None


def parse(text: str, file: Path | str, errors: list[DiglotError] | None = None) -> Node:
    """Parse one YAML document into nodes; reject aliases, tags and duplicate keys.

    Problems that still leave a usable tree (duplicate keys, control characters, anchors) are
    appended to `errors` when it is given, so the caller can report them with its own;
    otherwise they are raised. Nesting deeper than MAX_DEPTH stops the parse at the first
    node too deep: events are read one by one, so the parser never reads past that node.
    """
    try:
        builder = _build(text, file, _LOADER)
    except YAMLError:  # only from libyaml: the pure parser's become DataErrors
        # libyaml reads ahead: where a file nests too deeply it stops at a limit of its own,
        # far past the node the depth check names. The pure parser says where, slowly.
        builder = _build(text, file, yaml.SafeLoader)
    if errors is None:
        raise_collected(builder.errors)
    else:
        errors.extend(builder.errors)
    if builder.root is None:
        raise DataError("the file holds no YAML document", Location(file, 1, 1))
    return builder.root


def _build(text: str, file: Path | str, loader: type) -> _Builder:
    """The events of `loader`'s parse fed to a builder; YAML errors of the pure parser
    become DataErrors, libyaml's are raised as they are."""
    builder = _Builder(file)
    try:
        for event in yaml.parse(text, Loader=loader):
            builder.feed(event)
    except YAMLError as exc:
        if loader is not yaml.SafeLoader:
            raise
        raise _data_error(text, file, exc) from None
    return builder


def _data_error(text: str, file: Path | str, exc: YAMLError) -> DataError:
    if isinstance(exc, ReaderError):
        line, column = _line_col(text, exc.position)
        return DataError(f"character U+{exc.character:04X} is not allowed in YAML",
                         Location(file, line, column))
    if isinstance(exc, MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        return DataError(f"YAML syntax error: {message}",
                         Location(file, mark.line + 1, mark.column + 1) if mark
                         else Location(file))
    return DataError(f"YAML error: {exc}", Location(file))  # pragma: no cover


def _line_col(text: str, index: int) -> tuple[int, int]:
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


class _Builder:
    """Turns parser events into nodes; collects every problem it can keep going after."""

    def __init__(self, file: Path | str) -> None:
        self.file = file
        self.stack: list[Mapping | Sequence] = []
        self.pending_key: list[Scalar | None] = []
        self.root: Node | None = None
        self.documents = 0
        self.nodes = 0
        self.errors: list[DiglotError] = []

    def loc(self, event: ev.Event) -> Location:
        mark = event.start_mark
        return Location(self.file, mark.line + 1, mark.column + 1)

    def feed(self, event: ev.Event) -> None:
        if isinstance(event, ev.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise DataError("only one YAML document is allowed per file", self.loc(event))
            return
        if isinstance(event, ev.AliasEvent):
            raise DataError(
                f"YAML aliases are not allowed (*{event.anchor}); repeat the value instead",
                self.loc(event),
            )
        if isinstance(event, ev.NodeEvent) and event.anchor is not None:
            self.errors.append(
                DataError(f"YAML anchors are not allowed (&{event.anchor})", self.loc(event))
            )
        tag = getattr(event, "tag", None)
        if isinstance(event, ev.NodeEvent) and tag not in (None, "!"):
            raise DataError(
                f"YAML tags are not allowed ({tag}); quote the value instead", self.loc(event)
            )
        if isinstance(event, ev.ScalarEvent):
            value = event.value
            bad = FORBIDDEN.search(value)
            if bad:
                self.errors.append(
                    DataError(
                        f"control or non-character U+{ord(bad.group()):04X} is not allowed "
                        f"in text (offset {bad.start()} in {value[:40]!r})",
                        self.loc(event),
                    )
                )
            self.add(Scalar(self.loc(event), value, plain=not event.style))
        elif isinstance(event, ev.MappingStartEvent):
            self.open(Mapping(self.loc(event)))
        elif isinstance(event, ev.SequenceStartEvent):
            self.open(Sequence(self.loc(event)))
        elif isinstance(event, ev.MappingEndEvent | ev.SequenceEndEvent):
            node = self.stack.pop()
            self.pending_key.pop()
            self.add(node)

    def open(self, node: Mapping | Sequence) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise DataError(
                f"lists and mappings are nested more than {MAX_DEPTH} levels deep; the data "
                "format needs far fewer", node.location,
            )
        self.stack.append(node)
        self.pending_key.append(None)

    def add(self, node: Node) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise DataError(
                f"the file holds more than {MAX_NODES} values, lists and mappings", node.location
            )
        if not self.stack:
            self.root = node
            return
        parent = self.stack[-1]
        if isinstance(parent, Sequence):
            parent.items.append(node)
            return
        key = self.pending_key[-1]
        if key is None:
            if not isinstance(node, Scalar):
                raise DataError("mapping keys must be plain text", node.location)
            for seen, _ in parent.items:
                if seen.value == node.value:
                    self.errors.append(
                        DataError(
                            f"duplicate key {node.value!r} (first defined at line "
                            f"{seen.location.line})",
                            node.location,
                        )
                    )
            self.pending_key[-1] = node
        else:
            parent.items.append((key, node))
            self.pending_key[-1] = None
