"""The library's face: every command goes through it; usable from Python without Typer.

It sits above the domain modules (none of them imports it) and below ``cli.py``, which
parses and prints. What a command runs is imported when it runs, so ``vastbus --help``
and ``vastbus editions`` never load the rules, the writers or the scanner.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from vastbus_cli import saferead
from vastbus_cli.checking import CheckResult, check, checked_files
from vastbus_cli.editions import select_edition, shipped_editions
from vastbus_cli.errors import InputOutputError, UsageError
from vastbus_cli.findings import Severity
from vastbus_cli.i18n import _
from vastbus_cli.versions import COMPARED_FILES, CourseVersion, course_changes, course_version, version_problems
from vastbus_cli.workspace import Workspace, editions_of, open_workspace, workspace_root

if TYPE_CHECKING:
    from vastbus_cli.build import BuildRefused, BuildResult
    from vastbus_cli.changes import CourseChanges
    from vastbus_cli.models import Session
    from vastbus_cli.report import Report
    from vastbus_cli.scaffold import Scaffold
    from vastbus_cli.scan import FileResult
    from vastbus_cli.site.publish import SiteResult
    from vastbus_cli.survey.analysis import SurveyAnalysis
    from vastbus_cli.survey.forms import SurveyMade
    from vastbus_cli.traceability import EditionDiff, EditionRow, EditResult

Progress = Callable[[int, int], None]


def __getattr__(name: str) -> Any:
    """``api.BuildRefused``, loaded with the build only when it is asked for."""
    if name == "BuildRefused":
        from vastbus_cli.build import BuildRefused

        return BuildRefused
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --- build, report, site ---------------------------------------------------------------------


def build(
    workspace: Workspace,
    out: Path | None = None,
    *,
    districts: list[str] | None = None,
    audiences: list[str] | None = None,
    formats: Iterable[str] = ("pptx", "docx"),
    jobs: int | None = None,
    force: bool = False,
    edition: str | None = None,
    as_of: dt.date | None = None,
    progress: Progress | None = None,
    pdf: bool = False,
    pdf_progress: Progress | None = None,
) -> BuildResult:
    """Check, then build the selected packs into ``out`` (default: ``build/`` in the workspace).

    See :func:`vastbus_cli.build.build`.

    Raises:
        BuildRefused: check found errors (its findings are on the exception).
        UsageError: an unknown district, audience or edition; ``pdf`` without LibreOffice.
        InputOutputError: the output folder cannot be written.
    """
    from vastbus_cli.build import build as build_packs

    return build_packs(
        workspace,
        out if out is not None else workspace.packs,
        districts=districts,
        audiences=audiences,
        formats=formats,
        jobs=jobs,
        force=force,
        edition=edition,
        as_of=as_of,
        progress=progress,
        pdf=pdf,
        pdf_progress=pdf_progress,
    )


def choices(workspace: Path | None, kind: Literal["district", "audience"]) -> list[tuple[str, str]]:
    """The (id, name) pairs ``build --district`` (with ``central``) or ``--audience`` takes, for shell completion.

    Reads only the districts or course file of the workspace given, or found from the current folder.

    Raises:
        UsageError: no workspace, or the file does not load.
    """
    from vastbus_cli.buildsources import choices as known

    return known(workspace, kind)


def report(
    workspace: Workspace,
    packs: Path | None = None,
    *,
    scan_dir: Path | None = None,
    edition: str | None = None,
    as_of: dt.date | None = None,
) -> Report:
    """The state of every district's packs (built into ``packs``, default ``build/``) and local files.

    Raises:
        UsageError: ``packs`` or ``scan_dir`` is not a folder; an unknown edition.
    """
    from vastbus_cli.report import district_report

    if scan_dir is not None and not scan_dir.is_dir():
        raise UsageError(_("--scan {folder} is not a folder").format(folder=scan_dir))
    from vastbus_cli.buildstate import require_built

    folder = packs if packs is not None else workspace.packs
    require_built(folder, "--out", writes=_("--output FILE or --html FILE"))
    return district_report(workspace, folder, scan_dir=scan_dir, edition=edition, as_of=as_of)


def report_text(result: Report, output_format: Literal["text", "csv"] = "text") -> str:
    """A report as text for a terminal or a file, or as CSV for a spreadsheet."""
    from vastbus_cli.report import as_csv, as_text

    return as_csv(result) if output_format == "csv" else as_text(result)


def report_page(result: Report, page_folder: Path | None = None) -> str:
    """A report as one static HTML page; links are relative to ``page_folder`` when it is given."""
    from vastbus_cli.report import as_html

    return as_html(result, page_folder)


def site(
    workspace: Workspace,
    out: Path | None = None,
    *,
    packs: Path | None = None,
    thumbnails: bool = False,
    edition: str | None = None,
    as_of: dt.date | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
    since: str | None = None,
    clean: bool = False,
) -> SiteResult:
    """Make the trainers' site in ``out`` (default ``site/``) from the packs in ``packs`` (default ``build/``).

    See :func:`vastbus_cli.site.publish.publish_site`.
    """
    from vastbus_cli.site.publish import publish_site

    return publish_site(
        workspace,
        out if out is not None else workspace.root / "site",
        packs=packs if packs is not None else workspace.packs,
        thumbnails=thumbnails,
        edition=edition,
        as_of=as_of,
        jobs=jobs,
        progress=progress,
        since=since,
        clean=clean,
    )


# --- scan, held ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScanResult:
    """The outcome of ``scan``: the edition compared with and one verdict per file, in path order.

    ``editions`` are every edition the files were compared with, oldest first, and ``shipped``
    says they are the ones shipped with vastbus (no workspace was given).
    """

    edition: str
    files: list[FileResult]
    editions: tuple[str, ...] = ()
    shipped: bool = False


def scan(
    workspace: Workspace | None,
    paths: list[Path],
    *,
    edition: str | None = None,
    as_of: dt.date | None = None,
    jobs: int | None = None,
    base: Path | None = None,
    progress: Progress | None = None,
) -> ScanResult:
    """Scan .pptx and .docx files (and folders of them) against the edition in force.

    Without a ``workspace``, the guideline editions shipped with the package are compared with.

    Raises:
        UsageError: a path does not exist; an unknown edition.
        InputOutputError: a scan worker stopped unexpectedly.
    """
    from vastbus_cli.scan import prepare
    from vastbus_cli.scan import scan as scan_files

    for path in paths:
        if not path.exists() and not path.is_symlink():  # a broken link is scanned: unreadable, named
            raise UsageError(_("{path} does not exist").format(path=path))
    day = as_of or dt.date.today()
    editions = editions_of(workspace) if workspace is not None else shipped_editions()
    current = select_edition(editions, edition, day)
    files = scan_files(paths, prepare(editions, current, day), jobs=jobs, base=base, progress=progress)
    return ScanResult(current.id, files, tuple(e.id for e in editions.ordered), workspace is None)


def held(
    root: Path, pack: Path, *, day: dt.date, participants: int, trainer: str | None = None
) -> tuple[Path, Session]:
    """Record a session held with ``pack`` in the workspace folder ``root``; the file written and the record.

    Takes the folder, not a loaded :class:`Workspace`: recording reads and writes one file only.
    See :func:`vastbus_cli.sessions.record_session`.
    """
    from vastbus_cli.sessions import record_session

    return record_session(root, pack, day=day, participants=participants, trainer=trainer)


# --- editions: list, diff, review, upgrade ---------------------------------------------------


def editions(workspace: Workspace, as_of: dt.date | None = None) -> list[EditionRow]:
    """Every edition, oldest first, with the one in force on ``as_of`` marked."""
    from vastbus_cli.traceability import list_editions

    return list_editions(workspace, as_of)


def diff(workspace: Workspace, old: str, new: str) -> EditionDiff:
    """Section by section, what changed from edition ``old`` to ``new`` and who cites it."""
    from vastbus_cli.traceability import diff_editions

    return diff_editions(workspace, old, new)


def review(
    workspace: Workspace,
    *,
    by: str,
    paths: list[Path] | None = None,
    module: str | None = None,
    slide: str | None = None,
    section: str | None = None,
    everything: bool = False,
    note: str | None = None,
    on: dt.date | None = None,
    edition: str | None = None,
    write: bool = True,
) -> EditResult:
    """Restamp the selected refs as reviewed; see :func:`vastbus_cli.traceability.review`."""
    from vastbus_cli.traceability import review as review_refs

    return review_refs(
        workspace,
        by=by,
        paths=paths,
        module=module,
        slide=slide,
        section=section,
        everything=everything,
        note=note,
        on=on,
        edition=edition,
        write=write,
    )


def upgrade(workspace: Workspace, to: str, *, write: bool = False, paths: list[Path] | None = None) -> EditResult:
    """Move material to edition ``to``; see :func:`vastbus_cli.traceability.upgrade`."""
    from vastbus_cli.traceability import upgrade as upgrade_material

    return upgrade_material(workspace, to, write=write, paths=paths)


# --- new: scaffolds --------------------------------------------------------------------------


def new_local(workspace: Workspace, target: str, *, file_name: str = "lokalt.yaml") -> Scaffold:
    """Write a commented local file for a district or city area; see :func:`vastbus_cli.scaffold.new_local`.

    Raises:
        UsageError: an unknown district or area (with the known ids), a bad file name, an existing file.
        InputOutputError: the file cannot be written.
    """
    from vastbus_cli.scaffold import new_local as scaffold_local

    return scaffold_local(workspace, target, file_name=file_name)


def new_edition(workspace: Workspace, edition_id: str, *, in_force: str | None, title: str | None = None) -> Scaffold:
    """Write a guideline edition superseding the newest one; see :func:`vastbus_cli.scaffold.new_edition`.

    Raises:
        UsageError: a bad or taken id; no, a bad or too early ``in_force`` date.
        InputOutputError: the file cannot be written.
    """
    from vastbus_cli.scaffold import new_edition as scaffold_edition

    return scaffold_edition(workspace, edition_id, in_force=in_force, title=title)


def new_workspace(
    folder: Path, source: Path | None = None, *, name: str | None = None, district_id: str | None = None
) -> Scaffold:
    """Make a new municipality's workspace in ``folder``; see :func:`vastbus_cli.scaffold.new_workspace`.

    Raises:
        UsageError: ``folder`` is not empty (or a file, or a link); no source workspace.
        InputOutputError: a file cannot be read or written.
    """
    from vastbus_cli.scaffold import new_workspace as scaffold_workspace

    return scaffold_workspace(source, folder, name=name, district_id=district_id)


# --- changes ---------------------------------------------------------------------------------


def changes_text(result: CourseChanges, output_format: Literal["text", "json", "news"] = "text") -> str:
    """What changed in the course, as text, JSON, or lines for course.yaml's news."""
    from vastbus_cli.changes import as_json, as_news, as_text

    writers = {"text": as_text, "json": as_json, "news": as_news}
    return writers[output_format](result)


# --- schema ----------------------------------------------------------------------------------


def default_schema_folder(workspace: Path) -> Path:
    """Where a workspace keeps its editor schemas: ``curriculum/schemas/``."""
    from vastbus_cli.schema import SCHEMA_FOLDER

    return workspace / SCHEMA_FOLDER


@dataclass(frozen=True)
class SchemaFile:
    """One schema file ``write_schemas`` made: where, and whether it had to be written."""

    path: Path
    written: bool


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
        raise UsageError(
            _("--out {folder} is a file, not a folder; give a folder for the schema files").format(folder=out)
        )
    texts = rendered()
    for name in texts:
        if (out / name).is_dir():
            raise InputOutputError(_("cannot write {file}: it is a folder").format(file=out / name))
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


# --- survey make (issue 31, part 1: the forms) -----------------------------------------------


def survey_make(
    workspace: Workspace, out: Path | None = None, *, as_of: dt.date | None = None, edition: str | None = None
) -> SurveyMade:
    """Write the survey's printable form, Forms import document and answer sheet into ``out``.

    ``out`` defaults to ``paket/enkät/`` in the workspace. If ``curriculum/survey.yaml`` is
    missing, it is made first from the edition in force (on ``as_of``, or ``edition``) and the
    course; it is never replaced. ``SurveyMade.findings`` are what ``check`` says of the survey
    (an item that no longer matches the course, a survey from an older edition).
    See :func:`vastbus_cli.survey.forms.make_forms`.

    Raises:
        UsageError: the course, districts or survey does not load; ``out`` is a file; an unknown edition.
        InputOutputError: a file cannot be written.
    """
    from vastbus_cli.checks.context import Context
    from vastbus_cli.checks.survey import SURVEY_OUTDATED, SURVEY_STALE_ITEM, check_survey
    from vastbus_cli.survey.forms import make_forms

    day = as_of or dt.date.today()
    made = make_forms(workspace, out, as_of=day, edition=edition)
    if not made.created:
        editions = editions_of(workspace)
        context = Context(workspace, editions, select_edition(editions, edition, day), day)
        wanted = {SURVEY_OUTDATED.id, SURVEY_STALE_ITEM.id}
        made.findings = [finding for finding in check_survey(context) if finding.rule in wanted]
    return made


# --- survey import (issue 31, part 3: import the answers) -----------------------------------

if TYPE_CHECKING:
    from vastbus_cli.survey.importer import ImportResult as SurveyImport


def survey_import(
    workspace: Workspace,
    export: Path,
    *,
    phase: str,
    day: dt.date | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> SurveyImport:
    """Count the answers of a form tool's export and store them under ``curriculum/surveys/<survey id>/``.

    Names, e-mail addresses, free text and times of day are never stored; ``dry_run`` writes
    nothing. See :func:`vastbus_cli.survey.importer.import_export`.

    Raises:
        UsageError: the export cannot be stored as it is (every problem on a line of its own),
            was imported before, or the phase is not före/efter.
        InputOutputError: the export cannot be read, or the file cannot be written.
    """
    from vastbus_cli.survey.importer import import_export

    return import_export(workspace, export, phase=phase, day=day, dry_run=dry_run, today=today)


__all__ = [
    "COMPARED_FILES",
    "BuildRefused",
    "CheckResult",
    "CourseVersion",
    "ScanResult",
    "SchemaFile",
    "Severity",
    "Workspace",
    "build",
    "changes_text",
    "check",
    "checked_files",
    "course_changes",
    "course_version",
    "default_schema_folder",
    "diff",
    "editions",
    "editions_of",
    "held",
    "new_edition",
    "new_local",
    "new_workspace",
    "open_workspace",
    "report",
    "report_page",
    "report_text",
    "review",
    "scan",
    "select_edition",
    "site",
    "survey_import",
    "survey_make",
    "survey_report",
    "survey_report_docx",
    "survey_report_page",
    "survey_report_text",
    "upgrade",
    "version_problems",
    "workspace_root",
    "write_schemas",
]


# --- survey report (issue 31, point 4: what changed and where) -------------------------------


def survey_report(workspace: Workspace) -> SurveyAnalysis:
    """The knowledge survey's results: shares right with intervals, the spread between districts, what persists.

    See :mod:`vastbus_cli.survey.analysis`.

    Raises:
        UsageError: the workspace has no survey, its survey does not load, or it has no answers to it.
    """
    from vastbus_cli.survey.analysis import of_workspace

    if workspace.survey is None:
        raise UsageError(_("the workspace has no survey (curriculum/survey.yaml); make one with 'vastbus survey make'"))
    if workspace.survey.model is None:
        raise UsageError(_("curriculum/survey.yaml did not load; run 'vastbus check'"))
    analysis = of_workspace(workspace)
    if analysis is None:
        survey = workspace.survey.model.id
        raise UsageError(
            _(
                "no answers to the survey {survey} in curriculum/surveys/{survey}/; "
                "import an export with 'vastbus survey import FILE'"
            ).format(survey=survey)
        )
    return analysis


def survey_report_text(analysis: SurveyAnalysis, output_format: Literal["text", "json"] = "text") -> str:
    """The survey's results as text (Swedish, 80 columns, with each profession) or as JSON."""
    if output_format == "json":
        from vastbus_cli.safetext import json_text
        from vastbus_cli.survey.analysis import as_json

        return json_text(as_json(analysis))
    from vastbus_cli.report.survey import survey_lines
    from vastbus_cli.safetext import printable_lines

    return printable_lines("\n".join(survey_lines(analysis, full=True)).lstrip("\n")) + "\n"


def survey_report_page(analysis: SurveyAnalysis) -> str:
    """The survey's results as one static HTML page: tables and SVG charts, no scripts."""
    from vastbus_cli.report.html import survey_html

    return survey_html(analysis)


def survey_report_docx(workspace: Workspace, analysis: SurveyAnalysis, day: dt.date | None = None) -> bytes:
    """The steering group's summary as a Word document (.docx bytes), on the workspace's handout template.

    Raises:
        InputOutputError: the template is missing or cannot be read.
    """
    from vastbus_cli.survey.summary import summary_docx

    survey = workspace.survey.model if workspace.survey is not None else None
    built_on = survey.built_on if survey is not None else ""
    titles = {edition.id: edition.short_title for edition in editions_of(workspace).ordered}
    course = workspace.course.model if workspace.course is not None else None
    return summary_docx(
        analysis,
        workspace.root / "templates",
        edition=(built_on, titles.get(built_on, built_on)),
        course=(course.id, course.title, course.version) if course is not None else ("", "", ""),
        day=day or dt.date.today(),
    )
