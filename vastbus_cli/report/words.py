"""The words and symbols every view of the report shares, and its summary line."""

from __future__ import annotations

from vastbus_cli.packs import CENTRAL
from vastbus_cli.report.compute import Report, Status, Training

#: status → (symbol, Swedish label) — shown together with a colour, never colour alone.
LABELS = {
    Status.CURRENT: ("✓", "Aktuellt"),
    Status.SUSPECT: ("✗", "Hänvisningar behöver granskas"),
    Status.OUTDATED: ("✗", "Lokala tillägg på äldre utgåva"),
    Status.MISSING: ("–", "Inget paket byggt"),
    Status.STALE: ("!", "Paketet behöver byggas om"),
    Status.RESTAMP: ("!", "Lokala tillägg behöver uppdateras"),
}
#: How serious each status is, which sets its colour: an error needs someone to review the
#: content (and stops the next build); a warning needs only a routine step.
SEVERITY = {
    Status.CURRENT: "ok",
    Status.SUSPECT: "error",
    Status.OUTDATED: "error",
    Status.MISSING: "none",
    Status.STALE: "warning",
    Status.RESTAMP: "warning",
}

#: A district's files per status, as a steering group reads them ("9 aktuella").
COUNTED = {
    Status.CURRENT: "aktuella",
    Status.SUSPECT: "med hänvisningar att granska",
    Status.OUTDATED: "med lokala tillägg på äldre utgåva",
    Status.MISSING: "saknas",
    Status.STALE: "behöver byggas om",
    Status.RESTAMP: "med lokala tillägg att uppdatera",
}
#: What a district with at least one file in that status needs, for the summary line.
NEEDS = {
    Status.SUSPECT: "har hänvisningar som behöver granskas",
    Status.OUTDATED: "har lokala tillägg på en äldre utgåva",
    Status.MISSING: "saknar material",
    Status.STALE: "behöver byggas om",
    Status.RESTAMP: "har lokala tillägg att uppdatera till gällande utgåva",
}
#: A scanned file's status in words.
SCANNED = {
    "current": "aktuella",
    "outdated": "på äldre utgåva",
    "unknown": "utan känd utgåva",
    "unreadable": "oläsliga",
}

#: How a group's training shows: symbol, words, severity (its colour).
TRAINING = {
    Training.CURRENT: ("✓", "utbildade på gällande utgåva", "ok"),
    Training.OUTDATED: ("!", "utbildade på äldre utgåva", "warning"),
    Training.NEVER: ("–", "aldrig utbildade", "none"),
}


def summary_line(report: Report) -> str:
    """The first line a steering group reads: "9 av 11 områden är aktuella; 2 behöver byggas om"."""
    areas = [row for row in report.rows if row.id != CENTRAL]
    current = sum(1 for row in areas if all(cell.status == Status.CURRENT for cell in row.cells.values()))
    parts = [f"{current} av {len(areas)} områden är aktuella"]
    for status, needs in NEEDS.items():
        count = sum(1 for row in areas if any(cell.status == status for cell in row.cells.values()))
        if count:
            parts.append(f"{count} {needs}")
    if not _central_current(report):
        parts.append("den centrala versionen är inte aktuell")
    if report.has_records:
        parts += _training_parts(report, [row.id for row in areas])
    return "; ".join(parts) + "."


def _central_current(report: Report) -> bool:
    """Whether every pack of the central version is current (true when there is no central row)."""
    central = next((row for row in report.rows if row.id == CENTRAL), None)
    return central is None or all(cell.status == Status.CURRENT for cell in central.cells.values())


def _training_parts(report: Report, areas: list[str]) -> list[str]:
    """How many groups of the areas were trained on an older edition, and how many never."""
    groups = [(area, audience) for area in areas for audience, _ in report.audiences]
    outdated = sum(1 for key in groups if report.training(*key) == Training.OUTDATED)
    never = sum(1 for key in groups if report.training(*key) == Training.NEVER)
    parts = []
    if outdated:
        parts.append(f"{_groups(outdated)} på äldre utgåva")
    if never:
        parts.append(f"{never} {'yrkesgrupp har' if never == 1 else 'yrkesgrupper har'} aldrig utbildats")
    return parts


def _groups(count: int) -> str:
    """The count with the right number: 1 yrkesgrupp utbildad, 3 yrkesgrupper utbildade."""
    return f"{count} yrkesgrupp utbildad" if count == 1 else f"{count} yrkesgrupper utbildade"
