"""The guard every post-build command shares: is there a built site to work on?"""

from __future__ import annotations

import sys
from pathlib import Path


def missing(site: Path | None) -> bool:
    """True, having told the maintainer what to do, when ``site`` is not a built site folder."""
    if site is not None and site.is_dir():
        return False
    print(f"{site}: no built site here; run `make build` first", file=sys.stderr)
    return True
