"""A teacher plans Monday's lesson from the teachers' page, and it fits.

The lesson plan's promises are checked against the chapters as they are
now: if a chapter grows, or the plan is edited, and the expert reading no
longer fits its minutes, this fails and says which group.
"""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from test_chapters import CHAPTERS
from distill_site.facts.figures import load_figures
from distill_site.pages.readability import WORDS_PER_MINUTE, Reading, measure

FACTS = load_figures(ROOT / "data/figures.yml")
TEACHERS = ROOT / "docs" / "teachers.md"
NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
# Minutes an expert group keeps, after reading, to agree its key points.
TIME_TO_AGREE = 4


def parts(page: str) -> dict[str, str]:
    """A chapter's Markdown by section anchor; '' is the part before the first section (title and In brief)."""
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    pieces = re.split(r"(?m)^## .*\{ #([\w-]+) \}\s*$", text)
    return {"": pieces[0], **dict(zip(pieces[1::2], pieces[2::2]))}


def expert_sets(plan: str) -> dict[str, tuple[str, list[str]]]:
    """Group letter -> (chapter, the anchors of the sections it reads), from the expert table."""
    sets = {}
    for letter, chapter, links in re.findall(r"^\| ([A-D]) \| \[[^\]]*\]\(([\w-]+\.md)\) \| (.*) \|$", plan, re.M):
        anchors = re.findall(rf"\]\({re.escape(chapter)}#([\w-]+)\)", links)
        assert anchors, f"teachers.md: group {letter} reads no section of {chapter}"
        sets[letter] = (chapter, anchors)
    return sets


def reading_of(chapter: str, anchors: list[str]) -> Reading:
    """The words of the In brief part and the listed sections, measured as the reading table measures."""
    sections = parts(chapter)
    missing = [anchor for anchor in anchors if anchor not in sections]
    assert not missing, f"teachers.md: {chapter} has no section {missing}"
    return measure("\n\n".join(sections[key] for key in ["", *anchors]), FACTS)


def step_minutes(plan: str, step: str) -> int:
    found = re.search(rf"^\| (\d+)–(\d+) min \| {step} \|", plan, re.M)
    assert found, f"teachers.md: the plan has no '{step}' step"
    return int(found[2]) - int(found[1])


PLAN = TEACHERS.read_text(encoding="utf-8")
SETS = expert_sets(PLAN)


def test_the_jigsaw_has_one_expert_group_per_chapter():
    chapters = [chapter for chapter, _ in SETS.values()]
    assert sorted(SETS) == ["A", "B", "C", "D"]
    assert len(set(chapters)) == 4


@pytest.mark.parametrize("letter", ["A", "B", "C", "D"])
def test_a_slow_reader_finishes_the_expert_reading_with_time_to_agree_the_key_points(letter):
    chapter, anchors = SETS[letter]
    reading = reading_of(chapter, anchors)
    slow_minutes = reading.words / (WORDS_PER_MINUTE / 2)
    allowed = step_minutes(PLAN, "Expert reading") - TIME_TO_AGREE
    assert slow_minutes <= allowed, (f"teachers.md: group {letter} reads {reading.words} words of {chapter}: "
                                     f"{slow_minutes:.1f} min at half speed, but the plan leaves {allowed}")


def test_the_plan_says_how_long_a_fluent_reader_takes_as_measured():
    said = re.search(r"A fluent reader needs about (\w+) minutes", PLAN)
    assert said, "teachers.md: the plan does not say how long a fluent reader needs"
    longest = max(reading_of(chapter, anchors).words for chapter, anchors in SETS.values())
    assert NUMBER_WORDS[said[1]] == round(longest / WORDS_PER_MINUTE), f"the longest set is {longest} words"


def test_the_exit_ticket_is_answered_in_a_section_an_expert_group_reads():
    ticket = PLAN[PLAN.index("### Exit ticket"):]
    chapter, anchor = re.search(r"\]\(([\w-]+\.md)#([\w-]+)\)", ticket).groups()
    assert any(chapter == read and anchor in anchors for read, anchors in SETS.values())


def test_the_plan_adds_up_to_45_minutes_with_no_gap():
    times = [(int(a), int(b)) for a, b in re.findall(r"^\| (\d+)–(\d+) min \|", PLAN, re.M)]
    assert times[0][0] == 0 and times[-1][1] == 45
    assert all(end == start for (_, end), (start, _) in zip(times, times[1:]))


def test_the_reading_level_claim_agrees_with_the_measured_chapters():
    claim = int(re.search(r"about a US grade (\d+) level or below", PLAN)[1])
    grades = [measure((ROOT / "docs" / chapter).read_text(encoding="utf-8"), FACTS).grade for chapter in CHAPTERS]
    assert max(grades) <= claim, f"a chapter measures {max(grades):.1f}, above the grade the page claims"
    assert claim - max(grades) < 1.5, f"the page claims grade {claim}, but no chapter is above {max(grades):.1f}"
