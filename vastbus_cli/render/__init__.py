"""Rendering packs: a pure plan (``plan.py``), then one writer per format."""
