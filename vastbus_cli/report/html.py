"""The report as one static HTML page; its sections and styles are shared with the trainers' site."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from html import escape
from pathlib import Path
from urllib.parse import quote

from vastbus_cli import __version__
from vastbus_cli.report.compute import SCAN_STATUSES, Report, Status, Training
from vastbus_cli.report.survey import SURVEY_CSS, survey_page, survey_section
from vastbus_cli.report.words import (
    LABELS,
    LOCAL_PART,
    PROPOSALS,
    SCANNED,
    SEVERITY,
    TRAINING,
    UNPLACED,
    grouped_steps,
    local_words,
    next_steps,
    packs_words,
    summary_line,
    training_words,
)
from vastbus_cli.survey.analysis import SurveyAnalysis

#: The report's own styles: the matrix, its colours, the legend and the lists. Shared with the
#: trainers' site, whose pages bring their own body and headings.
REPORT_CSS = (
    """
:root { --blue: #1F4E79; --ink: #1F2933; --grey: #4A5563; }
p.meta { color: var(--grey); margin: 0 0 8px; }
p.summary { font-size: 16px; font-weight: bold; margin: 0 0 16px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border: 1px solid #C9D2DC; padding: 6px 8px; text-align: left; vertical-align: top; }
thead th { background: var(--blue); color: #FFFFFF; }
tbody th { background: #F5F7FA; white-space: nowrap; }
.ok { background: #E3F1E6; } .warning { background: #FFF1CC; } .error { background: #F9D6D0; }
.none { background: #ECEFF3; } .review { background: #FBE0C6; } .rebuild { background: #DCE8F5; }
td.row-summary { font-style: italic; }
div.scroll { overflow-x: auto; }
@media (max-width: 640px) { tbody th { white-space: normal; } th, td { padding: 4px 5px; } }
ul.steps { padding-left: 18px; } ul.steps li { margin-bottom: 6px; } .muted { color: var(--grey); }
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
    + SURVEY_CSS
)

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


def survey_html(analysis: SurveyAnalysis) -> str:
    """``vastbus survey report --html``: the knowledge survey's section as a page of its own."""
    return survey_page(analysis, REPORT_CSS + _PAGE_CSS)


def status_sections(
    report: Report,
    page_folder: Path | None = None,
    *,
    level: int = 2,
    source_href: Callable[[str], str | None] | None = None,
) -> str:
    """The report under a page's ``h1``: date and edition, summary, each district in a row, then the detail.

    ``level`` is the heading level of its sections (2 under the page's title); ``source_href``
    gives the link to a local file (relative to the workspace), by default the file itself.
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
    sections = [
        f'<p class="meta">{report.day.isoformat()} · jämfört med {escape(report.edition_title)} '
        f"({escape(report.edition)})</p>",
        f'<p class="summary">{escape(summary_line(report))}</p>',
        f"<h{level}>Områdena i korthet</h{level}>",
        _overview(report),
        f"<h{level}>Nästa steg</h{level}>",
        _steps(report),
        f"<h{level}>Paket per yrkesgrupp</h{level}>",
        f'<ul class="legend">{legend}</ul>',
        _matrix(report),
        _training_table(report, level),
        survey_section(report.survey, level=level),
        f"<h{level}>Lokala tillägg</h{level}>"
        + (
            "<table><thead><tr><th>Område</th><th>Fil</th><th>Bygger på</th><th>Status</th></tr></thead>"
            f"<tbody>{''.join(local_rows)}</tbody></table>"
            if local_rows
            else "<p>Inga lokala tillägg.</p>"
        ),
        f'<h{level} id="forslag">{PROPOSALS}</h{level}>' + proposals(report, page_folder, source_href),
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


def proposals(
    report: Report, page_folder: Path | None = None, source_href: Callable[[str], str | None] | None = None
) -> str:
    """The local examples districts propose for the central course: what, from where, for whom, why, the file."""
    items = []
    for row in report.rows:
        for proposal in row.examples:
            href = (
                source_href(proposal.file)
                if source_href is not None
                else _href(report.root / proposal.file, page_folder)
                if report.root is not None
                else None
            )
            source = (
                f'<a href="{escape(href)}">{escape(proposal.file)}</a>'
                if href
                else f"<code>{escape(proposal.file)}</code>"
            )
            audiences = ", ".join(proposal.audiences) or "alla yrkesgrupper"
            why = f"<br>Varför: {escape(proposal.why)}" if proposal.why else ""
            items.append(
                f"<li><strong>{escape(proposal.title)}</strong><br>{escape(row.name)} · för {escape(audiences)}"
                f"{why}<br>Källa: {source}</li>"
            )
    if not items:
        return "<p>Inga förslag.</p>"
    return f'<ul class="proposals">{"".join(items)}</ul>'


def _overview(report: Report) -> str:
    """One row per district: its local part, its packs, its training and the next steps, each said once."""
    head = '<th scope="col">Område</th><th scope="col">Lokal del</th><th scope="col">Paket</th>'
    if report.has_records:
        head += '<th scope="col">Utbildning</th>'
    head += '<th scope="col">Vem gör nästa steg</th>'
    body = []
    for row in report.rows:
        if row.local is None:
            local = "<td>Ingen (den centrala versionen)</td>"
        else:
            symbol, _, colour = LOCAL_PART[row.local.state]
            local = _marked(colour, symbol, local_words(row))
        status, packs = packs_words(row)
        cells = local + _marked(SEVERITY[status], LABELS[status][0], packs)
        if report.has_records:
            state, trained = training_words(report, row)
            symbol, _, colour = TRAINING[state]
            cells += _marked(colour, symbol, trained)
        who = sorted({step.split(":", 1)[0] for step in next_steps(report, row)})
        cells += f"<td>{escape(', '.join(who))}</td>" if who else "<td>Ingen</td>"
        body.append(f'<tr><th scope="row">{escape(row.name)}</th>{cells}</tr>')
    return (
        '<div class="scroll"><table><caption class="visually-hidden">'
        "Varje område i en rad: lokal del, paket, utbildning och vem som gör nästa steg"
        f"</caption><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def _steps(report: Report) -> str:
    """Each next step once, naming who acts, with the districts it concerns."""
    steps = grouped_steps(report)
    if not steps:
        return "<p>Inget att göra just nu: alla områden är aktuella.</p>"
    items = "".join(
        f'<li>{escape(step)}<br><span class="muted">{escape(", ".join(names))}</span></li>' for step, names in steps
    )
    return f'<ul class="steps">{items}</ul>'


def _marked(colour: str, symbol: str, words: str, colspan: int = 1) -> str:
    """A cell with its colour, its symbol (hidden from screen readers, which read the words) and its words."""
    span = f' colspan="{colspan}"' if colspan > 1 else ""
    return f'<td class="{colour}"{span}><span class="symbol" aria-hidden="true">{symbol}</span>{escape(words)}</td>'


def _matrix(report: Report) -> str:
    """The status of every district (rows) and audience (columns); a row with one status says it once."""
    head = "".join(f'<th scope="col">{escape(name)}</th>' for _, name in report.audiences)
    body = []
    for row in report.rows:
        cells = [row.cells[audience_id] for audience_id, _ in report.audiences]
        if len({cell.status for cell in cells}) == 1 and len(cells) > 1:
            symbol, label = LABELS[cells[0].status]
            shown = _marked(SEVERITY[cells[0].status], symbol, f"{label} – alla yrkesgrupper", len(cells))
        else:
            shown = "".join(_marked(SEVERITY[cell.status], *LABELS[cell.status]) for cell in cells)
        body.append(f'<tr><th scope="row">{escape(row.name)}</th>{shown}</tr>')
    return (
        f'<div class="scroll"><table><caption class="visually-hidden">Status per område och yrkesgrupp</caption>'
        f'<thead><tr><th scope="col">Område</th>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'
    )


def _scan_rows(report: Report, page_folder: Path | None) -> list[str]:
    """One row per scanned district, and one for files outside every district's folder: counts, links."""
    scans = []
    groups = [(row.name, row.scan, row.scan_files) for row in report.rows if row.scan is not None]
    if report.unplaced:
        counts = {status: sum(1 for _, s, _ in report.unplaced if s == status) for status in SCAN_STATUSES}
        groups.append((UNPLACED, counts, report.unplaced))
    for name, scanned, found in groups:
        counts_html = "".join(f'<td class="number">{scanned[s]}</td>' for s in SCAN_STATUSES)
        files = []
        for path, status, edition in found:
            if status == "current" and name != UNPLACED:
                continue
            target = report.scan_dir / path if report.scan_dir is not None else Path(path)
            named = f" ({escape(edition)})" if edition else ""
            files.append(
                f'<li class="{_SCAN_SEVERITY[status]}"><a href="{escape(_href(target, page_folder))}">'
                f"{escape(path)}</a> – {escape(SCANNED[status])}{named}</li>"
            )
        listed = f'<ul class="files">{"".join(files)}</ul>' if files else ""
        scans.append(f"<tr><td>{escape(name)}{listed}</td>{counts_html}</tr>")
    return scans


def _training_table(report: Report, level: int) -> str:
    """When each district's groups were last trained; a row where no group was trained says so once."""
    if not report.has_records:
        return (
            f"<h{level}>Utbildade yrkesgrupper</h{level}><p>Inga utbildningstillfällen är registrerade ännu. "
            "Meddela kursredaktionen när ni har hållit en utbildning: datum, yrkesgrupp och antal deltagare.</p>"
        )
    head = "".join(f'<th scope="col">{escape(name)}</th>' for _, name in report.audiences)
    body = []
    for row in report.rows:
        states = [report.training(row.id, audience) for audience, _ in report.audiences]
        if set(states) == {Training.NEVER}:
            symbol, words, severity = TRAINING[Training.NEVER]
            cells = _marked(severity, symbol, f"{words.capitalize()} – ingen yrkesgrupp", len(states))
        else:
            cells = "".join(_training_cell(report, row.id, audience) for audience, _ in report.audiences)
        body.append(f'<tr><th scope="row">{escape(row.name)}</th>{cells}</tr>')
    return (
        f"<h{level}>Utbildade yrkesgrupper</h{level}>"
        "<p>Senaste utbildningstillfälle per område och yrkesgrupp, med den utgåva materialet byggde på "
        "och hur många som deltagit sammanlagt.</p>"
        f'<div class="scroll"><table><thead><tr><th scope="col">Område</th>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _training_cell(report: Report, district: str, audience: str) -> str:
    state = report.training(district, audience)
    symbol, words, severity = TRAINING[state]
    last = report.trained.get((district, audience))
    detail = (
        f'<span class="detail">{last.date.isoformat()} · {escape(last.edition)} · {last.participants} deltagare</span>'
        if last
        else ""
    )
    return (
        f'<td class="{severity}"><span class="symbol" aria-hidden="true">{symbol}</span>'
        f"{escape(words.capitalize())}{detail}</td>"
    )
