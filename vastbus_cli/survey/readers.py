"""Reading a form tool's export of answers: a table of headings and rows, whatever the file's shape.

Microsoft Forms exports an Excel workbook (``.xlsx``): the first worksheet, headings in row 1,
read with openpyxl (read-only, cached values). Google Forms, Netigate and Esmaker export CSV:
UTF-8 with or without a byte-order mark (else Windows-1252; UTF-16 with its mark), the
delimiter (``,``, ``;`` or tab) taken from the heading line, quoted fields that hold delimiters
and line breaks, CRLF or LF; Excel's ``sep=;`` first line is honoured. Rows that are entirely
empty are left out; every other row keeps its number as a spreadsheet shows it (the headings
are row 1), so a message can point at it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from vastbus_cli import saferead
from vastbus_cli.errors import InputOutputError, UsageError
from vastbus_cli.i18n import _

#: A cell as read: text, or a date and time an Excel cell holds as one; None when empty.
Cell = str | dt.datetime | dt.date | None

_ZIP = b"PK\x03\x04"
#: An OLE compound file: an old .xls, or an .xlsx saved with a password (Office encrypts it into one).
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
_DELIMITERS = (",", ";", "\t")
_ISO_DAY = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_DOTTED_DAY = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)")
_SLASHED_DAY = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})(?!\d)")


@dataclass(frozen=True)
class Row:
    """One row of answers: its number as a spreadsheet shows it, and its cells (one per heading)."""

    number: int
    cells: list[Cell]


@dataclass
class Table:
    """An export read: its headings (row 1) and the rows below them that hold anything."""

    headings: list[str]
    rows: list[Row] = field(default_factory=list)


def export_bytes(path: Path) -> bytes:
    """The export's bytes, read once (for its digest and its table).

    Raises:
        UsageError: no such file, or not a regular file.
        InputOutputError: it cannot be read, or is too large.
    """
    try:
        return saferead.read_bytes(path, "office")
    except saferead.Refused as refused:
        if refused.problem in ("missing", "not-regular"):
            raise UsageError(
                _("{file}: {reason}; give the file the form tool exported (.xlsx or .csv)").format(
                    file=path, reason=refused
                )
            ) from None
        raise InputOutputError(_("cannot read {file}: {reason}").format(file=path, reason=refused)) from None


def read_table(path: Path, data: bytes) -> Table:
    """The headings and rows of an export (``data`` is the file's bytes, ``path`` names it in messages).

    Raises:
        InputOutputError: the workbook is damaged, protected with a password or an old .xls;
            the CSV file cannot be read as text.
        UsageError: the file has no headings.
    """
    if data.startswith(_OLE):
        raise InputOutputError(
            _(
                "cannot read {file}: it is protected with a password or is an old .xls workbook; "
                "open it in Excel and save it as .xlsx without a password"
            ).format(file=path)
        )
    if data.startswith(_ZIP):
        table = _read_xlsx(path, data)
    elif path.suffix.lower() in _EXCEL_SUFFIXES:
        raise InputOutputError(
            _("cannot read {file}: it is not an Excel workbook (.xlsx); export the answers again").format(file=path)
        )
    else:
        table = _read_csv(path, data)
    if not any(heading.strip() for heading in table.headings):
        raise UsageError(
            _("{file} has no headings in its first row; export the answers with their headings").format(file=path)
        )
    return table


def _read_xlsx(path: Path, data: bytes) -> Table:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            if not book.worksheets:
                raise ValueError("no worksheet")
            sheet = book.worksheets[0]
            rows = [[_xlsx_cell(value) for value in values] for values in sheet.iter_rows(values_only=True)]
        finally:
            book.close()
    except Exception as error:  # openpyxl raises many kinds (zip, XML, key, value) on a damaged file
        raise InputOutputError(
            _("cannot read {file} as an Excel workbook ({reason}); open it in Excel and save it again as .xlsx").format(
                file=path, reason=type(error).__name__
            )
        ) from None
    return _table(rows)


def _xlsx_cell(value: object) -> Cell:
    if value is None or isinstance(value, dt.datetime | dt.date):
        return value
    if isinstance(value, dt.time):  # a time of day alone says nothing of the day
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_csv(path: Path, data: bytes) -> Table:
    text = _decode(path, data)
    delimiter, text = _delimiter(text)
    try:
        rows: list[list[Cell]] = [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as error:
        raise InputOutputError(_("cannot read {file} as CSV: {reason}").format(file=path, reason=error)) from None
    return _table(rows)


def _decode(path: Path, data: bytes) -> str:
    """UTF-8 (a byte-order mark dropped), UTF-16 with its mark, else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputOutputError(_("cannot read {file}: its UTF-16 text is damaged").format(file=path)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(text: str) -> tuple[str, str]:
    """The delimiter, from the heading line (outside quotes), and the text without an Excel ``sep=`` line."""
    first, _newline, rest = text.partition("\n")
    if first.rstrip("\r").lower().startswith("sep=") and len(first.rstrip("\r")) == 5:
        return first.rstrip("\r")[4], rest
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "\r\n":
            break
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(_DELIMITERS, key=lambda d: counts[d])  # a tie (or none at all) keeps the comma, listed first
    return best, text


def _table(rows: list[list[Cell]]) -> Table:
    """Headings from the first row; the rows below that hold anything, numbered from 2, padded to the headings."""
    if not rows:
        return Table(headings=[])
    headings = ["" if cell is None else str(cell) for cell in rows[0]]
    table = Table(headings=headings)
    for number, cells in enumerate(rows[1:], start=2):
        if all(_empty(cell) for cell in cells):
            continue
        width = max(len(headings), len(cells))
        table.rows.append(Row(number, [*cells, *([None] * (width - len(cells)))]))
        if len(cells) > len(headings):  # a value beyond the last heading: give it a column without one
            headings.extend([""] * (len(cells) - len(headings)))
    for row in table.rows:
        row.cells.extend([None] * (len(headings) - len(row.cells)))
    return table


def _empty(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


# --- cells -------------------------------------------------------------------------------------


def cell_text(cell: Cell) -> str:
    """A cell as text ("" when empty)."""
    if cell is None:
        return ""
    if isinstance(cell, dt.datetime | dt.date):
        return cell.isoformat()
    return cell


def clean(text: str) -> str:
    """Text fit to store and print on one line: whitespace collapsed, control characters left out."""
    text = " ".join(unicodedata.normalize("NFC", text).split())
    return "".join(char for char in text if unicodedata.category(char)[0] != "C")


def column_name(index: int) -> str:
    """The column's letter as a spreadsheet shows it: 0 → A, 26 → AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def day_of(cell: Cell, order: str | None) -> dt.date | None:
    """The day a timestamp cell gives; ``order`` says how to read a/b/yyyy (see :func:`slash_order`)."""
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    if not cell:
        return None
    try:
        if match := _ISO_DAY.match(cell):
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        if match := _DOTTED_DAY.match(cell):
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        if (match := _SLASHED_DAY.match(cell)) and order is not None:
            first, second = int(match[1]), int(match[2])
            month, day = (second, first) if order == "dm" else (first, second)
            return dt.date(int(match[3]), month, day)
    except ValueError:
        return None
    return None


def slash_order(values: Iterable[str]) -> str | None:
    """Whether a column's ``a/b/yyyy`` dates are day/month ("dm") or month/day ("md"); None if it cannot tell."""
    day_first = month_first = False
    for value in values:
        if match := _SLASHED_DAY.match(value):
            day_first |= int(match[1]) > 12
            month_first |= int(match[2]) > 12
    if day_first == month_first:
        return None
    return "dm" if day_first else "md"
