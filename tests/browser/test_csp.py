"""The Content-Security-Policy documented in HOSTING.md holds for real: the
site served with those headers loads in Chromium with no violation and no
request to another host, and search and the palette toggle still work.
(That the policy's hashes cover every inline script is checked without a
browser, in tests/test_publish.py.)
"""

from __future__ import annotations

import threading
from functools import partial
from urllib.parse import urlsplit

import pytest

from site_server import QuietServer, SiteHandler
from test_publish import documented_headers, html_pages, site_url

from .conftest import HOST

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
  `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`));
"""


@pytest.fixture(scope="module")
def served_with_headers(built_site):
    prefix = urlsplit(site_url()).path
    handler = type("Handler", (SiteHandler,), {"prefix": prefix, "response_headers": documented_headers()})
    server = QuietServer((HOST, 0), partial(handler, directory=str(built_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://{HOST}:{server.server_port}{prefix}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def context(browser):
    context = browser.new_context()
    context.set_default_timeout(15_000)
    yield context
    context.close()


def test_csp_holds_in_chromium_and_search_still_works(built_site, served_with_headers, context):
    base = served_with_headers
    urls = []
    for file in html_pages(built_site):
        rel = file.relative_to(built_site).as_posix()
        if rel.startswith("embed/"):
            continue  # a chart alone, with headers of its own: tests/browser/test_takeaway.py
        urls.append(base + "no-such-page/" if rel == "404.html" else base + rel.removesuffix("index.html"))
    problems, foreign = [], []

    def route(route_, request):
        if urlsplit(request.url).hostname != HOST:
            foreign.append(request.url)
            return route_.abort()
        return route_.continue_()

    context.add_init_script(RECORD_VIOLATIONS)
    context.route("**/*", route)
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    for url in urls:
        response = page.goto(url, wait_until="networkidle")
        assert response is not None
        assert response.headers.get("content-security-policy"), f"{url}: served without the CSP"
        problems += [f"{url}: {v}" for v in page.evaluate("window.__csp")]
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") in ("sticky", "fixed"), \
            f"{url}: Material's stylesheet did not apply"

    # Search: the worker and the index load under the policy.
    page.goto(base, wait_until="networkidle")
    page.click("input.md-search__input")
    page.keyboard.type("distillation")
    page.wait_for_selector(".md-search-result__item")
    assert page.locator(".md-search-result__item").count() > 0
    # The palette toggle (inline palette script + localStorage) still works.
    scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    page.keyboard.press("Escape")
    page.locator("[data-md-component=palette] label:visible").first.click()
    page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') !== {scheme!r}")
    page.reload(wait_until="networkidle")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") != scheme
    problems += [f"search/palette: {v}" for v in page.evaluate("window.__csp")]
    problems += [line for line in console if "Content Security Policy" in line]
    assert not problems, "CSP violations:\n" + "\n".join(problems)
    assert not foreign, f"requests to other hosts: {foreign}"

    # Control: the policy really applies, and the listener really hears violations.
    ran = page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.__injected = 1'; document.head.appendChild(s);
        return window.__injected === 1; }""")
    page.wait_for_function("window.__csp.length > 0", timeout=5000)
    assert not ran and any("script-src" in v for v in page.evaluate("window.__csp"))
