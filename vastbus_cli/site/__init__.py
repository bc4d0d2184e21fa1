"""The trainers' site: a static site in Swedish with every pack, its agenda and the status.

``content`` decides what the pages show (pure), ``html`` draws them, ``publish`` writes
the folder (pages, the packs' files, thumbnails), only what changed.
"""
