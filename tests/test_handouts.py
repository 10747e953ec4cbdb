"""A teacher finds a ready PDF handout of each chapter on the teachers' page.

What the build does around the handouts, without a browser: the teachers'
page lists them (titles and sentences from the chapters' own front matter);
a build without Chromium says it made no handouts, and its link and URL
checks say what they did not check, while a build for publishing or under
CI refuses; the PDFs' dates are the commit's. (The PDFs themselves:
tests/browser/test_handouts.py.)
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from distill_site.errors import SiteError
from distill_site.pages.handouts import extension_options, handouts, worksheet_handouts
from distill_site.site_config import read_site_config
from distill_site.tools import handouts as handouts_tool
from distill_site.tools import pipeline

OPTIONS = extension_options(read_site_config(ROOT / "mkdocs.yml"))
HANDOUTS = handouts(OPTIONS)
CHAPTERS = [handout for handout in HANDOUTS if not handout.is_pack]
# Every PDF the build prints: the handouts above, and each chapter's one-page worksheet.
PDFS = HANDOUTS + worksheet_handouts(OPTIONS)


def front(uri: str, field: str) -> str:
    return re.search(rf"^{field}: (.+)$", (ROOT / "docs" / uri).read_text(encoding="utf-8"), re.M)[1]


def test_the_teachers_page_links_each_chapters_handout_by_its_own_title_and_description(built_site):
    html = (built_site / "teachers" / "index.html").read_text(encoding="utf-8")
    listed = re.findall(r'<li><a href="\.\./(handouts/[\w-]+\.pdf)" type="application/pdf"[^>]*>(.*?)</a>: (.*?)</li>',
                        html, re.S)
    assert [path for path, _, _ in listed] == [handout.path for handout in HANDOUTS]
    for chapter, (_, title, sentence) in zip(CHAPTERS, listed):
        assert re.sub(r"<[^>]+>", "", title) == front(chapter.pages[0], "title")  # the glossary marks words up
        assert re.sub(r"<[^>]+>", "", sentence) == front(chapter.pages[0], "description")
    pack = HANDOUTS[-1]
    assert pack.is_pack and pack.pages == tuple(c.pages[0] for c in CHAPTERS) + ("glossary.md",)
    assert "the glossary" in listed[-1][2]


def run_checks_without_chromium(site: Path, monkeypatch, capsys, **environ) -> tuple[int, str, str]:
    """The handouts step and the checks that follow it, as `make build` runs them."""
    monkeypatch.chdir(ROOT)
    for name in ("CI", "PUBLISH"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(handouts_tool.chromium, "find", lambda binary: None)
    keep = {"handouts", "links", "urls"}
    status = pipeline.run(site, stages=("finish", "checks"), skip=[s.name for s in pipeline.STEPS if s.name not in keep])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def site_without_handouts(built_site, tmp_path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    shutil.rmtree(site / "handouts", ignore_errors=True)
    return site


def test_without_chromium_a_local_build_says_it_made_no_handouts_and_what_it_did_not_check(
        site_without_handouts, monkeypatch, capsys):
    status, out, err = run_checks_without_chromium(site_without_handouts, monkeypatch, capsys)
    assert status == 0, out + err
    assert "handouts: SKIPPED" in out and "not one to publish" in out
    assert f"check_links: NOT CHECKED: {len(PDFS)} link(s) into handouts/" in out
    assert f"check_urls: NOT CHECKED: {len(PDFS)} promised URL(s) in handouts/" in out
    assert not (site_without_handouts / "handouts").exists()


@pytest.mark.parametrize("environ", [{"CI": "true"}, {"PUBLISH": "1"}], ids=["CI", "publishing"])
def test_without_chromium_a_build_for_publishing_or_under_ci_fails(site_without_handouts, monkeypatch, capsys, environ):
    status, out, err = run_checks_without_chromium(site_without_handouts, monkeypatch, capsys, **environ)
    assert status != 0
    assert "must make the PDF handouts" in err and "apt-get install chromium" in err
    assert "stopped at 'handouts'" in err


def test_a_handouts_folder_that_exists_is_checked_file_by_file(site_without_handouts, monkeypatch, capsys):
    # Only a folder the build did not make at all is excused: one missing PDF fails.
    (site_without_handouts / "handouts").mkdir()
    for handout in PDFS[1:]:
        (site_without_handouts / handout.path).write_bytes(b"%PDF-1.4\n")
    monkeypatch.chdir(ROOT)
    keep = {"links", "urls"}
    status = pipeline.run(site_without_handouts, stages=("checks",),
                          skip=[s.name for s in pipeline.STEPS if s.name not in keep])
    err = capsys.readouterr().err
    assert status != 0
    assert f"broken link '../{HANDOUTS[0].path}' (missing file {HANDOUTS[0].path}" in err


def test_the_pdfs_dates_are_the_commits_so_two_builds_give_the_same_files():
    made = b"%PDF-1.4\n<</CreationDate (D:20261203031746+00'00')\n/ModDate (D:20261203031746+00'00')>>\n"
    fixed = handouts_tool.fixed_dates(made, 1767225600)  # 2026-01-01
    assert fixed == made.replace(b"20261203031746", b"20260101000000")
    assert len(fixed) == len(made)  # the cross-reference offsets still hold


def test_the_pdfs_ids_do_not_depend_on_when_chromium_handed_them_out():
    # Two runs of the lesson pack, seen: the same elements, ids one apart.
    one = b"/ID (node00003141)>> /ID (node00003142)>> /Names [(node00003141) 9 0 R (node00003527) 8 0 R]"
    two = b"/ID (node00003140)>> /ID (node00003141)>> /Names [(node00003140) 9 0 R (node00003528) 8 0 R]"
    assert handouts_tool.numbered_ids(one) == handouts_tool.numbered_ids(two) == (
        b"/ID (node00000001)>> /ID (node00000002)>> /Names [(node00000001) 9 0 R (node00000003) 8 0 R]")


def test_a_handout_of_a_page_that_was_not_built_fails_naming_the_configurations_line(site_without_handouts):
    shutil.rmtree(site_without_handouts / "glossary")
    config = ROOT / "mkdocs.yml"
    line = config.read_text(encoding="utf-8").splitlines().index("          - glossary.md") + 1
    with pytest.raises(SiteError) as failed:
        handouts_tool.check_pages(site_without_handouts, config, HANDOUTS)
    assert str(failed.value).startswith(f"{config}:{line}: the handout 'lesson-pack' prints glossary.md, which was not built")
