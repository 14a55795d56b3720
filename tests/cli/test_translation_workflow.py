"""The translator's workflow end to end: init, translate, build, change the source, update."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from ..conftest import pdf_text, squash

PARAGRAPH = "第二段评论，提到 2019 年。"
CHANGED = "第二段评论，提到 2019 年和 2020 年。"


def translate(po: Path, translations: dict[str, str]) -> None:
    """What a translator does in Poedit: fill in some entries and save."""
    with po.open("rb") as fp:
        catalog = read_po(fp)
    for msgid, text in translations.items():
        message = catalog.get(msgid)
        assert message is not None, msgid
        message.string = text
    with po.open("wb") as fp:
        write_po(fp, catalog, width=0)


def status_rows(run_cli, project: Path) -> dict[tuple[str, str], dict]:
    result = run_cli("-C", project, "status", "--json")
    assert result.code == 0, result.err
    return {(row["locale"], row["domain"]): row for row in json.loads(result.out)}


def test_a_new_language_end_to_end(tiny_project: Path, run_cli) -> None:
    project = tiny_project
    created = run_cli("-C", project, "init", "de")
    assert created.code == 0, created.err
    content_po = project / "locales/de/LC_MESSAGES/content.po"
    messages_po = project / "locales/de/LC_MESSAGES/messages.po"
    assert content_po.exists() and messages_po.exists()
    with content_po.open("rb") as fp:
        fresh = read_po(fp)
    assert "data: report.title" in fresh.get("两位研究者").auto_comments
    assert any(loc[0] == "data/people.yaml" for loc in fresh.get("两位研究者").locations)

    translate(content_po, {"两位研究者": "Zwei Forschende", PARAGRAPH:
                           "Ein zweiter Kommentar, der 2019 erwähnt."})
    built = run_cli("-C", project, "build", "-l", "de")
    assert built.code == 0, built.err
    text = squash(pdf_text(project / "build/de/tiny-report.pdf"))
    assert "ZweiForschende" in text
    assert squash("Ein zweiter Kommentar, der 2019 erwähnt.") in text
    assert squash("他是一位工程师。") in text  # not translated: shown in the source language
    assert "de content: 16 string(s) shown in the source language (16 untranslated)" in built.out

    rows = status_rows(run_cli, project)
    assert (rows["de", "content"]["translated"], rows["de", "content"]["untranslated"]) == (2, 16)
    assert rows["de", "messages"]["translated"] == 0

    data = project / "data/people.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace(PARAGRAPH, CHANGED),
                    encoding="utf-8")
    assert run_cli("-C", project, "extract").code == 0
    updated = run_cli("-C", project, "update")
    assert updated.code == 0, updated.err
    with content_po.open("rb") as fp:
        catalog = read_po(fp)
    fuzzy = [m for m in catalog if m.id and m.fuzzy]
    assert [m.id for m in fuzzy] == [CHANGED]
    assert "#| msgid \"第二段评论，提到 2019 年。\"" in content_po.read_text(encoding="utf-8")

    rows = status_rows(run_cli, project)
    assert (rows["de", "content"]["translated"], rows["de", "content"]["fuzzy"]) == (1, 1)

    strict = run_cli("-C", project, "build", "-l", "de", "--strict")
    assert strict.code == 1
    plain = run_cli("-C", project, "build", "-l", "de")
    assert plain.code == 0
    text = squash(pdf_text(project / "build/de/tiny-report.pdf"))
    assert squash(CHANGED) in text and "2019erwähnt" not in text
    assert "ZweiForschende" in text


def test_status_strict_and_table(tiny_project: Path, run_cli) -> None:
    table = run_cli("-C", tiny_project, "status")
    assert table.code == 0
    assert table.out.splitlines()[0].split() == [
        "Locale", "Domain", "Translated", "Fuzzy", "Untranslated", "Obsolete", "Done"]
    assert "en      content           17      1             0         0   94%" in table.out
    assert run_cli("-C", tiny_project, "status", "--strict").code == 1


def test_init_refuses_to_overwrite(tiny_project: Path, run_cli) -> None:
    assert run_cli("-C", tiny_project, "init", "fr").code == 0
    again = run_cli("-C", tiny_project, "init", "fr")
    assert again.code == 1 and "already has this catalog" in again.err
    assert run_cli("-C", tiny_project, "init", "xx_NOPE").code == 2


def test_update_keeps_or_drops_obsolete_translations(tiny_project: Path, run_cli) -> None:
    data = tiny_project / "data/people.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("      - 最佳论文奖\n", ""),
                    encoding="utf-8")
    assert run_cli("-C", tiny_project, "update").code == 0
    po = tiny_project / "locales/en/LC_MESSAGES/content.po"
    assert '#~ msgid "最佳论文奖"' in po.read_text(encoding="utf-8")
    assert status_rows(run_cli, tiny_project)["en", "content"]["obsolete"] == 1
    assert run_cli("-C", tiny_project, "update", "--no-obsolete").code == 0
    assert "最佳论文奖" not in po.read_text(encoding="utf-8")


def test_check_reports_bad_translations_without_building(tiny_project: Path, run_cli) -> None:
    po = tiny_project / "locales/en/LC_MESSAGES/content.po"
    po.write_text(po.read_text(encoding="utf-8").replace(
        "mentioning 2019.", "mentioning it."), encoding="utf-8")
    result = run_cli("-C", tiny_project, "check")
    assert result.code == 0
    assert "number(s) 2019 of the source are missing" in result.err
    assert not (tiny_project / "build").exists()
    assert run_cli("-C", tiny_project, "check", "--strict").code == 1


def test_opencc_prefill(tiny_project: Path, run_cli) -> None:
    pytest.importorskip("opencc", reason="the optional `opencc` extra is not installed")
    result = run_cli("-C", tiny_project, "init", "zh_TW", "--prefill", "opencc")
    assert result.code == 0, result.err
    with (tiny_project / "locales/zh_TW/LC_MESSAGES/content.po").open("rb") as fp:
        catalog = read_po(fp)
    entry = catalog.get("两位研究者")
    assert entry.string == "兩位研究者" and entry.fuzzy
    with (tiny_project / "locales/zh_TW/LC_MESSAGES/messages.po").open("rb") as fp:
        messages = read_po(fp)
    assert messages.get("Contents").string == "目錄"
    assert run_cli("-C", tiny_project, "init", "de", "--prefill", "opencc").code == 2
