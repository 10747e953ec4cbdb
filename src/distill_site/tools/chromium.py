"""Debian's Chromium, headless, driven over the DevTools protocol on a pipe.

The standard library only: the build installs no browser driver and never
downloads a browser. Chromium started with ``--remote-debugging-pipe`` reads
the protocol's JSON commands, each ended by a NUL byte, on its file
descriptor 3 and writes the answers and events on 4 (what Playwright, which
the browser tests use, does too).

One page is attached at a time. Every request it makes is answered here
(``Fetch``): a file of the built site for an address under the site's own
address, and a refusal for any other, so a page is printed at its published
address (its links in the PDF point there) from the files on disk, and
nothing is fetched from another host.
"""

from __future__ import annotations

import base64
import json
import mimetypes
import os
import select
import shutil
import tempfile
import time
from pathlib import Path
from typing import Callable

DEFAULT = "/usr/bin/chromium"
# No sandbox (root in CI), no GPU, and none of Chromium's own calls home.
ARGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-extensions",
    "--hide-scrollbars", "--remote-debugging-pipe",
)
TIMEOUT = 60  # seconds for any one answer; a stuck browser fails the build, not hangs it


class ChromiumError(Exception):
    pass


def find(binary: str = DEFAULT) -> str | None:
    """The Chromium to use, if it is installed and runs."""
    found = shutil.which(binary) or binary
    return found if Path(found).is_file() and os.access(found, os.X_OK) else None


class Chromium:
    """A headless Chromium for the length of a ``with`` block."""

    def __init__(self, binary: str, serve: Callable[[str], tuple[int, str, bytes] | None]):
        self.binary = binary
        self.serve = serve  # URL -> (status, content type, body), or None to refuse it
        self.session: str | None = None
        self._next_id = 0
        self._buffer = b""
        self._events: list[dict] = []

    def __enter__(self) -> Chromium:
        self._profile = tempfile.TemporaryDirectory(prefix="distill-chromium-")
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()
        with open(os.devnull, "wb") as null:
            actions = [(os.POSIX_SPAWN_DUP2, to_browser_read, 3), (os.POSIX_SPAWN_DUP2, from_browser_write, 4),
                       (os.POSIX_SPAWN_DUP2, null.fileno(), 1), (os.POSIX_SPAWN_DUP2, null.fileno(), 2)]
            self.pid = os.posix_spawn(self.binary, [self.binary, *ARGS, f"--user-data-dir={self._profile.name}",
                                                    "about:blank"], os.environ, file_actions=actions)
        os.close(to_browser_read)
        os.close(from_browser_write)
        target = self.call("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True},
                                 session=False)["sessionId"]
        self.call("Page.enable")
        self.call("Fetch.enable", {"patterns": [{"urlPattern": "*"}]})
        return self

    def __exit__(self, *exc) -> None:
        try:
            self._send("Browser.close", {}, session=False)
        except OSError:
            pass
        deadline = time.monotonic() + 10
        while os.waitpid(self.pid, os.WNOHANG) == (0, 0):
            if time.monotonic() > deadline:
                os.kill(self.pid, 9)
                os.waitpid(self.pid, 0)
                break
            time.sleep(0.05)
        os.close(self._to_browser)
        os.close(self._from_browser)
        self._profile.cleanup()

    # --- the protocol ------------------------------------------------------------

    def call(self, method: str, params: dict | None = None, *, session: bool = True) -> dict:
        """Send a command and return its result, answering the page's requests meanwhile."""
        ident = self._send(method, params or {}, session=session)
        while True:
            message = self._receive()
            if message.get("id") == ident:
                if "error" in message:
                    raise ChromiumError(f"{method}: {message['error'].get('message')}")
                return message.get("result", {})
            self._handle(message)

    def wait_for(self, event: str) -> dict:
        """The next ``event`` of the page (e.g. Page.loadEventFired)."""
        for index, message in enumerate(self._events):
            if message["method"] == event:
                return self._events.pop(index)["params"]
        while True:
            message = self._receive()
            if message.get("method") == event:
                return message.get("params", {})
            self._handle(message)

    def _send(self, method: str, params: dict, *, session: bool) -> int:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if session and self.session:
            message["sessionId"] = self.session
        data = json.dumps(message).encode() + b"\0"
        while data:
            data = data[os.write(self._to_browser, data):]
        return self._next_id

    def _receive(self) -> dict:
        deadline = time.monotonic() + TIMEOUT
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_browser], [], [], left)[0]:
                raise ChromiumError(f"Chromium did not answer within {TIMEOUT} s")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise ChromiumError("Chromium closed the connection (it crashed or could not start)")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)

    def _handle(self, message: dict) -> None:
        """An event: answer a paused request at once; keep the rest for wait_for."""
        if message.get("method") != "Fetch.requestPaused":
            if "method" in message:
                self._events.append(message)
            return
        request = message["params"]
        answer = self.serve(request["request"]["url"])
        if answer is None:
            self._send("Fetch.failRequest", {"requestId": request["requestId"], "errorReason": "BlockedByClient"},
                       session=True)
            return
        status, content_type, body = answer
        self._send("Fetch.fulfillRequest", {
            "requestId": request["requestId"], "responseCode": status,
            "responseHeaders": [{"name": "Content-Type", "value": content_type}],
            "body": base64.b64encode(body).decode()}, session=True)

    # --- what the handouts need ---------------------------------------------------

    def open(self, url: str) -> None:
        """Load ``url`` and wait until it and its fonts are ready."""
        self._events.clear()
        self.call("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired")
        self.evaluate("document.fonts.ready.then(() => true)")

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                                "returnByValue": True})
        if "exceptionDetails" in result:
            raise ChromiumError(f"script failed: {result['exceptionDetails'].get('exception', {}).get('description')}")
        return result.get("result", {}).get("value")

    def pdf(self, width_in: float, height_in: float) -> bytes:
        """The page printed with its print stylesheet on paper of this size (margins: the CSS @page's)."""
        result = self.call("Page.printToPDF", {
            "paperWidth": width_in, "paperHeight": height_in, "printBackground": True,
            "displayHeaderFooter": False, "generateTaggedPDF": True, "generateDocumentOutline": True})
        return base64.b64decode(result["data"])


def site_server(site: Path, base_url: str) -> Callable[[str], tuple[int, str, bytes] | None]:
    """Answers for addresses under ``base_url`` from the files in ``site``; None for any other."""
    root = site.resolve()

    def serve(url: str):
        if not url.startswith(base_url):
            return None
        path = url[len(base_url):].split("#")[0].split("?")[0]
        target = (root / path).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.is_relative_to(root) or not target.is_file():
            return 404, "text/plain", b"not found"
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type.endswith(("javascript", "json", "xml")):
            content_type += "; charset=utf-8"
        return 200, content_type, target.read_bytes()
    return serve
