# One command sets up and serves (make serve), one runs the tests (make test).
# Each creates .venv and installs the pinned dependencies on first use.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM ?= /usr/bin/chromium

# Material 9.8 prints a banner about MkDocs 2.0 on every build; we pin
# mkdocs<2 on purpose, so the banner is noise in every log and test.
export NO_MKDOCS_2_WARNING := 1
# Reproducible output: sitemap dates and gzip headers come from the last
# commit, not from the clock, so two builds of one commit are identical.
# Without git history (a source tarball) it is 0, and the sitemap then
# leaves out <lastmod> (overrides/sitemap.xml) rather than claim 1970.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)

# The Nu Html Checker (npm's vnu-jar, pinned in package-lock.json) on Java.
VNU_JAR := node_modules/vnu-jar/build/dist/vnu.jar
PIP_INSTALL := $(BIN)/pip install --disable-pip-version-check -q

.PHONY: serve build html-checker check-html test test-fast bench check-external check-quotes browser java poppler requirements preview-image clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Every download is checked against the hashes in the requirements files
# (see README, "Dependencies"); our own package is installed on its own.
$(VENV)/.site-installed: requirements.txt pyproject.toml | $(BIN)/python
	$(PIP_INSTALL) --require-hashes -r requirements.txt
	$(PIP_INSTALL) --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.test-installed: requirements-test.txt $(VENV)/.site-installed
	$(PIP_INSTALL) --require-hashes -r requirements-test.txt
	touch $@

# --ignore-scripts: vnu-jar's install script would download a Java runtime
# of its own; the checker runs on Debian's Java instead (`make java`).
$(VNU_JAR): package.json package-lock.json
	@command -v npm >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
		else echo "npm is missing. Install it with: sudo apt-get install npm" >&2; exit 1; fi; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# Recompute the hashed pins from the *.in files (README, "Dependencies"):
# pip-tools runs in a throwaway venv, never in the site's.
requirements:
	rm -rf .venv-pip-tools
	$(PYTHON) -m venv .venv-pip-tools
	.venv-pip-tools/bin/pip install --disable-pip-version-check -q pip-tools==7.6.2
	for name in requirements requirements-test requirements-zensical; do \
		CUSTOM_COMPILE_COMMAND="make requirements" .venv-pip-tools/bin/pip-compile --quiet \
			--generate-hashes --allow-unsafe --no-strip-extras --no-emit-index-url --no-emit-find-links --output-file $$name.txt $$name.in || exit 1; \
	done
	rm -rf .venv-pip-tools

serve: $(VENV)/.site-installed
	$(BIN)/mkdocs serve --strict -a 127.0.0.1:8000

# Every step of a build is written once, in distill_site.tools.pipeline
# (the tests and the benchmarks run the same): the address and the preview
# image are checked first, so a build for publishing (PUBLISH=1) at the
# placeholder address, or a stale image, stops before site/ is written;
# then the strict build, the finishing steps and the offline checks.
# SITE_URL and REPO_URL set the address and the repository (HOSTING.md).
# The PDF handouts need Chromium: CI installs it (or fails); elsewhere the
# build uses it where it is and otherwise says it made no handouts.
build: $(VENV)/.site-installed html-checker $(if $(CI),browser)
	@if [ "$(SOURCE_DATE_EPOCH)" = 0 ]; then \
		echo "Note: no git history here (SOURCE_DATE_EPOCH=0): sitemap.xml lists the pages without <lastmod> dates"; fi
	$(BIN)/python -m distill_site.tools.pipeline

# The HTML validator's Java and vnu.jar. CI (CI=true: GitHub Actions,
# .ci/run) installs them or fails; elsewhere the jar is installed where Java
# and npm are, and otherwise the build says it skipped the check rather than
# stop a stranger's build (`make test` always checks).
html-checker:
ifeq ($(CI),)
	@if command -v java >/dev/null && command -v npm >/dev/null; then \
		$(MAKE) --no-print-directory $(VNU_JAR); fi
else
	@$(MAKE) --no-print-directory java $(VNU_JAR)
endif

# Valid HTML on every page of an already built site.
check-html: $(VENV)/.site-installed java $(VNU_JAR)
	$(BIN)/python -m distill_site.checks.html_validity site

# Browser tests and the PDF handouts need Debian's Chromium; install it where
# we may (root on Debian, as in CI), otherwise stop and say how. Never a
# downloaded browser. (make build runs without it, saying it made no handouts.)
browser:
	@if [ -x "$(CHROMIUM)" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "Chromium is missing. Install it with: sudo apt-get install chromium" >&2; exit 1; \
	fi

# pdftoppm and pdftotext (Debian's poppler-utils), with which the handout
# tests and benchmark read the printed PDFs; installed the same way.
poppler:
	@if command -v pdftoppm >/dev/null && command -v pdftotext >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; \
	else \
		echo "pdftoppm and pdftotext are missing. Install them with: sudo apt-get install poppler-utils" >&2; exit 1; \
	fi

# Java for the HTML checker, the same way: Debian's, installed where we may.
java:
	@if command -v java >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
	else \
		echo "Java is missing. Install it with: sudo apt-get install default-jre-headless" >&2; exit 1; \
	fi

test: $(VENV)/.test-installed browser poppler java $(VNU_JAR) check-quotes
	$(BIN)/python -m pytest

# Every test but the browser tests and the builds of project copies
# (pytest markers "browser" and "slow", pyproject.toml): about a minute.
# Chromium too: the session's build prints the PDF handouts, as make build does.
test-fast: $(VENV)/.test-installed browser java $(VNU_JAR)
	$(BIN)/python -m pytest -m "not browser and not slow"

# Every quote in the data file must be its source's own words, as found in the
# archived copies of the sources (not part of the project; ARCHIVE=DIR to point
# elsewhere). Without the folder it says so and skips, except under CI.
ARCHIVE ?= ../shared/sources
check-quotes: $(VENV)/.site-installed
	$(BIN)/python -m distill_site.checks.quotes --archive $(ARCHIVE)

bench: $(VENV)/.test-installed browser poppler java $(VNU_JAR)
	$(BIN)/python tests/bench/bench_build.py
	$(BIN)/python tests/bench/bench_figures.py
	$(BIN)/python tests/bench/bench_lighthouse.py
	$(BIN)/python tests/bench/bench_handouts.py

check-external: build
	$(BIN)/python -m distill_site.checks.external_links site

# The link-preview card shows the headline figure: redraw it when that changes.
preview-image: $(VENV)/.site-installed browser
	$(BIN)/python -m distill_site.tools.preview_image

clean:
	rm -rf site $(VENV) .venv-zensical .venv-pip-tools node_modules
