"""A broken link fails the build and says where it was written, with the line.

Two guards, each tested where only it can see the defect:

- ``mkdocs build --strict`` (``validation:`` at ``warn`` in mkdocs.yml)
  refuses a Markdown link to a missing page, anchor or image: one build of a
  copy of the project, with one of each planted, must fail naming each.
- The offline link checker (``distill_site.checks.links``) reads the built
  HTML, so it sees what MkDocs never validates: links written as raw HTML in
  a page, links in templates (on every page, 404.html too), images, srcsets.
  Each defect is planted in a tiny built site in a temporary folder (three
  pages, their Markdown, one template) and the checker runs in-process.

(Dangerous ``javascript:`` and ``data:`` URLs, planted into a copy of the real
build, are in tests/test_site_checks.py.)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import UNBUILT, build
from distill_site.checks import links

BASE = "/explainer/"
TEMPLATE = "overrides/partials/head-extra.html"

# The tiny site: built file -> (its Markdown source, the body MkDocs wrote).
# Every kind of link the checker follows, once each, all good.
PAGES = {
    "index.html": ("index.md", '<h1 id="home">Home</h1>\n'
                   '<p><a href="chapter/">A chapter</a>, <a href="chapter/#a-section">its section</a></p>'),
    "chapter/index.html": ("chapter.md", '<h1 id="chapter">A chapter</h1>\n<h2 id="a-section">A section</h2>\n'
                           '<p><a href="../">Home</a> <a href="#a-section">here</a> '
                           '<a href="/explainer/chapter/#chapter">absolute</a> '
                           '<img src="../assets/diagram.svg" srcset="../assets/diagram.svg 2x" alt="A diagram"> '
                           '<a href="https://example.org/report">elsewhere</a> '
                           '<a href="mailto:a@example.org">mail</a></p>'),
    "404.html": (None, '<h1 id="not-found">Not found</h1>\n<p><a href="/explainer/">Home</a></p>'),
}
TEMPLATE_TEXT = ("{#- Written into every page's head. -#}\n"
                 "<link rel=\"stylesheet\" href=\"{{ 'assets/site.css' | url }}\">\n")


@dataclass
class TinySite:
    """A built site as MkDocs would leave it, in the current directory."""

    root: Path

    def page_root(self, page: str) -> str:
        """How ``{{ '...' | url }}`` starts on this page (404.html uses site_url's path)."""
        return BASE if page == "404.html" else "../" * page.count("/")

    def write(self, heads: dict[str, str] | None = None) -> None:
        for page, (_, body) in PAGES.items():
            head = f'<link rel="stylesheet" href="{self.page_root(page)}assets/site.css">' + (heads or {}).get(page, "")
            path = self.root / "site" / page
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"<!doctype html>\n<html>\n<head>\n{head}\n</head>\n<body>\n<article>\n{body}\n"
                            f"</article>\n</body>\n</html>\n", encoding="utf-8")
        for page, (markdown, body) in PAGES.items():
            if markdown:
                (self.root / "docs").mkdir(exist_ok=True)
                (self.root / "docs" / markdown).write_text(f"# {markdown}\n\nSome text.\n", encoding="utf-8")
        for asset in ("assets/site.css", "assets/diagram.svg"):
            (self.root / "site" / asset).parent.mkdir(parents=True, exist_ok=True)
            (self.root / "site" / asset).write_text("/* */\n", encoding="utf-8")
        (self.root / TEMPLATE).parent.mkdir(parents=True, exist_ok=True)
        (self.root / TEMPLATE).write_text(TEMPLATE_TEXT, encoding="utf-8")
        (self.root / "mkdocs.yml").write_text(f"site_url: https://example.org{BASE}\n", encoding="utf-8")

    def plant(self, page: str, html: str) -> int:
        """Write ``html`` into a built page and, as raw HTML, into its Markdown; the Markdown line."""
        built = self.root / "site" / page
        built.write_text(built.read_text(encoding="utf-8").replace("</article>", html + "\n</article>"),
                         encoding="utf-8")
        markdown = self.root / "docs" / PAGES[page][0]
        before = markdown.read_text(encoding="utf-8")
        markdown.write_text(before + "\n" + html + "\n", encoding="utf-8")
        return before.count("\n") + 2

    def plant_in_template(self, template_line: str, built: str) -> int:
        """Add a line to the template, and what it renders to every page's head; the template's line."""
        template = self.root / TEMPLATE
        before = template.read_text(encoding="utf-8")
        template.write_text(before + template_line + "\n", encoding="utf-8")
        self.write_heads({page: built.format(root=self.page_root(page)) for page in PAGES})
        return before.count("\n") + 1

    def write_heads(self, heads: dict[str, str]) -> None:
        for page, head in heads.items():
            built = self.root / "site" / page
            built.write_text(built.read_text(encoding="utf-8").replace("</head>", head + "\n</head>"),
                             encoding="utf-8")

    def messages(self) -> list[str]:
        """What the checker reports, as `python -m distill_site.checks.links site` prints it."""
        problems = links.check_site(Path("site"), BASE)
        return links.report(problems, Path("docs"), Path("overrides"), Path("data/figures.yml"))


@pytest.fixture
def tiny(tmp_path, monkeypatch) -> TinySite:
    monkeypatch.chdir(tmp_path)  # messages name files as the build's own folder does
    site = TinySite(tmp_path)
    site.write()
    return site


def test_the_tiny_site_has_every_kind_of_link_and_checks_clean(tiny):
    assert tiny.messages() == []


def test_the_real_site_checks_clean(built_site):
    problems = links.check_site(built_site, BASE)
    assert [p for p in problems if not links.into_unbuilt(p, built_site, UNBUILT)] == []


@dataclass(frozen=True)
class Defect:
    name: str
    html: str  # written as raw HTML into the chapter
    url: str  # the broken URL in it
    says: str  # the checker's reason

    def __str__(self) -> str:
        return self.name


DEFECTS = [
    Defect("link to a missing page", '<p><a href="../vanished-chapter/">An old chapter</a></p>',
           "../vanished-chapter/", "missing file vanished-chapter/index.html"),
    Defect("missing anchor on another page", '<p><a href="../#no-such-section">Home</a></p>',
           "../#no-such-section", "no element with id 'no-such-section' in index.html"),
    Defect("missing anchor on the same page", '<p><a href="#nowhere-on-this-page">Back</a></p>',
           "#nowhere-on-this-page", "no element with id 'nowhere-on-this-page' in chapter/index.html"),
    Defect("missing image", '<p><img src="../assets/missing-diagram.png" alt="A diagram"></p>',
           "../assets/missing-diagram.png", "missing file assets/missing-diagram.png"),
    Defect("missing image in a srcset",
           '<p><img src="../assets/diagram.svg" srcset="../assets/wide-diagram.png 2x" alt=""></p>',
           "../assets/wide-diagram.png", "missing file assets/wide-diagram.png"),
    Defect("absolute link outside site_url's path", '<p><a href="/other-site/">Elsewhere</a></p>',
           "/other-site/", "points outside the site (not under /explainer/)"),
]


@pytest.mark.parametrize("defect", DEFECTS, ids=str)
def test_a_broken_link_in_a_page_is_named_with_its_markdown_line(tiny, defect):
    at = tiny.plant("chapter/index.html", defect.html)
    assert tiny.messages() == [
        f"docs/chapter.md:{at}: broken link '{defect.url}' ({defect.says}; seen in site/chapter/index.html)"]


def test_broken_link_in_a_template_is_blamed_on_the_template_once(tiny):
    # Material builds every page and 404.html from the template.
    at = tiny.plant_in_template("<link rel=\"help\" href=\"{{ 'retired-help-page/' | url }}\">",
                                '<link rel="help" href="{root}retired-help-page/">')
    messages = tiny.messages()
    assert len(messages) == 1, messages
    assert messages[0].startswith(f"{TEMPLATE}:{at}: broken link ")
    assert "retired-help-page/" in messages[0] and "and 2 more page(s)" in messages[0]


def test_broken_link_on_the_404_page_is_found(tiny):
    tiny.write_heads({"404.html": '<link rel="help" href="/explainer/lost/">'})
    problems = links.check_site(Path("site"), BASE)
    assert [(p.page, p.url) for p in problems] == [("404.html", "/explainer/lost/")]


def test_the_command_line_fails_and_prints_where(tiny, capsys):
    assert links.main(["site"]) == 0
    at = tiny.plant("chapter/index.html", DEFECTS[0].html)
    assert links.main(["site"]) == 1
    printed = capsys.readouterr().err
    assert f"docs/chapter.md:{at}: broken link '../vanished-chapter/'" in printed
    assert "check_links: 1 broken or unsafe link(s) in 3 pages" in printed


@pytest.mark.slow
def test_the_strict_build_refuses_broken_markdown_links_and_names_the_page(project_copy):
    chapter = project_copy / "docs" / "what-is-distillation.md"
    planted = {
        "no-such-page.md": "See [the old page](no-such-page.md).",
        "sources.md#no-such-section": "See [a section](sources.md#no-such-section).",
        "#nowhere-on-this-page": "Back to [the top](#nowhere-on-this-page).",
        "images/missing-diagram.png": "![A diagram](images/missing-diagram.png)",
    }
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n\n" + "\n\n".join(planted.values()) + "\n",
                       encoding="utf-8")
    result = build(project_copy)
    assert not result.ok
    for link in planted:  # a warning each (strict mode fails on warnings, not on INFO lines)
        said = [line for line in result.output.splitlines() if f"'{link}'" in line]
        assert said and said[0].startswith("WARNING") and "what-is-distillation.md" in said[0], \
            f"{link} is not a warning naming the page:\n{result.output}"
