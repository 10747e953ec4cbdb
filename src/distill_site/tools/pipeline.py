"""One build of the site, every step in order: what ``make build``, the tests
and the benchmarks all run.

    before   the site's address (a build for publishing refuses the
             placeholder) and the preview image's freshness: checked
             before anything is written
    build    the strict build, by MkDocs or by Zensical
    finish   what a teacher takes away (the figures as CSV and JSON, each
             drawing as an SVG and an embed page, with links beside it),
             trim Material's CSS, drop autocomplete from its toggles, point
             robots.txt at site_url's sitemap, write the addresses that
             links to other pages print with, print the PDF handouts
    checks   links and anchors, the promised URLs, leftover placeholders,
             third-party requests, and valid HTML (the Nu Html Checker)

Run it from the project's folder (it reads mkdocs.yml, docs/ and data/
there). The first step that fails stops the build with its message and
exit status. Valid HTML needs Java and npm's vnu.jar: without them the
step says it was skipped, except under CI (``CI`` set), where it fails.
The PDF handouts need Debian's Chromium: without it the step says they were
skipped (the link and URL checks then say what they could not check),
except under CI or for publishing (``PUBLISH=1``), where it fails.

    python -m distill_site.tools.pipeline [--site site] [--stages build,finish] [--skip html]
    .venv-zensical/bin/python -m distill_site.tools.pipeline --tool zensical
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..checks import html_validity, links, placeholders, third_party, urls
from ..errors import SiteError
from ..facts.facts_cache import cached_facts
from ..pages.handouts import FOLDER as HANDOUTS_FOLDER
from ..pages.handouts import data_date_text, extension_options
from ..site_config import read_site_config
from . import downloads, fix_toggles, handouts, preview_image, print_addresses, site_address, trim_css, zensical_build

STAGES = ("before", "build", "finish", "checks")
# Where a project keeps its URL contract: the site's own under tests/, a small example's beside mkdocs.yml.
CONTRACTS = (Path("tests/url_contract.txt"), Path("url_contract.txt"))


def contract(project: Path) -> Path:
    return next((project / path for path in CONTRACTS if (project / path).is_file()), project / CONTRACTS[0])


@dataclass(frozen=True)
class Step:
    name: str
    stage: str
    run: Callable[[Path, str], int]  # (site folder, build tool) -> exit status


DATA_DATE_VARIABLE = "DISTILL_DATA_DATE"  # mkdocs.yml's extra.data_date reads it


def data_date(config: Path) -> str:
    """The date of the data, as pages write dates, for the foot of printed pages:
    a template cannot read the data file. "" if the data file cannot be read
    (the build then fails on it, with its own message)."""
    options = extension_options(read_site_config(config))
    try:
        return data_date_text(cached_facts(options.get("data_file", "data/figures.yml")))
    except SiteError:
        return ""


def _mkdocs_build(site: Path, tool: str) -> int:
    os.environ[DATA_DATE_VARIABLE] = data_date(Path("mkdocs.yml"))
    if tool == "zensical":
        if site.resolve() != zensical_build.site_dir(Path("mkdocs.yml").resolve()).resolve():
            print("pipeline: Zensical writes site_dir from mkdocs.yml; --site cannot move it", file=sys.stderr)
            return 2
        return zensical_build.main(["mkdocs.yml"])
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-d", str(site)]
    return subprocess.run(command).returncode


def _links(site: Path, tool: str) -> int:
    """The link check, told where this project's pages, theme and data are (for its messages)."""
    config = read_site_config(Path("mkdocs.yml"))
    theme = config.get("theme") or {}
    return links.main([str(site), "--docs", str(config.get("docs_dir") or "docs"),
                       "--overrides", str(theme.get("custom_dir") or "overrides"), *_unbuilt(site)])


def _html(site: Path, tool: str) -> int:
    if html_validity.find_java() and html_validity.JAR.is_file():
        return html_validity.main([str(site)])
    if os.environ.get("CI"):
        print(f"check_html: no Java or no {html_validity.JAR} under CI: {html_validity.INSTALL}", file=sys.stderr)
        return 2
    print("check_html: SKIPPED, the HTML was not validated: no Java or no vnu.jar here "
          "(sudo apt-get install default-jre-headless npm; make test installs them)")
    return 0


def _unbuilt(site: Path) -> list[str]:
    """The checks' option naming the handouts' folder, if this build made none
    (no Chromium, or --skip handouts): they then say what they did not check."""
    return [] if (site / HANDOUTS_FOLDER).is_dir() else ["--unbuilt", HANDOUTS_FOLDER]


STEPS = (
    Step("address", "before", lambda site, tool: site_address.main(["check"])),
    Step("preview", "before", lambda site, tool: preview_image.main(["--check"])),
    Step("build", "build", _mkdocs_build),
    # Before the trim: the trim keeps the rules of what this adds to the pages.
    Step("downloads", "finish", lambda site, tool: downloads.main([str(site)])),
    Step("trim", "finish", lambda site, tool: trim_css.main([str(site)])),
    Step("toggles", "finish", lambda site, tool: fix_toggles.main([str(site)])),
    Step("robots", "finish", lambda site, tool: site_address.main(["robots", str(site)])),
    Step("print-addresses", "finish", lambda site, tool: print_addresses.main([str(site)])),
    Step("handouts", "finish", lambda site, tool: handouts.main([str(site)])),
    Step("links", "checks", _links),
    Step("urls", "checks", lambda site, tool: urls.main([str(site), "--contract", str(contract(Path("."))),
                                                         *_unbuilt(site)])),
    Step("placeholders", "checks", lambda site, tool: placeholders.main([str(site)])),
    Step("third-party", "checks", lambda site, tool: third_party.main([str(site)])),
    Step("html", "checks", _html),
)


def run(site: Path = Path("site"), *, stages=STAGES, skip=(), tool: str = "mkdocs") -> int:
    """Every step of ``stages`` but ``skip``, in order; the first failure's status, else 0."""
    for step in STEPS:
        if step.stage in stages and step.name not in skip:
            sys.stdout.flush()
            status = step.run(site, tool)
            if status != 0:
                sys.stdout.flush()
                print(f"pipeline: stopped at '{step.name}' ({step.stage})", file=sys.stderr)
                return status
    return 0


def _names(text: str, known: tuple[str, ...], what: str) -> tuple[str, ...]:
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    unknown = [name for name in names if name not in known]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown {what} {', '.join(unknown)}; known: {', '.join(known)}")
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=Path("site"), help="the folder to build into")
    parser.add_argument("--stages", type=lambda text: _names(text, STAGES, "stage"), default=STAGES,
                        help=f"which stages, comma-separated (default: {','.join(STAGES)})")
    parser.add_argument("--skip", type=lambda text: _names(text, tuple(s.name for s in STEPS), "step"),
                        default=(), help="steps to leave out, comma-separated (e.g. html)")
    parser.add_argument("--tool", choices=("mkdocs", "zensical"), default="mkdocs")
    args = parser.parse_args(argv)
    return run(args.site, stages=args.stages, skip=args.skip, tool=args.tool)


if __name__ == "__main__":
    sys.exit(main())
