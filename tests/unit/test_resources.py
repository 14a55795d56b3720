"""The resource policy: which files an output may take in, and the record of what it refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from diglot.resources import Refused, ResourcePolicy


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    theme, outside = tmp_path / "theme", tmp_path / "outside"
    theme.mkdir()
    outside.mkdir()
    (theme / "logo.png").write_bytes(b"png")
    (outside / "secret.txt").write_text("SECRET", encoding="utf-8")
    (theme / "link.txt").symlink_to(outside / "secret.txt")
    os.mkfifo(theme / "pipe.css")
    (theme / "big.bin").write_bytes(bytes(2048))
    return theme, outside


def test_a_file_inside_is_read_by_relative_or_file_url(folders: tuple[Path, Path]) -> None:
    theme, _ = folders
    policy = ResourcePolicy((theme,), theme)
    assert policy.read("logo.png") == ((theme / "logo.png").resolve(), b"png")
    assert policy.read((theme / "logo.png").as_uri())[1] == b"png"
    assert policy.refused == []


@pytest.mark.parametrize(("url", "why"), [
    ("../outside/secret.txt", "outside the project"),
    ("link.txt", "outside the project"),  # a symbolic link out of the folder
    ("pipe.css", "not a regular file"),  # a FIFO would block the read
    ("missing.png", "file not found"),
    ("big.bin", "over the 1024-byte limit"),
    ("http://127.0.0.1:9/x.css", "only files"),
    ("javascript:alert(1)", "only files"),
])
def test_what_is_refused_is_recorded(url: str, why: str, folders: tuple[Path, Path]) -> None:
    theme, _ = folders
    policy = ResourcePolicy((theme,), theme, max_bytes=1024)
    with pytest.raises(Refused) as caught:
        policy.read(url)
    assert why in caught.value.why
    assert policy.refused == [(url, caught.value.why)]
