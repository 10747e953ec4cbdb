"""Our overrides of Material stay thin: a copied partial differs by one attribute."""

from __future__ import annotations

from pathlib import Path

import material
import pytest

from .site_pages import ROOT

MATERIAL = Path(material.__file__).parent / "templates"
OVERRIDES = ROOT / "overrides"
ADDED = " aria-label=\"{{ lang.t('search') }}\""


def body(text: str) -> str:
    """A template without its leading {#- ... -#} comment."""
    return text.split("-#}\n", 1)[1] if text.startswith("{#-") else text


def test_search_partial_is_materials_plus_an_accessible_name():
    override = OVERRIDES / "partials/search.html"
    if not override.exists():
        # Deleted on moving to Zensical (MIGRATION.md), whose own dialog has a
        # name; the axe tests still check that every dialog is named.
        pytest.skip("no search override: the theme names its own search dialog")
    ours = body(override.read_text(encoding="utf-8"))
    theirs = body((MATERIAL / "partials/search.html").read_text(encoding="utf-8"))
    assert ADDED in ours
    assert ours.replace(ADDED, "", 1) == theirs, (
        "Material's partials/search.html changed (a Material upgrade?): copy it again "
        "into overrides/partials/search.html and add the aria-label to the dialog")


def test_no_override_replaces_a_whole_page_template():
    # main.html may extend base.html; nothing may copy base.html itself.
    assert not (OVERRIDES / "base.html").exists()
