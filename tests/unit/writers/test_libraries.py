"""WeasyPrint's libraries found from the linker's cache: no compiler runs, the same answers."""

from __future__ import annotations

import ctypes.util
import shutil
import subprocess
import sys
from typing import Any

import pytest

from diglot.writers.libraries import found_quickly

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")


def test_a_name_the_linker_knows_is_found_as_before_and_others_run_no_compiler(
        monkeypatch: pytest.MonkeyPatch) -> None:
    original = ctypes.util.find_library
    expected = original("fontconfig")
    commands: list[str] = []
    real_popen = subprocess.Popen

    def recorded(args: Any, *rest: Any, **kwargs: Any) -> Any:
        commands.append(str(args[0] if isinstance(args, list | tuple) else args))
        return real_popen(args, *rest, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", recorded)
    with found_quickly():
        assert ctypes.util.find_library("fontconfig") == expected is not None
        assert ctypes.util.find_library("libfontconfig-1") is None  # WeasyPrint's first try
    assert commands and all(command.endswith("ldconfig") for command in commands)
    assert ctypes.util.find_library is original
    if any(shutil.which(tool) for tool in ("gcc", "cc", "ld")):
        commands.clear()
        assert original("libfontconfig-1") is None  # the usual way runs a compiler or ld
        assert any(not command.endswith("ldconfig") for command in commands)
