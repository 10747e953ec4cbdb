"""Where the site lives: its address and its repository, from the environment.

mkdocs.yml reads both with MkDocs' ``!ENV`` tag, which Zensical reads the
same way::

    site_url: !ENV [SITE_URL, "https://distillation.example.org/explainer/"]
    repo_url: !ENV REPO_URL

A local build keeps the placeholder address (a reserved example domain) and
names no repository. The publish workflow sets SITE_URL from the GitHub
Pages deployment, REPO_URL from the repository, and PUBLISH=1. ``check``
runs before the build: with PUBLISH set it refuses the placeholder (or no
address, or no repository: About asks readers to report mistakes there),
naming mkdocs.yml and what to set, so the placeholder is never published.

robots.txt is the one file that cannot follow site_url by itself: it is
copied from docs/ as it is (neither MkDocs nor Zensical renders it), and its
Sitemap line names the placeholder's sitemap. ``robots`` runs after the
build and points that line at site_url's sitemap (a build at the
placeholder address leaves the file untouched).

Usage::

    python -m distill_site.tools.site_address check [--config mkdocs.yml]
    python -m distill_site.tools.site_address robots SITE [--config mkdocs.yml]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from ..checks import built_site
from ..errors import SiteError
from ..site_config import read_site_config

# Reserved for examples (RFC 2606): an address on one of these is a placeholder.
PLACEHOLDER_DOMAINS = ("example.org", "example.com", "example.net")
SITEMAP_LINE = re.compile(r"^(sitemap:[ \t]*)\S*[ \t]*$", re.M | re.I)
SETS_SITE_URL = ("set SITE_URL to the address the site is published at, with its trailing slash; "
                 "the publish workflow sets it from actions/configure-pages")
SETS_REPO_URL = ("set REPO_URL to the repository's address; "
                 "the workflows set it from github.server_url and github.repository")


def for_publishing(environ: Mapping[str, str]) -> bool:
    """A build for publishing is one run with PUBLISH set (1, true, yes)."""
    return environ.get("PUBLISH", "").strip().lower() not in ("", "0", "false", "no")


def is_placeholder(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == domain or host.endswith("." + domain) for domain in PLACEHOLDER_DOMAINS)


def _is_absolute(url) -> bool:
    parts = urlsplit(url) if isinstance(url, str) else None
    return bool(parts and parts.scheme in ("http", "https") and parts.hostname)


def _line_of(config: Path, key: str) -> int | None:
    for number, line in enumerate(Path(config).read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith(f"{key}:"):
            return number
    return None


def check_address(config: Path, environ: Mapping[str, str] | None = None) -> tuple[str, str]:
    """(site_url, repo_url) as the build will see them; for publishing, both
    must be real addresses, or this raises naming mkdocs.yml and what to set."""
    environ = os.environ if environ is None else environ
    values = read_site_config(config, environ)
    site_url, repo_url = values.get("site_url") or "", values.get("repo_url") or ""
    if not for_publishing(environ):
        return str(site_url), str(repo_url)
    where = str(config)
    if not _is_absolute(site_url):
        raise SiteError(where, _line_of(config, "site_url"),
                        f"site_url is {site_url!r} in a build for publishing (PUBLISH is set), "
                        "not an absolute http(s) address", SETS_SITE_URL)
    if is_placeholder(site_url):
        raise SiteError(where, _line_of(config, "site_url"),
                        f"site_url is still the placeholder {site_url} in a build for publishing "
                        "(PUBLISH is set)", SETS_SITE_URL)
    if not _is_absolute(repo_url) or is_placeholder(repo_url):
        raise SiteError(where, _line_of(config, "repo_url"),
                        f"repo_url is {repo_url!r} in a build for publishing (PUBLISH is set): "
                        "About asks readers to report mistakes on the repository", SETS_REPO_URL)
    return site_url, repo_url


def point_robots_at_sitemap(site: Path, site_url: str) -> bool:
    """Point robots.txt's Sitemap line at site_url's sitemap; True if it changed."""
    robots = Path(site) / "robots.txt"
    if not site_url or not robots.is_file():
        return False
    text = robots.read_text(encoding="utf-8")
    sitemap = site_url.rstrip("/") + "/sitemap.xml"
    changed = SITEMAP_LINE.sub(lambda match: match[1] + sitemap, text)
    if changed == text:
        return False
    robots.write_text(changed, encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=("check", "robots"))
    parser.add_argument("site", type=Path, nargs="?", help="the built site (for robots)")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"))
    args = parser.parse_args(argv)
    try:
        site_url, repo_url = check_address(args.config)
    except SiteError as error:
        print(error, file=sys.stderr)
        return 1
    if args.step == "check":
        if is_placeholder(site_url):
            print(f"site_address: the placeholder address {site_url} (fine locally; "
                  "a build for publishing, PUBLISH=1, needs SITE_URL)")
        else:
            print(f"site_address: site_url {site_url or '(none)'}, repository {repo_url or '(none)'}")
        return 0
    if built_site.missing(args.site):
        return 2
    if point_robots_at_sitemap(args.site, site_url):
        print(f"site_address: robots.txt names {site_url.rstrip('/')}/sitemap.xml")
    return 0


if __name__ == "__main__":
    sys.exit(main())
