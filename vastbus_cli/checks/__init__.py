"""Cross-file checks: every rule is a function that yields findings, one module per rule family.

The models have already checked each file's shape; these rules need more than one
file (does the cited section exist, which edition is current, which district is this).
``context`` holds what every rule needs; ``guidelines``, ``curriculum``, ``tracks``, ``refs``,
``attribution``, ``quiz``, ``prose`` and ``schemas`` the rule families; ``runner`` runs them all.

Importing the package loads no rule: a command that needs one family (``review`` needs
``refs``) imports only that module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vastbus_cli.checks.runner import CHECKS, run_checks

__all__ = ["CHECKS", "run_checks"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from vastbus_cli.checks import runner

        return getattr(runner, name)
    raise AttributeError(name)
