"""``vastbus survey make``: the survey handed out on paper, in Microsoft Forms and as an answer sheet.

Writes into one folder (default ``paket/enkät/``), each file replaced atomically and nothing
else touched:

- ``enkät.docx``: the printable A4 form (tick boxes, district and profession as tick lists,
  before or after, no name), stamped like a pack (``vastbus.edition``, ``vastbus.course_version``,
  and ``vastbus.survey``) so that ``scan`` knows it quotes misconceptions on purpose;
- ``forms-import.docx``: numbered questions with their options on their own lines, the shape
  Microsoft Forms' quick import reads (``docs/enkat.md`` has the steps);
- ``svarsblad.csv`` and ``svarsblad.xlsx`` (:mod:`vastbus_cli.survey.answersheet`): a sheet to type
  paper answers into, one row per respondent.

If ``curriculum/survey.yaml`` is missing, it is made from the course first; it is never replaced.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from vastbus_cli import __version__
from vastbus_cli.editions import Editions, select_edition
from vastbus_cli.errors import UsageError
from vastbus_cli.findings import Finding
from vastbus_cli.fsio import atomic_write_bytes
from vastbus_cli.i18n import _
from vastbus_cli.models import Survey, SurveyItem
from vastbus_cli.models.common import earliest_day
from vastbus_cli.models.survey import DONT_KNOW, PHASES, PROFILE_QUESTIONS, STATEMENT_ANSWERS
from vastbus_cli.survey.answersheet import answer_sheet_csv, answer_sheet_xlsx
from vastbus_cli.survey.wordml import TAB, TEXT_WIDTH, Cell, Run, box, document_entries, paragraph, table
from vastbus_cli.workspace import Workspace, editions_of

#: The files ``survey make`` writes, by what they are (the names are a contract: docs, tests, scan).
FORM = "enkät.docx"
FORMS_IMPORT = "forms-import.docx"
SHEET_CSV = "svarsblad.csv"
SHEET_XLSX = "svarsblad.xlsx"
FILES = (FORM, FORMS_IMPORT, SHEET_CSV, SHEET_XLSX)
#: Where the files go unless ``--out`` says otherwise, inside the packs' folder.
DEFAULT_FOLDER = "enkät"
#: The survey file, and the id a new survey gets (with the year).
SURVEY_FILE = "curriculum/survey.yaml"
SURVEY_ID = "kunskap-{year}"
#: How the form names the phases it asks to tick.
PHASE_LABELS = {"före": "Före utbildningen", "efter": "Efter utbildningen"}
PHASE_QUESTION = "Fyller du i enkäten före eller efter utbildningen?"
#: The answer columns of the paper form, in order.
STATEMENT_COLUMNS = [*STATEMENT_ANSWERS]


@dataclass
class SurveyMade:
    """What ``survey make`` did: the survey it used (and whether it made it), and the files it wrote."""

    survey: Survey
    survey_file: Path
    created: bool
    folder: Path
    written: list[Path] = field(default_factory=list)
    #: What ``check`` says of the survey the files were made from (filled in by ``api.survey_make``).
    findings: list[Finding] = field(default_factory=list)


def make_forms(
    workspace: Workspace, out: Path | None = None, *, as_of: dt.date | None = None, edition: str | None = None
) -> SurveyMade:
    """Make the survey if the workspace has none, then write its four files into ``out``.

    Raises:
        UsageError: the course, districts or survey file does not load; ``out`` is a file.
        InputOutputError: a file cannot be written.
    """
    folder = out if out is not None else workspace.packs / DEFAULT_FOLDER
    if folder.exists() and not folder.is_dir():
        raise UsageError(
            _("--out {folder} is a file, not a folder; give a folder for the survey's files").format(folder=folder)
        )
    course = _loaded(workspace.course, "curriculum/course.yaml")
    districts = _loaded(workspace.districts, "curriculum/districts.yaml")
    editions = editions_of(workspace)
    survey_file = workspace.root / SURVEY_FILE
    created = False
    if workspace.survey is not None or survey_file.exists() or survey_file.is_symlink():
        survey = workspace.survey.model if workspace.survey is not None else None
        if survey is None:
            raise UsageError(_("{file} has errors; run 'vastbus check' and fix them").format(file=SURVEY_FILE))
    else:
        survey = _new_survey(workspace, editions, as_of, edition)
        from vastbus_cli.survey.define import survey_yaml

        atomic_write_bytes(survey_file, survey_yaml(survey).encode("utf-8"))
        created = True
    built_on = editions.get(survey.built_on)
    day = earliest_day(built_on.valid_from) if built_on is not None else dt.date(2000, 1, 1)
    district_names = [d.name for d in districts.districts]
    audience_names = [a.name for a in course.audiences]
    files = {
        FORM: paper_form(survey, district_names, audience_names, course_id=course.id, day=day),
        FORMS_IMPORT: forms_import(survey, district_names, audience_names, course_id=course.id, day=day),
        SHEET_CSV: answer_sheet_csv(survey),
        SHEET_XLSX: answer_sheet_xlsx(survey, district_names, audience_names, day=day),
    }
    for name in files:
        if (folder / name).is_dir():
            raise UsageError(_("cannot write {file}: it is a folder").format(file=folder / name))
    made = SurveyMade(survey, survey_file, created, folder)
    for name, data in files.items():
        atomic_write_bytes(folder / name, data)
        made.written.append(folder / name)
    return made


def _loaded(doc, rel: str):  # type: ignore[no-untyped-def]
    """The model of a loaded document, or a usage error naming the file."""
    if doc is None or doc.model is None:
        raise UsageError(_("{file} is missing or has errors; run 'vastbus check' and fix it").format(file=rel))
    return doc.model


def _new_survey(workspace: Workspace, editions: Editions, as_of: dt.date | None, edition: str | None) -> Survey:
    """A survey made from the edition in force and the course, with the id ``kunskap-<year>``."""
    from vastbus_cli.survey.define import make_survey

    course = _loaded(workspace.course, "curriculum/course.yaml")
    current = select_edition(editions, edition, as_of or dt.date.today())
    modules = {doc.model.id: doc.model for doc in workspace.modules if doc.model is not None}
    ordered = [modules[m] for m in course.modules if m in modules]
    year = (as_of or dt.date.today()).year
    return make_survey(current, editions.lineage(current.id), ordered, course, SURVEY_ID.format(year=year))


# --- the paper form --------------------------------------------------------------------------

_NUMBER_WIDTH = 560
_ANSWER_WIDTH = 1050
_SMALL = 20  # 10 pt, the answer columns' headings: no smaller than the body
_TITLE = 30


def paper_form(survey: Survey, districts: list[str], audiences: list[str], *, course_id: str, day: dt.date) -> bytes:
    """``enkät.docx``: the form on one A4 page (two at most), stamped."""
    body = [
        paragraph([Run(survey.title, bold=True, size=_TITLE)], after=80),
        paragraph(f"Du svarar anonymt: skriv inte ditt namn. Det tar ungefär {survey.minutes} minuter.", after=0),
        paragraph(
            "Samma enkät besvaras före och efter utbildningen. Kryssa ett svar per rad; "
            "”Vet inte” är ett bra svar när du inte vet.",
            after=120,
        ),
        _profile_table(districts, audiences),
    ]
    groups = _groups(survey.items)
    number = 1
    for statements, questions in groups:
        if statements:
            body.append(paragraph("", after=0))
            body.append(_statement_table(statements, number))
            number += len(statements)
        for question in questions:
            body.append(paragraph("", after=0))
            body.append(_question_table(question, number))
            number += 1
    body.append(paragraph([Run("Tack för dina svar!", italic=True)], before=120, after=0))
    entries = document_entries(body, title=survey.title, subject=f"Kunskapsenkät {survey.id}", day=day)
    return _stamped(entries, survey, course_id, day)


def _groups(items: list[SurveyItem]) -> list[tuple[list[SurveyItem], list[SurveyItem]]]:
    """The items as runs of statements, each followed by the questions after it, in the survey's order."""
    groups: list[tuple[list[SurveyItem], list[SurveyItem]]] = []
    for item in items:
        if item.claim is not None:
            if not groups or groups[-1][1]:
                groups.append(([], []))
            groups[-1][0].append(item)
        else:
            if not groups:
                groups.append(([], []))
            groups[-1][1].append(item)
    return groups


def _tick_list(labels: list[str], columns: int, width: int) -> list[str]:
    """Tick boxes in columns, one paragraph per line, lined up with tab stops."""
    step = width // columns
    lines = []
    for start in range(0, len(labels), columns):
        runs: list[Run] = []
        for index, label in enumerate(labels[start : start + columns]):
            if index:
                runs.append(TAB)
            runs += box(label)
        lines.append(paragraph(runs, after=20, tabs=[step * n for n in range(1, columns)]))
    return lines


def _profile_table(districts: list[str], audiences: list[str]) -> str:
    """District, profession and before/after as tick lists, in one shaded box."""
    width = TEXT_WIDTH - 160
    cells = [
        paragraph([Run(PROFILE_QUESTIONS["district"], bold=True)], after=40, keep_next=True),
        *_tick_list(districts, 3, width),
        paragraph([Run(PROFILE_QUESTIONS["audience"], bold=True)], before=80, after=40, keep_next=True),
        *_tick_list(audiences, 3, width),
        paragraph([Run(PHASE_QUESTION, bold=True)], before=80, after=40, keep_next=True),
        *_tick_list([PHASE_LABELS[p] for p in PHASES], 3, width),
    ]
    return table([[Cell(tuple(cells), shade="F2F2F2")]], [TEXT_WIDTH])


def _statement_table(statements: list[SurveyItem], first: int) -> str:
    """Numbered statements with a tick box under Stämmer, Stämmer inte and Vet inte."""
    text_width = TEXT_WIDTH - _NUMBER_WIDTH - 3 * _ANSWER_WIDTH
    widths = [_NUMBER_WIDTH, text_width, *([_ANSWER_WIDTH] * 3)]
    header = [
        Cell((paragraph(""),), shade="F2F2F2"),
        Cell((paragraph([Run("Stämmer det här?", bold=True)]),), shade="F2F2F2", align="bottom"),
        *(
            Cell(
                (paragraph([Run(STATEMENT_ANSWERS[key], bold=True, size=_SMALL)], align="center"),),
                shade="F2F2F2",
                align="bottom",
            )
            for key in STATEMENT_COLUMNS
        ),
    ]
    rows = [header]
    for offset, item in enumerate(statements):
        rows.append(
            [
                Cell((paragraph(f"{first + offset}.", align="right"),)),
                Cell((paragraph(item.text),)),
                *(
                    Cell((paragraph([Run("\u2610", size=24, font="Segoe UI Symbol")], align="center"),), align="center")
                    for _ in STATEMENT_COLUMNS
                ),
            ]
        )
    return table(rows, widths, header=True)


def _question_table(question: SurveyItem, number: int) -> str:
    """A numbered question with its options and "Vet inte" as tick boxes, one per line."""
    options = [*question.options, STATEMENT_ANSWERS[DONT_KNOW]]
    lines = [paragraph([Run(question.text, bold=True)], after=40, keep_next=True)]
    # A long option wraps under its text, not under its box.
    lines += [paragraph(box(option), after=20, indent=200, hanging=280) for option in options]
    return table(
        [[Cell((paragraph(f"{number}.", align="right"),)), Cell(tuple(lines))]],
        [_NUMBER_WIDTH, TEXT_WIDTH - _NUMBER_WIDTH],
    )


# --- the Forms import document ---------------------------------------------------------------


def forms_questions(survey: Survey, districts: list[str], audiences: list[str]) -> list[tuple[str, list[str]]]:
    """Every question of the Forms version in order, with its options: the profile questions first."""
    questions = [(PROFILE_QUESTIONS["district"], districts), (PROFILE_QUESTIONS["audience"], audiences)]
    for item in survey.items:
        labels = [item.label(answer) for answer in item.answers() if answer != DONT_KNOW]
        questions.append((item.text, [*labels, STATEMENT_ANSWERS[DONT_KNOW]]))
    return questions


def forms_import(survey: Survey, districts: list[str], audiences: list[str], *, course_id: str, day: dt.date) -> bytes:
    """``forms-import.docx``: the title, then numbered questions, each option on a line of its own."""
    body = [paragraph([Run(survey.title, bold=True, size=_TITLE)], after=200)]
    for number, (question, options) in enumerate(forms_questions(survey, districts, audiences), start=1):
        body.append(paragraph(f"{number}. {question}", before=160, after=60, keep_next=True))
        body += [paragraph(option, after=20) for option in options]
    entries = document_entries(body, title=survey.title, subject=f"Microsoft Forms {survey.id}", day=day)
    return _stamped(entries, survey, course_id, day)


# --- the stamp -------------------------------------------------------------------------------


def _stamped(entries: dict[str, bytes], survey: Survey, course_id: str, day: dt.date) -> bytes:
    """The package with the survey's stamp, its content hash and a record of its blocks, as packs have.

    The text is read back as ``scan`` reads it, so the hash and the record match exactly; a block
    holding a statement records the claim it quotes on purpose.
    """
    from vastbus_cli.officetext import Parts, docx_text
    from vastbus_cli.render.package import blocks_xml, write_package
    from vastbus_cli.texthash import fingerprints

    with zipfile.ZipFile(io.BytesIO(write_package(entries, {}, day))) as archive:
        pieces = [(piece.location, piece.text) for piece in docx_text(Parts(archive))]
    content, shas = fingerprints(pieces)
    quoted = {
        location: tuple(sorted({i.claim for i in survey.items if i.claim and i.text in text}))
        for location, text in pieces
    }
    properties = {
        "vastbus.edition": survey.built_on,
        "vastbus.course": course_id,
        "vastbus.course_version": survey.course_version,
        "vastbus.survey": survey.id,
        "vastbus.content_sha256": content,
        "vastbus.tool_version": __version__,
    }
    blocks = blocks_xml(
        [location for location, _ in pieces], shas, {k: v for k, v in quoted.items() if v}, [t for _, t in pieces]
    )
    return write_package(entries, properties, day, blocks)


__all__ = ["FILES", "FORM", "FORMS_IMPORT", "SHEET_CSV", "SHEET_XLSX", "SurveyMade", "forms_questions", "make_forms"]
