"""The build is strict, quiet and reproducible."""

from __future__ import annotations

import hashlib

import pytest

from conftest import ROOT, build, copy_project


@pytest.fixture(scope="module")
def second_build(tmp_path_factory):
    """The project built again, later and from a copy in another folder, as
    ``make build`` does it (every offline check and the PDF handouts included)."""
    project = copy_project(tmp_path_factory.mktemp("again") / "project")
    return build(project, check_links=True, handouts=True)


@pytest.mark.slow
def test_site_builds_with_zero_warnings(second_build):
    assert second_build.ok, second_build.output
    noisy = [line for line in second_build.output.splitlines()
             if "WARNING" in line or "ERROR" in line or "DeprecationWarning" in line]
    assert noisy == []


def test_strict_mode_is_set_in_the_config():
    # `mkdocs serve` and every build fail on warnings, not just CI's.
    assert "\nstrict: true\n" in (ROOT / "mkdocs.yml").read_text()


def _digest(site):
    return {path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(site.rglob("*")) if path.is_file()}


@pytest.mark.slow
def test_two_builds_of_one_commit_are_byte_identical(built_site, second_build):
    # The session's build of the project folder, and a build of a copy in
    # another folder minutes later: nothing may follow the clock or the path.
    assert second_build.ok, second_build.output
    one, two = _digest(built_site), _digest(second_build.site)
    assert "sitemap.xml" in one and "sitemap.xml.gz" in one
    differing = sorted(name for name in one.keys() | two.keys() if one.get(name) != two.get(name))
    assert differing == [], f"two builds differ in: {differing}"
