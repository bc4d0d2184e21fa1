"""The words and symbols every view of the report shares, and its summary line."""

from __future__ import annotations

from vastbus_cli.packs import CENTRAL
from vastbus_cli.report.compute import DistrictRow, LocalState, Report, Status, Training

#: status → (symbol, Swedish label) — shown together with a colour, never colour alone. Each status
#: has its own symbol and colour, so two states never look alike.
LABELS = {
    Status.CURRENT: ("✓", "Aktuellt"),
    Status.SUSPECT: ("?", "Hänvisningar behöver granskas"),
    Status.OUTDATED: ("✗", "Lokala tillägg på äldre utgåva"),
    Status.MISSING: ("–", "Inget paket byggt"),
    Status.STALE: ("↻", "Paketet behöver byggas om"),
    Status.RESTAMP: ("↑", "Lokala tillägg behöver uppdateras"),
}
#: How serious each status is, which sets its colour: an error needs someone to review the
#: content (and stops the next build); a warning needs only a routine step. "review" and
#: "rebuild" are an error and a warning with colours of their own.
SEVERITY = {
    Status.CURRENT: "ok",
    Status.SUSPECT: "review",
    Status.OUTDATED: "error",
    Status.MISSING: "none",
    Status.STALE: "rebuild",
    Status.RESTAMP: "warning",
}

#: A district's local part: symbol, words and colour.
LOCAL_PART = {
    LocalState.MISSING: ("○", "Ingen lokal del", "none"),
    LocalState.UNCONFIRMED: ("!", "Inte bekräftad", "warning"),
    LocalState.CONFIRMED: ("✓", "Bekräftad", "ok"),
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

#: The heading of the list of local examples proposed for the central course.
PROPOSALS = "Förslag till den centrala kursen"

#: Where the report lists scanned files outside every district's folder.
UNPLACED = "Utan område (filer utanför områdenas mappar)"

#: How a group's training shows: symbol, words, severity (its colour).
TRAINING = {
    Training.CURRENT: ("✓", "utbildade på gällande utgåva", "ok"),
    Training.OUTDATED: ("↑", "utbildade på äldre utgåva", "warning"),
    Training.NEVER: ("○", "aldrig utbildade", "none"),
}


def summary_line(report: Report) -> str:
    """The first line a steering group reads: "Paketen är aktuella i 9 av 11 områden; 2 behöver byggas om; …"."""
    areas = [row for row in report.rows if row.id != CENTRAL]
    current = sum(1 for row in areas if all(cell.status == Status.CURRENT for cell in row.cells.values()))
    parts = [f"Paketen är aktuella i {current} av {len(areas)} områden"]
    for status, needs in NEEDS.items():
        count = sum(1 for row in areas if any(cell.status == status for cell in row.cells.values()))
        if count:
            parts.append(f"{count} {needs}")
    if not _central_current(report):
        parts.append("den centrala versionen är inte aktuell")
    missing = sum(1 for row in areas if row.local is not None and row.local.state is LocalState.MISSING)
    waiting = sum(1 for row in areas if row.local is not None and row.local.state is LocalState.UNCONFIRMED)
    if missing or waiting:
        why = ", ".join(
            part
            for part in (f"{missing} har ingen" if missing else "", f"{waiting} är inte bekräftade" if waiting else "")
            if part
        )
        parts.append(f"{missing + waiting} av {len(areas)} saknar en bekräftad lokal del ({why})")
    if report.has_records:
        parts += _training_parts(report, [row.id for row in areas])
    return "; ".join(parts) + "."


def local_words(row: DistrictRow) -> str:
    """The district's local part in words: "Ingen lokal del", "Inte bekräftad: 4 punkter", "Bekräftad 2026-11-30"."""
    if row.local is None:
        return ""
    words = LOCAL_PART[row.local.state][1]
    if row.local.state is LocalState.UNCONFIRMED:
        return f"{words}: {row.local.pending} {'punkt' if row.local.pending == 1 else 'punkter'}"
    if row.local.state is LocalState.CONFIRMED and row.local.confirmed_on:
        return f"{words} {row.local.confirmed_on.isoformat()}"
    return words


def packs_words(row: DistrictRow) -> tuple[Status, str]:
    """The district's packs in one phrase, by their worst status: ("stale", "Paketet behöver byggas om: 3 av 9")."""
    order = [Status.OUTDATED, Status.SUSPECT, Status.MISSING, Status.STALE, Status.RESTAMP, Status.CURRENT]
    statuses = [cell.status for cell in row.cells.values()]
    worst = min(statuses, key=order.index) if statuses else Status.CURRENT
    label = LABELS[worst][1]
    count = statuses.count(worst)
    if worst is Status.CURRENT:
        return worst, label
    if count == len(statuses):
        return worst, f"{label}: alla {count} yrkesgrupper"
    return worst, f"{label}: {count} av {len(statuses)} yrkesgrupper"


def training_words(report: Report, row: DistrictRow) -> tuple[Training, str]:
    """The district's groups' training in one phrase, with the state that needs most."""
    states = [report.training(row.id, audience) for audience, _ in report.audiences]
    total = len(states)
    current = states.count(Training.CURRENT)
    older = states.count(Training.OUTDATED)
    never = states.count(Training.NEVER)
    if never == total:
        return Training.NEVER, "Ingen yrkesgrupp utbildad ännu"
    words = f"{current} av {total} på gällande utgåva"
    if older:
        words += f", {older} på äldre"
    if never:
        words += f", {never} aldrig"
    worst = Training.OUTDATED if older else Training.NEVER if never else Training.CURRENT
    return worst, words


def grouped_steps(report: Report) -> list[tuple[str, list[str]]]:
    """Every next step once, with the districts it is for, in the order the steps are done."""
    steps: dict[str, list[str]] = {}
    for row in report.rows:
        for step in next_steps(report, row):
            steps.setdefault(step, []).append(row.name)
    return list(steps.items())


def next_steps(report: Report, row: DistrictRow) -> list[str]:
    """What the district needs next, each step naming who acts, in the order it is done."""
    steps = []
    statuses = {cell.status for cell in row.cells.values()}
    if Status.OUTDATED in statuses:
        steps.append("Kursredaktionen och områdets utbildare: gå igenom de lokala tilläggen mot gällande utgåva.")
    elif Status.RESTAMP in statuses:
        steps.append("Kursredaktionen: uppdatera de lokala tilläggen till gällande utgåva.")
    if Status.SUSPECT in statuses:
        steps.append("Kursredaktionen: granska hänvisningarna till avsnitt som har ändrats i riktlinjen.")
    if Status.MISSING in statuses:
        steps.append("Kursredaktionen: bygg paketen.")
    elif Status.STALE in statuses:
        steps.append("Kursredaktionen: bygg om paketen, så att de har de senaste ändringarna.")
    local = row.local
    if local is not None and local.state is LocalState.MISSING:
        steps.append(
            "Områdets utbildare: skicka områdets kontaktvägar och rutiner för SIP till kursredaktionen, "
            "så att de kommer med i en lokal del."
        )
    elif local is not None and local.state is LocalState.UNCONFIRMED:
        count = f"{local.pending} {'kontakt eller rutin' if local.pending == 1 else 'kontakter och rutiner'}"
        steps.append(
            f"Områdets samordnare: bekräfta {count} för kursredaktionen. De står i utbildarhandledningen under "
            f"”Att bekräfta före kursen” (fil: {', '.join(local.files)})."
        )
    if report.has_records and row.id != CENTRAL:
        state, _ = training_words(report, row)
        if state is not Training.CURRENT:
            steps.append("Områdets utbildare: planera utbildning för de yrkesgrupper som inte har gått den gällande.")
    return steps


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
