"""The data loader: the default report's data, and every bad input it must locate."""

from __future__ import annotations

import re

import pytest

from diglot import data
from diglot.errors import DataError, ErrorGroup
from diglot.model import PartialDate

from ..conftest import REPO

SORA = REPO / "data" / "sora-authors.yaml"
SEED_ORDER = [
    "Tim Brooks", "Bill Peebles", "Connor Holmes", "Will DePue", "Yufei Guo", "Li Jing",
    "David Schnurr", "Joe Taylor", "Troy Luhman", "Eric Luhman", "Clarence Ng", "Ricky Wang",
    "Aditya Ramesh",
]


def errors_of(text: str) -> list[str]:
    with pytest.raises((DataError, ErrorGroup)) as caught:
        data.loads(text.encode("utf-8"), "people.yaml")
    exc = caught.value
    return [str(e) for e in (exc.errors if isinstance(exc, ErrorGroup) else [exc])]


VALID = """\
report:
  id: r
  source_locale: en
  title: T
people:
  - id: a
    name: A
"""


def with_person(extra: str) -> str:
    return VALID + "".join(f"    {line}\n" for line in extra.splitlines())


class TestDefaultReport:
    def test_thirteen_people_in_the_posts_order(self) -> None:
        report = data.load(SORA)
        assert [p.name for p in report.people] == SEED_ORDER
        assert report.report.source_locale == "zh_CN"

    def test_facts_from_the_post(self) -> None:
        people = {p.id: p for p in data.load(SORA).people}
        tim = people["tim-brooks"]
        phd = tim.education[0]
        assert (phd.degree, phd.advisor) == ("phd", "Alyosha Efros")
        assert (phd.start, phd.end) == (PartialDate(2019, 8), PartialDate(2023, 1))
        assert tim.born is not None and (tim.born.year, tim.born.estimated) == (1994, True)
        bill = people["bill-peebles"]
        assert bill.metrics is not None
        assert (bill.metrics.papers, bill.metrics.first_author_papers) == (6, 2)
        assert bill.born is not None and bill.born.estimated
        assert people["aditya-ramesh"].metrics.citations == 14500  # type: ignore[union-attr]
        assert people["yufei-guo"].native_name == "郭宇飞"
        assert people["li-jing"].education[0].field.value == "物理学"  # type: ignore[union-attr]

    def test_every_person_has_commentary_in_chinese(self) -> None:
        for person in data.load(SORA).people:
            assert any(re.search(r"[\u4e00-\u9fff]", c.value) for c in person.commentary), \
                person.id

    def test_no_url_is_invented(self) -> None:
        seed = (REPO.parent / "shared" / "seeds" / "000_03d239d0b4042e62.txt")
        urls = re.findall(r"https?://\S+", SORA.read_text(encoding="utf-8"))
        if seed.exists():
            seed_text = seed.read_text(encoding="utf-8")
            assert all(u in seed_text for u in urls)
        else:
            assert urls == []

    def test_every_text_knows_its_line_and_path(self) -> None:
        texts = list(data.load(SORA).texts())
        assert len(texts) > 100
        assert all(t.location.line and t.location.path for t in texts)
        assert texts[0].location.path == "report.title"
        assert any(t.location.path == "people[tim-brooks].commentary[2]" for t in texts)


class TestBadInput:
    def test_syntax_error_is_located(self) -> None:
        [message] = errors_of("report: [1,\n  b: 2\n")
        assert re.match(r"people\.yaml:\d+:\d+: YAML syntax error", message)

    def test_several_errors_are_all_reported_with_path_and_value(self) -> None:
        messages = errors_of(with_person(
            "born: {year: 19x4}\n"
            "education:\n"
            "  - {degree: phd, institution: X, start: 2019-13}\n"
            "  - {degree: doctor, institution: Y, end: 2024-02-30}\n"
            "links: [{kind: homepage, url: 'javascript:alert(1)'}]\n"
        ))
        assert len(messages) == 5
        assert "people.yaml:8:18: expected a whole number, got '19x4' (at people[a].born.year)" \
            in messages
        assert any("invalid month in '2019-13'" in m and "people[a].education[0].start" in m
                   for m in messages)
        assert any("'doctor' is not one of" in m for m in messages)
        assert any("invalid day in '2024-02-30'" in m for m in messages)
        assert any("javascript:alert(1)" in m and "links[0].url" in m for m in messages)

    def test_duplicate_keys_name_both_lines(self) -> None:
        [message] = errors_of(VALID + "    name: B\n")
        assert message == "people.yaml:8:5: duplicate key 'name' (first defined at line 7)"

    def test_aliases_are_rejected(self) -> None:
        messages = errors_of(VALID.replace("name: A", "name: &n A\n    headline: *n"))
        assert any("aliases are not allowed" in m for m in messages)

    def test_billion_laughs_is_rejected_quickly(self) -> None:
        bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
            for i in range(20))
        messages = errors_of(bomb)
        assert any("not allowed" in m for m in messages)

    def test_python_tags_never_construct_anything(self) -> None:
        tagged = VALID.replace("name: A", "name: !!python/object/apply:os.system [ls]")
        [message] = errors_of(tagged)
        assert "YAML tags are not allowed" in message

    @pytest.mark.parametrize("char", ["\\0", "\\v", "\\uFFFE", "\\x1b"])
    def test_control_characters_are_rejected_with_location(self, char: str) -> None:
        messages = errors_of(VALID.replace("name: A", f'name: "A{char}B"'))
        assert any(m.startswith("people.yaml:7:11: control or non-character") for m in messages)

    def test_invalid_utf8_gives_the_byte_offset(self) -> None:
        with pytest.raises(DataError) as caught:
            data.loads(VALID.encode() + b"    headline: \xff\xfe\n", "people.yaml")
        assert "invalid UTF-8 at byte offset 91" in str(caught.value)
        assert str(caught.value).startswith("people.yaml:8:15:")

    def test_a_bom_is_accepted(self) -> None:
        assert data.loads(b"\xef\xbb\xbf" + VALID.encode()).people[0].name == "A"

    def test_yaml_11_coercion_does_not_happen(self) -> None:
        report = data.loads(with_person("headline: no\nworks: [{title: 3.10}]").encode())
        person = report.people[0]
        assert person.headline is not None and person.headline.value == "no"
        assert person.works[0].title == "3.10"

    def test_sexagesimal_is_not_a_number(self) -> None:
        messages = errors_of(with_person("metrics: {papers: 1:20}"))
        assert any("expected a whole number, got '1:20'" in m for m in messages)

    def test_unknown_and_missing_keys(self) -> None:
        messages = errors_of("report:\n  id: r\n  source_locale: en\n  titel: T\npeople: []\n")
        assert any("missing required field 'title'" in m for m in messages)
        assert any("unknown key 'titel'" in m for m in messages)
        assert any("at least one person is required" in m for m in messages)

    def test_output_name_from_data_is_a_slug(self) -> None:
        messages = errors_of(VALID.replace("id: r", "id: ../../evil"))
        assert any("'../../evil' is not a slug" in m for m in messages)

    def test_duplicate_person_ids(self) -> None:
        messages = errors_of(VALID + "  - id: a\n    name: B\n")
        assert any("duplicate person id 'a' (first used at line 6)" in m for m in messages)

    def test_markdown_links_in_text_must_be_safe(self) -> None:
        messages = errors_of(with_person("headline: 'see [x](file:///etc/passwd)'"))
        assert any("file:///etc/passwd" in m and "headline" in m for m in messages)

    def test_end_before_start(self) -> None:
        messages = errors_of(with_person(
            "experience: [{organization: O, start: 2020, end: 2019}]"))
        assert any("end 2019 is before start 2020" in m for m in messages)

    def test_wrong_container_types(self) -> None:
        messages = errors_of(with_person("commentary: just one string\nhonors: {a: 1}"))
        assert any("expected a list, got a value" in m for m in messages)
        assert any("expected a list, got a mapping" in m for m in messages)


def with_report(extra: str) -> str:
    head, people = VALID.split("people:")
    return head + "".join(f"  {line}\n" for line in extra.splitlines()) + "people:" + people


class TestSource:
    def test_only_what_is_known(self) -> None:
        report = data.loads(with_report("source: {title: 一篇博客, note: 作者不详}").encode())
        source = report.report.source
        assert source is not None
        assert (str(source.title), source.author, source.url, source.date) == \
            ("一篇博客", None, None, None)
        assert source.note is not None and source.note.location.path == "report.source.note"

    def test_free_text_is_translated_and_the_url_is_not(self) -> None:
        report = data.loads(with_report(
            "source:\n  title: T\n  author: A\n  url: https://example.org/post\n"
            "  date: 2024-02\n  note: N").encode())
        assert [t.value for t in report.texts()] == ["T", "T", "A", "N"]
        assert report.report.source is not None
        assert report.report.source.url == "https://example.org/post"
        assert report.report.source.date == PartialDate(2024, 2)

    @pytest.mark.parametrize("url", ["mailto:a@example.org", "ftp://example.org/x",
                                     "javascript:alert(1)", "example.org"])
    def test_the_address_is_http_or_https(self, url: str) -> None:
        messages = errors_of(with_report(f"source: {{url: '{url}'}}"))
        assert any("report.source.url" in m and "http or https" in m for m in messages)

    def test_unknown_keys_are_located(self) -> None:
        messages = errors_of(with_report("source: {titel: T}"))
        assert any("people.yaml:5:" in m and "unknown key 'titel'" in m
                   and "report.source.titel" in m for m in messages)


class TestCorrections:
    def test_recorded_per_person(self) -> None:
        report = data.loads(with_person(
            "commentary: ['在AWS, Orach cloud都做过。']\n"
            "corrections: [{source: Orach cloud, reading: Oracle Cloud}]").encode())
        (correction,) = report.people[0].corrections
        assert (correction.source, correction.reading) == ("Orach cloud", "Oracle Cloud")

    def test_the_source_must_occur_in_the_text(self) -> None:
        messages = errors_of(with_person(
            "commentary: ['在AWS做过。']\ncorrections: [{source: Orach cloud, reading: Oracle}]"))
        assert any("'Orach cloud' does not occur" in m and "people[a].corrections[0]" in m
                   for m in messages)

    def test_a_reading_differs_and_nothing_is_corrected_twice(self) -> None:
        messages = errors_of(with_person(
            "commentary: [清理之中]\ncorrections:\n  - {source: 清理之中, reading: 清理之中}\n"
            "  - {source: 清理之中, reading: 情理之中}\n  - {source: 清理之中, reading: 情理}"))
        assert any("is the source text itself" in m for m in messages)
        assert any("'清理之中' is corrected twice" in m for m in messages)

    def test_both_fields_are_required_and_no_others(self) -> None:
        messages = errors_of(with_person(
            "commentary: [x]\ncorrections: [{source: x, sic: y}]"))
        assert any("missing required field 'reading'" in m for m in messages)
        assert any("unknown key 'sic'" in m for m in messages)

    def test_report_level_corrections_look_at_the_report_text(self) -> None:
        report = data.loads(with_report(
            "preface: ['从体来说, 好。']\ncorrections: [{source: 从体来说, reading: 总体来说}]"
        ).encode())
        assert report.report.corrections[0].reading == "总体来说"

    def test_a_slip_may_be_given_per_script_the_text_s_own_first(self) -> None:
        report = data.loads(with_person(
            "commentary: ['从体来说, 好。']\ncorrections:\n"
            "  - {source: {zh_Hans: 从体来说, zh_Hant: 從體來說},\n"
            "     reading: {zh_Hans: 总体来说, zh_Hant: 總體來說}}").encode())
        (correction,) = report.people[0].corrections
        assert (correction.source, correction.reading) == ("从体来说", "总体来说")
        shown = correction.in_script("Hant", "Hans")
        assert (shown.source, shown.reading, shown.converted) == ("從體來說", "總體來說", True)
        own = correction.in_script("Hans")
        assert (own.source, own.converted) == ("从体来说", False)
        assert correction.in_script("Latn", "Hans").source == "从体来说"

    def test_the_first_form_must_occur_in_the_text(self) -> None:
        messages = errors_of(with_person(
            "commentary: ['從體來說, 好。']\n"
            "corrections: [{source: {zh_Hans: 从体来说, zh_Hant: 從體來說}, reading: 总体来说}]"))
        assert any("'从体来说' does not occur" in m for m in messages)

    def test_form_keys_are_scripts(self) -> None:
        messages = errors_of(with_person(
            "commentary: [从体来说]\n"
            "corrections: [{source: {zh_CN: 从体来说}, reading: 总体来说}]"))
        assert any("'zh_CN' is not a script" in m and "corrections[0].source.zh_CN" in m
                   for m in messages)


class TestNativeNames:
    def test_a_plain_string_still_works(self) -> None:
        person = data.loads(with_person("native_name: 郭宇飞").encode()).people[0]
        assert person.native_name == "郭宇飞"
        assert person.native_name_in("Hant") == "郭宇飞"

    def test_one_form_per_script(self) -> None:
        person = data.loads(with_person(
            "native_name: {zh_Hans: 郭宇飞, zh_Hant: 郭宇飛}").encode()).people[0]
        assert person.native_name_in("Hant", "Hans") == "郭宇飛"
        assert person.native_name_in(None, "Hans") == "郭宇飞"

    def test_keys_are_scripts(self) -> None:
        messages = errors_of(with_person("native_name: {zh_TW: 郭宇飛, klingon: x}"))
        assert any("'zh_TW' is not a script" in m and "native_name.zh_TW" in m
                   for m in messages)
        assert any("'klingon' is not a script" in m for m in messages)
