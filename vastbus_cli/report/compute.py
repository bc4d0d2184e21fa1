"""The steering group's view, computed: per district and audience, is the material current?

The views (text, CSV, HTML) are in ``report.text`` and ``report.html``; the words and
symbols they share in ``report.words``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from vastbus_cli.build import pack_status
from vastbus_cli.checking import check
from vastbus_cli.editions import select_edition
from vastbus_cli.errors import UsageError
from vastbus_cli.findings import Finding, Severity
from vastbus_cli.i18n import _
from vastbus_cli.packs import CENTRAL, PACK_FILES
from vastbus_cli.sessions import Trained, last_trained
from vastbus_cli.workspace import LocalDocument, Workspace, editions_of

if TYPE_CHECKING:
    from vastbus_cli.models import Course
    from vastbus_cli.models.sessions import Session
    from vastbus_cli.scan import Rules as ScanRules
    from vastbus_cli.survey.analysis import SurveyAnalysis

#: Rules whose findings mean a ref no longer matches the guideline text.
SUSPECT_RULES = frozenset({"ref/suspect", "ref/changed-section", "ref/withdrawn-section", "ref/unknown-section"})


class Status(StrEnum):
    """A district's pack for one audience (and, for its local files, current, restamp or outdated)."""

    CURRENT = "current"
    SUSPECT = "suspect"
    OUTDATED = "outdated"
    MISSING = "missing"
    STALE = "stale"
    RESTAMP = "restamp"


class Training(StrEnum):
    """When a district's audience was last trained, against the edition in force."""

    CURRENT = "current"
    OUTDATED = "outdated"
    NEVER = "never"


class LocalState(StrEnum):
    """A district's local part: none at all, some of it not confirmed by the district, or confirmed."""

    MISSING = "missing"
    UNCONFIRMED = "unconfirmed"
    CONFIRMED = "confirmed"


@dataclass
class LocalPart:
    """What a district's local files hold and how much of it the district has confirmed."""

    state: LocalState = LocalState.MISSING
    #: Contacts and routines the district has not confirmed.
    pending: int = 0
    #: The day the district confirmed its local part (the earliest, over its files), when every file says.
    confirmed_on: dt.date | None = None
    #: The files to edit, relative to the workspace.
    files: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Proposal:
    """A local example a district proposes for the central course."""

    title: str
    file: str
    why: str
    #: The audiences' names it is for; empty: every audience.
    audiences: tuple[str, ...] = ()


#: The statuses a scanned file can have, in the order the report counts them.
SCAN_STATUSES = ("current", "outdated", "unknown", "unreadable")


@dataclass
class Cell:
    """One district and audience."""

    status: Status
    detail: str


@dataclass
class DistrictRow:
    """One row of the matrix."""

    id: str
    name: str
    cells: dict[str, Cell]
    #: path, built_on, and "current", "restamp" (older edition, nothing it cites changed) or "outdated"
    local_files: list[tuple[str, str, Status]] = field(default_factory=list)
    suspect: int = 0
    examples: list[Proposal] = field(default_factory=list)
    #: The district's own part; None for the central version, which has none.
    local: LocalPart | None = None
    scan: dict[str, int] | None = None
    #: With --scan: each file found (relative to the scan folder), its status and the edition it names.
    scan_files: list[tuple[str, str, str | None]] = field(default_factory=list)


@dataclass
class Report:
    """The whole report."""

    edition: str
    edition_title: str
    day: dt.date
    audiences: list[tuple[str, str]]
    rows: list[DistrictRow]
    central_suspect: int
    scan_dir: Path | None = None
    #: Per (district, audience): the last training session and the totals, from curriculum/sessions/.
    trained: dict[tuple[str, str], Trained] = field(default_factory=dict)
    #: Whether any session is recorded at all (else "never trained" would be said of every group).
    has_records: bool = False
    #: The workspace's folder, which the local files' paths are relative to.
    root: Path | None = None
    #: With --scan: files the scan found outside every district's folder (path, status, edition).
    unplaced: list[tuple[str, str, str | None]] = field(default_factory=list)
    #: The knowledge survey's results, when the workspace has a survey and answers to it.
    survey: SurveyAnalysis | None = None

    def training(self, district: str, audience: str) -> Training:
        """'current' (last trained on the edition in force), 'outdated' (on an older one) or 'never'."""
        last = self.trained.get((district, audience))
        if last is None:
            return Training.NEVER
        return Training.CURRENT if last.edition == self.edition else Training.OUTDATED


def district_report(
    workspace: Workspace,
    out: Path,
    *,
    scan_dir: Path | None = None,
    edition: str | None = None,
    as_of: dt.date | None = None,
    packs: dict[str, str] | None = None,
) -> Report:
    """Collect the status of every district's packs and local additions.

    ``packs`` is :func:`~vastbus_cli.build.pack_status` for ``out`` when the caller has it already.
    """
    day = as_of or dt.date.today()
    editions = editions_of(workspace)
    current = select_edition(editions, edition, day)
    course = workspace.course.model if workspace.course else None
    if course is None:
        raise UsageError(_("curriculum/course.yaml did not load; run 'vastbus check'"))
    suspects = _Suspects.of(check(workspace, edition=edition, as_of=day).findings)
    if packs is None:
        packs = pack_status(workspace, out, edition=edition, as_of=day)
    scan_rules = None
    if scan_dir is not None:
        from vastbus_cli.scan import prepare

        scan_rules = prepare(editions, current, day)
    rows = []
    for district in _districts(workspace):
        row = _district_row(workspace, course, packs, suspects, district)
        _add_scan(row, scan_dir, scan_rules)
        rows.append(row)
    records = _session_records(workspace)
    unplaced = _unplaced(scan_dir, scan_rules, {row.id for row in rows})
    from vastbus_cli.survey.analysis import of_workspace

    return Report(
        current.id,
        current.short_title,
        day,
        [(a.id, a.name) for a in course.audiences],
        rows,
        suspects.central,
        scan_dir.resolve() if scan_dir is not None else None,
        last_trained([r for r in records if r.date <= day]),
        bool(records),
        workspace.root,
        unplaced,
        of_workspace(workspace),
    )


def _session_records(workspace: Workspace) -> list[Session]:
    """Every training session recorded in curriculum/sessions/."""
    return [record for doc in workspace.sessions if doc.model is not None for record in doc.model.sessions]


def _districts(workspace: Workspace) -> list[tuple[str, str, str | None]]:
    """The central version, then every district: its id, name and area."""
    districts = workspace.districts.model.districts if workspace.districts and workspace.districts.model else []
    return [(CENTRAL, "Central version", None), *((d.id, d.name, d.area) for d in districts)]


@dataclass
class _Suspects:
    """What the check found about refs: suspect refs per file, and local files on an older edition."""

    by_file: dict[str, int]
    #: A local file on an older edition is an error when something it cites changed, else a warning.
    older: dict[str, Status]

    @classmethod
    def of(cls, findings: list[Finding]) -> _Suspects:
        by_file: dict[str, int] = {}
        older: dict[str, Status] = {}
        for finding in findings:
            if finding.rule in SUSPECT_RULES:
                by_file[finding.file] = by_file.get(finding.file, 0) + 1
            elif finding.rule == "edition/outdated":
                older[finding.file] = Status.OUTDATED if finding.severity is Severity.ERROR else Status.RESTAMP
        return cls(by_file, older)

    @property
    def central(self) -> int:
        """Suspect refs in the central modules, which every district's packs share."""
        return sum(n for path, n in self.by_file.items() if path.startswith("curriculum/modules/"))


def _district_row(
    workspace: Workspace,
    course: Course,
    packs: dict[str, str],
    suspects: _Suspects,
    district: tuple[str, str, str | None],
) -> DistrictRow:
    """One district's local files and, per audience, the status of its pack."""
    district_id, name, area = district
    row = DistrictRow(district_id, name, {}, local=None if district_id == CENTRAL else LocalPart())
    audience_names = {a.id: a.name for a in course.audiences}
    for doc in workspace.local:
        # An area's local file is part of every district of the area.
        if doc.folder_district in (district_id, area) and doc.model is not None:
            row.local_files.append((doc.rel, doc.model.built_on, suspects.older.get(doc.rel, Status.CURRENT)))
            row.suspect += suspects.by_file.get(doc.rel, 0)
            row.examples.extend(
                Proposal(
                    example.title,
                    doc.rel,
                    " ".join((example.why or "").split()),
                    tuple(audience_names.get(a, a) for a in example.audiences or ()),
                )
                for example in doc.model.examples
                if example.share
            )
    if row.local is not None:
        _local_state(row.local, [doc for doc in workspace.local if doc.folder_district in (district_id, area)])
    local = {status for _, _, status in row.local_files}
    for audience in course.audiences:
        statuses = [packs.get(f"{district_id}/{audience.id}/{name}", "missing") for name in PACK_FILES]
        row.cells[audience.id] = _cell(local, statuses, row.suspect + suspects.central)
    return row


def _local_state(part: LocalPart, docs: list[LocalDocument]) -> None:
    """Missing without local files; unconfirmed while a contact or routine is not; else confirmed, with its day."""
    models = [doc.model for doc in docs if doc.model is not None]
    part.files = [doc.rel for doc in docs if doc.model is not None]
    if not models:
        return
    part.pending = sum(len(contacts) + len(routines) for contacts, routines in (m.unconfirmed() for m in models))
    if part.pending:
        part.state = LocalState.UNCONFIRMED
        return
    part.state = LocalState.CONFIRMED
    days = [model.confirmed.on for model in models if model.confirmed is not None]
    part.confirmed_on = min(days) if len(days) == len(models) else None


def _cell(local: set[Status], statuses: list[str], suspect: int) -> Cell:
    """A pack's status from its local files, its built files and its suspect refs, worst first."""
    if Status.OUTDATED in local:
        return Cell(Status.OUTDATED, "det de hänvisar till har ändrats")
    if Status.MISSING in statuses:
        return Cell(Status.MISSING, "")
    if suspect:
        return Cell(Status.SUSPECT, f"{suspect} {'hänvisning' if suspect == 1 else 'hänvisningar'}")
    if Status.STALE in statuses:
        return Cell(Status.STALE, "underlaget har ändrats sedan paketet byggdes")
    if Status.RESTAMP in local:
        return Cell(Status.RESTAMP, "till gällande utgåva; inget de hänvisar till har ändrats")
    return Cell(Status.CURRENT, "")


def _unplaced(
    scan_dir: Path | None, scan_rules: ScanRules | None, known: set[str]
) -> list[tuple[str, str, str | None]]:
    """What the scan finds outside every district's folder: loose files and folders of no district."""
    if scan_dir is None or scan_rules is None:
        return []
    from vastbus_cli.scan import scan

    outside = sorted(entry for entry in scan_dir.iterdir() if not (entry.is_dir() and entry.name in known))
    if not outside:
        return []
    return [(r.path, r.status, r.edition) for r in scan(outside, scan_rules, base=scan_dir)]


def _add_scan(row: DistrictRow, scan_dir: Path | None, scan_rules: ScanRules | None) -> None:
    """The files found in the district's folder under ``scan_dir`` (if it has one), counted per status."""
    if scan_dir is None or scan_rules is None or not (scan_dir / row.id).is_dir():
        return
    from vastbus_cli.scan import scan

    results = scan([scan_dir / row.id], scan_rules, base=scan_dir)
    row.scan = {status: sum(1 for r in results if r.status == status) for status in SCAN_STATUSES}
    row.scan_files = [(r.path, r.status, r.edition) for r in results]
