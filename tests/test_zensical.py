"""The same mkdocs.yml under Zensical: same figures on every page, same failures.

Zensical (the successor to Material for MkDocs) reads mkdocs.yml and runs
our Markdown extension; this checks that it stays a way out of MkDocs 1.x:

- every figure (``a.fig`` / ``span.fig``: its text, a date's ``<time
  datetime>``, its sources tooltip and its link target) is identical
  on every page under MkDocs and Zensical;
- a figure error (an unknown key) fails the Zensical build, naming the key,
  the page and its line; ``python -m distill_site.tools.zensical_build`` says it
  without a traceback and removes the partial site;
- both builds carry the link-preview tags and the cite box.

Zensical lives in its own venv, .venv-zensical, made here from
requirements-zensical.txt (plus our package, --no-deps, editable). If pip
cannot install it (no registry, a yanked release), the tests are SKIPPED
with pip's error, never silently passed. Both builds run in temporary
copies of the project: Zensical writes site/ and .cache/ next to mkdocs.yml
and refuses a site_dir outside the project.
"""

from __future__ import annotations

import fcntl
import hashlib
import posixpath
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import BUILD_ENV, ROOT, copy_project

VENV = ROOT / ".venv-zensical"
REQUIREMENTS = ROOT / "requirements-zensical.txt"
ZENSICAL_VERSION = "0.0.73"
STAMP = VENV / ".installed"
PIP_TIMEOUT = 600


# --- The Zensical venv ----------------------------------------------------------

def _pip_error(result: subprocess.CompletedProcess) -> str:
    lines = [line for line in (result.stderr + result.stdout).splitlines() if line.strip()]
    errors = [line for line in lines if "ERROR" in line or "error" in line.lower()]
    return " | ".join((errors or lines)[-4:])[-800:] or f"exit code {result.returncode}"


def _install_stamp() -> str:
    digest = hashlib.sha256()
    for path in (REQUIREMENTS, ROOT / "pyproject.toml"):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_zensical() -> Path:
    """The zensical command from .venv-zensical, installing it if needed.

    Skips the calling test (with pip's own words) if it cannot be installed.
    A lock keeps two test runs from installing at once.
    """
    VENV.mkdir(exist_ok=True)
    binary = VENV / "bin" / "zensical"
    with open(VENV / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        stamp = _install_stamp()
        if binary.exists() and STAMP.exists() and STAMP.read_text() == stamp:
            return binary
        python = VENV / "bin" / "python"
        steps = [
            ("create the venv", [sys.executable, "-m", "venv", str(VENV)]),
            ("install requirements-zensical.txt",
             [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", str(REQUIREMENTS)]),
            ("install our package (--no-deps -e .)",
             [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q", "--no-deps", "-e", str(ROOT)]),
        ]
        for what, command in steps:
            try:
                result = subprocess.run(command, capture_output=True, text=True, timeout=PIP_TIMEOUT)
            except (OSError, subprocess.TimeoutExpired) as error:
                pytest.skip(f"Zensical {ZENSICAL_VERSION} could not be installed ({what}): {error}")
            if result.returncode != 0:
                pytest.skip(f"Zensical {ZENSICAL_VERSION} could not be installed ({what}): {_pip_error(result)}")
        version = subprocess.run([str(binary), "--version"], capture_output=True, text=True)
        if version.returncode != 0 or ZENSICAL_VERSION not in version.stdout:
            pytest.skip(f"Zensical installed but does not run as {ZENSICAL_VERSION}: "
                        f"{(version.stdout + version.stderr).strip()[-400:]}")
        STAMP.write_text(stamp)
    return binary


@pytest.fixture(scope="session")
def zensical() -> Path:
    return ensure_zensical()


# --- Builds -----------------------------------------------------------------------

def zensical_build(binary: Path, project: Path) -> subprocess.CompletedProcess:
    """``zensical build`` in ``project``: it writes project/site (site_dir)."""
    return subprocess.run([str(binary), "build", "--clean", "--strict", "--config-file", "mkdocs.yml"],
                          cwd=project, env=BUILD_ENV, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def zensical_site(zensical, tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("zensical") / "project")
    result = zensical_build(zensical, project)
    assert result.returncode == 0, f"Zensical cannot build the site:\n{result.stdout}{result.stderr}"
    # The finishing step that writes the downloads and embed pages works on Zensical's pages too.
    result = subprocess.run([str(zensical.parent / "python"), "-m", "distill_site.tools.downloads", "site"],
                            cwd=project, env=BUILD_ENV, capture_output=True, text=True)
    assert result.returncode == 0, f"the downloads step fails on Zensical's site:\n{result.stdout}{result.stderr}"
    return project / "site"


# --- Reading figures back out of the HTML ---------------------------------------------

class FigureParser(HTMLParser):
    """Every a.fig / span.fig: text, a date's machine value, tooltip, link target."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.figures: list[dict] = []
        self._open: list[tuple[str, dict | None]] = []  # (tag, figure it opened or None)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        current = next((fig for _, fig in reversed(self._open) if fig is not None), None)
        figure = None
        if tag in ("a", "span") and "fig" in (attrs.get("class") or "").split():
            figure = {"text": "", "value": None, "title": attrs.get("title"), "href": attrs.get("href")}
            self.figures.append(figure)
        elif current is not None and tag == "time":
            current["value"] = ("time", attrs.get("datetime"))
        if tag not in ("br", "img", "wbr", "input", "meta", "link"):
            self._open.append((tag, figure))

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                break

    def handle_data(self, data):
        for _, figure in self._open:
            if figure is not None:
                figure["text"] += data


def _resolve(page: str, href: str | None) -> str | None:
    """A link as a path from the site root, whatever form the tool wrote it in."""
    if href is None or re.match(r"^[a-z]+:", href):
        return href
    path, _, fragment = href.partition("#")
    base = posixpath.dirname(page)
    target = posixpath.normpath(posixpath.join(base, path)) if path else page
    target = target.removesuffix("index.html").rstrip("/").removeprefix("./")
    return f"{target}#{fragment}" if fragment else target


def figures_by_page(site: Path) -> dict[str, list[tuple]]:
    pages = {}
    for file in sorted(site.rglob("*.html")):
        rel = file.relative_to(site).as_posix()
        parser = FigureParser()
        parser.feed(file.read_text(encoding="utf-8"))
        pages[rel] = [(" ".join(fig["text"].split()), fig["value"], fig["title"], _resolve(rel, fig["href"]))
                      for fig in parser.figures]
    return pages


# --- Tests --------------------------------------------------------------------------

def test_requirements_pin_everything_exactly():
    # pip-compile's layout: "name==version \" then "--hash=..." lines.
    lines = [line.split("#")[0].strip().removesuffix("\\").strip() for line in REQUIREMENTS.read_text().splitlines()]
    pins = [line for line in lines if line and not line.startswith("--hash=")]
    assert f"zensical=={ZENSICAL_VERSION}" in pins
    loose = [line for line in pins if not re.fullmatch(r"[A-Za-z0-9_.\-]+==[A-Za-z0-9_.\-+]+", line)]
    assert not loose, f"requirements-zensical.txt must pin exactly: {loose}"
    names = {pin.split("==")[0].lower() for pin in pins}
    # What our Markdown extension imports must be installed in the Zensical venv.
    assert {"markdown", "pyyaml", "pymdown-extensions"} <= names


def test_every_figure_is_identical_under_mkdocs_and_zensical(built_site, zensical_site):
    mkdocs_pages = figures_by_page(built_site)
    zensical_pages = figures_by_page(zensical_site)
    assert sorted(mkdocs_pages) == sorted(zensical_pages), "the two tools built different pages"
    total = sum(len(figs) for figs in mkdocs_pages.values())
    assert total > 0, "no figure found on any page: has the figure markup changed?"
    differences = []
    for page, figures in mkdocs_pages.items():
        other = zensical_pages[page]
        if figures != other:
            differences.append(f"{page}:\n  MkDocs:   {figures}\n  Zensical: {other}")
    assert not differences, "figures differ between MkDocs and Zensical:\n" + "\n".join(differences)
    for page, figures in mkdocs_pages.items():
        for text, value, title, href in figures:
            assert text, f"{page}: a figure without text"
            assert value is None or value[1], f"{page}: a date without its machine value: {text!r}"
            assert href is None or (title and "numbers#fig-" in href), f"{page}: a figure link without its source"


def charts_by_page(site: Path) -> dict[str, list[str]]:
    """Every chart and diagram (<figure class="chart">), as HTML, on each page that has one."""
    found = {}
    for path in sorted(site.rglob("*.html")):
        charts = re.findall(r'<figure class="chart[^"]*" id="[^"]+">.*?</figure>', path.read_text(encoding="utf-8"), re.S)
        if charts:
            found[path.relative_to(site).as_posix()] = charts
    return found


def test_every_chart_is_identical_under_mkdocs_and_zensical(built_site, zensical_site):
    # The charts are declared in ```chart / ```diagram fences: Zensical must run the custom fences too.
    # (The timeline's table links to the sources; the Zensical site here has not had the finishing
    # step that writes each such link's published address for print, data-print-href.)
    mkdocs_charts = {page: [re.sub(r' data-print-href="[^"]*"', "", chart) for chart in charts]
                     for page, charts in charts_by_page(built_site).items()}
    assert sum(len(charts) for charts in mkdocs_charts.values()) >= 5, mkdocs_charts.keys()
    assert charts_by_page(zensical_site) == mkdocs_charts


def test_a_figure_error_fails_the_zensical_build(zensical, project_copy):
    page = project_copy / "docs" / "about.md"
    text = page.read_text(encoding="utf-8").rstrip("\n") + "\n\nPlanted: {{ fig:no_such_figure_key }}\n"
    page.write_text(text, encoding="utf-8")
    line = text.count("\n")  # the planted line, front matter counted
    result = zensical_build(zensical, project_copy)
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"Zensical published a page with an unknown figure:\n{output}"
    assert "no_such_figure_key" in output, f"the error does not name the key:\n{output}"
    # Zensical gives no file, but its rendering context names the page: the real line is found.
    assert f"docs/about.md:{line}: unknown figure 'no_such_figure_key'" in output, output


def test_the_zensical_wrapper_says_the_error_plainly_and_leaves_no_partial_site(zensical, project_copy):
    # Bare `zensical build` buries our message in a traceback and keeps the pages written before it.
    page = project_copy / "docs" / "about.md"
    text = page.read_text(encoding="utf-8").rstrip("\n") + "\n\nIt ran {{ fig:campaign_days }} long.\n"
    page.write_text(text.replace("It ran {{ fig:campaign_days }}", "It ran {{fig:campaign_days}"), encoding="utf-8")
    line = text.count("\n")
    result = subprocess.run([str(zensical.parent / "python"), "-m", "distill_site.tools.zensical_build", "mkdocs.yml"],
                            cwd=project_copy, env=BUILD_ENV, capture_output=True, text=True, timeout=600)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert f"docs/about.md:{line}: this '{{{{' opens no whole reference" in output, output
    assert "Traceback" not in output, output
    assert not (project_copy / "site").exists(), "a partial site was left behind"


def test_zensical_pages_carry_previews_and_cite_box(built_site, zensical_site):
    for site in (built_site, zensical_site):
        for file in site.rglob("*.html"):
            if file.parent.parent == site / "embed":
                continue  # a chart alone, for other sites' iframes: no link preview
            html = file.read_text(encoding="utf-8")
            assert 'property="og:image"' in html, f"{file}: no og:image"
            assert 'name="twitter:card" content="summary_large_image"' in html, f"{file}: no twitter:card"
    cite_pages = {p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html")
                  if "cite-box" in p.read_text(encoding="utf-8")}
    zensical_cite_pages = {p.relative_to(zensical_site).as_posix() for p in zensical_site.rglob("*.html")
                           if "cite-box" in p.read_text(encoding="utf-8")}
    assert cite_pages == zensical_cite_pages
    for page in cite_pages:
        box = re.compile(r'<aside class="admonition quote cite-box".*?</aside>', re.S)
        ours = box.search((built_site / page).read_text(encoding="utf-8")).group(0)
        theirs = box.search((zensical_site / page).read_text(encoding="utf-8")).group(0)
        assert ours == theirs, f"{page}: the cite box differs between MkDocs and Zensical"
    for name in ("robots.txt", "assets/images/preview.png", "assets/images/favicon.svg"):
        assert (zensical_site / name).is_file(), f"Zensical did not copy {name}"


def test_the_teachers_page_links_the_same_pdf_handouts_under_both_tools(built_site, zensical_site):
    # Raw HTML links: MkDocs publishes them as written, Zensical rewrites them
    # from the source file (distill_site.pages.page_context.to_site_root).
    pdf_links = re.compile(r'<a href="([^"]+)" type="application/pdf"')
    ours = pdf_links.findall((built_site / "teachers" / "index.html").read_text(encoding="utf-8"))
    theirs = pdf_links.findall((zensical_site / "teachers" / "index.html").read_text(encoding="utf-8"))
    assert ours and ours == theirs and all(href.startswith("../handouts/") for href in ours), (ours, theirs)


def test_the_checks_of_the_built_site_pass_on_zensical_and_still_catch_a_leftover(zensical_site, tmp_path):
    # The last look before publishing works on Zensical's output too (its
    # search index is search.json, its sitemap has no dates): clean as built,
    # and a placeholder planted in a copy is found, with file and line.
    import shutil

    from distill_site.checks import placeholders, third_party
    assert placeholders.check_site(zensical_site) == []
    assert third_party.check_site(zensical_site) == []
    site = shutil.copytree(zensical_site, tmp_path / "site")
    page = site / "about" / "index.html"
    lines = page.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if "<article" in line) + 1
    lines.insert(at, "<p>{{ fig:alibaba_exchanges }}</p>")
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = placeholders.check_site(site)
    assert [(p.file, p.line, p.text) for p in found] == [("about/index.html", at + 1, "{{ fig:alibaba_exchanges }}")]
