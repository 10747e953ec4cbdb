"""``zensical build``, with our errors said plainly and no partial site left.

Zensical (0.0.73) turns an exception from a Markdown extension into a
``RuntimeError`` whose traceback buries our one-line message, and leaves in
``site/`` the pages it wrote before the error. This runs the same build
and, if it fails, prints our message on its own (``docs/page.md:12: ...``)
and removes the site folder, so a failed build cannot be published.
Around the build it does what ``make build`` does with the site's address
(``distill_site.tools.site_address``): a build for publishing (PUBLISH=1) at the
placeholder address is refused before it starts, and robots.txt is pointed
at site_url's sitemap after it.

    .venv-zensical/bin/python -m distill_site.tools.zensical_build [mkdocs.yml]
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from ..errors import SiteError
from ..site_config import read_site_config
from .site_address import check_address, point_robots_at_sitemap

# How Zensical reports an exception from Python: "Python error: SiteError: <our message>".
OUR_ERROR = re.compile(r"SiteError: (.+)")


def site_dir(config_file: Path) -> Path:
    """The folder the build writes (site_dir, relative to the configuration's folder)."""
    try:
        config = read_site_config(config_file)
    except SiteError:
        config = {}  # Zensical itself will say what is wrong with the file
    return config_file.parent / str(config.get("site_dir") or "site")


def build(config_file: Path) -> int:
    try:
        site_url, _ = check_address(config_file)
    except SiteError as error:
        sys.stderr.write(f"ERROR   -  {error}\n")
        return 1
    command = [sys.executable, "-m", "zensical", "build", "--clean", "--strict", "--config-file", config_file.name]
    result = subprocess.run(command, cwd=config_file.parent, capture_output=True, text=True)
    output = result.stdout + result.stderr
    if result.returncode == 0:
        sys.stdout.write(output)
        point_robots_at_sitemap(site_dir(config_file), site_url)
        return 0
    shutil.rmtree(site_dir(config_file), ignore_errors=True)
    ours = OUR_ERROR.search(output)
    sys.stderr.write(f"ERROR   -  {ours[1]}\n" if ours else output)
    sys.stderr.write("\nAborted: the site folder was removed, so nothing partial can be published.\n")
    return result.returncode or 1


def main(argv: list[str]) -> int:
    config_file = Path(argv[0] if argv else "mkdocs.yml").resolve()
    return build(config_file)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
