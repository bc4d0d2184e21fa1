"""The steering group's view: per district and audience, is the material current?"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import textwrap
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from urllib.parse import quote

from vastbus_cli import __version__
from vastbus_cli.build import pack_status
from vastbus_cli.checking import check
from vastbus_cli.editions import select_edition
from vastbus_cli.errors import UsageError
from vastbus_cli.findings import Severity
from vastbus_cli.packs import CENTRAL, PACK_FILES
from vastbus_cli.safetext import csv_cell, printable_lines
from vastbus_cli.sessions import Trained, last_trained
from vastbus_cli.workspace import Workspace, editions_of

#: Rules whose findings mean a ref no longer matches the guideline text.
SUSPECT_RULES = frozenset({"ref/suspect", "ref/changed-section", "ref/withdrawn-section", "ref/unknown-section"})

#: status → (symbol, Swedish label) — shown together with a colour, never colour alone.
LABELS = {
    "current": ("✓", "Aktuellt"),
    "suspect": ("✗", "Hänvisningar behöver granskas"),
    "outdated": ("✗", "Lokala tillägg på äldre utgåva"),
    "missing": ("–", "Inget paket byggt"),
    "stale": ("!", "Paketet behöver byggas om"),
    "restamp": ("!", "Lokala tillägg behöver uppdateras"),
}
#: How serious each status is, which sets its colour: an error needs someone to review the
#: content (and stops the next build); a warning needs only a routine step.
SEVERITY = {
    "current": "ok",
    "suspect": "error",
    "outdated": "error",
    "missing": "none",
    "stale": "warning",
    "restamp": "warning",
}


@dataclass
class Cell:
    """One district and audience."""

    status: str
    detail: str


@dataclass
class DistrictRow:
    """One row of the matrix."""

    id: str
    name: str
    cells: dict[str, Cell]
    #: path, built_on, and "current", "restamp" (older edition, nothing it cites changed) or "outdated"
    local_files: list[tuple[str, str, str]] = field(default_factory=list)
    suspect: int = 0
    examples: list[tuple[str, str]] = field(default_factory=list)  # title, file
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

    def training(self, district: str, audience: str) -> str:
        """'current' (last trained on the edition in force), 'outdated' (on an older one) or 'never'."""
        last = self.trained.get((district, audience))
        if last is None:
            return "never"
        return "current" if last.edition == self.edition else "outdated"


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
    districts = workspace.districts.model.districts if workspace.districts and workspace.districts.model else []
    if course is None:
        raise UsageError("curriculum/course.yaml did not load; run 'vastbus check'")
    findings = check(workspace, edition=edition, as_of=day).findings
    suspect_by_file: dict[str, int] = {}
    # A local file on an older edition is an error when something it cites changed, else a warning.
    older: dict[str, str] = {}
    for finding in findings:
        if finding.rule in SUSPECT_RULES:
            suspect_by_file[finding.file] = suspect_by_file.get(finding.file, 0) + 1
        elif finding.rule == "edition/outdated":
            older[finding.file] = "outdated" if finding.severity is Severity.ERROR else "restamp"
    central_suspect = sum(n for path, n in suspect_by_file.items() if path.startswith("curriculum/modules/"))
    if packs is None:
        packs = pack_status(workspace, out, edition=edition, as_of=day)
    scan_rules = None
    if scan_dir is not None:
        from vastbus_cli.scan import prepare

        scan_rules = prepare(editions, current, day)
    rows = []
    for district_id, name, area in [(CENTRAL, "Central version", None), *((d.id, d.name, d.area) for d in districts)]:
        row = DistrictRow(district_id, name, {})
        for doc in workspace.local:
            # An area's local file is part of every district of the area.
            if doc.folder_district in (district_id, area) and doc.model is not None:
                row.local_files.append((doc.rel, doc.model.built_on, older.get(doc.rel, "current")))
                row.suspect += suspect_by_file.get(doc.rel, 0)
                row.examples.extend((example.title, doc.rel) for example in doc.model.examples if example.share)
        local = {status for _, _, status in row.local_files}
        for audience in course.audiences:
            statuses = [packs.get(f"{district_id}/{audience.id}/{name}", "missing") for name in PACK_FILES]
            suspect = row.suspect + central_suspect
            if "outdated" in local:
                cell = Cell("outdated", "det de hänvisar till har ändrats")
            elif "missing" in statuses:
                cell = Cell("missing", "")
            elif suspect:
                cell = Cell("suspect", f"{suspect} {'hänvisning' if suspect == 1 else 'hänvisningar'}")
            elif "stale" in statuses:
                cell = Cell("stale", "underlaget har ändrats sedan paketet byggdes")
            elif "restamp" in local:
                cell = Cell("restamp", "till gällande utgåva; inget de hänvisar till har ändrats")
            else:
                cell = Cell("current", "")
            row.cells[audience.id] = cell
        if scan_dir is not None and scan_rules is not None and (scan_dir / district_id).is_dir():
            from vastbus_cli.scan import scan

            results = scan([scan_dir / district_id], scan_rules, base=scan_dir)
            row.scan = {
                status: sum(1 for r in results if r.status == status)
                for status in ("current", "outdated", "unknown", "unreadable")
            }
            row.scan_files = [(r.path, r.status, r.edition) for r in results]
        rows.append(row)
    records = [record for doc in workspace.sessions if doc.model is not None for record in doc.model.sessions]
    return Report(
        current.id,
        current.short_title,
        day,
        [(a.id, a.name) for a in course.audiences],
        rows,
        central_suspect,
        scan_dir.resolve() if scan_dir is not None else None,
        last_trained([r for r in records if r.date <= day]),
        bool(records),
    )


#: A district's files per status, as a steering group reads them ("9 aktuella").
_COUNTED = {
    "current": "aktuella",
    "suspect": "med hänvisningar att granska",
    "outdated": "med lokala tillägg på äldre utgåva",
    "missing": "saknas",
    "stale": "behöver byggas om",
    "restamp": "med lokala tillägg att uppdatera",
}
#: What a district with at least one file in that status needs, for the summary line.
_NEEDS = {
    "suspect": "har hänvisningar som behöver granskas",
    "outdated": "har lokala tillägg på en äldre utgåva",
    "missing": "saknar material",
    "stale": "behöver byggas om",
    "restamp": "har lokala tillägg att uppdatera till gällande utgåva",
}
_SCANNED = {
    "current": "aktuella",
    "outdated": "på äldre utgåva",
    "unknown": "utan känd utgåva",
    "unreadable": "oläsliga",
}


def summary_line(report: Report) -> str:
    """The first line a steering group reads: "9 av 11 områden är aktuella; 2 behöver byggas om"."""
    areas = [row for row in report.rows if row.id != CENTRAL]
    central = next((row for row in report.rows if row.id == CENTRAL), None)
    current = sum(1 for row in areas if all(cell.status == "current" for cell in row.cells.values()))
    parts = [f"{current} av {len(areas)} områden är aktuella"]
    for status, needs in _NEEDS.items():
        count = sum(1 for row in areas if any(cell.status == status for cell in row.cells.values()))
        if count:
            parts.append(f"{count} {needs}")
    if central is not None and any(cell.status != "current" for cell in central.cells.values()):
        parts.append("den centrala versionen är inte aktuell")
    if report.has_records:
        groups = [(row.id, audience) for row in areas for audience, _ in report.audiences]
        outdated = sum(1 for key in groups if report.training(*key) == "outdated")
        never = sum(1 for key in groups if report.training(*key) == "never")
        if outdated:
            parts.append(f"{_groups(outdated)} på äldre utgåva")
        if never:
            parts.append(f"{never} {'yrkesgrupp har' if never == 1 else 'yrkesgrupper har'} aldrig utbildats")
    return "; ".join(parts) + "."


def _groups(count: int) -> str:
    """The count with the right number: 1 yrkesgrupp utbildad, 3 yrkesgrupper utbildade."""
    return f"{count} yrkesgrupp utbildad" if count == 1 else f"{count} yrkesgrupper utbildade"


#: How a group's training shows: symbol, words, severity (its colour).
TRAINING = {
    "current": ("✓", "utbildade på gällande utgåva", "ok"),
    "outdated": ("!", "utbildade på äldre utgåva", "warning"),
    "never": ("–", "aldrig utbildade", "none"),
}


def _training_table(report: Report, level: int) -> str:
    if not report.has_records:
        return (
            f"<h{level}>Utbildade yrkesgrupper</h{level}><p>Inga utbildningstillfällen är registrerade ännu "
            "(de registreras med <code>vastbus held</code>).</p>"
        )
    head = "".join(f'<th scope="col">{escape(name)}</th>' for _, name in report.audiences)
    body = []
    for row in report.rows:
        cells = []
        for audience, _ in report.audiences:
            state = report.training(row.id, audience)
            symbol, words, severity = TRAINING[state]
            last = report.trained.get((row.id, audience))
            detail = (
                f'<span class="detail">{last.date.isoformat()} · {escape(last.edition)} · '
                f"{last.participants} deltagare</span>"
                if last
                else ""
            )
            cells.append(
                f'<td class="{severity}"><span class="symbol" aria-hidden="true">{symbol}</span>'
                f"{escape(words.capitalize())}{detail}</td>"
            )
        body.append(f'<tr><th scope="row">{escape(row.name)}</th>{"".join(cells)}</tr>')
    return (
        f"<h{level}>Utbildade yrkesgrupper</h{level}>"
        "<p>Senaste utbildningstillfälle per område och yrkesgrupp, med den utgåva materialet byggde på "
        "och hur många som deltagit sammanlagt.</p>"
        f'<table><thead><tr><th scope="col">Område</th>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
    )


def as_csv(report: Report) -> str:
    """One row per district and audience, for a spreadsheet: Swedish headers, ';' between fields.

    Starts with a byte-order mark and separates with semicolons, as Excel with Swedish settings
    expects, so å, ä and ö and the columns come out right when the file is double-clicked.
    A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (a district
    named ``=HYPERLINK(…)``) gets a leading ``'`` so a spreadsheet shows it as text and never
    runs it as a formula (``safetext.csv_cell``).
    """
    import csv
    import io

    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            "område_id",
            "område",
            "yrkesgrupp_id",
            "yrkesgrupp",
            "material",
            "senast_utbildad",
            "utgåva_vid_utbildning",
            "utbildning",
            "tillfällen",
            "deltagare",
        ]
    )
    for row in report.rows:
        for audience, audience_name in report.audiences:
            last = report.trained.get((row.id, audience))
            state = report.training(row.id, audience)
            writer.writerow(
                csv_cell(value)
                for value in [
                    row.id,
                    row.name,
                    audience,
                    audience_name,
                    LABELS[row.cells[audience].status][1],
                    last.date.isoformat() if last else "",
                    last.edition if last else "",
                    TRAINING[state][1] if report.has_records else "",
                    last.sessions if last else 0,
                    last.participants if last else 0,
                ]
            )
    return "\ufeff" + output.getvalue()


def as_text(report: Report) -> str:
    """A plain summary in Swedish: the summary line, one line per district, then proposed examples."""
    # Wrapped at 80 columns: the report is read in a terminal or pasted into an e-mail.
    lines = [
        *textwrap.wrap(summary_line(report), 80),
        *textwrap.wrap(
            f"Utbildningsmaterialet den {report.day.isoformat()}, jämfört med {report.edition_title} – "
            f"{report.edition}.",
            80,
        ),
        "",
    ]
    width = max((len(row.name) for row in report.rows), default=0) + 2
    for row in report.rows:
        counts: dict[str, int] = {}
        for cell in row.cells.values():
            counts[cell.status] = counts.get(cell.status, 0) + 1
        summary = ", ".join(f"{counts[status]} {label}" for status, label in _COUNTED.items() if status in counts)
        if row.scan is not None:
            scanned = ", ".join(f"{n} {_SCANNED.get(status, status)}" for status, n in row.scan.items())
            summary += f"; filer i områdets mapp: {scanned}"
        if report.has_records:
            states = [report.training(row.id, audience) for audience, _ in report.audiences]
            summary += f"; utbildade på gällande utgåva: {states.count('current')} av {len(states)} yrkesgrupper"
            if states.count("outdated"):
                summary += f", på äldre utgåva: {states.count('outdated')}"
        lines += textwrap.wrap(f"{row.name:<{width}}{summary}", 80, subsequent_indent=" " * width)
        for path, status, _ in row.scan_files:
            if status in ("outdated", "unreadable"):
                lines += textwrap.wrap(
                    f"{_SCANNED[status]}: {path}",
                    80,
                    initial_indent=" " * (width + 2),
                    subsequent_indent=" " * (width + 4),
                    break_on_hyphens=False,
                )
    examples = [(row.name, title, file) for row in report.rows for title, file in row.examples]
    if examples:
        lines += ["", "Föreslås för den centrala kursen:"]
        for name, title, file in examples:
            lines += textwrap.wrap(
                f"{name}: {title} ({file})", 80, initial_indent="  ", subsequent_indent="    ", break_on_hyphens=False
            )
    return printable_lines("\n".join(lines)) + "\n"


#: The report's own styles: the matrix, its colours, the legend and the lists. Shared with the
#: trainers' site, whose pages bring their own body and headings.
REPORT_CSS = """
:root { --blue: #1F4E79; --ink: #1F2933; --grey: #4A5563; }
p.meta { color: var(--grey); margin: 0 0 8px; }
p.summary { font-size: 16px; font-weight: bold; margin: 0 0 16px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border: 1px solid #C9D2DC; padding: 6px 8px; text-align: left; vertical-align: top; }
thead th { background: var(--blue); color: #FFFFFF; }
tbody th { background: #F5F7FA; white-space: nowrap; }
.ok { background: #E3F1E6; } .warning { background: #FFF1CC; } .error { background: #F9D6D0; }
.none { background: #ECEFF3; }
td .symbol { font-weight: bold; margin-right: 4px; } td .detail { display: block; color: var(--grey); font-size: 11px; }
td.number { text-align: right; }
ul.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 8px 18px; font-size: 13px; }
ul.legend li span { display: inline-block; padding: 1px 8px; border: 1px solid #C9D2DC; margin-right: 6px; }
ul.files { margin: 4px 0 0; padding-left: 18px; font-size: 12px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
@page { size: A4 landscape; margin: 12mm; }
@media print { tr { break-inside: avoid; } thead { display: table-header-group; }
               tbody tr:last-child { break-before: avoid; } }
"""

#: The standalone page around the report (``--html``).
_PAGE_CSS = """
* { box-sizing: border-box; }
body { font-family: Arial, "Liberation Sans", Helvetica, sans-serif; color: var(--ink);
       margin: 24px; line-height: 1.4; }
h1 { color: var(--blue); font-size: 24px; margin: 0 0 4px; }
h2 { color: var(--blue); font-size: 18px; margin: 28px 0 8px; }
a { color: var(--blue); } a:focus { outline: 2px solid var(--blue); outline-offset: 2px; }
footer { margin-top: 28px; color: var(--grey); font-size: 11px; }
@media print { body { margin: 0; } h2 { break-after: avoid; } }
"""

#: A local file's status in words, for the table of local additions.
_LOCAL = {
    "current": "✓ gällande utgåva",
    "restamp": "! äldre utgåva; inget de hänvisar till har ändrats",
    "outdated": "✗ äldre utgåva; det de hänvisar till har ändrats",
}
_LOCAL_SEVERITY = {"current": "ok", "restamp": "warning", "outdated": "error"}
_SCAN_SEVERITY = {"current": "ok", "outdated": "error", "unknown": "none", "unreadable": "warning"}


def _href(target: Path, page_folder: Path | None) -> str:
    """A link to a file: relative to the page when both are on one drive, so a moved folder keeps working."""
    if page_folder is not None:
        with contextlib.suppress(ValueError):
            return quote(Path(os.path.relpath(target, page_folder)).as_posix())
    return target.as_uri()


def as_html(report: Report, page_folder: Path | None = None) -> str:
    """A single self-contained page (no scripts, no external files) that prints on A4.

    ``page_folder`` is where the page is saved; links to scanned files are made relative to it.
    """
    title = "<h1>Utbildning om samverkan kring barn och unga – status per område</h1>"
    return (
        '<!DOCTYPE html>\n<html lang="sv"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Status per område – {escape(report.edition)}</title><style>{REPORT_CSS}{_PAGE_CSS}"
        f"</style></head><body>{title}{status_sections(report, page_folder)}"
        f"<footer>Skapad med vastbus {__version__}.</footer></body></html>\n"
    )


def status_sections(report: Report, page_folder: Path | None = None, *, level: int = 2) -> str:
    """The report under a page's ``h1``: date and edition, summary, legend, the matrix and the lists.

    ``level`` is the heading level of its sections (2 under the page's title).
    """
    head = "".join(f'<th scope="col">{escape(name)}</th>' for _, name in report.audiences)
    body = []
    for row in report.rows:
        cells = []
        for audience_id, _ in report.audiences:
            cell = row.cells[audience_id]
            symbol, label = LABELS[cell.status]
            detail = f'<span class="detail">{escape(cell.detail)}</span>' if cell.detail else ""
            cells.append(
                f'<td class="{SEVERITY[cell.status]}"><span class="symbol" aria-hidden="true">{symbol}</span>'
                f"{escape(label)}{detail}</td>"
            )
        body.append(f'<tr><th scope="row">{escape(row.name)}</th>{"".join(cells)}</tr>')
    legend = "".join(
        f'<li><span class="{SEVERITY[status]}">{symbol}</span>{escape(label)}</li>'
        for status, (symbol, label) in LABELS.items()
    )
    local_rows = [
        f"<tr><td>{escape(row.name)}</td><td>{escape(path)}</td><td>{escape(built_on)}</td>"
        f'<td class="{_LOCAL_SEVERITY[status]}">{escape(_LOCAL[status])}</td></tr>'
        for row in report.rows
        for path, built_on, status in row.local_files
    ]
    examples = [
        f"<li><strong>{escape(title)}</strong> – {escape(row.name)} ({escape(file)})</li>"
        for row in report.rows
        for title, file in row.examples
    ]
    scans = []
    for row in report.rows:
        if row.scan is None:
            continue
        counts = "".join(
            f'<td class="number">{row.scan[s]}</td>' for s in ("current", "outdated", "unknown", "unreadable")
        )
        files = []
        for path, status, edition in row.scan_files:
            if status == "current":
                continue
            target = report.scan_dir / path if report.scan_dir is not None else Path(path)
            named = f" ({escape(edition)})" if edition else ""
            files.append(
                f'<li class="{_SCAN_SEVERITY[status]}"><a href="{escape(_href(target, page_folder))}">'
                f"{escape(path)}</a> – {escape(_SCANNED[status])}{named}</li>"
            )
        listed = f'<ul class="files">{"".join(files)}</ul>' if files else ""
        scans.append(f"<tr><td>{escape(row.name)}{listed}</td>{counts}</tr>")
    sections = [
        f'<p class="meta">{report.day.isoformat()} · jämfört med {escape(report.edition_title)} '
        f"({escape(report.edition)})</p>",
        f'<p class="summary">{escape(summary_line(report))}</p>',
        f'<ul class="legend">{legend}</ul>',
        f'<table><caption class="visually-hidden">Status per område och yrkesgrupp</caption>'
        f'<thead><tr><th scope="col">Område</th>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>',
        _training_table(report, level),
        f"<h{level}>Lokala tillägg</h{level}>"
        + (
            "<table><thead><tr><th>Område</th><th>Fil</th><th>Bygger på</th><th>Status</th></tr></thead>"
            f"<tbody>{''.join(local_rows)}</tbody></table>"
            if local_rows
            else "<p>Inga lokala tillägg.</p>"
        ),
        f"<h{level}>Goda exempel som föreslås för den centrala kursen</h{level}>"
        + (f"<ul>{''.join(examples)}</ul>" if examples else "<p>Inga förslag.</p>"),
    ]
    if scans:
        sections.append(
            f"<h{level}>Skanning av områdenas mappar</h{level}>"
            "<table><thead><tr><th>Område och filer som inte är aktuella</th>"
            "<th>Aktuella</th><th>Äldre utgåva</th><th>Utan känd utgåva</th><th>Oläsliga</th></tr></thead>"
            f"<tbody>{''.join(scans)}</tbody></table>"
        )
    return "".join(sections)
