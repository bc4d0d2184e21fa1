"""The survey's summary for the steering group, as a Word document, in Swedish.

Written with the packs' own Word writer (``render.docx_writer`` on the workspace's handout template,
``render.package`` for the zip), so it needs no python-docx and looks like the rest of the material:
a short method note, the spread between districts, the misconception that persists most in each
district, and one table per item with each district before and after.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from vastbus_cli.packs import PARTS
from vastbus_cli.render.packplan import Block, DocumentPlan, Stamp
from vastbus_cli.report.survey import (
    METHOD,
    NO_SPREAD,
    cell_words,
    respondents_words,
    share_words,
    spread_words,
    teaching_words,
)
from vastbus_cli.survey.analysis import SurveyAnalysis, spread_points

TITLE = "Kunskapsenkäten: sammanfattning för styrgruppen"


def summary_plan(analysis: SurveyAnalysis) -> DocumentPlan:
    """The summary's blocks: method, spread, persisting misconceptions, then a table per item."""
    blocks: list[Block] = [
        Block("title", TITLE),
        Block("subtitle", f"{analysis.title} ({analysis.survey})"),
        Block("paragraph", respondents_words(analysis)),
        Block("heading", "Så läser du siffrorna", level=1),
        Block("paragraph", METHOD.format(threshold=analysis.threshold)),
        Block("heading", "Likvärdighet mellan områdena", level=1),
        Block(
            "paragraph",
            f"Per fråga och tillfälle: skillnaden mellan området med högst och lägst andel rätt, bland "
            f"områden där minst {analysis.threshold} har svarat.",
        ),
        Block("table", rows=_spread_rows(analysis)),
        Block("heading", "Missuppfattningen som finns kvar mest i varje område", level=1),
    ]
    if analysis.persistent:
        rows: list[tuple[str, ...]] = [("Område", "Påstående", "Andel rätt", "Lärs ut i")]
        for found in analysis.persistent:
            item = analysis.item(found.item)
            rows.append(
                (
                    analysis.district_name(found.district),
                    f"{item.number}. {item.text}",
                    f"{found.phase}: {share_words(found.share)}",
                    teaching_words(found) if found.teaching else "Ingen modul tar upp påståendet.",
                )
            )
        blocks.append(Block("table", rows=tuple(rows)))
    else:
        blocks.append(Block("paragraph", "Inget område har ännu tillräckligt många svar på påståendena."))
    blocks.append(Block("heading", "Andel rätt per fråga och område", level=1))
    for item in analysis.items:
        table: list[tuple[str, ...]] = [("Område", *(phase.capitalize() for phase in analysis.phases))]
        for district, name in analysis.districts:
            table.append(
                (
                    name,
                    *(
                        cell_words(analysis, analysis.district_cells.get((item.id, district, p)))
                        for p in analysis.phases
                    ),
                )
            )
        differences = []
        for phase in analysis.phases:
            spread = analysis.spread_of(item.id, phase)
            differences.append(spread_points(spread))
        table.append(("Skillnad högst–lägst", *differences))
        blocks += [
            Block("heading", f"Fråga {item.number}: {item.text}", level=2),
            Block("paragraph", f"Rätt svar: {item.right}."),
            Block("table", rows=tuple(table)),
        ]
    return DocumentPlan(TITLE, tuple(blocks))


def _spread_rows(analysis: SurveyAnalysis) -> tuple[tuple[str, ...], ...]:
    rows: list[tuple[str, ...]] = [("Fråga", *(phase.capitalize() for phase in analysis.phases))]
    for item in analysis.items:
        cells = []
        for phase in analysis.phases:
            words = spread_words(analysis, analysis.spread_of(item.id, phase))
            if words is None:
                cells.append(NO_SPREAD)
                continue
            points, highest, lowest = words
            cells.append(f"{points}: högst {highest}; lägst {lowest}")
        rows.append((f"{item.number}. {item.text}", *cells))
    return tuple(rows)


def summary_docx(
    analysis: SurveyAnalysis,
    templates: Path,
    *,
    edition: tuple[str, str],
    course: tuple[str, str, str],
    day: dt.date,
) -> bytes:
    """The summary as a .docx file's bytes, on ``templates``' handout template.

    ``edition`` is (id, title) of the edition the survey was made from; ``course`` (id, title,
    version). Its footer names them, as every document the tool writes does.

    Raises:
        BrokenTemplate: the template is missing or cannot be read.
    """
    from vastbus_cli.render.docx_writer import document_package
    from vastbus_cli.render.package import write_package

    stamp = Stamp(
        edition=edition[0],
        edition_title=edition[1],
        course_id=course[0],
        course_title=course[1],
        course_version=course[2],
        district="alla",
        district_name="Alla områden",
        audience="styrgrupp",
        audience_name="Styrgruppen",
        date=day,
    )
    entries, _ = document_package(summary_plan(analysis), stamp, templates / PARTS["handout"].template)
    return write_package(entries, {"vastbus.survey": analysis.survey, "vastbus.edition": edition[0]}, day)
