"""The cut of a report's HTML into a front and runs of people, by a scan of its tags."""

from __future__ import annotations

import pytest

from diglot.writers import pdf_split


def _report(people: int, contents: bool = True, style: str = "") -> str:
    links = "".join(f'<li><a href="#person-{n}">P{n}</a></li>' for n in range(people))
    sections = "".join(f'<section class="person" id="person-{n}"><h2 id="h-{n}">P{n}</h2>'
                       f"<p>text {n}<br></p></section>" for n in range(people))
    front = f'<nav id="contents"><ol>{links}</ol></nav>' if contents else "<p>preface</p>"
    return (f"<!DOCTYPE html><html><head><style>{style}</style></head><body>"
            f'<!-- id="person-x" --><header id="cover">{front}</header>'
            f'<main id="people">{sections}</main><footer id="end">end</footer></body></html>')


def test_people_are_cut_into_runs_and_each_part_knows_its_own_ids() -> None:
    cut = pdf_split.split(_report(4), 2)
    assert cut.front is not None and "contents" in cut.front and 'id="person-0"' not in cut.front
    first, second = cut.bodies
    assert 'id="person-0"' in first and 'id="person-1"' in first
    assert 'id="person-2"' not in first and "end</footer>" not in first
    assert 'id="person-2"' in second and "end</footer>" in second
    # Hidden neighbours stand where the cut was, so that sibling selectors still match.
    assert first.count('style="display: none"') == 1
    assert second.startswith("<!DOCTYPE html>") and second.endswith("</body></html>")
    assert cut.own_ids == (frozenset({"cover", "contents"}),
                           frozenset({"people", "person-0", "h-0", "person-1", "h-1"}),
                           frozenset({"people", "person-2", "h-2", "person-3", "h-3", "end"}))
    assert cut.ids == frozenset().union(*cut.own_ids)


def test_without_links_into_the_people_the_front_goes_with_the_first_run() -> None:
    cut = pdf_split.split(_report(3, contents=False), 3)
    assert cut.front is None
    assert "preface" in cut.bodies[0] and "preface" not in cut.bodies[1]
    assert [len(ids) for ids in cut.own_ids] == [4, 3, 4]  # cover, people, and theirs


def test_tags_and_ids_in_a_style_element_or_a_comment_are_text() -> None:
    cut = pdf_split.split(_report(2, style='p::after { content: "</main><b id=person-9>" }'), 2)
    assert "person-9" not in cut.ids and "person-x" not in cut.ids
    assert cut.own_ids[1] == frozenset({"people", "person-0", "h-0"})


@pytest.mark.parametrize("broken", [
    "<body><main><section id='person-0'></section><section id='person-1'></div></main></body>",
    "<body><main><section id='person-0'></section><section id='person-1'></main></body>",
    "<body><main><section id='person-0'></section></main></body>",
    "<body><section id='person-0'></section><div><section id='person-1'></section></div></body>",
])
def test_html_the_scan_cannot_follow_or_without_people_side_by_side_is_not_cut(
        broken: str) -> None:
    with pytest.raises(pdf_split.CannotSplit):
        pdf_split.split(broken, 2)
