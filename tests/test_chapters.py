"""The chapters as a reader and a teacher get them."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from distill_site.facts import syntax
from distill_site.facts.figures import load_figures
from distill_site.pages.readability import measure
from distill_site.site_config import read_site_config

CONFIG = read_site_config(ROOT / "mkdocs.yml")
EXTENSION = next(e for e in CONFIG["markdown_extensions"] if isinstance(e, dict) and "distill_site.pages.markdown_ext" in e)
CHAPTERS = EXTENSION["distill_site.pages.markdown_ext"]["chapters"]
PAGES = sorted(p.name for p in (ROOT / "docs").glob("*.md"))
FACTS = load_figures(ROOT / "data/figures.yml")


def front_matter(name: str) -> dict:
    return syntax.front_matter((ROOT / "docs" / name).read_text(encoding="utf-8"))


def built(site, name: str) -> str:
    path = site / ("index.html" if name == "index.md" else f"{name[:-3]}/index.html")
    return path.read_text(encoding="utf-8")


def test_the_four_chapters_are_in_the_navigation_in_order():
    nav = [list(item.values())[0] for item in CONFIG["nav"]]
    assert nav[1:5] == CHAPTERS == ["what-is-distillation.md", "outputs-not-weights.md",
                                    "safety-guardrails.md", "policy-dilemma.md"]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_a_chapter_is_long_enough_to_explain_and_short_enough_to_read(chapter):
    text = (ROOT / "docs" / chapter).read_text(encoding="utf-8")
    reading = measure(text, FACTS)
    # Up to 1,700: a chapter's first mention of each source now says what it is (issue #15).
    assert 900 <= reading.words <= 1700, f"{chapter}: {reading.words} words"
    assert reading.grade <= 10, f"{chapter}: US grade {reading.grade:.1f}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_a_chapter_opens_in_brief_and_closes_with_questions(chapter):
    text = (ROOT / "docs" / chapter).read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    first_block = body.split("\n## ", 1)[0]
    assert '!!! abstract "In brief"' in first_block
    # Under it, how old the facts are (test_sources_named.py): the last line before the first section.
    assert first_block.rstrip().endswith("\n{{ block:as-of }}"), f"{chapter}: no {{{{ block:as-of }}}} under In brief"
    headings = re.findall(r"^## (.+)$", body, re.M)
    # The questions to think about, then the self-check quiz (test_quizzes.py) and nothing after it.
    assert headings[-2].startswith("Questions to think about")
    assert headings[-1].startswith("Check yourself")
    assert body.rstrip().endswith("```") and body.count("```quiz") == 1


@pytest.mark.parametrize("page", PAGES)
def test_every_page_has_a_description_for_link_previews(page, built_site):
    description = front_matter(page).get("description", "")
    assert 50 <= len(description) <= 160, f"{page}: {len(description)} characters"
    assert f'<meta name="description" content="{description.replace(chr(39), "&#39;")}"' in built(built_site, page) \
        or f'<meta name="description" content="{description}"' in built(built_site, page)


def test_the_teachers_page_shows_each_chapters_measured_reading_level(built_site):
    html = built(built_site, "teachers.md")
    for chapter in CHAPTERS:
        reading = measure((ROOT / "docs" / chapter).read_text(encoding="utf-8"), FACTS)
        row = re.search(rf'<a href="../{chapter[:-3]}/"[^>]*>.*?</a></td>\s*<td[^>]*>{reading.words:,}</td>'
                        rf'\s*<td[^>]*>about {reading.minutes} min</td>\s*<td[^>]*>{reading.grade:.1f}</td>', html)
        assert row, f"no reading-level row for {chapter}"


def test_the_site_says_alibaba_had_not_responded():
    text = " ".join((ROOT / "docs" / page).read_text(encoding="utf-8") for page in ["index.md", *CHAPTERS])
    assert re.search(r"Alibaba had not (publicly )?respond", text)
