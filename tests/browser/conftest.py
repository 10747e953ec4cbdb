"""Browser fixtures: the built site served on 127.0.0.1, and one Chromium.

The site is the one ``built_site`` (tests/conftest.py) builds strictly once
per session. It is served by a threaded ``http.server`` under the path of
``site_url`` (e.g. ``/explainer/``), as a host would serve it, with the
site's own 404 page for anything else; no compression, so byte counts are
the files' own sizes.

Chromium is Debian's (/usr/bin/chromium), never a downloaded one. If it is
missing the tests fail, naming the one command that installs it.
"""

from __future__ import annotations

import faulthandler
import os
import sys
import threading
from contextlib import contextmanager
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from site_server import QuietServer, SiteHandler

from .printed import INSTALL_POPPLER, missing_tools

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
INSTALL_CHROMIUM = "sudo apt-get install -y chromium"
# No sandbox (root in CI), and none of Chromium's own calls home: the
# machine has no network, and the tests check that no request leaves it.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
HOST = "127.0.0.1"
# A browser call that never returns must fail the run, not hang CI: past
# this many seconds in one test (or one teardown) the stacks are printed and
# the run stops with exit code 1. (Seen: closing a context while a
# navigation is starting can hang with this Playwright and Chromium.)
STALL_SECONDS = 120
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 667}


def site_path_prefix(site: Path) -> str:
    """The path part of site_url ("/explainer/"), read from the built sitemap."""
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    first = ET.parse(site / "sitemap.xml").getroot().find("s:url/s:loc", namespace)
    path = urlsplit(first.text.strip()).path if first is not None else "/"
    return path if path.endswith("/") else path + "/"


BROWSER_TESTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    """Every test in this folder is a browser test (`make test-fast` leaves them out)."""
    for item in items:
        if BROWSER_TESTS in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


_REAL_STDERR = {"fd": None}  # pytest captures fd 2; faulthandler must write past it


@pytest.fixture(scope="session", autouse=True)
def _real_stderr(pytestconfig):
    try:  # the terminal's stderr, kept by pytest's own faulthandler plugin
        from _pytest.faulthandler import fault_handler_stderr_fd_key
        _REAL_STDERR["fd"] = pytestconfig.stash[fault_handler_stderr_fd_key]
    except (ImportError, KeyError):
        _REAL_STDERR["fd"] = None
    yield


@contextmanager
def stall_guard(seconds: int = STALL_SECONDS):
    faulthandler.dump_traceback_later(seconds, exit=True, file=_REAL_STDERR["fd"] or sys.__stderr__)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()


@pytest.fixture(autouse=True)
def _no_stalls():
    """Each browser test, with its fixtures' setup and teardown, has a time limit."""
    with stall_guard():
        yield


@pytest.fixture(scope="session")
def site_url(built_site: Path):
    """Base URL of the served site, e.g. http://127.0.0.1:41234/explainer/."""
    prefix = site_path_prefix(built_site)
    handler = type("Handler", (SiteHandler,), {"prefix": prefix})
    server = QuietServer((HOST, 0), partial(handler, directory=str(built_site)))
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for all of tests/browser, the only place that
    starts one (Playwright's sync API allows one running instance per
    thread): a test that needs a browser lives here.
    """
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(f"Chromium is missing at {CHROMIUM}: the browser tests need Debian's "
                    f"Chromium. Install it with: {INSTALL_CHROMIUM}", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                              headless=True)
        yield chromium
        with stall_guard():
            chromium.close()


@dataclass
class Tab:
    """A page in its own browser context, with what it requested and logged."""

    page: object
    requests: list = field(default_factory=list)  # every URL asked for, workers included
    errors: list = field(default_factory=list)  # console errors and uncaught exceptions


def open_tab(browser, *, viewport=DESKTOP, color_scheme="light", **options) -> Tab:
    context = browser.new_context(viewport=viewport, color_scheme=color_scheme,
                                  reduced_motion="reduce", **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    tab = Tab(page)
    context.on("request", lambda request: tab.requests.append(request.url))
    page.on("console", lambda message: message.type == "error"
            and tab.errors.append(f"console: {message.text} ({message.location.get('url')})"))
    page.on("pageerror", lambda error: tab.errors.append(f"uncaught: {error}"))
    return tab


@pytest.fixture
def new_tab(browser):
    """Factory: a fresh context (own storage and cache) per call, closed after the test."""
    tabs = []

    def make(**options) -> Tab:
        tab = open_tab(browser, **options)
        tabs.append(tab)
        return tab

    yield make
    for tab in tabs:
        tab.page.context.close()


@pytest.fixture(scope="module")
def desktop_tab(browser):
    """One desktop page reused by a module's read-only checks of every page."""
    tab = open_tab(browser)
    yield tab
    with stall_guard():
        tab.page.context.close()


@pytest.fixture(scope="module")
def phone_tab(browser):
    """One phone-sized page (375 px wide, touch) reused by a module."""
    tab = open_tab(browser, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    yield tab
    with stall_guard():
        tab.page.context.close()


@pytest.fixture(scope="session")
def poppler():
    """Debian's poppler-utils, which the print tests read PDFs with; a clear failure without them."""
    missing = missing_tools()
    if missing:
        pytest.fail(f"{', '.join(missing)} missing: the print tests read PDFs with Debian's poppler-utils. "
                    f"Install it with: {INSTALL_POPPLER}", pytrace=False)
