"""A reader meets a glossary term's dotted underline and tooltip once per section, not on every use."""

from __future__ import annotations

import re

from test_bad_pages import convert_page, project  # noqa: F401  (the fixture, and the page converter it feeds)


def marks(html: str, term: str) -> int:
    return len(re.findall(rf"<abbr [^>]*>{term}</abbr>", html))


def test_a_term_is_marked_on_its_first_use_in_each_section(project):  # noqa: F811
    html = convert_page(project, "## One\n\nThe weights matter. Other weights too, and weights again.\n\n"
                                 "## Two\n\nHere the weights are new to the section. Weights once more.\n")
    first, second = html.split("<h2", 2)[1:]
    assert marks(first, "weights") == 1 and marks(second, "weights") == 1
    assert "Other weights too, and weights again." in first  # the words stay, unmarked
    assert "Weights once more." in second


def test_a_term_in_a_list_or_table_counts_as_a_use_in_its_section(project):  # noqa: F811
    html = convert_page(project, "## One\n\n- the weights\n- more weights\n\n| a |\n| --- |\n| weights |\n")
    assert marks(html, "weights") == 1
