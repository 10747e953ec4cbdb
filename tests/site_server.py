"""A static server for the built site, for tests that need a real browser.

Serves the site folder under the path of ``site_url`` (as a host would),
answers unknown paths with the site's own 404.html, and can add response
headers (the CSP test sends the ones HOSTING.md documents).
"""

from __future__ import annotations

import os
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves ``directory`` under ``prefix``; the site's 404.html elsewhere."""

    protocol_version = "HTTP/1.1"  # keep-alive: fewer connections, faster tests
    prefix = "/"
    response_headers: dict[str, str] = {}  # not `headers`: that is the request's

    def translate_path(self, path):
        route = urlsplit(path).path
        if not route.startswith(self.prefix):
            return os.path.join(self.directory, "\0outside-the-site")
        return super().translate_path("/" + route[len(self.prefix):])

    def end_headers(self):
        for name, value in self.response_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory, "404.html")
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):  # quiet: pytest shows failures, not access logs
        pass


class QuietServer(ThreadingHTTPServer):
    """A threaded server that does not print the connections a browser drops."""

    daemon_threads = True

    def handle_error(self, request, client_address):
        # The browser drops keep-alive connections when a context closes.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)
