"""The library API the CLI calls; usable from Python without Typer."""

from __future__ import annotations

import datetime as dt
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from vastbus_cli import saferead
from vastbus_cli.editions import Editions
from vastbus_cli.errors import InputOutputError, UsageError
from vastbus_cli.findings import Finding, Severity, sort_findings
from vastbus_cli.models import Edition, LocalAddition, Module
from vastbus_cli.workspace import Workspace, find_workspace, is_workspace, load_workspace

if TYPE_CHECKING:
    from vastbus_cli.changes import CourseChanges, CourseContent


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
        raise UsageError(f"--out {out} is a file, not a folder; give a folder for the schema files")
    texts = rendered()
    for name in texts:
        if (out / name).is_dir():
            raise InputOutputError(f"cannot write {out / name}: it is a folder")
    files: list[SchemaFile] = []
    for name, text in texts.items():
        path = out / name
        data = text.encode("utf-8")
        try:
            current = saferead.read_bytes(path, "schema") == data
        except saferead.Refused:
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


# --- course versions, for ``changes`` ----------------------------------------------------------

#: The files ``changes`` compares; problems loading other files (guidelines, districts) do not stop it.
COMPARED_FILES = ("curriculum/course.yaml", "curriculum/modules/", "curriculum/local/")


@dataclass(frozen=True)
class CourseVersion:
    """One side of ``changes``: what the user named, where it was read from, and the loaded workspace.

    ``where`` is put before a workspace-relative path to name the file as the user can find it:
    ``old-course/`` for a folder, ``HEAD~1:`` (plus the workspace's folder in the repository)
    for a revision, as ``git show`` takes it.
    """

    label: str
    kind: Literal["folder", "revision"]
    workspace: Workspace
    where: str
    commit: str | None = None


@contextmanager
def course_version(spec: str, workspace: Path | None = None, start: Path | None = None) -> Iterator[CourseVersion]:
    """Open a course version: ``.`` (the workspace itself), a workspace folder, or a git revision.

    ``.`` is the workspace ``--workspace`` names or the one found at or above ``start``,
    as it is on disk. Another existing folder must be a workspace itself. Anything else is
    a revision of the git repository that holds that workspace, read into a temporary
    folder that is removed when the context ends.

    Raises:
        UsageError: not a workspace, not a repository, git missing, unknown revision.
        InputOutputError: git failed or took too long, or the temporary folder could not be written.
    """
    if spec == ".":
        root = workspace_root(workspace, start)
        yield CourseVersion(spec, "folder", load_workspace(root), _shown_folder(root))
        return
    folder = Path(spec)
    if folder.is_dir():
        if not is_workspace(folder):
            raise UsageError(f"{spec} is not a workspace: it needs guidelines/ and curriculum/ folders")
        yield CourseVersion(spec, "folder", load_workspace(folder), _shown_folder(folder))
        return
    if folder.is_file():
        raise UsageError(
            f"{spec} is a file; name a workspace folder or a git revision "
            "(a build's manifest.json holds hashes, not the course's text, so it cannot be compared)"
        )
    from vastbus_cli.gitrev import read_revision

    root = workspace_root(workspace, start)
    try:
        scratch = tempfile.TemporaryDirectory(prefix="vastbus-changes-")
    except OSError as error:
        raise InputOutputError(f"cannot create a temporary folder: {error.strerror or error}") from None
    with scratch as temporary:
        target = Path(temporary) / "workspace"
        revision = read_revision(root, spec, target)
        yield CourseVersion(spec, "revision", load_workspace(target), f"{spec}:{revision.prefix}", revision.commit)


def _shown_folder(root: Path) -> str:
    """A folder as the user can type it: relative to the current folder when inside it."""
    try:
        relative = root.resolve().relative_to(Path.cwd().resolve())
    except (ValueError, OSError):
        return f"{root.as_posix().rstrip('/')}/"
    return "" if relative == Path() else f"{relative.as_posix()}/"


def version_problems(version: CourseVersion) -> list[Finding]:
    """Errors loading the files ``changes`` compares (YAML syntax, schema, missing files)."""
    return [
        finding
        for finding in sort_findings(version.workspace.findings)
        if finding.severity is Severity.ERROR and _within(finding.file, list(COMPARED_FILES))
    ]


def course_changes(old: CourseVersion, new: CourseVersion) -> CourseChanges:
    """What changed in the course from ``old`` to ``new``.

    Raises:
        UsageError: a side has no loadable course (check :func:`version_problems` first).
    """
    from vastbus_cli.changes import compare_courses

    return compare_courses(_content(old), _content(new))


def _content(version: CourseVersion) -> CourseContent:
    from vastbus_cli.changes import CourseContent

    ws = version.workspace
    course = ws.course.model if ws.course is not None else None
    if course is None:
        raise UsageError(f"{version.label} has no readable curriculum/course.yaml")
    modules: dict[str, Module] = {}
    for doc in ws.modules:
        if doc.model is not None:
            modules.setdefault(doc.model.id, doc.model)
    local: dict[str, LocalAddition] = {}
    for local_doc in ws.local:
        if local_doc.model is not None:
            name = unicodedata.normalize("NFC", local_doc.rel.removeprefix("curriculum/local/"))
            local[name] = local_doc.model
    return CourseContent(version.label, version.kind, course, modules, local, version.commit)


__all__ = [
    "CheckResult",
    "CourseVersion",
    "SchemaFile",
    "Severity",
    "check",
    "checked_files",
    "course_changes",
    "course_version",
    "default_schema_folder",
    "editions_of",
    "open_workspace",
    "select_edition",
    "version_problems",
    "write_schemas",
]
