"""Checks of the built site: links, promised URLs, leftover placeholders,
third-party requests, valid HTML, external links and the sources' quotes.

Each module is a command (``python -m distill_site.checks.links site``)
that exits non-zero with the file and what to do.
"""
