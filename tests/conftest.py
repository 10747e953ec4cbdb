"""Shared fixtures: the real site built once, and throwaway project copies.

Tests that plant a defect never touch the working tree: they copy the
project into a temporary folder, change the copy, and build that.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("docs", "data", "overrides", "mkdocs.yml")
BUILD_ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1767225600")}


@dataclass
class Build:
    project: Path
    site: Path
    returncode: int
    output: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def build(project: Path, site: Path | None = None, *, check_links: bool = False,
          handouts: bool = False) -> Build:
    """Build ``project`` as ``make build`` does (distill_site.tools.pipeline): the
    strict build and its finishing steps, and with ``check_links`` the offline
    checks too. Left to their own tests: the HTML validator
    (tests/test_site_checks.py: one Java start per session is enough), the
    URL contract (tests/test_urls.py: it promises the real site's URLs, and a
    test that plants a heading publishes a new one), the address and the
    preview image. The PDF handouts (a Chromium run) only with ``handouts``:
    the session's ``built_site`` makes them, where Chromium is installed."""
    site = site or project / "site"
    stages = "build,finish,checks" if check_links else "build,finish"
    skip = "html,urls" if handouts else "html,urls,handouts"
    command = [sys.executable, "-m", "distill_site.tools.pipeline", "--site", str(site),
               "--stages", stages, "--skip", skip]
    result = subprocess.run(command, cwd=project, env=BUILD_ENV, capture_output=True, text=True)
    return Build(project, site, result.returncode, result.stdout + result.stderr)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The project's own site, built strictly once for the whole session, with
    its PDF handouts where Chromium is installed (`make test` installs it)."""
    site = tmp_path_factory.mktemp("built") / "site"
    result = build(ROOT, site, handouts=True)
    assert result.ok, f"the site does not build:\n{result.output}"
    return site


# A build without Chromium makes no handouts and says so; the checks are then
# told, as the pipeline tells them (distill_site.tools.pipeline._unbuilt).
UNBUILT = ["handouts"]


def copy_project(target: Path) -> Path:
    """Copy what a build reads (pages, data, theme, config) into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        else:
            shutil.copy2(source, target / part)
    return target


# A test that builds a project copy, builds with Zensical or builds for publishing is slow by what it
# uses: marking it here means a new such test cannot slip into `make test-fast`.
SLOW_FIXTURES = {"project_copy", "zensical", "zensical_site", "published_site"}


def pytest_collection_modifyitems(items):
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def pages_to_edit(tmp_path, monkeypatch) -> Path:
    """A copy of the pages, the data files and mkdocs.yml for a maintainer to edit, as the
    current folder: errors name files relative to it. Quicker than project_copy: nothing is built."""
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A private copy of the project to plant defects in."""
    return copy_project(tmp_path)


def correct_figure(project: Path, old: int, new: int) -> None:
    """A maintainer's correction: the new value, and the correction entry that says why."""
    data = project / "data" / "figures.yml"
    text = data.read_text(encoding="utf-8")
    assert text.count(f"value: {old}\n") == 1, f"the data file no longer has exactly one 'value: {old}'"
    data.write_text(text.replace(
        f"value: {old}\n",
        f"value: {new}\n    corrections:\n      - {{date: 2026-12-01, old: {old}, new: {new}, "
        f"why: The source corrected its figure., source: s3-pymnts}}\n"), encoding="utf-8")
