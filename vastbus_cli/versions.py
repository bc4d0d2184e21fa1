"""Course versions for ``changes`` and ``site --since``: the workspace, another folder, or a git revision."""

from __future__ import annotations

import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from vastbus_cli.errors import InputOutputError, UsageError
from vastbus_cli.findings import Finding, Severity, sort_findings
from vastbus_cli.i18n import _
from vastbus_cli.models import LocalAddition, Module
from vastbus_cli.workspace import Workspace, is_workspace, load_workspace, within, workspace_root

if TYPE_CHECKING:
    from vastbus_cli.changes import CourseChanges, CourseContent

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
            raise UsageError(
                _("{spec} is not a workspace: it needs guidelines/ and curriculum/ folders").format(spec=spec)
            )
        yield CourseVersion(spec, "folder", load_workspace(folder), _shown_folder(folder))
        return
    if folder.is_file():
        raise UsageError(
            _(
                "{spec} is a file; name a workspace folder or a git revision "
                "(a build's manifest.json holds hashes, not the course's text, so it cannot be compared)"
            ).format(spec=spec)
        )
    from vastbus_cli.gitrev import read_revision

    root = workspace_root(workspace, start)
    try:
        scratch = tempfile.TemporaryDirectory(prefix="vastbus-changes-")
    except OSError as error:
        raise InputOutputError(
            _("cannot create a temporary folder: {reason}").format(reason=error.strerror or error)
        ) from None
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
        if finding.severity is Severity.ERROR and within(finding.file, list(COMPARED_FILES))
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
        raise UsageError(_("{version} has no readable curriculum/course.yaml").format(version=version.label))
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
