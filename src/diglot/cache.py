"""The build cache: what each output was made from, recorded so that a build skips the unchanged."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from diglot.atomic import write_atomic
from diglot.config import CONFIG_FILES, Config
from diglot.document import RenderedDocument, WriteContext
from diglot.errors import BuildWarning, Location

RECORD = ".diglot-cache.json"
FORMAT = 1
# Distributions whose code turns a rendered document into bytes.
LIBRARIES = ("diglot", "weasyprint", "pydyf", "python-docx", "lxml", "fonttools", "pillow")
_PACKAGE = Path(__file__).resolve().parent


def sha256_file(path: Path) -> str | None:
    """The file's SHA-256, or None when it is not a regular file or cannot be read (a device
    reads without end, a FIFO blocks: the build itself says what is wrong with them)."""
    digest = hashlib.sha256()
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None
        with path.open("rb") as stream:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def _tree(folder: Path, skip: Path | None = None) -> dict[str, str | None]:
    """Every file under `folder` by absolute path with its digest (compiled catalogs, bytecode
    and the output folder aside: no build reads them)."""
    found: dict[str, str | None] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.rglob("*")):
        if skip is not None and path.is_relative_to(skip):
            continue
        if "__pycache__" in path.parts or path.suffix == ".pyc" or path.is_dir():
            continue
        if path.suffix == ".mo" and "locales" in path.relative_to(folder).parts:
            continue
        found[str(path)] = sha256_file(path)
    return found


def software() -> dict[str, str]:
    """What writes the outputs, as the cache keys hold it (see `_software`)."""
    return _software()


def _software() -> dict[str, str]:
    """The versions of diglot and of the writing libraries, a digest of diglot's own code (an
    editable install changes its code without changing its version), and which LibreOffice."""
    found = _versions(LIBRARIES)
    code = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        code.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
        code.update(path.read_bytes() + b"\0")
    found["diglot code"] = code.hexdigest()
    # The DOCX writer asks LibreOffice for the contents' page numbers, found as it finds it.
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is not None:
        with contextlib.suppress(OSError):
            binary = Path(office).resolve()
            info = binary.stat()
            found["libreoffice"] = f"{binary} {info.st_size} {info.st_mtime_ns}"
    return found


_DIST_INFO = re.compile(r"^(.+)-([^-]+)\.dist-info$")


def _versions(names: tuple[str, ...]) -> dict[str, str]:
    """Each installed distribution's version ("-" when not installed), read from the names of
    the `.dist-info` folders on the import path (`{name}-{version}.dist-info`, the first one
    found winning, as for imports), which is much faster than `importlib.metadata` and its
    imports; a name that is not found there is asked of `importlib.metadata`."""
    wanted = {_normalized(name): name for name in names}
    found: dict[str, str] = {}
    for entry in sys.path:
        with contextlib.suppress(OSError), os.scandir(entry or ".") as folder:
            for item in folder:
                match = _DIST_INFO.match(item.name)
                if match and (key := _normalized(match[1])) in wanted:
                    found.setdefault(wanted[key], match[2])
    missing = [name for name in names if name not in found]
    if missing:
        from importlib.metadata import PackageNotFoundError, version

        for name in missing:
            try:
                found[name] = version(name)
            except PackageNotFoundError:
                found[name] = "-"
    return {name: found[name] for name in names}


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=repr).encode()).hexdigest()


class Inputs:
    """Digests of the files a build reads, taken before the build reads them, and of the
    software that writes; memoised, so that every job's key reuses them."""

    def __init__(self, config: Config, epoch: int | None) -> None:
        self.config, self.epoch = config, epoch
        self.software = _software()
        self.files: dict[str, str | None] = {}
        for path in (*(config.root / name for name in CONFIG_FILES), config.data):
            self.files[str(path)] = sha256_file(path)
        self.files.update((p, d) for p, d in _tree(config.locale_dir, config.output).items()
                          if p.endswith(".po"))
        self.trees: dict[Path, dict[str, str | None]] = {}  # theme folders
        self.extra_files: list[Path] = []  # a reference document

    def add(self, folders: tuple[Path, ...], files: tuple[Path, ...] = ()) -> None:
        """Take in the theme folders and the reference document of the build."""
        for folder in folders:
            self.tree(folder)
        for path in files:
            if path not in self.extra_files:
                self.extra_files.append(path)
                self.files[str(path)] = sha256_file(path)

    def tree(self, folder: Path) -> dict[str, str | None]:
        if folder not in self.trees:
            self.trees[folder] = _tree(folder, self.config.output)
        return self.trees[folder]

    def build_key(self) -> str:
        """The key of the whole build: every input file, the settings, the epoch, the software."""
        c = self.config
        settings = [c.root, c.data, c.locales, c.formats, c.output, c.locale_dir, c.theme,
                    c.reference_docx, c.source, c.strict, c.pdf_standard,
                    sorted(c.typography.items()), c.parallel, c.parallel_from_flags,
                    c.parallel_layout, c.chunks]
        trees = {str(f): t for f, t in self.trees.items()}
        return _digest([FORMAT, settings, self.epoch, self.software, self.files, trees])

    def job_key(self, document: RenderedDocument, format_name: str, options: dict[str, Any],
                context: WriteContext) -> str:
        """The key of one output: everything its writer is given, and the bytes it may read."""
        assets = [self.tree(folder) for folder in document.asset_dirs]
        reference = None
        if document.reference_docx is not None:
            reference = sha256_file(document.reference_docx)
        return _digest([FORMAT, repr(document), format_name, sorted(options.items()),
                        context.epoch, context.roots, assets, reference, self.software])


@dataclass
class Entry:
    """One output as it was published: its key, its file's digest, the warnings its job met."""

    key: str
    sha256: str
    warnings: list[BuildWarning] = field(default_factory=list)


@dataclass
class Record:
    """What `<output>/.diglot-cache.json` holds."""

    build_key: str | None = None
    folders: list[str] = field(default_factory=list)  # the theme folders of the last build
    files: list[str] = field(default_factory=list)  # its reference document
    built: list[str] = field(default_factory=list)  # the last build's outputs
    warnings: list[BuildWarning] = field(default_factory=list)  # the last build's, notes too
    outputs: dict[str, Entry] = field(default_factory=dict)  # by path inside the output folder

    def fresh(self, output: Path, name: str, key: str) -> Entry | None:
        """The entry of an output whose key is `key` and whose file is as published."""
        entry = self.outputs.get(name)
        if entry is None or entry.key != key or sha256_file(output / name) != entry.sha256:
            return None
        return entry


def load(output: Path) -> Record:
    """The record in `output`; one missing, unreadable or malformed is an empty record."""
    try:
        raw = json.loads((output / RECORD).read_bytes())
        if raw.get("format") != FORMAT:
            return Record()
        build = raw["build"]
        return Record(
            build_key=_string(build["key"]), folders=[_string(p) for p in build["folders"]],
            files=[_string(p) for p in build["files"]],
            built=[_string(p) for p in build["outputs"]],
            warnings=[_warning(w) for w in build["warnings"]],
            outputs={_string(name): Entry(_string(e["key"]), _string(e["sha256"]),
                                          [_warning(w) for w in e["warnings"]])
                     for name, e in raw["outputs"].items()})
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return Record()


def save(output: Path, record: Record) -> None:
    """Write the record whole; a record that cannot be written only costs the next build time."""
    raw = {"format": FORMAT,
           "build": {"key": record.build_key, "folders": record.folders,
                     "files": record.files, "outputs": record.built,
                     "warnings": [_plain(w) for w in record.warnings]},
           "outputs": {name: {"key": e.key, "sha256": e.sha256,
                              "warnings": [_plain(w) for w in e.warnings]}
                       for name, e in sorted(record.outputs.items())}}
    with contextlib.suppress(OSError):
        write_atomic(output / RECORD, json.dumps(raw, indent=1, ensure_ascii=False).encode())


def unchanged(config: Config, epoch: int | None) -> Record | None:
    """The record, when the last build had the same inputs and settings and each of its
    outputs is still as it published it; else None. Reads only the inputs' bytes."""
    record = load(config.output)
    if record.build_key is None or not record.built:
        return None
    inputs = Inputs(config, epoch)
    inputs.add(tuple(map(Path, record.folders)), tuple(map(Path, record.files)))
    if inputs.build_key() != record.build_key:
        return None
    for name in record.built:
        entry = record.outputs.get(name)
        if entry is None or sha256_file(config.output / name) != entry.sha256:
            return None
    return record


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _plain(warning: BuildWarning) -> dict[str, Any]:
    where = warning.location
    return {"kind": warning.kind, "message": warning.message, "location": None if where is None
            else {"file": None if where.file is None else str(where.file),
                  "is_path": isinstance(where.file, Path), "line": where.line,
                  "column": where.column, "path": where.path}}


def _warning(raw: dict[str, Any]) -> BuildWarning:
    where = raw["location"]
    location = None
    if where is not None:
        file = where["file"]
        location = Location(Path(file) if file is not None and where["is_path"] else file,
                            where["line"], where["column"], where["path"])
    return BuildWarning(_string(raw["kind"]), _string(raw["message"]), location)
