"""What every boundary test checks: the exit status, a located message, no traceback, earlier
outputs byte for byte, no debris, and nothing outside the project touched."""

from __future__ import annotations

import hashlib
from pathlib import Path

from diglot.cache import RECORD

from ..conftest import Run


def snapshot(project: Path) -> dict[str, str]:
    """The digest of every file under the project's build folder, hidden ones included."""
    build = project / "build"
    return {str(p.relative_to(build)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(build.rglob("*")) if p.is_file()}


def debris(project: Path) -> list[str]:
    """Hidden entries left in the output and catalog folders (staging folders, temporaries),
    the build cache's record aside."""
    found = []
    for folder in (project / "build", project / "locales"):
        if folder.is_dir():
            found += [str(p.relative_to(project)) for p in folder.rglob(".*")
                      if p != project / "build" / RECORD]
    return found


def assert_refused(result: Run, where: str, code: int = 1) -> None:
    """Failed with `code`, and stderr names `where` (FILE or FILE:LINE), with no traceback."""
    assert result.code == code, (result.code, result.err)
    assert "Traceback" not in result.err
    assert where in result.err, result.err


def assert_untouched(project: Path, before: dict[str, str]) -> None:
    """The outputs are those of the earlier build, and nothing was left behind."""
    assert snapshot(project) == before
    assert debris(project) == []
