"""mkdocs.yml is read in one place (distill_site.site_config), as MkDocs reads it."""

from pathlib import Path

import pytest

from conftest import ROOT
from distill_site.checks.links import site_url_from_config
from distill_site.errors import SiteError
from distill_site.site_config import read_site_config


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_real_configuration_reads_as_data():
    config = read_site_config(ROOT / "mkdocs.yml")
    assert config["site_name"] and config["site_url"].startswith("https://")
    assert "distill_site.pages.markdown_ext" in str(config["markdown_extensions"])


def test_an_address_from_the_environment_is_the_one_every_check_sees(tmp_path, monkeypatch):
    path = write(tmp_path, "site_name: X\nsite_url: !ENV [SITE_URL, 'https://placeholder.example/x/']\n")
    monkeypatch.delenv("SITE_URL", raising=False)
    assert site_url_from_config(path) == "https://placeholder.example/x/"
    monkeypatch.setenv("SITE_URL", "https://real.example/site/")
    assert site_url_from_config(path) == "https://real.example/site/"


def test_env_without_a_default_and_python_tags_do_not_stop_the_reading(tmp_path, monkeypatch):
    monkeypatch.delenv("NO_SUCH_VARIABLE", raising=False)
    path = write(tmp_path, "repo_url: !ENV NO_SUCH_VARIABLE\n"
                           "markdown_extensions:\n  - pymdownx.emoji:\n"
                           "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n")
    config = read_site_config(path)
    assert config["repo_url"] is None
    emoji_index = config["markdown_extensions"][0]["pymdownx.emoji"]["emoji_index"]
    assert emoji_index == "material.extensions.emoji.twemoji"
    from material.extensions.emoji import twemoji
    assert emoji_index.resolve() is twemoji


def test_a_broken_configuration_names_its_line(tmp_path):
    path = write(tmp_path, "site_name: X\nnav:\n  - Home: index.md\n   - Bad: bad.md\n")
    with pytest.raises(SiteError) as caught:
        read_site_config(path)
    assert str(caught.value).startswith(f"{path}:4: not valid YAML")
