"""The installed product is the tested product: the wheel, in a clean virtual environment."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ..conftest import REPO

pytestmark = pytest.mark.slow

# Run inside the installed wheel's environment: build every built-in locale with every
# built-in theme and report, per build, the template strings shown untranslated.
PROBE = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from diglot.config import load
    from diglot.pipeline import build
    from diglot.themeregistry import builtin_themes
    from diglot.writers import FORMATS

    project = Path(sys.argv[1])
    report = {"themes": sorted(builtin_themes()), "builds": []}
    for theme in report["themes"]:
        for locale in ("en", "zh_CN", "zh_TW"):
            config = load(project, {"theme": theme, "locales": [locale], "formats": ["html"],
                                    "output": project / "probe"}, FORMATS)
            result = build(config)
            messages = sum(sum(c.values()) for (loc, domain), c in
                           result.fallback_counts().items() if domain == "messages")
            report["builds"].append([theme, locale, messages, len(result.outputs)])
    print(json.dumps(report))
""")


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment with the locked dependencies and the wheel built from this tree."""
    work = tmp_path_factory.mktemp("wheel")
    # With the locked build backend where make installed it; otherwise pip fetches one.
    isolation = [] if importlib.util.find_spec("hatchling") is None else ["--no-build-isolation"]
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", *isolation,
        "-w", work / "dist", REPO)
    wheel = next((work / "dist").glob("diglot-*.whl"))
    venv = work / "venv"
    run(sys.executable, "-m", "venv", venv)
    pip = [venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-deps"]
    run(*pip, "--require-hashes", "-r", REPO / "requirements-lock.txt")
    run(*pip, wheel)
    return venv


def test_wheel_builds_every_builtin_locale_and_theme(installed: Path, tmp_path: Path) -> None:
    diglot = installed / "bin" / "diglot"
    run(diglot, "new", "report", cwd=tmp_path)
    project = tmp_path / "report"
    probe = run(installed / "bin" / "python", "-c", PROBE, project, cwd=tmp_path)
    report = json.loads(probe.stdout.splitlines()[-1])
    assert report["themes"] == ["brief", "default"]
    for theme, locale, messages_fallbacks, outputs in report["builds"]:
        assert outputs == 1, (theme, locale)
        assert messages_fallbacks == 0, f"{theme} {locale}: template strings in English"
    # The project as `diglot new` made it builds its PDF and DOCX from the installed theme.
    run(diglot, "build", cwd=project)
    assert (project / "build/en/my-report.pdf").stat().st_size > 10_000
    assert (project / "build/zh_CN/my-report.docx").stat().st_size > 10_000


def test_wheel_extract_cites_the_builtin_theme_by_name(installed: Path, tmp_path: Path) -> None:
    diglot = installed / "bin" / "diglot"
    run(diglot, "new", "report", cwd=tmp_path)
    project = tmp_path / "report"
    run(diglot, "extract", cwd=project)
    text = (project / "locales" / "messages.pot").read_text(encoding="utf-8")
    assert "#: diglot:default/report.html:" in text
    assert str(installed) not in text and "site-packages" not in text
