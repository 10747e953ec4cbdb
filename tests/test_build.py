"""The build is strict, quiet and reproducible."""

from __future__ import annotations

import hashlib

from conftest import ROOT, build


def test_site_builds_with_zero_warnings(tmp_path):
    result = build(ROOT, tmp_path / "site", check_links=True)
    assert result.ok, result.output
    noisy = [line for line in result.output.splitlines()
             if "WARNING" in line or "ERROR" in line or "DeprecationWarning" in line]
    assert noisy == []


def test_strict_mode_is_set_in_the_config():
    # `mkdocs serve` and every build fail on warnings, not just CI's.
    assert "\nstrict: true\n" in (ROOT / "mkdocs.yml").read_text()


def _digest(site):
    return {path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(site.rglob("*")) if path.is_file()}


def test_two_builds_of_one_commit_are_byte_identical(tmp_path):
    first = build(ROOT, tmp_path / "one")
    second = build(ROOT, tmp_path / "two")
    assert first.ok and second.ok
    one, two = _digest(first.site), _digest(second.site)
    assert "sitemap.xml" in one and "sitemap.xml.gz" in one
    differing = sorted(name for name in one.keys() | two.keys() if one.get(name) != two.get(name))
    assert differing == []
