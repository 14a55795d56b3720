"""What the preview watches: the data file, the catalogs, the settings and every theme folder,
through watchfiles (inotify on Linux). Folders of single files (the data file's, the settings
file's) are watched without their subfolders, so that a project folder holding a virtual
environment or the build outputs costs nothing."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from diglot.config import CONFIG_FILES, Config

IGNORED_SUFFIXES = (".mo", ".pyc", ".swp", ".swx", ".tmp", "~")


@dataclass(frozen=True)
class Watched:
    """Folders watched with their subfolders, and single files (by their folder)."""

    trees: frozenset[Path]
    files: frozenset[Path]
    ignored: Path | None = None  # the output folder, even inside a watched tree


def watched(config: Config, theme_dirs: Iterable[Path] = ()) -> Watched:
    """What a change of should rebuild the preview."""
    trees = {config.locale_dir, *theme_dirs}
    if isinstance(config.theme, Path):
        trees.add(config.theme)
    files = {config.data, *(config.root / name for name in CONFIG_FILES)}
    if config.source is not None:
        files.add(config.source)
    if config.reference_docx is not None:
        files.add(config.reference_docx)
    return Watched(frozenset(trees), frozenset(files), config.output)


def _interesting(path: str) -> bool:
    name = Path(path).name
    return not (name.endswith(IGNORED_SUFFIXES) or name.startswith(".#") or name == "4913")


class Watcher:
    """Calls `changed(paths)` from its own threads after files change (changes that come
    within 50 ms of each other are told together). `update` changes what is watched."""

    def __init__(self, changed: Callable[[set[str]], None]) -> None:
        self.changed = changed
        self._current: Watched | None = None
        self._threads: list[tuple[threading.Thread, threading.Event]] = []
        self._lock = threading.Lock()

    def update(self, what: Watched) -> None:
        with self._lock:
            if what == self._current:
                return
            old, self._current = self._threads, what
            self._threads = []
            trees = sorted(p for p in what.trees if p.is_dir())
            files = what.files
            outside = f"{what.ignored}/" if what.ignored else None
            folders = sorted({f.parent for f in files if f.parent.is_dir()} - set(trees))
            if trees:
                self._start(trees, True, lambda p: not (outside and p.startswith(outside)))
            if folders:
                names = {str(f) for f in files}
                self._start(folders, False, lambda p: p in names)
            for _thread, stop in old:
                stop.set()
        for thread, _stop in old:
            thread.join(5)

    def stop(self) -> None:
        with self._lock:
            threads, self._threads = self._threads, []
            self._current = None
            for _thread, stop in threads:
                stop.set()
        for thread, _stop in threads:
            thread.join(5)

    def _start(self, paths: list[Path], recursive: bool, wanted: Callable[[str], bool]) -> None:
        stop = threading.Event()
        ready = threading.Event()
        thread = threading.Thread(target=self._watch, args=(paths, recursive, wanted, stop,
                                                            ready),
                                  name="diglot-watcher", daemon=True)
        thread.start()
        ready.wait(5)
        self._threads.append((thread, stop))

    def _watch(self, paths: list[Path], recursive: bool, wanted: Callable[[str], bool],
               stop: threading.Event, ready: threading.Event) -> None:
        import watchfiles

        class Filter(watchfiles.DefaultFilter):
            def __call__(self, change: watchfiles.Change, path: str) -> bool:
                return super().__call__(change, path) and _interesting(path) and wanted(path)

        try:
            for changes in watchfiles.watch(*paths, watch_filter=Filter(), recursive=recursive,
                                            stop_event=stop, step=50, debounce=1600,
                                            rust_timeout=200, yield_on_timeout=True,
                                            raise_interrupt=False):
                ready.set()
                if changes:
                    self.changed({path for _change, path in changes})
        finally:
            ready.set()
