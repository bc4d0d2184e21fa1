"""The answer sheet: one row per respondent, to type paper answers into (CSV and XLSX).

Columns: the two profile questions (their texts exactly as :data:`PROFILE_QUESTIONS`), "Datum",
then one column per item headed by the item's text, so that ``vastbus survey import`` places
each column as it places a Forms export's. The CSV is UTF-8 with a byte order mark and ``;``
between fields, which Excel with Swedish settings opens as columns. The XLSX offers the
answers as drop-down lists (from a sheet of their own, since options may hold commas).
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from vastbus_cli.models import Survey, SurveyItem
from vastbus_cli.models.survey import DONT_KNOW, PROFILE_QUESTIONS, STATEMENT_ANSWERS

#: The date column's heading.
DATE_COLUMN = "Datum"
#: Rows of the XLSX that get drop-down lists: more respondents than a training has.
ROWS = 500


def headings(survey: Survey) -> list[str]:
    """The sheet's column headings, in order."""
    return [PROFILE_QUESTIONS["district"], PROFILE_QUESTIONS["audience"], DATE_COLUMN, *(i.text for i in survey.items)]


def choices(item: SurveyItem) -> list[str]:
    """An item's answers as the form prints them, "Vet inte" last."""
    return [item.label(answer) for answer in item.answers() if answer != DONT_KNOW] + [STATEMENT_ANSWERS[DONT_KNOW]]


def answer_sheet_csv(survey: Survey) -> bytes:
    """``svarsblad.csv``: the headings only, for Excel with Swedish settings."""
    text = io.StringIO()
    csv.writer(text, delimiter=";", lineterminator="\r\n").writerow(headings(survey))
    return "\ufeff".encode() + text.getvalue().encode("utf-8")


def answer_sheet_xlsx(survey: Survey, districts: list[str], audiences: list[str], *, day: dt.date) -> bytes:
    """``svarsblad.xlsx``: the headings, drop-down lists of the answers, and a date column."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = "Svar"
    lists = book.create_sheet("Svarsalternativ")
    columns = headings(survey)
    sheet.append(columns)
    answer_lists = [districts, audiences, [], *(choices(item) for item in survey.items)]
    last = ROWS + 1
    for index, (heading, answers) in enumerate(zip(columns, answer_lists, strict=True), start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
        sheet.column_dimensions[letter].width = 14 if heading == DATE_COLUMN else 28
        if heading == DATE_COLUMN:
            rule = DataValidation(type="date", operator="greaterThan", formula1="DATE(2000,1,1)", allow_blank=True)
            rule.error = "Skriv dagen som ÅÅÅÅ-MM-DD."
            for row in range(2, last + 1):
                sheet.cell(row=row, column=index).number_format = "yyyy-mm-dd"
        else:
            lists.cell(row=1, column=index, value=heading)
            for row, answer in enumerate(answers, start=2):
                lists.cell(row=row, column=index, value=answer)
            source = f"Svarsalternativ!${letter}$2:${letter}${len(answers) + 1}"
            rule = DataValidation(type="list", formula1=f"={source}", allow_blank=True)
            rule.error = "Välj ett av svaren i listan."
        rule.showErrorMessage = True
        rule.errorTitle = "Svaret finns inte"
        sheet.add_data_validation(rule)
        rule.add(f"{letter}2:{letter}{last}")
    sheet.row_dimensions[1].height = 90
    sheet.freeze_panes = "A2"
    lists.sheet_state = "hidden"
    moment = dt.datetime(day.year, day.month, day.day)
    book.properties.creator = "vastbus"
    book.properties.title = survey.title
    book.properties.created = moment
    book.properties.modified = moment
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
