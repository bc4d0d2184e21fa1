"""Checking a workspace: the run behind ``vastbus check``, and the one ``build`` and ``report`` start with."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from vastbus_cli.editions import select_edition
from vastbus_cli.findings import Finding, sort_findings
from vastbus_cli.workspace import Workspace, editions_of, within


@dataclass(frozen=True)
class CheckResult:
    """The outcome of ``check``: the edition checked against and every finding."""

    edition: str
    as_of: dt.date
    findings: list[Finding]


def check(
    workspace: Workspace,
    *,
    edition: str | None = None,
    as_of: dt.date | None = None,
    paths: list[Path] | None = None,
    spelling: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> CheckResult:
    """Check the whole workspace; with ``paths``, report only findings in those files or folders.

    ``spelling`` adds the Swedish spelling rule, which needs the dictionary (seconds the
    first time; answers are cached per user); ``progress`` hears (done, total) while it looks words up.

    Raises:
        UsageError: an unknown edition, or ``spelling`` without a Swedish dictionary.
    """
    # The rules and the template reader load only for a check: editions, diff and --help do not need them.
    from vastbus_cli.checks import run_checks
    from vastbus_cli.render.templates import template_findings

    day = as_of or dt.date.today()
    editions = editions_of(workspace)
    if not len(editions):
        findings = sort_findings(workspace.findings)
        return CheckResult("", day, findings)
    selected = select_edition(editions, edition, day)
    speller = None
    if spelling:
        from vastbus_cli.spelling import Speller

        speller = Speller.for_workspace(workspace.root)
        speller.progress = progress
    findings = run_checks(workspace, editions, selected, day, speller)
    findings.extend(template_findings(workspace.root))
    if paths:
        wanted = [workspace.rel(path) for path in paths]
        findings = [f for f in findings if within(f.file, wanted)]
    return CheckResult(selected.id, day, sort_findings(findings))


def checked_files(workspace: Workspace, paths: list[Path] | None = None) -> list[str]:
    """The workspace files ``check`` reads (those under ``paths`` when given), workspace-relative."""
    files = [doc.rel for doc in workspace.editions] + [doc.rel for doc in workspace.modules]
    files += [doc.rel for doc in workspace.local]
    files += [workspace.course.rel] if workspace.course else []
    files += [workspace.districts.rel] if workspace.districts else []
    files += [f"templates/{p.name}" for p in sorted((workspace.root / "templates").glob("*.*x"))]
    files += _schema_files(workspace.root)
    if paths:
        wanted = [workspace.rel(path) for path in paths]
        files = [file for file in files if within(file, wanted)]
    return sorted(files)


def _schema_files(root: Path) -> list[str]:
    """The committed schema files ``check`` compares with the models, when the workspace keeps them."""
    from vastbus_cli.schema import KINDS, SCHEMA_FOLDER

    if not (root / SCHEMA_FOLDER).is_dir():
        return []
    return [kind.rel for kind in KINDS]
