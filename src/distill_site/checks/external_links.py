"""Check the site's links to other websites (online; opt-in, never in CI).

Every ``http(s)`` link in the built site is requested once (HEAD, then GET
if the server refuses HEAD), with a timeout per request and a deadline for
the whole run, so it never hangs. Links to ``site_url`` itself are skipped:
the offline check covers those.

Usage: ``python -m distill_site.checks.external_links site [--timeout 10] [--deadline 300]``
"""

from __future__ import annotations

import argparse
import sys
import urllib.error
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from urllib.parse import urlsplit

from .links import _PageParser, site_url_from_config

USER_AGENT = "distillation-explainer-link-check/1.0"
# Hosts that are placeholders, never real destinations.
IGNORED_HOSTS = {"example.org", "example.com", "example.net"}


def external_links(site: Path, own_prefix: str) -> dict[str, list[str]]:
    """Each external URL and the built pages that link to it."""
    found: dict[str, list[str]] = defaultdict(list)
    for page in sorted(site.rglob("*.html")):
        parser = _PageParser()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        for _tag, url, _line in parser.links:
            parts = urlsplit(url)
            host = (parts.hostname or "").removeprefix("www.")
            if parts.scheme not in ("http", "https") or url.startswith(own_prefix):
                continue
            if host in IGNORED_HOSTS or host.endswith(tuple("." + h for h in IGNORED_HOSTS)):
                continue
            found[url.split("#")[0]].append(page.relative_to(site).as_posix())
    return found


def probe(url: str, timeout: float) -> str | None:
    """None if the URL answers; otherwise what went wrong."""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                if response.status < 400:
                    return None
                problem = f"HTTP {response.status}"
        except urllib.error.HTTPError as error:
            problem = f"HTTP {error.code}"
            if method == "HEAD" and error.code in (403, 405, 501):
                continue  # some servers refuse HEAD only
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            problem = f"no answer ({getattr(error, 'reason', error)})"
        return problem
    return problem


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per request")
    parser.add_argument("--deadline", type=float, default=300.0, help="seconds for the whole run")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"))
    args = parser.parse_args(argv)
    links = external_links(args.site, site_url_from_config(args.config) or "\0")
    failures, checked = [], set()
    pool = ThreadPoolExecutor(max_workers=8)
    futures = {pool.submit(probe, url, args.timeout): url for url in sorted(links)}
    try:
        for future in as_completed(futures, timeout=args.deadline):
            checked.add(futures[future])
            if future.result():
                failures.append((futures[future], future.result()))
    except TimeoutError:
        pass  # whatever is left is reported as unchecked
    pool.shutdown(wait=False, cancel_futures=True)
    unchecked = sorted(set(links) - checked)
    for url, problem in sorted(failures):
        print(f"{url}: {problem} (linked from {', '.join(sorted(set(links[url]))[:3])})", file=sys.stderr)
    for url in unchecked:
        print(f"{url}: not checked before the deadline", file=sys.stderr)
    print(f"check_external: {len(links)} external URL(s), {len(failures)} broken, {len(unchecked)} unchecked")
    return 1 if failures or unchecked else 0


if __name__ == "__main__":
    sys.exit(main())
