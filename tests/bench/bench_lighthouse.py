"""Lighthouse benchmark: our site against a default Material site, same text.

    python tests/bench/bench_lighthouse.py [--runs 5] [--pages home,timeline]

Builds two sites into a temporary folder:
  ours     the project as it is (mkdocs.yml, overrides/, docs/, data/),
           built as `make build` does (mkdocs build, then distill_site.tools.trim_css);
  default  the same docs/ and data/ with a minimal mkdocs.yml: the site name,
           nav and exclude_docs, ``theme: material`` and nothing else of the
           theme, and our markdown_extensions unchanged, so the text is the same.
Serves both the same way (127.0.0.1, HTTP/1.1, text files gzipped at level 6
as static hosts do), and runs Lighthouse (tests/bench/node_modules, pinned in
package.json; installed with ``npm ci`` if missing) in Debian's Chromium with
the default mobile preset (simulated slow 4G, 4x CPU slowdown) on every
page of the nav and the pages outside it (answers, worksheets), several
runs each, and takes medians. The machine is noisy (2 shared cores):
compare medians, not single runs.

Writes tests/bench/results-lighthouse.md (keeping its hand-written notes
section). Not a test: it never fails on a score; it records what it measured.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from functools import partial
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from browser.site_pages import OUTSIDE_NAV, PAGES  # noqa: E402  (the nav of mkdocs.yml, then the pages outside it)
from distill_site.site_config import PythonName, read_site_config  # noqa: E402
from site_server import QuietServer  # noqa: E402

RESULTS = HERE / "results-lighthouse.md"
# Everything from this heading on in RESULTS is hand-written and kept.
NOTES_MARKER = "## Notes (hand-written"
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = Path(os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu "
                "--disable-background-networking --disable-component-update")
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
METRICS = {
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
    "speed-index": "SI",
}
COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map"}
BUILD_ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1",
             "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1767225600")}


# --- the two sites ------------------------------------------------------

class _ConfigDumper(yaml.SafeDumper):
    """Writes mkdocs.yml's !!python/name values back as tags (the chart fences' format)."""


_ConfigDumper.add_representer(
    PythonName, lambda dumper, name: dumper.represent_scalar(f"tag:yaml.org,2002:python/name:{name}", ""))


def default_config(ours: dict) -> dict:
    """A default Material site with our text: theme name only, same Markdown."""
    config = {"site_name": ours["site_name"], "theme": {"name": "material"}}
    for key in ("docs_dir", "exclude_docs", "nav", "markdown_extensions"):
        if key in ours:
            config[key] = ours[key]
    return config


def build(project: Path, site: Path, stages: str) -> None:
    """The stages of `make build` (distill_site.tools.pipeline) that make a site to serve."""
    result = subprocess.run([sys.executable, "-m", "distill_site.tools.pipeline", "--site", str(site),
                             "--stages", stages], cwd=project, env=BUILD_ENV, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"build failed in {project}:\n{result.stdout}{result.stderr}")


def build_sites(work: Path) -> dict[str, Path]:
    ours = read_site_config(ROOT / "mkdocs.yml")
    sites = {"ours": work / "ours", "default": work / "default"}
    build(ROOT, sites["ours"], "build,finish")
    project = work / "default-project"
    project.mkdir()
    for part in ("docs", "data"):
        if (ROOT / part).is_dir():
            shutil.copytree(ROOT / part, project / part)
    (project / "mkdocs.yml").write_text(yaml.dump(default_config(ours), Dumper=_ConfigDumper, sort_keys=False),
                                        encoding="utf-8")
    build(project, sites["default"], "build")  # a default site: Material as it comes, nothing trimmed
    return sites


# --- serving: the same for both sites -----------------------------------

class GzipHandler(SimpleHTTPRequestHandler):
    """Static files; text gzipped (level 6) when the browser accepts it."""

    protocol_version = "HTTP/1.1"
    _cache: dict[Path, bytes] = {}

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the parent redirects /page to /page/
            path = path / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and path.suffix in COMPRESSIBLE and path.is_file()):
            return super().send_head()
        body = self._cache.get(path)
        if body is None:
            body = self._cache[path] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format, *args):
        pass


def serve(site: Path):
    handler = type("Handler", (GzipHandler,), {"_cache": {}})
    server = QuietServer(("127.0.0.1", 0), partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


# --- Lighthouse ---------------------------------------------------------

def ensure_lighthouse() -> None:
    if not LIGHTHOUSE.exists():
        print("installing Lighthouse (npm ci in tests/bench)...", flush=True)
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True)
    if not CHROMIUM.exists():
        sys.exit(f"Chromium is missing at {CHROMIUM}. Install it with: sudo apt-get install -y chromium")


def lighthouse(url: str, out: Path) -> dict:
    command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
               f"--chrome-flags={CHROME_FLAGS}",
               f"--only-categories={','.join(CATEGORIES)}"]
    env = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    if result.returncode != 0 or not out.exists():
        raise RuntimeError(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    return json.loads(out.read_text(encoding="utf-8"))


def body_sizes(site: Path, base: str, url: str) -> tuple[int, int]:
    """(bytes our server sends, file size) for a URL of the site; (0, 0) elsewhere.

    Computed from the file, not read from Lighthouse's records, which miss
    the body of what a web worker loads (the search worker).
    """
    if not url.startswith(base):
        return 0, 0  # another host: failed here (no network)
    path = site / url[len(base):].split("?")[0].split("#")[0]
    if path.is_dir():
        path = path / "index.html"
    if not path.is_file():
        return 0, 0
    data = path.read_bytes()
    sent = len(gzip.compress(data, compresslevel=6, mtime=0)) if path.suffix in COMPRESSIBLE else len(data)
    return sent, len(data)


def summarise(report: dict, site: Path, base: str) -> dict:
    audits = report["audits"]
    records = audits.get("network-requests", {}).get("details", {}).get("items", [])
    requests = [(r["url"], *body_sizes(site, base, r["url"])) for r in records
                if not r["url"].startswith("data:")]
    losses = []
    for category in CATEGORIES:
        for ref in report["categories"][category]["auditRefs"]:
            audit = audits[ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                losses.append(f"{category}: {ref['id']} ({audit.get('displayValue') or audit['score']})"
                              if category == "performance" else f"{category}: {ref['id']}")
    return {
        "scores": {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES},
        "metrics": {name: audits[key]["numericValue"] for key, name in METRICS.items()},
        "transfer": sum(sent for _, sent, _ in requests),
        "resource": sum(size for _, _, size in requests),
        "requests": requests,
        "losses": losses,
        "version": report["lighthouseVersion"],
        "chrome": report["environment"]["hostUserAgent"],
        "benchmark_index": report["environment"].get("benchmarkIndex"),
        "axe": report["environment"].get("credits", {}).get("axe-core"),
    }


def median(values):
    return statistics.median(values)


# --- report ---------------------------------------------------------------

def fmt_kb(n: float) -> str:
    return f"{n / 1000:,.1f} KB"


def versions() -> dict[str, str]:
    from importlib.metadata import version
    chromium = subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True).stdout.strip()
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return {"mkdocs": version("mkdocs"), "mkdocs-material": version("mkdocs-material"),
            "chromium": chromium, "node": node, "python": platform.python_version()}


def write_report(results: dict, runs: int, pages: list, meta: dict) -> str:
    sample = next(iter(results["ours"].values()))[0]
    lines = [
        "# Lighthouse: our site against a default Material site",
        "",
        f"Measured {dt.date.today().isoformat()} by `python tests/bench/bench_lighthouse.py"
        f" --runs {runs}` on a 2-core shared machine (Lighthouse's CPU benchmark index"
        f" {sample['benchmark_index']:.0f}).",
        "",
        f"Versions: Lighthouse {sample['version']} (npm, pinned in tests/bench/package.json),"
        f" axe-core {sample['axe']}, {meta['chromium']} (Debian), node {meta['node']},"
        f" mkdocs {meta['mkdocs']}, mkdocs-material {meta['mkdocs-material']},"
        f" Python {meta['python']}.",
        "",
        "## Method",
        "",
        "- **Two sites, same text.** *Ours* is the project as built by `make build`"
        " (`mkdocs build`, then `python -m distill_site.tools.trim_css`, which trims Material's"
        " CSS to the rules the site uses)."
        " *Default* is the same `docs/` and `data/` with a minimal `mkdocs.yml`: site name,"
        " nav, `exclude_docs`, `theme: material` and nothing more of the theme (so Material's"
        " defaults, Google Fonts included), and our `markdown_extensions` unchanged.",
        "- **Served the same way:** Python's threaded `http.server` on 127.0.0.1, HTTP/1.1,"
        " text files (HTML, CSS, JS, JSON, SVG) **gzipped at level 6**, as GitHub Pages,"
        " Netlify or nginx serve them. *Bytes* are the bodies the server sends for every"
        " request of the first view that Lighthouse records (page, CSS, icon, and any"
        " script, search worker and index loaded without interaction), gzipped where the"
        " server gzips; file sizes are given too. Lighthouse does not click, tap or type:"
        " on *ours* that is a reader who only reads (Material's JavaScript loads on the"
        " first interaction); the default site loads it with the page.",
        "- **Lighthouse's default mobile preset:** Moto G Power emulation, simulated slow 4G"
        " (150 ms RTT, 1.6 Mbit/s) and 4x CPU slowdown, cold cache, in Debian's Chromium"
        f" with `{CHROME_FLAGS}`.",
        f"- **{runs} runs** of every page of each site, interleaved (ours, default, ours, ...);"
        " the table gives **medians** (and the range of the performance score). The"
        " machine has 2 shared cores: single runs move by several points.",
        "- The sandbox has no network: the default site's Google Fonts requests fail, so"
        " its byte counts do not include the fonts a real reader would download (two CSS"
        " files and several WOFF2 files, tens of KB more).",
        "",
        "## Results (medians)",
        "",
        "| page | ours: perf (range) | a11y | best pr. | SEO | default: perf (range) | a11y | best pr. | SEO"
        " | ours: bytes | default: bytes | ratio |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    ratios = []
    for page in pages:
        row = [str(page)]
        for site in ("ours", "default"):
            runs_ = results[site][page]
            perf = [r["scores"]["performance"] for r in runs_]
            row.append(f"{median(perf):g} ({min(perf)}–{max(perf)})")
            for cat in CATEGORIES[1:]:
                row.append(f"{median([r['scores'][cat] for r in runs_]):g}")
        ours_bytes = median([r["transfer"] for r in results["ours"][page]])
        default_bytes = median([r["transfer"] for r in results["default"][page]])
        ratios.append(ours_bytes / default_bytes)
        row += [fmt_kb(ours_bytes), fmt_kb(default_bytes), f"{ours_bytes / default_bytes:.2f}"]
        lines.append("| " + " | ".join(row) + " |")

    lines += ["", "Metrics, medians over all pages and runs (mobile, simulated):", "",
              "| site | FCP | LCP | TBT | CLS | Speed Index |", "| --- | --- | --- | --- | --- | --- |"]
    for site in ("ours", "default"):
        every = [r for page in pages for r in results[site][page]]
        m = {name: median([r["metrics"][name] for r in every]) for name in METRICS.values()}
        lines.append(f"| {site} | {m['FCP'] / 1000:.2f} s | {m['LCP'] / 1000:.2f} s | {m['TBT']:.0f} ms"
                     f" | {m['CLS']:.3f} | {m['SI'] / 1000:.2f} s |")

    # What one chapter's first view loads, file by file.
    chapter = next((p for p in pages if not p.is_home), pages[0])
    lines += ["", f"What the first view of `{chapter}` loads (one run):", "",
              "| file | ours: sent | ours: size | default: sent | default: size |",
              "| --- | --- | --- | --- | --- |"]

    def by_name(requests):
        out = {}
        for url, sent, size in requests:
            name = url.split("/", 3)[-1] or "(page)"
            name = name if not name.endswith("/") else "(page HTML)"
            if not url.startswith("http://127.0.0.1"):
                name = url.split("/")[2] + " (failed: no network)"
            out[name] = (sent, size)
        return out

    ours_files = by_name(results["ours"][chapter][0]["requests"])
    default_files = by_name(results["default"][chapter][0]["requests"])
    for name in sorted(ours_files.keys() | default_files.keys(),
                       key=lambda n: -max(ours_files.get(n, (0, 0))[1], default_files.get(n, (0, 0))[1])):
        o, d = ours_files.get(name), default_files.get(name)
        lines.append(f"| `{name}` | {fmt_kb(o[0]) if o else '–'} | {fmt_kb(o[1]) if o else '–'}"
                     f" | {fmt_kb(d[0]) if d else '–'} | {fmt_kb(d[1]) if d else '–'} |")
    tot_o = results["ours"][chapter][0]
    tot_d = results["default"][chapter][0]
    lines.append(f"| **total** | {fmt_kb(tot_o['transfer'])} | {fmt_kb(tot_o['resource'])}"
                 f" | {fmt_kb(tot_d['transfer'])} | {fmt_kb(tot_d['resource'])} |")

    lines += ["", "## What costs the points", "",
              "Audits that scored below 1 and carry weight, with how many of the runs they failed in:", ""]
    for site in ("ours", "default"):
        every = [r for page in pages for r in results[site][page]]
        counts = Counter(loss.split(" (")[0] for r in every for loss in r["losses"])
        lines.append(f"- **{site}** ({len(every)} runs): " + (", ".join(
            f"{name} ×{n}" for name, n in counts.most_common()) or "nothing"))

    lines += ["", "## Targets", ""]
    every = [r for page in pages for r in results["ours"][page]]
    for cat in CATEGORIES:
        medians = [median([r["scores"][cat] for r in results["ours"][p]]) for p in pages]
        met = all(m == 100 for m in medians)
        lines.append(f"- {cat}: target 100 — {'met on every page' if met else 'NOT met'}"
                     f" (page medians {min(medians):g}–{max(medians):g}).")
    worst = max(ratios)
    lines.append(f"- bytes sent on first view: target at most 1/3 of the default site — "
                 f"{'met' if worst <= 1 / 3 else 'NOT met'} (ours / default = "
                 f"{min(ratios):.2f}–{worst:.2f}).")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", help="comma-separated paths (home, timeline, answers, ...); default all")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()

    pages = PAGES + OUTSIDE_NAV
    if args.pages:
        wanted = {name.strip().strip("/") for name in args.pages.split(",")}
        pages = [p for p in pages if (p.path.strip("/") or "home") in wanted]
    ensure_lighthouse()
    with tempfile.TemporaryDirectory(prefix="bench-lighthouse-") as tmp:
        work = Path(tmp)
        sites = build_sites(work)
        servers = {name: serve(site) for name, site in sites.items()}
        results = {name: {page: [] for page in pages} for name in sites}
        try:
            for run in range(args.runs):
                for page in pages:
                    for name, (_, base) in servers.items():
                        report = lighthouse(base + page.path, work / f"{name}-{run}.json")
                        summary = summarise(report, sites[name], base)
                        results[name][page].append(summary)
                        print(f"run {run + 1}/{args.runs} {name:7} {str(page):22} "
                              + " ".join(f"{v:3}" for v in summary["scores"].values())
                              + f"  {summary['transfer']:>8,} B", flush=True)
        finally:
            for server, _ in servers.values():
                server.shutdown()
                server.server_close()
    text = write_report(results, args.runs, pages, versions())
    # The hand-written analysis at the end of the file survives a new run.
    if args.output.exists():
        old = args.output.read_text(encoding="utf-8")
        if NOTES_MARKER in old:
            text += "\n" + old[old.index(NOTES_MARKER):]
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
