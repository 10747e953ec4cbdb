"""A site that knows where it lives: its address and its repository come from the publish workflow.

- A maintainer who builds locally needs nothing: the placeholder address and
  no repository link.
- A build for publishing (PUBLISH=1) at the placeholder address, or with no
  address or no repository, stops before anything is built, in one line that
  names mkdocs.yml and the variable to set.
- Built for publishing with SITE_URL and REPO_URL set, no file of the site
  names the placeholder host (canonical links, og:url and og:image, the
  cite box, the sitemap, robots.txt), under MkDocs and under Zensical; the
  header links to the repository, and no page makes Material's script ask
  api.github.com for the repository's stars; ``make check-external`` sees
  the repository link.
- Pull requests run ``make test``; the publish workflow deploys only a commit
  that passed it, at the Pages address, then records the published figures.
"""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
import sys
from pathlib import Path

import material
import pytest
import yaml

from conftest import BUILD_ENV, ROOT, copy_project
from distill_site.checks import third_party
from distill_site.facts import published
from distill_site.checks.external_links import external_links
from distill_site.errors import SiteError
from distill_site.tools.site_address import check_address, point_robots_at_sitemap
from distill_site.site_config import read_site_config

CONFIG = ROOT / "mkdocs.yml"
PLACEHOLDER_HOST = "distillation.example.org"
SITE_URL = "https://owner.github.io/explainer-repo/"  # only as a build's input: never published
REPO_URL = "https://github.com/owner/explainer-repo"
PUBLISHING = {"PUBLISH": "1", "SITE_URL": SITE_URL, "REPO_URL": REPO_URL}
WORKFLOWS = ROOT / ".github" / "workflows"
CHAPTER = "what-is-distillation/index.html"


def local_env(**values: str) -> dict[str, str]:
    """The build's environment, without any address the developer's shell may carry."""
    env = {k: v for k, v in BUILD_ENV.items() if k not in ("PUBLISH", "SITE_URL", "REPO_URL")}
    return {**env, **values}


def config_line(key: str) -> int:
    lines = CONFIG.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.startswith(f"{key}:"))


def files_naming(site: Path, text: str) -> list[str]:
    """Every file of the site whose bytes (unzipped, for .gz) contain ``text``."""
    found = []
    for path in sorted(site.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".gz":
                data = gzip.decompress(data)
            if text.encode() in data:
                found.append(path.relative_to(site).as_posix())
    return found


def run(module: str, *args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", module, *args], cwd=cwd, env=env or local_env(),
                          capture_output=True, text=True)


def build_for_publishing(project: Path, env: dict[str, str]) -> tuple[Path, str]:
    """What `make build` runs, in order, with the publish workflow's variables
    (the PDF handouts included: a build for publishing needs Chromium); the
    HTML validator is left to tests/test_site_checks.py."""
    site = project / "site"
    steps = [("distill_site.tools.site_address", "check"),
             ("mkdocs", "build", "--strict", "--clean", "-d", str(site)),
             ("distill_site.tools.downloads", str(site)),
             ("distill_site.tools.trim_css", str(site)), ("distill_site.tools.fix_toggles", str(site)),
             ("distill_site.tools.site_address", "robots", str(site)),
             ("distill_site.tools.print_addresses", str(site)), ("distill_site.tools.handouts", str(site)),
             ("distill_site.checks.links", str(site)), ("distill_site.checks.urls", str(site), "--contract", str(ROOT / "tests" / "url_contract.txt")),
             ("distill_site.checks.placeholders", str(site)), ("distill_site.checks.third_party", str(site))]
    output = ""
    for module, *args in steps:
        result = run(module, *args, cwd=project, env=env)
        output += result.stdout + result.stderr
        assert result.returncode == 0, f"{module} failed on the build for publishing:\n{output}"
    return site, output


@pytest.fixture(scope="module")
def published_site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("publishing") / "project")
    site, _ = build_for_publishing(project, local_env(**PUBLISHING))
    return site


# --- A local build needs nothing ---------------------------------------------------------------

def test_a_local_build_keeps_the_placeholder_and_names_no_repository():
    assert check_address(CONFIG, {}) == (f"https://{PLACEHOLDER_HOST}/explainer/", "")


def test_our_reading_of_mkdocs_yml_is_mkdocs_own(monkeypatch):
    # check_links, check_external and the address check read site_url as the build does.
    from mkdocs.config import load_config as mkdocs_load_config
    for env in ({}, {"SITE_URL": SITE_URL, "REPO_URL": REPO_URL}):
        for name in ("SITE_URL", "REPO_URL"):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        theirs = mkdocs_load_config(str(CONFIG))
        ours = read_site_config(CONFIG, env)
        assert (ours["site_url"], ours["repo_url"]) == (theirs.site_url, theirs.repo_url)


# --- A build for publishing refuses the placeholder ------------------------------------------

@pytest.mark.parametrize("env, key, said", [
    ({"PUBLISH": "1", "REPO_URL": REPO_URL}, "site_url", f"still the placeholder https://{PLACEHOLDER_HOST}/"),
    ({"PUBLISH": "1", "SITE_URL": "", "REPO_URL": REPO_URL}, "site_url", "not an absolute http(s) address"),
    ({"PUBLISH": "1", "SITE_URL": "/", "REPO_URL": REPO_URL}, "site_url", "not an absolute http(s) address"),
    ({"PUBLISH": "1", "SITE_URL": SITE_URL}, "repo_url", "report mistakes on the repository"),
], ids=["placeholder", "empty address", "no host", "no repository"])
def test_a_build_for_publishing_without_a_real_address_stops_naming_mkdocs_yml(env, key, said):
    with pytest.raises(SiteError) as error:
        check_address(CONFIG, env)
    message = str(error.value)
    assert message.startswith(f"{CONFIG}:{config_line(key)}: {key} is "), message
    assert said in message
    assert ("SITE_URL" if key == "site_url" else "REPO_URL") in message
    assert "\n" not in message


def test_make_build_for_publishing_at_the_placeholder_stops_before_building(tmp_path):
    if not shutil.which("make"):
        pytest.skip("no make here")
    result = subprocess.run(["make", "--no-print-directory", "build"], cwd=ROOT,
                            env=local_env(PUBLISH="1", REPO_URL=REPO_URL), capture_output=True, text=True,
                            timeout=600)
    assert result.returncode != 0, "make build published the placeholder address"
    ours = [line for line in result.stderr.splitlines()
            if not re.match(r"make(\[\d+\])?: |pipeline: stopped at 'address'", line)]
    assert ours == [ours[0]] and ours[0].startswith(f"mkdocs.yml:{config_line('site_url')}: site_url is still"), \
        result.stderr
    assert "SITE_URL" in ours[0]
    assert "mkdocs build" not in result.stdout, "the site was built before the address was checked"


def test_the_robots_line_follows_the_address_and_a_local_build_leaves_it_as_written(tmp_path):
    written = (ROOT / "docs" / "robots.txt").read_text(encoding="utf-8")
    (tmp_path / "robots.txt").write_text(written, encoding="utf-8")
    assert not point_robots_at_sitemap(tmp_path, f"https://{PLACEHOLDER_HOST}/explainer/")
    assert (tmp_path / "robots.txt").read_text(encoding="utf-8") == written
    assert point_robots_at_sitemap(tmp_path, SITE_URL)
    assert (tmp_path / "robots.txt").read_text(encoding="utf-8") == written.replace(
        f"https://{PLACEHOLDER_HOST}/explainer/sitemap.xml", SITE_URL + "sitemap.xml")


# --- Built for publishing: the real address everywhere ------------------------------------------

def test_no_file_of_a_site_built_for_publishing_names_the_placeholder(published_site):
    assert files_naming(published_site, PLACEHOLDER_HOST) == []
    page = (published_site / CHAPTER).read_text(encoding="utf-8")
    address = SITE_URL + "what-is-distillation/"
    assert f'<link rel="canonical" href="{address}">' in page
    assert f'<meta property="og:url" content="{address}">' in page
    assert f'<meta property="og:image" content="{SITE_URL}assets/images/preview.png">' in page
    assert f'<a href="{address}">{address}</a>' in page, "the cite box does not give the published address"
    sitemap = (published_site / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>(.*?)</loc>", sitemap)
    assert locations and all(loc.startswith(SITE_URL) for loc in locations)
    assert f"Sitemap: {SITE_URL}sitemap.xml" in (published_site / "robots.txt").read_text(encoding="utf-8")


def test_the_check_for_the_placeholder_sees_one_left_behind(published_site, tmp_path):
    # The check above must be able to fail: a page that still names the placeholder is found.
    site = tmp_path / "site"
    shutil.copytree(published_site, site)
    page = site / CHAPTER
    page.write_text(page.read_text(encoding="utf-8").replace(SITE_URL, f"https://{PLACEHOLDER_HOST}/explainer/", 1),
                    encoding="utf-8")
    assert files_naming(site, PLACEHOLDER_HOST) == [CHAPTER]


def test_every_page_links_the_repository_and_none_asks_github_for_its_stars(published_site):
    # Every page of the theme: an embed page (embed/<id>/, tools/downloads.py) is a chart alone, for other sites.
    pages = sorted(page for page in published_site.rglob("*.html") if page.parent.parent != published_site / "embed")
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert f'<a href="{REPO_URL}" title="Go to repository" class="md-source">' in html, page
    # Material's script asks api.github.com only for an element marked data-md-component="source".
    assert third_party.check_site(published_site) == []
    # And the external link check (make check-external) sees the repository link.
    assert set(external_links(published_site, SITE_URL)[REPO_URL]) == {
        page.relative_to(published_site).as_posix() for page in pages}


def test_without_our_source_partial_the_repository_widget_would_ask_github(tmp_path):
    # The defect the override prevents, planted: Material's own partial, which
    # the third-party check refuses on every page.
    project = copy_project(tmp_path / "project")
    (project / "overrides" / "partials" / "source.html").unlink()
    site = tmp_path / "site"
    result = run("mkdocs", "build", "--strict", "-d", str(site), cwd=project, env=local_env(REPO_URL=REPO_URL))
    assert result.returncode == 0, result.stdout + result.stderr
    problems = third_party.check_site(site)
    assert problems and {problem.file for problem in problems} == {
        page.relative_to(site).as_posix() for page in site.rglob("*.html")}
    assert all("api.github.com" in problem.what for problem in problems)


def test_our_source_partial_is_materials_without_the_attribute_that_fetches():
    def body(text: str) -> str:
        return text.split("-#}\n", 1)[1] if text.startswith("{#-") else text
    ours = body((ROOT / "overrides" / "partials" / "source.html").read_text(encoding="utf-8"))
    theirs = body((Path(material.__file__).parent / "templates" / "partials" / "source.html").read_text(encoding="utf-8"))
    assert ' data-md-component="source"' in theirs
    assert ours == theirs.replace(' data-md-component="source"', "", 1), (
        "Material's partials/source.html changed (an upgrade?): copy it again into "
        "overrides/partials/source.html, without data-md-component=\"source\"")


# --- The same under Zensical ----------------------------------------------------------------------

def test_zensical_reads_the_same_address_and_refuses_the_same_placeholder(tmp_path):
    from test_zensical import ensure_zensical
    python = ensure_zensical().parent / "python"
    project = copy_project(tmp_path / "project")
    wrapper = [str(python), "-m", "distill_site.tools.zensical_build", "mkdocs.yml"]
    refused = subprocess.run(wrapper, cwd=project, env=local_env(PUBLISH="1", REPO_URL=REPO_URL),
                             capture_output=True, text=True, timeout=600)
    assert refused.returncode != 0 and f"mkdocs.yml:{config_line('site_url')}: site_url is still the placeholder" \
        in refused.stderr, refused.stdout + refused.stderr
    assert not (project / "site").exists(), "Zensical built the site at the placeholder address"
    result = subprocess.run(wrapper, cwd=project, env=local_env(**PUBLISHING), capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "site"
    assert files_naming(site, PLACEHOLDER_HOST) == []
    page = (site / CHAPTER).read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{SITE_URL}what-is-distillation/">' in page
    assert f'<a href="{REPO_URL}" title="Go to repository" class="md-source">' in page
    assert third_party.check_site(site) == []


# --- The workflows -------------------------------------------------------------------------------

def workflow(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads a bare `on:` as true
    return data


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def test_pull_requests_run_make_test_in_a_workflow_of_their_own():
    flow = workflow("test.yml")
    assert "pull_request" in flow["on"] and "workflow_call" in flow["on"]
    (job,) = flow["jobs"].values()
    assert [step["run"] for step in steps(job) if "run" in step] == ["make test"]
    for step in steps(job):
        assert "uses" not in step or re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", step["uses"]), step["uses"]


def test_the_publish_workflow_deploys_only_a_tested_commit_at_the_pages_address():
    jobs = workflow("publish.yml")["jobs"]
    assert jobs["test"]["uses"] == "./.github/workflows/test.yml"
    assert jobs["build"]["needs"] == "test" and jobs["deploy"]["needs"] == "build"
    pages = next(step for step in steps(jobs["build"]) if step.get("uses", "").startswith("actions/configure-pages@"))
    build = next(step for step in steps(jobs["build"]) if step.get("run") == "make build")
    assert build["env"] == {"PUBLISH": "1", "SITE_URL": "${{ steps.%s.outputs.base_url }}/" % pages["id"],
                            "REPO_URL": "${{ github.server_url }}/${{ github.repository }}"}
    assert jobs["build"]["permissions"]["pages"] == "read"


def test_after_a_deployment_the_published_figures_are_recorded_and_committed():
    # data/README.md promises it: data/published.yml is what readers have seen.
    job = workflow("publish.yml")["jobs"]["record"]
    assert job["needs"] == "deploy" and job["permissions"] == {"contents": "write"}
    script = "\n".join(step.get("run", "") for step in steps(job))
    assert "python -m distill_site.tools.record_published --record" in script
    assert f"git add data/{published.PUBLISHED_NAME}" in script and "git push origin HEAD:main" in script
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert "python -m distill_site.tools.record_published --record" in readme


def test_the_weekly_link_check_knows_the_repository():
    flow = workflow("external-links.yml")
    (job,) = flow["jobs"].values()
    check = next(step for step in steps(job) if step.get("run") == "make check-external")
    assert check["env"]["REPO_URL"] == "${{ github.server_url }}/${{ github.repository }}"
