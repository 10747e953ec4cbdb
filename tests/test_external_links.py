"""The opt-in external link check reports dead links and never hangs.

It runs against servers on 127.0.0.1 only: one that answers, one that
says 404, and one that accepts connections and never replies.
"""

from __future__ import annotations

import http.server
import socket
import subprocess
import sys
import threading

import pytest

from conftest import ROOT


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self):
        self.send_response(200 if self.path == "/alive" else 404)
        self.end_headers()

    do_GET = do_HEAD

    def log_message(self, *args):
        pass


@pytest.fixture
def servers():
    answering = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=answering.serve_forever, daemon=True).start()
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # accepts, never answers
    yield f"http://127.0.0.1:{answering.server_port}", f"http://127.0.0.1:{silent.getsockname()[1]}"
    answering.shutdown()
    silent.close()


def test_dead_and_silent_links_are_reported_within_the_timeout(tmp_path, servers):
    live, silent = servers
    site = tmp_path / "site"
    (site / "chapter").mkdir(parents=True)
    (site / "chapter/index.html").write_text(
        f'<a href="{live}/alive">ok</a> <a href="{live}/gone">gone</a> <a href="{silent}/x">slow</a>')
    result = subprocess.run(
        [sys.executable, "-m", "distill_site.checks.external_links", str(site), "--timeout", "1",
         "--deadline", "20", "--config", str(ROOT / "mkdocs.yml")],
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"{live}/gone: HTTP 404 (linked from chapter/index.html)" in result.stderr
    assert f"{silent}/x: no answer" in result.stderr
    assert "/alive" not in result.stderr
    assert "3 external URL(s), 2 broken" in result.stdout
