"""The model of the facts: data/figures.yml loaded, validated, derived and formatted.

``figures`` loads and validates the data file (``yaml_lines`` keeps each
value's line; ``published`` compares with the values last published),
``derive`` computes derived figures, ``formatting`` turns a value into
words, ``syntax`` is the reference grammar pages use (``{{ fig:key }}``),
and ``typed_figures`` finds a figure typed by hand. Nothing here knows
about pages, the built site or the build tool.
"""
