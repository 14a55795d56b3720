"""Writing a file whole or not at all: the mode kept, and a failure named by the file meant."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

import pytest

from diglot.atomic import write_atomic


def test_the_mode_of_the_file_replaced_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "content.po"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o640)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new" and (target.stat().st_mode & 0o777) == 0o640


@pytest.mark.parametrize("where", ["mkstemp", "replace"])
def test_a_failure_names_the_file_not_its_temporary(where: str, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "content.mo"

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted",
                              str(tmp_path / ".content.mo.x1y2z3"))

    monkeypatch.setattr(tempfile if where == "mkstemp" else os,
                        "mkstemp" if where == "mkstemp" else "replace", refuse)
    with pytest.raises(OSError) as caught:
        write_atomic(target, b"data")
    assert caught.value.filename == str(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no temporary left behind
