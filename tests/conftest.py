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


# What `make build` runs after MkDocs: steps that finish the site, then its
# offline checks (the HTML validator is left to tests/test_site_checks.py:
# one Java start per session is enough).
FINISHING_STEPS = ("distill_site.tools.trim_css", "distill_site.tools.fix_toggles")
OFFLINE_CHECKS = ("distill_site.checks.links", "distill_site.checks.placeholders",
                  "distill_site.checks.third_party")


def build(project: Path, site: Path | None = None, *, check_links: bool = False) -> Build:
    """Run the strict build, then finish it (trim Material's CSS, fix its
    toggles) as ``make build`` does, and optionally the offline checks, on
    ``project``."""
    site = site or project / "site"
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-d", str(site)]
    result = subprocess.run(command, cwd=project, env=BUILD_ENV, capture_output=True, text=True)
    output, code = result.stdout + result.stderr, result.returncode
    steps = FINISHING_STEPS + (OFFLINE_CHECKS if check_links else ())
    for module in steps:
        if code != 0:
            break
        step = subprocess.run([sys.executable, "-m", module, str(site)],
                              cwd=project, env=BUILD_ENV, capture_output=True, text=True)
        output += step.stdout + step.stderr
        code = step.returncode
    return Build(project, site, code, output)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The project's own site, built strictly once for the whole session."""
    site = tmp_path_factory.mktemp("built") / "site"
    result = build(ROOT, site)
    assert result.ok, f"the site does not build:\n{result.output}"
    return site


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


# A test that builds a project copy, or builds with Zensical, is slow by what it
# uses: marking it here means a new such test cannot slip into `make test-fast`.
SLOW_FIXTURES = {"project_copy", "zensical", "zensical_site"}


def pytest_collection_modifyitems(items):
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


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
