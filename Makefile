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
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)

.PHONY: serve build test bench check-external browser preview-image clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.site-installed: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	$(BIN)/pip install --disable-pip-version-check -q --no-deps -e .
	touch $@

$(VENV)/.test-installed: requirements-test.txt $(VENV)/.site-installed
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-test.txt
	touch $@

serve: $(VENV)/.site-installed
	$(BIN)/mkdocs serve --strict -a 127.0.0.1:8000

# The preview image is checked first: a stale one stops the build before site/ is written.
build: $(VENV)/.site-installed
	$(BIN)/python -m distill_site.preview_image --check
	$(BIN)/mkdocs build --strict --clean
	$(BIN)/python -m distill_site.trim_css site
	$(BIN)/python -m distill_site.check_links site
	$(BIN)/python -m distill_site.check_urls site

# Browser tests need Debian's Chromium; install it where we may (root on
# Debian, as in CI), otherwise stop and say how. Never a downloaded browser.
browser:
	@if [ -x "$(CHROMIUM)" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "Chromium is missing. Install it with: sudo apt-get install chromium" >&2; exit 1; \
	fi

test: $(VENV)/.test-installed browser
	$(BIN)/python -m pytest

bench: $(VENV)/.test-installed browser
	$(BIN)/python tests/bench/bench_build.py
	$(BIN)/python tests/bench/bench_figures.py
	$(BIN)/python tests/bench/bench_lighthouse.py

check-external: build
	$(BIN)/python -m distill_site.check_external site

# The link-preview card shows the headline figure: redraw it when that changes.
preview-image: $(VENV)/.site-installed browser
	$(BIN)/python -m distill_site.preview_image

clean:
	rm -rf site $(VENV) .venv-zensical
