"""Publishing: what a host, a crawler, a social network and a citer get.

- every page has link-preview tags pointing at the committed 1200x630 PNG,
  which shows the current headline figure;
- the favicon is ours; robots.txt names the sitemap at site_url;
- chapters with ``cite: true`` end with a reproducible "cite this page" box;
- the licences and the two GitHub workflows are in place;
- the Content-Security-Policy documented in HOSTING.md covers every inline
  script (tests/browser/test_csp.py shows it holding in Chromium).

(That two builds of one commit are byte-identical is in tests/test_build.py.)
"""

from __future__ import annotations

import base64
import hashlib
import re
import struct
import xml.etree.ElementTree as ET
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, build
from distill_site.tools import preview_image
from distill_site.facts import syntax
from distill_site.site_config import read_site_config

HOSTING = ROOT / "HOSTING.md"
PREVIEW = ROOT / "docs" / "assets" / "images" / "preview.png"
FAVICON = ROOT / "docs" / "assets" / "images" / "favicon.svg"
ROBOTS = ROOT / "docs" / "robots.txt"
WORKFLOWS = ROOT / ".github" / "workflows"


# --- Helpers ------------------------------------------------------------------------

def mkdocs_config() -> dict:
    return read_site_config(ROOT / "mkdocs.yml")


def site_url() -> str:
    url = mkdocs_config()["site_url"]
    return url if url.endswith("/") else url + "/"


class HeadParser(HTMLParser):
    """Meta tags, link tags and inline scripts of one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self.inline_scripts: list[str] = []
        self._script: list[str] | None = None
        self._raw = ""

    def feed_raw(self, text: str):
        self._raw = text
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta[key] = attrs.get("content") or ""
        elif tag == "link" and attrs.get("rel"):
            self.links.setdefault(attrs["rel"], attrs.get("href") or "")
        elif tag == "script" and "src" not in attrs and attrs.get("type") in (None, "", "text/javascript", "module"):
            self._script = []

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.inline_scripts.append("".join(self._script))
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)


def parse(file: Path) -> HeadParser:
    parser = HeadParser()
    # Script text must be hashed exactly as written: no entity conversion inside <script>
    # (HTMLParser treats script content as CDATA, so convert_charrefs does not touch it).
    parser.feed_raw(file.read_text(encoding="utf-8"))
    return parser


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def front_matter(page: Path) -> dict:
    return syntax.front_matter(page.read_text(encoding="utf-8"))


def built_file(site: Path, md: Path) -> Path:
    rel = md.relative_to(ROOT / "docs").with_suffix("")
    return site / "index.html" if rel.name == "index" and rel.parent == Path(".") else site / rel / "index.html"


def local_path(site: Path, url: str) -> Path:
    """The built file an absolute URL under site_url names."""
    base = site_url()
    assert url.startswith(base), f"{url} is not under site_url {base}"
    rest = url[len(base):].split("#")[0]
    target = site / rest
    return target / "index.html" if rest == "" or rest.endswith("/") else target


# --- The preview image ------------------------------------------------------------------

def test_preview_image_is_a_valid_1200x630_png():
    data = PREVIEW.read_bytes()
    chunks = preview_image.png_chunks(data)  # checks the signature and every CRC
    width, height, depth, colour, compression, filtering, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert (width, height) == (1200, 630)
    assert depth == 8 and colour in (2, 6) and (compression, filtering, interlace) == (0, 0, 0)
    pixels = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    channels = 3 if colour == 2 else 4
    assert len(pixels) == height * (1 + width * channels), "the image data does not fill 1200x630"
    assert len(set(pixels)) > 16, "a blank image"


def test_preview_image_shows_the_current_headline_figure():
    # The same check `make build` runs first; it raises, saying what changed.
    preview_image.check_fresh(PREVIEW, ROOT / "data" / "figures.yml", ROOT / "mkdocs.yml")


def test_every_page_has_link_preview_tags(built_site):
    base = site_url()
    image = base + "assets/images/preview.png"
    assert local_path(built_site, image).is_file()
    for file in html_pages(built_site):
        if file.parent.parent.name == "embed" and file.parent.parent.parent == built_site:
            continue  # a chart alone, for other sites' iframes (tools/downloads.py): not a page to share
        page = parse(file)
        meta, where = page.meta, file.relative_to(built_site)
        assert meta.get("og:image") == image, f"{where}: og:image is {meta.get('og:image')!r}"
        assert meta.get("twitter:image") == image, f"{where}: twitter:image"
        assert meta.get("twitter:card") == "summary_large_image", f"{where}: twitter:card"
        assert (meta.get("og:image:width"), meta.get("og:image:height")) == ("1200", "630")
        assert meta.get("og:title") and meta.get("twitter:title") == meta["og:title"], f"{where}: title"
        assert meta.get("og:site_name") == mkdocs_config()["site_name"]
        assert meta.get("og:description"), f"{where}: no og:description"
        assert meta["og:description"] == meta.get("description"), f"{where}: og:description differs from the meta description"
        assert meta.get("og:type") in ("website", "article"), f"{where}: og:type"
        if file.name == "404.html" and file.parent == built_site:
            continue  # served at any address: no canonical URL
        canonical = page.links.get("canonical")
        assert canonical and canonical.startswith(base), f"{where}: canonical link {canonical!r}"
        assert meta.get("og:url") == canonical, f"{where}: og:url is not the canonical URL"
        assert local_path(built_site, canonical) == file, f"{where}: canonical URL names another page"


def test_link_previews_use_each_pages_own_title_and_description(built_site):
    home = parse(built_site / "index.html").meta
    assert home["og:title"] == mkdocs_config()["site_name"] and home["og:type"] == "website"
    own = {"description": 0, "title": 0}  # pages that set their own, so both rules are exercised
    for md in sorted((ROOT / "docs").glob("*.md")):
        meta = front_matter(md)
        file = built_file(built_site, md)
        assert file.is_file(), f"{md.name} was not built"
        tags = parse(file).meta
        expected = meta.get("description") or mkdocs_config().get("site_description")
        assert tags["og:description"] == expected, md.name  # as written, escaped for HTML only
        own["description"] += "description" in meta
        if md.name != "index.md":
            assert tags["og:type"] == "article", md.name
            if meta.get("title"):
                assert tags["og:title"] == meta["title"], md.name
                own["title"] += 1
    assert all(own.values()), own


# --- Favicon, robots.txt, sitemap ------------------------------------------------------------

def test_the_favicon_is_our_own_svg(built_site):
    assert mkdocs_config()["theme"].get("favicon") == "assets/images/favicon.svg"
    root = ET.fromstring(FAVICON.read_text(encoding="utf-8"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("viewBox")
    assert not re.search(r"(href|src)\s*=|url\(", FAVICON.read_text(encoding="utf-8")), "the favicon references another file"
    for file in html_pages(built_site):
        href = parse(file).links.get("icon", "")
        assert href.endswith("assets/images/favicon.svg"), f"{file}: icon is {href!r}"
    assert (built_site / "assets" / "images" / "favicon.svg").read_bytes() == FAVICON.read_bytes()


def test_robots_txt_names_the_sitemap_at_site_url(built_site):
    lines = [line.split("#")[0].strip() for line in ROBOTS.read_text(encoding="utf-8").splitlines()]
    sitemaps = [line.split(":", 1)[1].strip() for line in lines if line.lower().startswith("sitemap:")]
    expected = site_url() + "sitemap.xml"
    assert sitemaps == [expected], (
        f"docs/robots.txt names {sitemaps}, but site_url in mkdocs.yml gives {expected}: "
        "change the Sitemap line together with site_url (HOSTING.md)")
    assert "User-agent: *" in lines
    assert not any(line.lower().startswith("disallow:") and line.split(":", 1)[1].strip() for line in lines)
    assert (built_site / "robots.txt").read_bytes() == ROBOTS.read_bytes(), "robots.txt is not copied as-is"
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [loc.text.strip() for loc in ET.parse(built_site / "sitemap.xml").getroot().findall("s:url/s:loc", namespace)]
    assert locations and all(loc.startswith(site_url()) for loc in locations)
    for loc in locations:
        assert local_path(built_site, loc).is_file(), f"the sitemap lists {loc}, which was not built"


# --- The cite box ----------------------------------------------------------------------------------

CITE_BOX = re.compile(r'<aside class="admonition quote cite-box".*?</aside>', re.S)


def _set_front_matter(md: Path, **fields) -> None:
    text = md.read_text(encoding="utf-8")
    length = syntax.front_matter_length(text.split("\n"))
    lines = text.split("\n")[1:length - 1] if length else []
    body = syntax.without_front_matter(text)
    lines = [line for line in lines if line.split(":")[0] not in fields]
    lines += [f"{key}: {value}" for key, value in fields.items()]
    md.write_text("---\n" + "\n".join(lines) + "\n---\n" + body, encoding="utf-8")


def test_cite_box_only_on_pages_that_ask_for_it(built_site):
    asked = 0
    for md in sorted((ROOT / "docs").glob("*.md")):
        file = built_file(built_site, md)
        assert file.is_file(), f"{md.name} was not built"
        html = file.read_text(encoding="utf-8")
        box = CITE_BOX.search(html)
        if front_matter(md).get("cite") is True:
            asked += 1
            assert box, f"{md.name} has cite: true but no cite box"
            canonical = parse(file).links["canonical"]
            assert f'<a href="{canonical}">{canonical}</a>' in box.group(0)
            assert "Retrieved on" in box.group(0)
            assert "https://creativecommons.org/licenses/by/4.0/" in box.group(0)
        else:
            assert not box, f"{md.name} has a cite box without cite: true"
    assert asked, "no page asks for a cite box: the check above saw only one side"


@pytest.mark.slow
def test_cite_box_dates_come_from_front_matter_not_the_clock(project_copy):
    dated, undated = project_copy / "docs" / "about.md", project_copy / "docs" / "glossary.md"
    _set_front_matter(dated, cite="true", updated="2026-07-01", title="About this site")
    _set_front_matter(undated, cite="true")
    result = build(project_copy, check_links=True)
    assert result.ok, result.output
    box = CITE_BOX.search((result.site / "about" / "index.html").read_text(encoding="utf-8")).group(0)
    assert '<time datetime="2026-07-01">2026-07-01</time>' in box
    assert "<cite>About this site</cite>" in box
    assert "https://distillation.example.org/explainer/about/" in box
    box = CITE_BOX.search((result.site / "glossary" / "index.html").read_text(encoding="utf-8")).group(0)
    assert "<time" not in box and "Retrieved on" in box


# --- Licences and workflows ------------------------------------------------------------------------

def test_licences_for_code_and_text():
    code = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert code.startswith("MIT License") and "Permission is hereby granted, free of charge" in code
    text = (ROOT / "LICENSE-content.md").read_text(encoding="utf-8")
    assert "Creative Commons Attribution 4.0 International" in text
    assert "https://creativecommons.org/licenses/by/4.0/" in text


def _workflow(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads a bare `on:` as true
    return data


def _steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def _check_pins(workflow: dict, name: str) -> None:
    for step in _steps(workflow):
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", step["uses"]), f"{name}: pin {step['uses']} to a major tag"


def test_publish_workflow_builds_strictly_and_deploys_to_pages():
    flow = _workflow("publish.yml")
    assert "main" in flow["on"]["push"]["branches"]
    _check_pins(flow, "publish.yml")
    runs = " ".join(step.get("run", "") for step in _steps(flow))
    assert "make build" in runs
    uses = {step["uses"].split("@")[0]: step for step in _steps(flow) if "uses" in step}
    assert uses["actions/upload-pages-artifact"]["with"]["path"] == "site"
    assert "actions/deploy-pages" in uses
    deploy = next(job for job in flow["jobs"].values()
                  if any("deploy-pages" in step.get("uses", "") for step in job.get("steps", [])))
    permissions = {**flow.get("permissions", {}), **deploy.get("permissions", {})}
    assert permissions.get("pages") == "write" and permissions.get("id-token") == "write"
    assert deploy.get("environment", {}).get("name") == "github-pages"


def test_external_links_workflow_is_weekly_and_manual():
    flow = _workflow("external-links.yml")
    assert flow["on"]["schedule"][0]["cron"] and "workflow_dispatch" in flow["on"]
    _check_pins(flow, "external-links.yml")
    assert "make check-external" in " ".join(step.get("run", "") for step in _steps(flow))


# --- Security headers ----------------------------------------------------------------------------------

def hosting_block(marker: str) -> str:
    """The code between HOSTING.md's ``<!-- MARKER:start -->`` and ``<!-- MARKER:end -->``."""
    block = re.search(rf"<!-- {marker}:start -->\s*```\w*\n(.*?)```\s*<!-- {marker}:end -->",
                      HOSTING.read_text(encoding="utf-8"), re.S)
    assert block, f"HOSTING.md has no {marker} block"
    return block.group(1)


def documented_headers(marker: str = "headers") -> dict[str, str]:
    """The headers of a `_headers` block of HOSTING.md: what hosts are told to send."""
    return dict(re.findall(r"^\s+([A-Za-z-]+): (.+)$", hosting_block(marker), re.M))


def nginx_headers(marker: str = "nginx") -> dict[str, str]:
    """The headers of an nginx block of HOSTING.md."""
    return dict(re.findall(r'add_header ([A-Za-z-]+) "(.*)" always;', hosting_block(marker)))


def csp_directives(policy: str) -> dict[str, list[str]]:
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def script_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def test_nginx_example_sends_the_same_headers():
    assert nginx_headers() == documented_headers()


def test_documented_csp_covers_every_inline_script(built_site):
    policy = csp_directives(documented_headers()["Content-Security-Policy"])
    documented = {source for source in policy["script-src"] if source.startswith("'sha256-")}
    found: dict[str, str] = {}
    for file in html_pages(built_site):
        for script in parse(file).inline_scripts:
            found.setdefault(script_hash(script), str(file.relative_to(built_site)))
    assert "'unsafe-inline'" not in policy["script-src"]
    if set(found) != documented:
        new = "script-src 'self' " + " ".join(sorted(found))
        pytest.fail(
            "The inline scripts changed (Material upgraded, pages nested deeper, or site_url's path "
            f"changed). Not covered: {sorted(set(found) - documented)} (first seen on "
            f"{[found[h] for h in sorted(set(found) - documented)]}); no longer used: "
            f"{sorted(documented - set(found))}.\nUse in HOSTING.md (both blocks) and on your host:\n  {new}")
