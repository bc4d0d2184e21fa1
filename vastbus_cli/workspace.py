"""Finding and loading a workspace: ``guidelines/``, ``curriculum/`` and ``templates/``."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel

from vastbus_cli.editions import Editions
from vastbus_cli.errors import UsageError, WorkspaceNotFound
from vastbus_cli.filerules import FILE_MISSING, FILE_UNREADABLE
from vastbus_cli.findings import Finding
from vastbus_cli.i18n import _
from vastbus_cli.models import Course, Districts, Edition, LocalAddition, Module, SessionsFile, Survey, SurveyResults
from vastbus_cli.yamlio import LoadedYaml, load_yaml
from vastbus_cli.yamlvalidate import validate

ModelT = TypeVar("ModelT", bound=BaseModel)
YAML_SUFFIXES = (".yaml", ".yml")
#: Where packs are built unless ``--out`` says otherwise: a name no packaging tool writes
#: (setuptools writes ``build/lib``); ``--out build`` still works.
PACKS_DIR = "paket"


def is_workspace(folder: Path) -> bool:
    """A workspace holds both ``guidelines/`` and ``curriculum/``."""
    return (folder / "guidelines").is_dir() and (folder / "curriculum").is_dir()


def find_workspace(start: Path) -> Path:
    """The workspace at or above ``start``.

    Raises:
        WorkspaceNotFound: no folder on the way up holds guidelines/ and curriculum/.
    """
    start = start.resolve()
    for folder in (start, *start.parents):
        if is_workspace(folder):
            return folder
    raise WorkspaceNotFound(
        _(
            "no workspace found in {start} or above it (a folder with guidelines/ and curriculum/); "
            "run the command inside one or pass --workspace DIR"
        ).format(start=start)
    )


def workspace_root(workspace: Path | None = None, start: Path | None = None) -> Path:
    """The workspace folder: the one given (checked), or the one found at or above ``start`` (default: cwd).

    Raises:
        UsageError: the folder given is not a workspace.
        WorkspaceNotFound: none is found at or above ``start``.
    """
    if workspace is not None:
        if not is_workspace(workspace):
            raise UsageError(
                _("{workspace} is not a workspace: it needs guidelines/ and curriculum/ folders").format(
                    workspace=workspace
                )
            )
        return workspace.resolve()
    return find_workspace(start or Path.cwd())


def open_workspace(workspace: Path | None = None, start: Path | None = None) -> Workspace:
    """Load the given workspace, or the one found at or above ``start`` (default: cwd).

    Raises:
        UsageError: the folder is not a workspace, or none is found.
    """
    return load_workspace(workspace_root(workspace, start))


def within(rel: str, wanted: list[str]) -> bool:
    """Whether a workspace path is one of the ``wanted`` paths or inside one of them; any path when none is."""
    return not wanted or any(rel == w or rel.startswith(w.rstrip("/") + "/") for w in wanted)


@dataclass
class Document(Generic[ModelT]):
    """A loaded file: its raw YAML (with positions) and the model, if it validated."""

    loaded: LoadedYaml
    model: ModelT | None

    @property
    def rel(self) -> str:
        """Path relative to the workspace, with forward slashes."""
        return self.loaded.rel


@dataclass
class LocalDocument(Document[LocalAddition]):
    """A local addition, with the district named by its folder."""

    folder_district: str = ""


@dataclass
class Workspace:
    """Everything a workspace holds, loaded, plus the problems loading found."""

    root: Path
    editions: list[Document[Edition]] = field(default_factory=list)
    course: Document[Course] | None = None
    districts: Document[Districts] | None = None
    modules: list[Document[Module]] = field(default_factory=list)
    local: list[LocalDocument] = field(default_factory=list)
    sessions: list[Document[SessionsFile]] = field(default_factory=list)
    #: ``curriculum/survey.yaml``, when the workspace has a knowledge survey.
    survey: Document[Survey] | None = None
    #: ``curriculum/surveys/**/*.yaml``: the answers imported, as counts.
    survey_results: list[Document[SurveyResults]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def rel(self, path: Path) -> str:
        """A path relative to the workspace root, with forward slashes (as given when outside it)."""
        located = _located(path)
        if located is None or not located.is_relative_to(self.root):
            return path.as_posix()
        return located.relative_to(self.root).as_posix()

    @property
    def packs(self) -> Path:
        """The default output folder of ``build`` and where ``report``, ``site`` look for packs."""
        return self.root / PACKS_DIR

    def contains(self, path: Path) -> bool:
        """Whether ``path`` (a link by its own location, not its target's) lies in the workspace."""
        located = _located(path)
        return located is not None and located.is_relative_to(self.root)


def editions_of(workspace: Workspace) -> Editions:
    """The editions that loaded without errors."""
    return Editions(doc.model for doc in workspace.editions if doc.model is not None)


def _located(path: Path) -> Path | None:
    """The absolute path with its folders' links resolved but not a link at the end.

    A link in the workspace is named by where it is; resolving it too would name its
    target, or fail on a link loop.
    """
    try:
        absolute = path.absolute()
        return absolute.parent.resolve() / absolute.name if absolute.name else absolute.resolve()
    except (OSError, RuntimeError):  # a loop among the folders
        return None


def _listing(workspace: Workspace, folder: Path) -> list[Path]:
    """The entries of a folder, sorted; a folder that cannot be listed is a ``file/unreadable`` finding."""
    try:
        if not folder.is_dir():
            return []
        return sorted(folder.iterdir())
    except OSError as error:
        rel = workspace.rel(folder)
        workspace.findings.append(
            FILE_UNREADABLE.at(
                _("the folder {rel} cannot be read ({reason}); its files were not checked").format(
                    rel=rel, reason=error.strerror or error
                ),
                rel,
                hint=_("make it readable (chmod u+rx {rel}) or remove it").format(rel=rel),
            )
        )
        return []


def _yaml_files(workspace: Workspace, folder: Path) -> list[Path]:
    """Every ``*.yaml`` entry but folders; a pipe, a link loop or a broken link is loaded to be reported."""
    return [p for p in _listing(workspace, folder) if p.suffix.lower() in YAML_SUFFIXES and not _is_folder(p)]


def _is_folder(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # a link loop: not a folder, and loading it says so
        return False


def load_document(workspace: Workspace, path: Path, model: type[ModelT]) -> Document[ModelT]:
    """Load and validate one file; its findings are added to the workspace."""
    loaded = load_yaml(path, workspace.rel(path))
    instance: ModelT | None = None
    if loaded.data is not None:
        instance, findings = validate(model, loaded)
        loaded.findings.extend(findings)
    workspace.findings.extend(loaded.findings)
    return Document(loaded, instance)


def load_workspace(root: Path) -> Workspace:
    """Load every guideline and curriculum file under ``root``."""
    root = root.resolve()
    workspace = Workspace(root)
    for path in _yaml_files(workspace, root / "guidelines"):
        workspace.editions.append(load_document(workspace, path, Edition))
    if not workspace.editions:
        workspace.findings.append(
            FILE_MISSING.at(
                _("no guideline editions found"),
                "guidelines",
                hint=_("add one YAML file per edition to guidelines/"),
            )
        )
    curriculum = root / "curriculum"
    workspace.course = _load_required(workspace, curriculum / "course.yaml", Course)
    workspace.districts = _load_required(workspace, curriculum / "districts.yaml", Districts)
    for path in _yaml_files(workspace, curriculum / "modules"):
        workspace.modules.append(load_document(workspace, path, Module))
    for folder in (p for p in _listing(workspace, curriculum / "local") if _is_folder(p)):
        district = unicodedata.normalize("NFC", folder.name)
        for path in _yaml_files(workspace, folder):
            document = load_document(workspace, path, LocalAddition)
            workspace.local.append(LocalDocument(document.loaded, document.model, district))
    for path in _yaml_files(workspace, curriculum / "sessions"):
        workspace.sessions.append(load_document(workspace, path, SessionsFile))
    survey = curriculum / "survey.yaml"
    if survey.exists() or survey.is_symlink():
        workspace.survey = load_document(workspace, survey, Survey)
    for folder in (p for p in _listing(workspace, curriculum / "surveys") if _is_folder(p)):
        for path in _yaml_files(workspace, folder):
            workspace.survey_results.append(load_document(workspace, path, SurveyResults))
    return workspace


def _load_required(workspace: Workspace, path: Path, model: type[ModelT]) -> Document[ModelT] | None:
    if not path.exists() and not path.is_symlink():
        workspace.findings.append(
            FILE_MISSING.at(
                _("{rel} is missing").format(rel=workspace.rel(path)),
                workspace.rel(path),
                hint=_("create it; see the README section on {path}").format(path=path.name),
            )
        )
        return None
    return load_document(workspace, path, model)
