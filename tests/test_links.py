"""A broken link fails the build and says where it was written, with the line.

Each test plants one kind of defect in a private copy of the project and
builds it the way CI does: strict MkDocs build, then the offline link check
over every built page, 404.html included. (Dangerous ``javascript:`` and
``data:`` URLs, planted straight into a built site, are in
tests/test_site_checks.py.)
"""

from __future__ import annotations

from conftest import build

CHAPTER = "docs/what-is-distillation.md"


def plant(project, relative, text) -> int:
    """Append ``text`` to a file of the project; the line it is on."""
    path = project / relative
    before = path.read_text(encoding="utf-8")
    path.write_text(before + "\n" + text + "\n", encoding="utf-8")
    return before.count("\n") + 2


def test_the_site_builds_and_checks_clean(built_site):
    from distill_site.check_links import check_site
    assert check_site(built_site, "/explainer/") == []


def test_link_to_a_missing_page_fails_and_names_the_page(project_copy):
    plant(project_copy, CHAPTER, "See [the old page](no-such-page.md).")
    result = build(project_copy, check_links=True)
    assert not result.ok
    assert "what-is-distillation.md" in result.output
    assert "no-such-page.md" in result.output


def test_missing_anchor_on_another_page_fails(project_copy):
    plant(project_copy, CHAPTER, "See [a section](sources.md#no-such-section).")
    result = build(project_copy, check_links=True)
    assert not result.ok
    assert "what-is-distillation.md" in result.output
    assert "no-such-section" in result.output


def test_missing_anchor_on_the_same_page_fails(project_copy):
    plant(project_copy, CHAPTER, "Back to [the top](#nowhere-on-this-page).")
    result = build(project_copy, check_links=True)
    assert not result.ok
    assert "what-is-distillation.md" in result.output
    assert "nowhere-on-this-page" in result.output


def test_missing_image_fails(project_copy):
    plant(project_copy, CHAPTER, "![A diagram](images/missing-diagram.png)")
    result = build(project_copy, check_links=True)
    assert not result.ok
    assert "what-is-distillation.md" in result.output
    assert "missing-diagram.png" in result.output


def test_broken_link_in_a_template_is_blamed_on_the_template_once(project_copy):
    # Material builds every page and 404.html from this template.
    at = plant(project_copy, "overrides/partials/head-extra.html",
               '<link rel="help" href="{{ \'retired-help-page/\' | url }}">')
    result = build(project_copy, check_links=True)
    assert not result.ok
    lines = [line for line in result.output.splitlines() if "retired-help-page" in line]
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"overrides/partials/head-extra.html:{at}: broken link")
    assert "more page(s)" in lines[0]


def test_broken_link_on_the_404_page_is_found(project_copy):
    from distill_site.check_links import check_site
    plant(project_copy, "overrides/partials/head-extra.html",
          '{% if not page %}<link rel="help" href="{{ \'lost/\' | url }}">{% endif %}')
    result = build(project_copy)
    assert result.ok, result.output
    problems = check_site(result.site, "/explainer/")
    assert [p.page for p in problems] == ["404.html"]
    assert "lost/" in problems[0].url


def test_broken_raw_html_link_in_markdown_fails_and_names_the_page(project_copy):
    at = plant(project_copy, CHAPTER, '<p><a href="../vanished-chapter/">An old chapter</a></p>')
    result = build(project_copy, check_links=True)
    assert not result.ok
    line = next(l for l in result.output.splitlines() if "vanished-chapter" in l)
    assert line.startswith(f"docs/what-is-distillation.md:{at}: broken link '../vanished-chapter/'")


def test_broken_raw_html_anchor_fails(project_copy):
    plant(project_copy, CHAPTER, '<p><a href="../sources/#not-a-source">A source</a></p>')
    result = build(project_copy, check_links=True)
    assert not result.ok
    assert "no element with id 'not-a-source'" in result.output
