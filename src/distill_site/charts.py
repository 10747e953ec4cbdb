"""SVG charts and diagrams drawn from the data at build time (see blocks.BLOCKS)."""
