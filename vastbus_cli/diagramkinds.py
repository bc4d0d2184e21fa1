"""The kinds of diagram a slide can draw, and how many boxes each takes (a leaf module).

The models (what a module may declare) and the plan the writers read (what they draw) both
take the kinds from here, so a new kind is named once. The drawing itself is in
:mod:`vastbus_cli.render.diagrams`.
"""

from __future__ import annotations

from typing import Literal

#: Every kind of diagram: ``steps`` and ``levels`` draw the items a module lists; ``editions``
#: and ``organisation`` are drawn from the guideline editions and ``districts.yaml``.
DiagramKind = Literal["steps", "levels", "editions", "organisation"]

#: How many items a kind drawn from a module's list takes (fewest, most); the kinds drawn from
#: data take none.
DIAGRAM_LIMITS: dict[str, tuple[int, int]] = {"steps": (2, 8), "levels": (2, 5)}
