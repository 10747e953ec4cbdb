"""Site tools: steps that finish a build (trim Material's CSS, fix its
toggles, point robots.txt at the sitemap), the site's address, the link
preview image, and the Zensical build wrapper.
"""
