"""The machinery behind the model-distillation explainer site, in rooms.

``facts``   the model of the facts: load, validate, derive, format
``pages``   rendering into pages: the Markdown extension, blocks, charts
``checks``  checks of the built site: links, URLs, placeholders, HTML
``tools``   steps that finish the site, its address, the preview image

``errors`` (the one error type for a maintainer's mistake) and
``site_config`` (mkdocs.yml, read in one place) serve every room. A room
imports only from the rooms listed above it and from those two.
"""
