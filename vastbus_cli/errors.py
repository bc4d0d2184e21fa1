"""The one exception hierarchy; the CLI maps ``exit_code`` to the process exit code."""

from __future__ import annotations


class VastbusError(Exception):
    """A problem the tool cannot get past. ``str(error)`` is a user-ready message."""

    exit_code = 3


class UsageError(VastbusError):
    """The command line or configuration asks for something impossible (exit 2)."""

    exit_code = 2


class WorkspaceNotFound(UsageError):
    """No folder with ``guidelines/`` and ``curriculum/`` was found."""


class InputOutputError(VastbusError):
    """A file could not be read or written (exit 3)."""

    exit_code = 3
