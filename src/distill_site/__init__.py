"""The machinery behind the model-distillation explainer site.

One concern per module: ``figures`` loads and validates data/figures.yml,
``derive`` computes derived figures, ``formatting`` turns values into text,
``markdown_ext`` puts them into pages, ``blocks`` and ``charts`` generate
tables and SVG, ``check_links`` and ``readability`` check the built site.
"""
