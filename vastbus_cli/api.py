"""The library API the CLI calls; usable from Python without Typer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from vastbus_cli.editions import Editions
from vastbus_cli.errors import InputOutputError, UsageError
from vastbus_cli.findings import Finding, Severity, sort_findings
from vastbus_cli.models import Edition
from vastbus_cli.workspace import Workspace, find_workspace, load_workspace


@dataclass(frozen=True)
class CheckResult:
    """The outcome of ``check``: the edition checked against and every finding."""

    edition: str
    as_of: dt.date
    findings: list[Finding]


def open_workspace(workspace: Path | None = None, start: Path | None = None) -> Workspace:
    """Load the given workspace, or the one found at or above ``start`` (default: cwd).

    Raises:
        UsageError: the folder is not a workspace, or none is found.
    """
    return load_workspace(workspace_root(workspace, start))


def workspace_root(workspace: Path | None = None, start: Path | None = None) -> Path:
    """The workspace folder: the one given (checked), or the one found at or above ``start``.

    Raises:
        UsageError: the folder is not a workspace, or none is found.
    """
    if workspace is not None:
        if not (workspace / "guidelines").is_dir() or not (workspace / "curriculum").is_dir():
            raise UsageError(f"{workspace} is not a workspace: it needs guidelines/ and curriculum/ folders")
        return workspace.resolve()
    return find_workspace(start or Path.cwd())


def editions_of(workspace: Workspace) -> Editions:
    """The editions that loaded without errors."""
    return Editions(doc.model for doc in workspace.editions if doc.model is not None)


def select_edition(editions: Editions, edition: str | None = None, as_of: dt.date | None = None) -> Edition:
    """The edition to check against: ``edition`` if given, else the current one on ``as_of``.

    Raises:
        UsageError: the edition is unknown or none is valid on that day.
    """
    if edition is not None:
        found = editions.get(edition)
        if found is None:
            known = ", ".join(editions.ids) or "none loaded"
            raise UsageError(f"unknown edition '{edition}' (known: {known})")
        return found
    day = as_of or dt.date.today()
    current = editions.current(day)
    if current is None:
        raise UsageError(
            f"no guideline edition is valid on {day.isoformat()}; known: {', '.join(editions.ids) or 'none'}"
        )
    return current


def check(
    workspace: Workspace,
    *,
    edition: str | None = None,
    as_of: dt.date | None = None,
    paths: list[Path] | None = None,
    spelling: bool = False,
) -> CheckResult:
    """Check the whole workspace; with ``paths``, report only findings in those files or folders.

    ``spelling`` adds the Swedish spelling rule, which needs the dictionary (seconds the
    first time; answers are cached per user).

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
    findings = run_checks(workspace, editions, selected, day, speller)
    findings.extend(template_findings(workspace.root))
    if paths:
        wanted = [workspace.rel(path) for path in paths]
        findings = [f for f in findings if _within(f.file, wanted)]
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
        files = [file for file in files if _within(file, wanted)]
    return sorted(files)


@dataclass(frozen=True)
class SchemaFile:
    """One schema file ``write_schemas`` made: where, and whether it had to be written."""

    path: Path
    written: bool


def default_schema_folder(workspace: Path) -> Path:
    """Where a workspace keeps its editor schemas: ``curriculum/schemas/``."""
    from vastbus_cli.schema import SCHEMA_FOLDER

    return workspace / SCHEMA_FOLDER


def write_schemas(out: Path) -> list[SchemaFile]:
    """Write the JSON Schema of every YAML file kind into the folder ``out``, creating it.

    Every schema is made before any file is written, and each file is written atomically;
    a file that already holds the schema is left alone, so its date says when it last changed.

    Raises:
        UsageError: ``out`` exists and is not a folder.
        InputOutputError: a file cannot be written.
    """
    from vastbus_cli.fsio import atomic_write_bytes
    from vastbus_cli.schema import rendered

    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file, not a folder; give a folder for the five schema files")
    texts = rendered()
    for name in texts:
        if (out / name).is_dir():
            raise InputOutputError(f"cannot write {out / name}: it is a folder")
    files: list[SchemaFile] = []
    for name, text in texts.items():
        path = out / name
        data = text.encode("utf-8")
        try:
            current = path.read_bytes() == data
        except OSError:
            current = False
        if not current:
            atomic_write_bytes(path, data)
        files.append(SchemaFile(path, not current))
    return files


def _schema_files(root: Path) -> list[str]:
    """The committed schema files ``check`` compares with the models, when the workspace keeps them."""
    from vastbus_cli.schema import KINDS, SCHEMA_FOLDER

    if not (root / SCHEMA_FOLDER).is_dir():
        return []
    return [kind.rel for kind in KINDS]


def _within(file: str, wanted: list[str]) -> bool:
    return any(file == w or file.startswith(w.rstrip("/") + "/") for w in wanted)


__all__ = [
    "CheckResult",
    "SchemaFile",
    "Severity",
    "check",
    "checked_files",
    "default_schema_folder",
    "editions_of",
    "open_workspace",
    "select_edition",
    "write_schemas",
]
