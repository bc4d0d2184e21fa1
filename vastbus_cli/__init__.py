"""vastbus: keep Västbus training material correct and current across a city."""

from __future__ import annotations

__version__ = "0.1.0"
