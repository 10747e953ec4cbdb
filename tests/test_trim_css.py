"""Material's CSS is trimmed to what the built site can use, under a new name.

The proof that nothing visible changes is in tests/browser/test_trimmed_css.py
(screenshots with the original and the trimmed files); these tests hold the
rules of the trim itself and what it does to the site's files.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import material
import pytest

from distill_site.tools import trim_css
from distill_site.tools.trim_css import Usage

MATERIAL_CSS = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"


def usage(*classes: str, primary=("indigo",)) -> Usage:
    return Usage(set(classes), {"data-md-color-primary": set(primary), "data-md-color-accent": {"indigo"}})


@pytest.mark.parametrize("stem", trim_css.TRIMMED)
def test_materials_stylesheets_survive_parsing_unchanged(stem):
    (source,) = MATERIAL_CSS.glob(f"{stem}.*.min.css")
    text = trim_css.strip_comments(source.read_text(encoding="utf-8"))
    assert re.sub(r"\s+", "", trim_css.serialize(trim_css.parse(text))) == re.sub(r"\s+", "", text)


def test_a_rule_stays_when_one_of_its_selectors_can_match():
    css = (".used{a:1}.unused{b:2}.unused,.used p{c:3}.used .unused{d:4}"
           ".used:not(.unused){e:5}p,a[href$=\".pdf\"]{f:6}:root{--x:1}")
    assert trim_css.trim_css(css, usage("used")) == (
        ".used{a:1}.unused,.used p{c:3}.used:not(.unused){e:5}p,a[href$=\".pdf\"]{f:6}:root{--x:1}")


def test_at_rules_are_kept_or_trimmed_inside():
    css = ("@charset \"utf-8\";@font-face{font-family:x;src:url(a.woff2)}"
           "@keyframes spin{0%{opacity:0}to{opacity:1}}"
           "@media screen{.used{a:1}.unused{b:2}}@media print{.unused{c:3}}"
           "@supports (display:grid){@media (min-width:1px){.unused{d:4}}}")
    assert trim_css.trim_css(css, usage("used")) == (
        "@charset \"utf-8\";@font-face{font-family:x;src:url(a.woff2)}"
        "@keyframes spin{0%{opacity:0}to{opacity:1}}@media screen{.used{a:1}}")


def test_palette_colours_the_site_never_shows_go():
    css = ("[data-md-color-primary=indigo]{--a:1}[data-md-color-primary=pink]{--a:2}"
           "[data-md-color-scheme=slate]{--b:1}[data-md-color-accent=red] .used{--c:1}")
    assert trim_css.trim_css(css, usage("used")) == (
        "[data-md-color-primary=indigo]{--a:1}[data-md-color-scheme=slate]{--b:1}")


def test_strings_with_braces_and_comments_are_not_rules():
    css = '/* .used{x} */.used:after{content:"}{"}.unused{x:url("a{b}")}'
    assert trim_css.trim_css(css, usage("used")) == '.used:after{content:"}{"}'


def test_a_stylesheet_that_does_not_parse_is_refused():
    with pytest.raises(trim_css.TrimError):
        trim_css.trim_css(".used{a:1", usage("used"))


def test_classes_come_from_the_html_and_materials_script_strings(built_site):
    found = trim_css.site_usage(built_site)
    assert {"md-header", "md-typeset", "fig"} <= found.classes  # in the pages
    assert {"md-tooltip2--active", "md-search-result__item"} <= found.classes  # added by the bundle
    assert found.colors["data-md-color-primary"] == {"indigo"}


def test_the_built_site_uses_the_trimmed_files_and_only_them(built_site):
    styles = built_site / "assets" / "stylesheets"
    originals = {path.name for path in MATERIAL_CSS.glob("*.min.css")}
    assert not originals & {path.name for path in styles.iterdir()}  # removed, maps too
    trimmed = {path.name for path in styles.glob("*.min.css")}
    assert {name.split(".")[0] for name in trimmed} == set(trim_css.TRIMMED)
    for name in trimmed:  # the name is the content's hash
        digest = hashlib.sha256((styles / name).read_bytes()).hexdigest()[:8]
        assert name.split(".")[1] == digest
    pages = sorted(built_site.rglob("*.html"))
    assert any(page.name == "404.html" for page in pages)
    for page in pages:  # 404 and redirect stubs included
        html = page.read_text(encoding="utf-8")
        assert not any(name in html for name in originals), page
        # Embed pages (embed/<id>/, tools/downloads.py) load only the site's own two stylesheets.
        if "<link rel=\"stylesheet\"" in html and page.parent.parent != built_site / "embed":
            assert all(name in html for name in trimmed), page


def test_trimming_again_changes_nothing(built_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    before = {path: path.read_bytes() for path in site.rglob("*") if path.is_file()}
    assert trim_css.main([str(site)]) == 0
    after = {path: path.read_bytes() for path in site.rglob("*") if path.is_file()}
    assert after == before


def test_a_site_without_materials_stylesheet_fails_loudly(tmp_path, capsys):
    (tmp_path / "index.html").write_text("<p class=x>hi</p>", encoding="utf-8")
    (tmp_path / "assets" / "javascripts").mkdir(parents=True)
    (tmp_path / "assets" / "javascripts" / "bundle.0.min.js").write_text('"x"', encoding="utf-8")
    assert trim_css.main([str(tmp_path)]) == 1
    assert "main.<hash>.min.css" in capsys.readouterr().err


def test_our_own_stylesheets_reach_readers_without_their_comments(tmp_path):
    # The explanations stay in overrides/; a reader's browser downloads only the rules.
    folder = tmp_path / "assets" / "stylesheets"
    folder.mkdir(parents=True)
    (folder / "site.css").write_text('/* why */\n.a::before {\n  content: "/* kept */";\n}\n\n', encoding="utf-8")
    (folder / "main.0123abcd.min.css").write_text("/* Material's */.b{color:red}", encoding="utf-8")
    assert trim_css.compact_site(tmp_path)
    assert (folder / "site.css").read_text(encoding="utf-8") == '.a::before {\ncontent: "/* kept */";\n}\n'
    assert (folder / "main.0123abcd.min.css").read_text(encoding="utf-8") == "/* Material's */.b{color:red}"
    assert trim_css.compact_site(tmp_path) == []  # done once is done
