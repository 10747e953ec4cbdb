"""Shared bits of the benchmark scripts: timing, environment, results files."""

from __future__ import annotations

import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1767225600"}


def timed_run(command, cwd, repeats: int) -> list[float]:
    """Wall-clock seconds of ``repeats`` runs of ``command`` (each must succeed)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, env=ENV, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def cpu_run(command, cwd, repeats: int) -> list[float]:
    """CPU seconds (user + system) of each run: steadier than wall time on a busy machine."""
    times = []
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(command, cwd=cwd, env=ENV, check=True, capture_output=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return times


def median(values) -> float:
    return statistics.median(values)


def machine() -> str:
    return (f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"mkdocs {version('mkdocs')}, mkdocs-material {version('mkdocs-material')}, "
            f"Markdown {version('Markdown')}")


def mkdocs(*args) -> list[str]:
    return [sys.executable, "-m", "mkdocs", *args]
