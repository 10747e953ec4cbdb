"""Record the value of every stated figure as published, after a deployment.

The publish workflow runs this once the site is live and commits
``data/published.yml``; from then on a changed value needs a correction
(``distill_site.facts.published`` explains the rule). Without ``--record``
it only checks that every change since is recorded as a correction.

Usage: ``python -m distill_site.tools.record_published [--record] [--data data/figures.yml]``
"""

from __future__ import annotations

import argparse
import sys

from ..errors import SiteError
from ..facts.figures import load_figures
from ..facts.published import published_path, record_published


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--record", action="store_true", help="write today's values as the published ones")
    parser.add_argument("--data", default="data/figures.yml")
    args = parser.parse_args(argv)
    try:
        facts = load_figures(args.data)
    except SiteError as error:
        print(error, file=sys.stderr)
        return 1
    path = published_path(args.data)
    if args.record:
        record_published(facts, path)
        print(f"published: recorded {path}")
    else:
        print(f"published: every change from {path} is recorded as a correction")
    return 0


if __name__ == "__main__":
    sys.exit(main())
