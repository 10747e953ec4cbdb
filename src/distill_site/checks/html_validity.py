"""Every built page is valid HTML: the Nu Html Checker (vnu), once over all pages.

vnu is the W3C's checker. It comes from npm (``vnu-jar``, pinned in
package.json and package-lock.json, installed by ``npm ci --ignore-scripts``:
its install script would download a Java runtime of its own) and runs on
Debian's Java. One Java start checks every page (it is the slow part), so
this is one command, not one per page.

Errors fail; warnings are printed. Each line names the built file, line and
column, vnu's message and the markup it saw.

Without Java or the jar it fails, saying how to install them; ``make build``
skips it outside CI when Java or npm is missing (and says so), so a
stranger's build is not stopped by a missing Java, while ``make test`` and
CI always check.

Usage: ``python -m distill_site.checks.html_validity site [--jar PATH]``
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import built_site

JAR = Path("node_modules/vnu-jar/build/dist/vnu.jar")
INSTALL = ("install Java (sudo apt-get install default-jre-headless) and the checker "
           "(npm ci --ignore-scripts), or run `make test`, which installs both")
TIMEOUT_SECONDS = 600


class CheckerMissing(RuntimeError):
    """Java or vnu.jar is not installed."""


@dataclass(frozen=True)
class Message:
    file: str  # relative to the site folder
    line: int
    column: int
    kind: str  # "error", "warning", "info"
    text: str
    extract: str = ""

    def __str__(self) -> str:
        extract = " ".join(self.extract.split())
        seen = f" (in: {extract})" if extract else ""
        return f"{self.file}:{self.line}.{self.column}: {self.kind}: {self.text}{seen}"


def find_java() -> str | None:
    return os.environ.get("JAVA") or shutil.which("java")


def run_vnu(pages: list[Path], root: Path, jar: Path = JAR, java: str | None = None) -> list[Message]:
    """vnu's messages on ``pages`` (one Java start), files named relative to ``root``."""
    java = java or find_java()
    if not java:
        raise CheckerMissing(f"no Java on this machine: {INSTALL}")
    if not jar.is_file():
        raise CheckerMissing(f"no {jar}: {INSTALL}")
    if not pages:
        return []
    command = [java, "-jar", str(jar), "--format", "json", "--stdout", "--exit-zero-always",
               *[str(page) for page in pages]]
    result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    try:
        report = json.loads(result.stdout)
    except ValueError as error:
        raise RuntimeError(f"vnu gave no report (exit {result.returncode}): "
                           f"{(result.stderr or result.stdout)[-800:]}") from error
    messages = []
    for item in report.get("messages", []):
        kind = item.get("subType") if item.get("type") == "info" and item.get("subType") else item.get("type")
        kind = "error" if kind in ("error", "non-document-error", "fatal") else kind
        messages.append(Message(_relative(item.get("url", ""), root), item.get("lastLine", 0),
                                item.get("firstColumn", item.get("lastColumn", 0)), kind,
                                item.get("message", ""), item.get("extract", "")))
    return messages


def _relative(url: str, root: Path) -> str:
    path = Path(unquote(urlsplit(url).path)) if url.startswith("file:") else Path(url)
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def html_pages(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def check_site(root: Path, jar: Path = JAR, java: str | None = None) -> list[Message]:
    """Every message vnu has on every page of the built site."""
    return run_vnu(html_pages(root), root, jar, java)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the built site folder")
    parser.add_argument("--jar", type=Path, default=JAR)
    args = parser.parse_args(argv)
    if built_site.missing(args.site):
        return 2
    try:
        messages = check_site(args.site, args.jar)
    except CheckerMissing as missing:
        print(f"check_html: {missing}", file=sys.stderr)
        return 2
    site = args.site.as_posix().rstrip("/")
    errors = [m for m in messages if m.kind == "error"]
    for message in messages:
        if message.kind in ("error", "warning"):
            print(f"{site}/{message}", file=sys.stderr)
    pages = len(html_pages(args.site))
    if errors:
        print(f"check_html: {len(errors)} HTML error(s) in {pages} pages (Nu Html Checker)", file=sys.stderr)
        return 1
    print(f"check_html: {pages} pages, valid HTML (Nu Html Checker)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
