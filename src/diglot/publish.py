"""Publishing a build: outputs are written to a staging folder, checked, then moved into place
all together, so that a failed build leaves every earlier output as it was.

A staging folder holds the process id of the build that made it; a later build removes the
folders whose build is gone (killed with SIGKILL, or the machine stopped).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from diglot.errors import DiglotError, Location, OutputError, raise_collected

PREFIX = ".staging-"
OWNER = ".owner"
# Seconds; for a staging folder whose owner cannot be told. A build writes the owner's id as
# soon as it makes the folder, so only a folder half removed (or from an older diglot) has none.
ABANDONED_AFTER = 60


def open_staging(output: Path) -> Path:
    """A fresh staging folder inside `output`, after removing those left by dead builds."""
    try:
        output.mkdir(parents=True, exist_ok=True)
        remove_abandoned(output)
        staging = Path(tempfile.mkdtemp(prefix=PREFIX, dir=output))
        (staging / OWNER).write_text(str(os.getpid()), encoding="ascii")
    except OSError as exc:
        raise OutputError(f"cannot write to the output folder: {exc.strerror}",
                          Location(output)) from None
    return staging


def remove_abandoned(output: Path) -> list[Path]:
    """Remove the staging folders in `output` whose build no longer runs."""
    removed = []
    for folder in output.glob(PREFIX + "*"):
        if folder.is_dir() and not folder.is_symlink() and _abandoned(folder):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _abandoned(folder: Path) -> bool:
    try:
        pid = int((folder / OWNER).read_text(encoding="ascii"))
    except (OSError, ValueError):
        try:
            return time.time() - folder.stat().st_mtime > ABANDONED_AFTER
        except OSError:
            return False
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, owned by someone else
        return False
    return False


def check_targets(output: Path, targets: list[Path]) -> None:
    """Every target can be replaced: it stays inside `output`, it is not a folder, and its
    folder is a folder we may write in (or can be made)."""
    errors: list[DiglotError] = []
    root = output.resolve()
    for target in targets:
        if not target.parent.resolve().is_relative_to(root):
            errors.append(OutputError("the output would be written outside the output folder",
                                      Location(target)))
        elif target.is_dir() and not target.is_symlink():
            errors.append(OutputError("a folder is in the way of the output", Location(target)))
        else:
            problem = _folder_problem(target.parent, root)
            if problem:
                errors.append(OutputError(problem, Location(target)))
    raise_collected(errors)


def _folder_problem(folder: Path, root: Path) -> str | None:
    existing = folder
    while not existing.exists() and existing != root and existing.parent != existing:
        existing = existing.parent
    if existing.exists() and not existing.is_dir():
        return f"{existing.name} is a file where a folder is needed"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"the folder {existing.name} cannot be written"
    return None


def publish(staging: Path, staged: list[tuple[Path, Path]]) -> list[Path]:
    """Move each staged file onto its target; if one move fails, put back the ones done."""
    backups = staging / ".previous"
    backups.mkdir(exist_ok=True)
    done: list[tuple[Path, Path | None]] = []
    try:
        for number, (stage, target) in enumerate(staged):
            target.parent.mkdir(parents=True, exist_ok=True)
            backup = None
            if target.is_file():
                backup = backups / str(number)
                _keep_copy(target, backup)
            os.replace(stage, target)
            done.append((target, backup))
    except BaseException:
        for target, backup in reversed(done):
            try:
                if backup is None:
                    target.unlink(missing_ok=True)
                else:
                    os.replace(backup, target)
            except OSError:
                pass
        raise
    return [target for target, _ in done]


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM while outputs are moved into place and the staging folder is
    removed (some milliseconds): stopped there, a build would leave debris or half its outputs.
    A signal that came meanwhile takes effect on leaving, through its own handler."""
    caught: list[int] = []
    try:
        previous = {sig: signal.signal(sig, lambda signum, _frame: caught.append(signum))
                    for sig in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:  # not the main thread: signals reach the main thread only anyway
        yield
        return
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if caught:
        handler = previous[caught[0]]
        if callable(handler):
            handler(caught[0], None)
        elif handler == signal.SIG_DFL:
            os.kill(os.getpid(), caught[0])


def move_into_place(output: Path, staging: Path, staged: list[tuple[Path, Path]],
                    published: Callable[[list[Path]], None]) -> None:
    """Check every target, then move the staged outputs into place with SIGINT and SIGTERM
    held; `published` is told the outputs moved (and records them) before the signals are let
    through. The staging folder is removed either way."""
    check_targets(output, [target for _stage, target in staged])
    with signals_held():
        try:
            published(publish(staging, staged))
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _keep_copy(target: Path, backup: Path) -> None:
    try:
        os.link(target, backup)
    except OSError:
        shutil.copy2(target, backup)
