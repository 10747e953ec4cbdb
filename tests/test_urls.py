"""A teacher's link never breaks.

tests/url_contract.txt lists every page and section URL the site has
published. Each must keep working; a renamed page needs a redirect stub.
"""

from __future__ import annotations

from conftest import ROOT, UNBUILT, build
from distill_site.checks.urls import check, published_urls, resolve

CONTRACT = ROOT / "tests" / "url_contract.txt"


def test_every_promised_url_reaches_its_page_and_section(built_site):
    # The PDF handouts too, unless this machine has no Chromium to print them.
    assert check(built_site, CONTRACT, UNBUILT) == []


def test_every_chapter_section_has_an_explicit_stable_id():
    # A heading without { #id } gets an id from its wording, which a
    # rewording would silently change.
    # (A line starting with # in a fenced block, such as a chart declaration's comment, is no heading.)
    for page in sorted((ROOT / "docs").glob("*.md")):
        in_fence = False
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith(("```", "~~~")):
                in_fence = not in_fence
            elif not in_fence and line.startswith("#") and " " in line and line.lstrip("#").startswith(" "):
                assert "{ #" in line or "{#" in line, f"{page.name}:{number}: heading without an explicit id"


def _rename_glossary(project):
    (project / "docs/glossary.md").rename(project / "docs/terms.md")
    for page in (project / "docs").glob("*.md"):
        page.write_text(page.read_text().replace("glossary.md", "terms.md"))
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("Glossary: glossary.md", "Glossary: terms.md"))


def test_renaming_a_page_without_a_redirect_fails(project_copy):
    _rename_glossary(project_copy)
    result = build(project_copy)
    assert result.ok, result.output
    problems = check(result.site, CONTRACT, UNBUILT)
    assert any("'/glossary/' no longer works (no page at /glossary/)" in p for p in problems), problems


def test_a_redirect_stub_keeps_the_old_page_and_section_links_working(project_copy):
    _rename_glossary(project_copy)
    (project_copy / "docs/glossary.md").write_text(
        "---\ntemplate: redirect.html\nlocation: ../terms/\n---\n")
    config = project_copy / "mkdocs.yml"
    # Listed with the pages already outside the nav (the worksheets), or as the first.
    text = config.read_text()
    config.write_text(text.replace("not_in_nav: |\n", "not_in_nav: |\n  /glossary.md\n", 1)
                      if "not_in_nav: |\n" in text else text + "\nnot_in_nav: |\n  /glossary.md\n")
    result = build(project_copy)
    assert result.ok, result.output
    assert resolve(result.site, "/glossary/#glossary") is None
    assert "/terms/" in published_urls(result.site)
    # The new URL is published but not promised yet: the check asks to add it.
    assert [p for p in check(result.site, CONTRACT, UNBUILT) if "'/terms/' is published" in p]
    assert not [p for p in check(result.site, CONTRACT, UNBUILT) if "no longer works" in p]


def test_a_removed_section_id_fails(project_copy):
    sources = project_copy / "docs/sources.md"
    sources.write_text(sources.read_text().replace("{ #where-the-sources-disagree }", "{ #disagreements }")
                       )
    for page in (project_copy / "docs").glob("*.md"):
        page.write_text(page.read_text().replace("#where-the-sources-disagree", "#disagreements"))
    result = build(project_copy)
    assert result.ok, result.output
    problems = check(result.site, CONTRACT, UNBUILT)
    assert any("/sources/#where-the-sources-disagree" in p and "no section" in p for p in problems), problems
