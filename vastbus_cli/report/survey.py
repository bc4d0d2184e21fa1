"""The knowledge survey in the report: a compact text section, and an HTML section with charts and tables.

The report's page, the site's status page and ``vastbus survey report --html`` show the same
HTML section. What is computed is in ``survey.analysis``; the charts are ``survey.charts``.
"""

from __future__ import annotations

import textwrap
from html import escape

from vastbus_cli.survey.analysis import (
    Cell,
    Persistent,
    Share,
    Spread,
    SurveyAnalysis,
    interval_words,
    percent,
    spread_points,
)
from vastbus_cli.survey.charts import district_chart, item_chart

TITLE = "Kunskapsenkäten"

#: The method in a few sentences, said wherever the numbers are.
METHOD = (
    "Andel rätt = rätta svar delat med antalet som svarade på frågan; ”Vet inte” räknas som "
    "inte rätt, och den som hoppade över frågan räknas inte. Inom parentes: 95 % konfidensintervall "
    "(Wilson), som visar hur osäker andelen är när grupperna är små. Grupper där färre än {threshold} "
    "har svarat visas inte (n < {threshold}, visas inte) och räknas bara i totalen; en grupp visas inte "
    "heller när den tillsammans med områdets total skulle avslöja en sådan grupp."
)

#: Why a group is not shown, in words.
HIDDEN = {
    "small": "n < {threshold}, visas inte",
    "reveals": "visas inte (skulle avslöja en grupp med n < {threshold})",
}


def share_words(share: Share) -> str:
    """The share, its interval and n: "37 % (19–59 %), n = 19"."""
    return f"{percent(share.share)} ({interval_words(share)}), n = {share.n}"


#: What a spread cell says when fewer than two districts can be compared.
NO_SPREAD = "Färre än två områden att jämföra"


def spread_words(analysis: SurveyAnalysis, spread: Spread | None) -> tuple[str, str, str] | None:
    """A spread in words, (difference, highest, lowest), as every view shows it; None without two districts."""
    if spread is None or spread.highest is None or spread.lowest is None:
        return None
    (high_id, high), (low_id, low) = spread.highest, spread.lowest
    return (
        spread_points(spread),
        f"{analysis.district_name(high_id)}, {share_words(high)}",
        f"{analysis.district_name(low_id)}, {share_words(low)}",
    )


def cell_words(analysis: SurveyAnalysis, cell: Cell | None) -> str:
    """A group's share with its interval and n, why it is hidden, or a dash without answers."""
    if cell is None:
        return "–"
    shown = cell.shown
    if shown is None:
        return HIDDEN[cell.hidden or "small"].format(threshold=analysis.threshold)
    return share_words(shown)


def respondents_words(analysis: SurveyAnalysis) -> str:
    """How many answered in each phase and when, and how many of them in groups too small to show."""
    phases = []
    for phase in analysis.phases:
        first, last = analysis.days[phase]
        days = first.isoformat() if first == last else f"{first.isoformat()}–{last.isoformat()}"
        phases.append(f"{phase} {analysis.respondents[phase]} ({days})")
    words = f"Svarande: {', '.join(phases)}."
    small = sum(analysis.small_groups.values())
    if small:
        words += (
            f" {small} av dem svarade i grupper (område och yrkesgrupp) med färre än {analysis.threshold}; "
            "de räknas i totalen men visas inte per yrkesgrupp."
        )
    return words


def teaching_sentence(found: Persistent) -> str:
    """Where the claim is taught ("Lärs ut i modul …"), or that no module teaches it, as a sentence."""
    if not found.teaching:
        return (
            f"Ingen modul tar upp påståendet {found.claim}: lägg till det i en moduls misconceptions "
            "eller i discusses på en bild."
        )
    return f"Lärs ut i {teaching_words(found)}."


def teaching_words(found: Persistent) -> str:
    """The modules, slides and quiz questions that teach the claim ("modul ett-fall (Ett fall): bild …")."""
    if not found.teaching:
        return "–"
    parts = []
    for teaching in found.teaching:
        where = [f"bild {slide_id} ”{title}”" for slide_id, title in teaching.slides]
        where += [f"quizfråga {quiz_id}" for quiz_id, _ in teaching.quiz]
        if not where and teaching.listed:
            where.append("bland modulens missuppfattningar")
        parts.append(f"modul {teaching.module} ({teaching.module_title}): {', '.join(where)}")
    return "; ".join(parts)


# --- text ------------------------------------------------------------------------------------


def survey_lines(analysis: SurveyAnalysis | None, *, full: bool = False) -> list[str]:
    """The survey as text within 80 columns: items, districts before and after, spread, what persists.

    Per item its districts before and after and the spread, then the misconception that persists
    most in each district.

    Compact for the report (each item on one line, cut short); ``full`` (``vastbus survey report``)
    gives each item's whole text and right answer, and each district's professions under it.
    """
    if analysis is None:
        return []
    lines = ["", f"{TITLE} ({analysis.survey}):"]
    lines += textwrap.wrap(respondents_words(analysis), 80)
    lines += textwrap.wrap(METHOD.format(threshold=analysis.threshold), 80)
    names = [name for _, name in analysis.districts] + ["Skillnad (högst–lägst)"]
    if full:
        names += [f"  {name}" for _, name in analysis.audiences]
    width = max(len(name) for name in names) + 2
    header = ("   " + "".ljust(width) + "".join(f"{phase:<26}" for phase in analysis.phases)).rstrip()
    if not full:
        lines += ["", header]
    for item in analysis.items:
        title = f"{item.number}. {item.text}"
        if full:
            lines += ["", *textwrap.wrap(f"{title} (rätt: {item.right})", 80, subsequent_indent="   "), header]
        else:
            lines.append(title if len(title) <= 80 else title[:79].rstrip() + "…")
        for district, name in analysis.districts:
            cells = [analysis.district_cells.get((item.id, district, phase)) for phase in analysis.phases]
            lines.append(_row(analysis, "   " + name.ljust(width), cells))
            for audience, audience_name in analysis.audiences if full else ():
                cells = [analysis.cells.get((item.id, district, audience, phase)) for phase in analysis.phases]
                if any(cell is not None for cell in cells):
                    lines.append(_row(analysis, "   " + f"  {audience_name}".ljust(width), cells))
        spreads = [analysis.spread_of(item.id, phase) for phase in analysis.phases]
        differences = [spread_points(s) for s in spreads]
        lines.append(
            ("   " + "Skillnad (högst–lägst)".ljust(width) + "".join(f"{d:<26}" for d in differences)).rstrip()
        )
    if any(cell.hidden == "reveals" for cell in analysis.cells.values()):
        lines += textwrap.wrap(
            f"* visas inte: skulle tillsammans med områdets total avslöja en grupp med n < {analysis.threshold}.", 80
        )
    if analysis.persistent:
        lines += ["", "Missuppfattningen som finns kvar mest i varje område:"]
        for found in analysis.persistent:
            item = analysis.item(found.item)
            lines += textwrap.wrap(
                f"{analysis.district_name(found.district)} ({found.phase}): ”{item.text}” "
                f"{percent(found.share.share)} rätt ({interval_words(found.share)}, n = {found.share.n}). "
                f"{teaching_sentence(found)}",
                80,
                initial_indent="- ",
                subsequent_indent="  ",
                break_on_hyphens=False,
            )
    return lines


def _row(analysis: SurveyAnalysis, label: str, cells: list[Cell | None]) -> str:
    return (label + "".join(f"{_short(analysis, cell):<26}" for cell in cells)).rstrip()


def _short(analysis: SurveyAnalysis, cell: Cell | None) -> str:
    """A share in 25 columns at most: "37 % (19–59) n=19", or why it is not shown."""
    if cell is None:
        return "–"
    shown = cell.shown
    if shown is None:
        return f"n < {analysis.threshold}, visas inte" if cell.hidden == "small" else "visas inte*"
    return f"{percent(shown.share)} ({round(shown.low * 100)}–{round(shown.high * 100)}) n={shown.n}"


# --- HTML ------------------------------------------------------------------------------------

#: Styles of the survey section, added to the report's (and so to the site's).
SURVEY_CSS = """
.survey .pair { display: grid; grid-template-columns: minmax(0, 660px) minmax(0, 1fr); gap: 16px; align-items: start; }
.survey svg.chart { max-width: 100%; height: auto; display: block; }
.survey figure { margin: 0; }
.survey figcaption { color: var(--grey, #4A5563); font-size: 13px; margin-top: 4px; }
.survey table { font-size: 13px; }
.survey tbody th { white-space: normal; font-weight: normal; }
.survey table.spread tbody th { width: 40%; }
.survey td.hidden { color: #4A5563; background: #ECEFF3; font-style: italic; }
.survey p.method { max-width: 60em; }
.survey .nw { white-space: nowrap; }
.survey caption { text-align: left; font-weight: bold; padding: 8px 0 4px; }
.survey .stack { max-width: 1000px; }
@media (max-width: 1000px) { .survey .pair { grid-template-columns: minmax(0, 1fr); } }
@media (max-width: 700px) { .survey figure { overflow-x: auto; } .survey svg.chart { max-width: none; } }
@media print { .survey .pair { grid-template-columns: minmax(0, 1fr); } .survey figure { break-inside: avoid; } }
"""


def _td(analysis: SurveyAnalysis, cell: Cell | None) -> str:
    words = cell_words(analysis, cell)
    hidden = cell is not None and cell.shown is None
    if hidden:
        return f'<td class="hidden">{escape(words)}</td>'
    # The share with its interval, and n, each kept on one line.
    return "<td>" + ", ".join(f'<span class="nw">{escape(part)}</span>' for part in words.split(", ")) + "</td>"


def survey_section(analysis: SurveyAnalysis | None, *, level: int = 2) -> str:
    """The survey under a heading of ``level``: method, spread, persisting misconceptions, items, districts."""
    if analysis is None:
        return ""
    sub, subsub = level + 1, level + 2
    head_phases = "".join(f'<th scope="col">{escape(phase.capitalize())}</th>' for phase in analysis.phases)
    parts = [
        '<section class="survey" aria-labelledby="kunskapsenkaten">',
        f'<h{level} id="kunskapsenkaten">{TITLE}</h{level}>',
        f'<p class="meta">{escape(analysis.title)} ({escape(analysis.survey)}). '
        f"{escape(respondents_words(analysis))}</p>",
        f'<p class="method">{escape(METHOD.format(threshold=analysis.threshold))}</p>',
        f"<h{sub}>Likvärdighet mellan områdena</h{sub}>",
        "<p>Per fråga: området med högst och lägst andel rätt (bland områden där minst "
        f"{analysis.threshold} har svarat), och skillnaden mellan dem.</p>",
        _spread_table(analysis),
        f"<h{sub}>Missuppfattningen som finns kvar mest i varje område</h{sub}>",
        _persistent_table(analysis),
        f"<h{sub}>Andel rätt per fråga och område</h{sub}>",
    ]
    for item in analysis.items:
        chart_id = f"enkat-fraga-{item.number}"
        rows = "".join(
            f'<tr><th scope="row">{escape(name)}</th>'
            + "".join(_td(analysis, analysis.district_cells.get((item.id, d, p))) for p in analysis.phases)
            + "</tr>"
            for d, name in analysis.districts
        )
        spreads = [analysis.spread_of(item.id, phase) for phase in analysis.phases]
        rows += (
            '<tr><th scope="row">Skillnad högst–lägst</th>'
            + "".join(f"<td>{escape(spread_points(s))}</td>" for s in spreads)
            + "</tr>"
        )
        parts.append(
            f'<h{subsub} id="{chart_id}">Fråga {item.number}: {escape(item.text)}</h{subsub}>'
            f'<p class="muted">Rätt svar: {escape(item.right)}.</p>'
            f'<div class="pair"><figure>{item_chart(analysis, item.id, chart_id + "-diagram")}'
            "<figcaption>Stapel: andel rätt; streck: 95 % konfidensintervall. Samma siffror i tabellen.</figcaption>"
            "</figure><div>"
            f'<div class="scroll"><table><caption class="visually-hidden">Fråga {item.number}: andel rätt per område, '
            f'före och efter</caption><thead><tr><th scope="col">Område</th>{head_phases}</tr></thead>'
            f"<tbody>{rows}</tbody></table></div>"
            f"{_audience_table(analysis, item.id)}</div></div>"
        )
    parts.append(f"<h{sub}>Före och efter i varje område</h{sub}>")
    for district, name in analysis.districts:
        chart_id = f"enkat-omrade-{analysis.districts.index((district, name)) + 1}"
        rows = "".join(
            f'<tr><th scope="row">{item.number}. {escape(item.text)}</th>'
            + "".join(_td(analysis, analysis.district_cells.get((item.id, district, p))) for p in analysis.phases)
            + "</tr>"
            for item in analysis.items
        )
        parts.append(
            f"<h{subsub}>{escape(name)}</h{subsub}>"
            f'<div class="stack"><figure>{district_chart(analysis, district, chart_id)}'
            "<figcaption>Ring: före; fyrkant: efter; linjen visar förändringen. Samma siffror i tabellen."
            "</figcaption></figure>"
            f'<div class="scroll"><table><caption class="visually-hidden">{escape(name)}: andel rätt per fråga, '
            f'före och efter</caption><thead><tr><th scope="col">Fråga</th>{head_phases}</tr></thead>'
            f"<tbody>{rows}</tbody></table></div></div>"
        )
    parts.append("</section>")
    return "".join(parts)


def _audience_table(analysis: SurveyAnalysis, item_id: str) -> str:
    """Per district and profession, before and after: the groups the district's share is made of."""
    head = "".join(f'<th scope="col">{escape(phase.capitalize())}</th>' for phase in analysis.phases)
    rows = []
    for district, name in analysis.districts:
        for audience, audience_name in analysis.audiences:
            cells = [analysis.cells.get((item_id, district, audience, phase)) for phase in analysis.phases]
            if all(cell is None for cell in cells):
                continue
            rows.append(
                f'<tr><th scope="row">{escape(name)}, {escape(audience_name)}</th>'
                + "".join(_td(analysis, cell) for cell in cells)
                + "</tr>"
            )
    return (
        '<div class="scroll"><table class="audiences"><caption>Per område och yrkesgrupp</caption>'
        f'<thead><tr><th scope="col">Område och yrkesgrupp</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody>'
        "</table></div>"
    )


def _spread_table(analysis: SurveyAnalysis) -> str:
    """Per item a row; per phase a cell naming the highest and lowest district, their shares and the difference."""
    head = "".join(f'<th scope="col">{escape(phase.capitalize())}</th>' for phase in analysis.phases)
    rows = []
    for item in analysis.items:
        cells = []
        for phase in analysis.phases:
            words = spread_words(analysis, analysis.spread_of(item.id, phase))
            if words is None:
                cells.append(f'<td class="hidden">{NO_SPREAD}</td>')
                continue
            points, highest, lowest = (escape(part) for part in words)
            cells.append(f"<td><strong>Skillnad {points}</strong><br>Högst: {highest}<br>Lägst: {lowest}</td>")
        row_head = f'<th scope="row">{item.number}. {escape(item.text)}</th>'
        rows.append(f"<tr>{row_head}{''.join(cells)}</tr>")
    return (
        '<div class="scroll"><table class="spread"><caption class="visually-hidden">'
        "Likvärdighet: högsta och lägsta andel rätt per fråga</caption>"
        f'<thead><tr><th scope="col">Fråga</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _persistent_table(analysis: SurveyAnalysis) -> str:
    if not analysis.persistent:
        return f"<p>Inget område har ännu en grupp med minst {analysis.threshold} svar på påståendena.</p>"
    rows = []
    for found in analysis.persistent:
        item = analysis.item(found.item)
        rows.append(
            f'<tr><th scope="row">{escape(analysis.district_name(found.district))}</th>'
            f'<td>{item.number}. {escape(item.text)} <span class="muted">(påstående {escape(found.claim)})</span></td>'
            f"<td>{escape(found.phase)}: {escape(share_words(found.share))}</td>"
            f"<td>{escape(teaching_words(found) if found.teaching else teaching_sentence(found))}</td></tr>"
        )
    return (
        '<div class="scroll"><table><thead><tr><th scope="col">Område</th>'
        '<th scope="col">Påstående med lägst andel rätt</th>'
        '<th scope="col">Andel rätt</th><th scope="col">Lärs ut i</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def survey_page(analysis: SurveyAnalysis, css: str) -> str:
    """``vastbus survey report --html``: the section as a page of its own (no scripts, no external files)."""
    return (
        '<!DOCTYPE html>\n<html lang="sv"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{TITLE} – {escape(analysis.survey)}</title><style>{css}</style></head><body>"
        f"<h1>{TITLE}: vad kan personalen före och efter utbildningen?</h1>{survey_section(analysis)}</body></html>\n"
    )
