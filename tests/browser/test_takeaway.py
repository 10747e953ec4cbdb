"""A teacher embeds a chart in a learning platform, and it shows.

The site is served with the headers HOSTING.md documents: the site-wide
ones, and the embed pages' own (read from the file, so the file is what is
tested). A page on another origin (the "platform", another port of
127.0.0.1) frames each embed page: the chart, its caption and its sources
show inside the frame, with no policy violation and no request to another
host. As a control, the same platform framing a chapter is refused, so a
policy that let everything be framed could not pass. Each embed page is
also checked with axe, alone and at a phone's width.
"""

from __future__ import annotations

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from site_server import QuietServer, SiteHandler
from test_publish import documented_headers, nginx_headers

from .conftest import HOST, PHONE, site_path_prefix
from .site_pages import EMBED_IDS


def embed_headers() -> dict[str, str]:
    """The headers of HOSTING.md's embed block: what hosts are told to send for embed/."""
    return documented_headers("embed-headers")


def nginx_embed_headers() -> dict[str, str]:
    return nginx_headers("nginx-embed")


def test_the_nginx_example_sends_the_embed_pages_the_same_headers():
    assert nginx_embed_headers() == embed_headers()
    assert "X-Frame-Options" not in embed_headers()
    # Only the framing differs from the site-wide rules (and the embed pages have no script to allow).
    site = {k: v for k, v in documented_headers().items() if k not in ("Content-Security-Policy", "X-Frame-Options")}
    assert {k: v for k, v in embed_headers().items() if k != "Content-Security-Policy"} == site


def served(directory: Path, prefix: str, headers_for) -> tuple[QuietServer, str]:
    handler = type("Handler", (SiteHandler,), {"prefix": prefix})
    handler.end_headers = lambda self: (
        [self.send_header(name, value) for name, value in headers_for(urlsplit(self.path).path).items()],
        SimpleHTTPRequestHandler.end_headers(self))
    server = QuietServer((HOST, 0), partial(handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://{HOST}:{server.server_port}{prefix}"


@pytest.fixture(scope="module")
def site_with_headers(built_site):
    prefix = site_path_prefix(built_site)
    site_wide, embed = documented_headers(), embed_headers()
    server, url = served(built_site, prefix, lambda path: embed if path.startswith(prefix + "embed/") else site_wide)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def platform(tmp_path_factory, site_with_headers):
    """A learning platform on another origin, with one page per embed code."""
    folder = tmp_path_factory.mktemp("platform")
    for name, path in [(ident, f"embed/{ident}/") for ident in EMBED_IDS] + [("chapter", "outputs-not-weights/")]:
        (folder / f"{name}.html").write_text(
            f'<!doctype html><html lang="en"><title>A lesson</title><h1>A lesson</h1>'
            f'<iframe src="{site_with_headers}{path}" title="A chart" width="100%" height="900"></iframe></html>',
            encoding="utf-8")
    server, url = served(folder, "/", lambda path: {})
    yield url
    server.shutdown()
    server.server_close()


def framed(new_tab, url: str):
    tab = new_tab()
    tab.page.goto(url)
    tab.page.wait_for_load_state("load")
    return tab, next((frame for frame in tab.page.frames if frame is not tab.page.main_frame), None)


@pytest.mark.parametrize("ident", EMBED_IDS)
def test_a_platform_on_another_site_shows_the_embedded_chart(new_tab, platform, site_with_headers, ident):
    tab, frame = framed(new_tab, f"{platform}{ident}.html")
    assert frame is not None and frame.url == f"{site_with_headers}embed/{ident}/", frame and frame.url
    frame.wait_for_selector(f"figure#{ident} svg[role=img]")
    assert frame.locator("figcaption p").first.inner_text().strip()
    assert "CC BY 4.0" in frame.locator(".chart-credit").inner_text()
    assert not [e for e in tab.errors if "Content Security Policy" in e or "frame" in e.lower()], tab.errors
    assert all(urlsplit(url).hostname == HOST for url in tab.requests), tab.requests


def test_the_same_platform_may_not_frame_a_chapter(new_tab, platform):
    tab, frame = framed(new_tab, f"{platform}chapter.html")
    tab.page.wait_for_timeout(300)
    shown = frame is not None and frame.locator("article").count() > 0
    assert not shown, "a chapter was framed by another site: the site-wide frame-ancestors did not apply"


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 800}], ids=["phone", "desktop"])
def test_embed_pages_pass_axe_and_fit(new_tab, site_url, viewport):
    tab = new_tab(viewport=viewport)
    for ident in EMBED_IDS:
        tab.page.goto(f"{site_url}embed/{ident}/")
        result = Axe().run(tab.page)
        assert result.violations_count == 0, f"embed/{ident}/: {result.generate_report()}"
        width = tab.page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= viewport["width"], f"embed/{ident}/ is {width} px wide in a {viewport['width']} px frame"
