"""The report as one static HTML page; its sections and styles are shared with the trainers' site."""

from __future__ import annotations

import contextlib
import os
from html import escape
from pathlib import Path
from urllib.parse import quote

from vastbus_cli import __version__
from vastbus_cli.report.compute import SCAN_STATUSES, Report, Status
from vastbus_cli.report.words import LABELS, SCANNED, SEVERITY, TRAINING, summary_line

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
    Status.CURRENT: "✓ gällande utgåva",
    Status.RESTAMP: "! äldre utgåva; inget de hänvisar till har ändrats",
    Status.OUTDATED: "✗ äldre utgåva; det de hänvisar till har ändrats",
}
_LOCAL_SEVERITY = {Status.CURRENT: "ok", Status.RESTAMP: "warning", Status.OUTDATED: "error"}
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
    sections = [
        f'<p class="meta">{report.day.isoformat()} · jämfört med {escape(report.edition_title)} '
        f"({escape(report.edition)})</p>",
        f'<p class="summary">{escape(summary_line(report))}</p>',
        f'<ul class="legend">{legend}</ul>',
        _matrix(report),
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
    scans = _scan_rows(report, page_folder)
    if scans:
        sections.append(
            f"<h{level}>Skanning av områdenas mappar</h{level}>"
            "<table><thead><tr><th>Område och filer som inte är aktuella</th>"
            "<th>Aktuella</th><th>Äldre utgåva</th><th>Utan känd utgåva</th><th>Oläsliga</th></tr></thead>"
            f"<tbody>{''.join(scans)}</tbody></table>"
        )
    return "".join(sections)


def _matrix(report: Report) -> str:
    """The status of every district (rows) and audience (columns)."""
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
    return (
        f'<table><caption class="visually-hidden">Status per område och yrkesgrupp</caption>'
        f'<thead><tr><th scope="col">Område</th>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
    )


def _scan_rows(report: Report, page_folder: Path | None) -> list[str]:
    """One row per scanned district: its counts, and a link to each file that is not current."""
    scans = []
    for row in report.rows:
        if row.scan is None:
            continue
        counts = "".join(f'<td class="number">{row.scan[s]}</td>' for s in SCAN_STATUSES)
        files = []
        for path, status, edition in row.scan_files:
            if status == "current":
                continue
            target = report.scan_dir / path if report.scan_dir is not None else Path(path)
            named = f" ({escape(edition)})" if edition else ""
            files.append(
                f'<li class="{_SCAN_SEVERITY[status]}"><a href="{escape(_href(target, page_folder))}">'
                f"{escape(path)}</a> – {escape(SCANNED[status])}{named}</li>"
            )
        listed = f'<ul class="files">{"".join(files)}</ul>' if files else ""
        scans.append(f"<tr><td>{escape(row.name)}{listed}</td>{counts}</tr>")
    return scans


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
