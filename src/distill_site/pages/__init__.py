"""Rendering into pages: the Markdown extension and what it draws.

``markdown_ext`` is the extension MkDocs and Zensical run; ``page_context``
is what it knows about the page; ``presentation`` turns a fact into the
words, anchors and tooltips every renderer uses; ``blocks`` are the
generated tables and lists; ``chart_fence`` reads a chart or diagram
declared in a page (``declaration``) and ``charts`` and ``diagrams`` draw
it as SVG (``svg``). ``readability`` measures a page's reading level.
"""
