"""The parallel edition of the repository's report, in both themes and both layouts: PDF,
DOCX and HTML."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from diglot.writers.docx import office

from ..conftest import REPO, fold, pdf_text
from ..unit.test_parallel import EDITION, html_pairs, text
from ..unit.writers.docx.test_look import findings
from ..unit.writers.test_pdf_standards import verdict


@pytest.mark.slow
@pytest.mark.parametrize("theme", ["default", "brief"])
@pytest.mark.parametrize("layout", ["columns", "interleaved"])
def test_the_report_in_both_themes_and_layouts(tmp_path: Path, run_cli, theme: str,
                                               layout: str) -> None:
    result = run_cli("-C", REPO, "build", "-l", "zh_CN", "-l", "en", "--parallel", "zh_CN:en",
                     "--parallel-layout", layout, "--theme", theme, "-o", tmp_path,
                     "-f", "pdf", "-f", "docx", "-f", "html")
    assert result.code == 0, result.err
    out = tmp_path / EDITION
    pairs = html_pairs(out / "sora-authors.html")
    assert len(pairs) > (20 if theme == "brief" else 40)
    body = fold(pdf_text(out / "sora-authors.pdf"))
    assert all(fold(text(a))[:10] in body and fold(text(b))[:10] in body for a, b in pairs)
    assert verdict(out / "sora-authors.pdf", "ua-1") == []
    assert findings(out / "sora-authors.docx") == []
    if office.soffice() is not None:
        converted = tmp_path / "lo"
        subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                        "--headless", "--convert-to", "pdf", "--outdir", str(converted),
                        str(out / "sora-authors.docx")], capture_output=True, timeout=180,
                       check=True)
        assert fold(pairs[0][1].text_content())[:10] in fold(
            pdf_text(converted / "sora-authors.pdf"))
    shutil.rmtree(tmp_path / "lo", ignore_errors=True)
