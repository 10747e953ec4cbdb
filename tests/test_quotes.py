"""Every quote in the data file is its source's own words.

A maintainer who cites a source copies the shortest words of it that back
the claim; the check finds them in the archived copy of that source. These
tests need the archive (``../shared/sources``), which is not part of the
project: they skip without it, except under CI, where it is always present.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from distill_site.checks import quotes
from distill_site.facts.figures import load_figures

DATA = ROOT / "data" / "figures.yml"
ARCHIVE = ROOT.parent / "shared" / "sources"

needs_archive = pytest.mark.skipif(
    not ARCHIVE.is_dir() and not os.environ.get("CI"),
    reason=f"no archive of the sources at {ARCHIVE} (it is not part of the project)")


@needs_archive
def test_every_quote_is_found_in_its_source():
    missing, unverified = quotes.check_quotes(DATA, ARCHIVE)
    assert not missing, "\n".join(f.describe("data/figures.yml") for f in missing)
    assert all(f.source in ("anthropic-feb-post",) for f in unverified)


@needs_archive
def test_a_one_word_change_to_any_quote_is_caught():
    facts = load_figures(DATA)
    texts = quotes.archived_texts(facts, ARCHIVE)
    quoted = [c for c, _ in facts.all_citations() if c.quote]
    assert len(quoted) > 50
    for citation in quoted:
        for index, word in enumerate(citation.quote.split()):
            words = citation.quote.split()
            words[index] = "zebra" if word != "zebra" else "okapi"
            changed = dataclasses.replace(citation, quote=" ".join(words))
            assert not quotes.is_quoted(changed, texts), (citation.line, changed.quote)


@needs_archive
def test_a_changed_quote_fails_the_check_naming_its_line(tmp_path):
    text = DATA.read_text(encoding="utf-8")
    line = next(n for n, row in enumerate(text.split("\n"), 1) if '"approximately 25,000 fraudulent accounts"' in row)
    path = tmp_path / "figures.yml"
    path.write_text(text.replace('"approximately 25,000 fraudulent accounts"', '"about 25,000 fraudulent accounts"'),
                    encoding="utf-8")
    missing, _ = quotes.check_quotes(path, ARCHIVE)
    assert [(f.line, f.source) for f in missing] == [(line, "s3-pymnts")]
    assert "approximately 25,000 fraudulent accounts" in missing[0].nearest
    assert f"figures.yml:{line}:" in missing[0].describe(str(path))


@needs_archive
def test_a_changed_archive_fails_the_quotes_it_held(tmp_path):
    archive = tmp_path / "sources"
    shutil.copytree(ARCHIVE, archive)
    pymnts = archive / "003_e33426dfd86f6488.txt"
    pymnts.write_text(pymnts.read_text(encoding="utf-8").replace("roughly 24,000", "roughly 42,000"),
                      encoding="utf-8")
    missing, _ = quotes.check_quotes(DATA, archive)
    assert missing and all(f.source == "s3-pymnts" for f in missing)
    assert any("roughly 42,000" in f.nearest for f in missing)


def test_quotes_compare_as_a_reader_would():
    assert quotes.normalise("the “largest-known”  attack — it’s") == \
        quotes.normalise('the "largest-known" attack-it\'s')
    assert quotes.normalise("June 24–26") == quotes.normalise("June 24-26")
    assert quotes.normalise("28.8 million") != quotes.normalise("28.9 million")


def test_without_the_archive_the_check_says_so_and_skips(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    assert quotes.main(["--archive", str(tmp_path / "absent")]) == 0
    assert "skipped" in capsys.readouterr().out


def test_under_ci_a_missing_archive_fails(tmp_path, monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert quotes.main(["--archive", str(tmp_path / "absent")]) == 1


def test_an_archived_source_cited_without_its_words_is_refused(tmp_path):
    text = DATA.read_text(encoding="utf-8").replace(
        '      - s3-pymnts: "roughly 24,000 fake accounts"\n      - anthropic-feb-post\n',
        "      - s3-pymnts\n      - anthropic-feb-post\n", 1)
    path = tmp_path / "figures.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(Exception, match=r"figures\.yml:\d+: figure 'february_accounts' cites 's3-pymnts' without its words"):
        load_figures(path)


def test_readers_see_the_quote_with_the_source_name(built_site):
    home = (built_site / "index.html").read_text(encoding="utf-8")
    tooltip = re.search(r'href="numbers/#fig-alibaba-exchanges" title="([^"]+)"', home).group(1)
    assert "PYMNTS: “…more than 28.8 million interactions…”" in tooltip
    numbers = (built_site / "numbers/index.html").read_text(encoding="utf-8")
    row = re.search(r'id="fig-alibaba-exchanges".*?</tr>', numbers, re.S).group(0)
    assert "“…more than 28.8 million interactions…”" in row
