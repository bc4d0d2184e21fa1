"""``vastbus survey import``: an export of answers becomes counts, stored under ``curriculum/surveys/``.

The contract (docs/handbok.md, "Kunskapsenkäten"): columns are placed by their heading, the two
profile questions and each item by its text (or id), after a leading number, extra whitespace,
case and a trailing colon are set aside; a timestamp column gives the day (never the time of
day); every other column (ID, name, e-mail address, free text) is dropped and named. A heading
that looks like a question but is none of the survey's, a missing column, an answer that is not
one of an item's and an unknown district or profession are problems: all of them are reported
at once and nothing is written. What is stored is one file of counts per district, profession,
phase and day (model :class:`SurveyResults`), validated before it is written, never replacing a
file, and never twice for the same export (its SHA-256).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from vastbus_cli.errors import UsageError, VastbusError
from vastbus_cli.fsio import move_into_place, write_beside
from vastbus_cli.i18n import _, ngettext
from vastbus_cli.models import (
    BLANK,
    DONT_KNOW,
    PHASES,
    PROFILE_QUESTIONS,
    STATEMENT_ANSWERS,
    Course,
    Districts,
    ResultGroup,
    Survey,
    SurveyItem,
    SurveyResults,
)
from vastbus_cli.schema import modeline
from vastbus_cli.survey.readers import (
    Row,
    Table,
    cell_text,
    clean,
    column_name,
    day_of,
    export_bytes,
    read_table,
    slash_order,
)
from vastbus_cli.workspace import Workspace
from vastbus_cli.yamlio import parse_yaml
from vastbus_cli.yamlvalidate import validate

SURVEYS_FOLDER = "curriculum/surveys"
#: Headings of the columns whose date is the day of the answer; the first set wins over the second.
COMPLETION_TIMES = ("sluttid", "completion time", "end time")
OTHER_TIMES = (
    *("starttid", "start time", "tidstämpel", "tidsstämpel", "timestamp", "datum", "date"),
    *("tid för senaste ändring", "last modified time"),
)
#: A heading longer than this, or ending with "?", is taken for a question.
QUESTION_LENGTH = 40
#: At most this many bad answers are listed per column; the rest are counted in one line.
SHOWN_PER_COLUMN = 10

_NUMBER = re.compile(r"^(?:(?:fråga|question|q)\s*\d+\s*[.):\-–]?|\d+\s*[.):])\s*", re.IGNORECASE)
#: Microsoft Forms' quiz exports: "Poäng – <question>", "Feedback – <question>".
_SCORE = re.compile(r"^(?:poäng|points|feedback)\s*[-–—]\s*(.+)$", re.IGNORECASE)
_DK = STATEMENT_ANSWERS[DONT_KNOW]  # "Vet inte", an answer to every item
_BARE = re.compile(r"[a-zà-öø-ÿ][a-z0-9à-öø-ÿ-]*")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def key(text: str) -> str:
    """A heading or answer as compared: NFC, whitespace collapsed, no leading number or trailing colon, any case."""
    text = " ".join(unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH).split())
    text = _NUMBER.sub("", text, count=1)
    return text.rstrip(":").rstrip().casefold()


def _answer_key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH).split()).casefold()


class ImportProblems(UsageError):
    """An export that cannot be stored as it is; ``str()`` has one problem per line."""

    def __init__(self, problems: list[str]) -> None:
        n = len(problems)
        summary = ngettext(
            "{n} problem, so nothing was stored; correct the export (or the survey) and import it again",
            "{n} problems, so nothing was stored; correct the export (or the survey) and import it again",
            n,
        ).format(n=n)
        super().__init__("\n".join([*problems, summary]))
        self.problems = problems


@dataclass
class Columns:
    """Where each thing the import reads is in the table (column indexes)."""

    district: int | None = None
    audience: int | None = None
    items: dict[str, int] = field(default_factory=dict)
    times: list[int] = field(default_factory=list)
    dropped: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class ImportResult:
    """What an import stored (or, with ``dry_run``, would store), and what it left out."""

    results: SurveyResults
    path: Path
    rel: str
    text: str
    written: bool
    #: Rows with answers left out because their district or profession was empty.
    left_out: int
    #: An earlier import of a file with the same name but other content (its stored file), if any.
    same_name: str | None = None

    @property
    def respondents(self) -> int:
        """How many respondents were counted."""
        return sum(group.respondents for group in self.results.groups)

    @property
    def days(self) -> list[dt.date]:
        """The days the answers were given, in order."""
        return sorted({group.date for group in self.results.groups})


# --- placing the columns ---------------------------------------------------------------------


def place_columns(table: Table, survey: Survey) -> tuple[Columns, list[str]]:
    """Each column's place by its heading, and the problems: question-like strangers, doubles, missing columns."""
    profile = {key(text): name for name, text in PROFILE_QUESTIONS.items()}
    items: dict[str, SurveyItem] = {}
    for item in survey.items:
        items.setdefault(key(item.text), item)
        items.setdefault(key(item.id), item)
    times = {name: rank for rank, names in enumerate((COMPLETION_TIMES, OTHER_TIMES)) for name in names}
    columns, problems = Columns(), []
    ranked: list[tuple[int, int]] = []
    placed: dict[str, int] = {}
    for index, heading in enumerate(table.headings):
        found = key(heading)
        target: str | None = None
        if found in profile:
            target = profile[found]
        elif found in items:
            target = items[found].id
        elif found in times:
            ranked.append((times[found], index))
        elif not found:
            if any(row.cells[index] not in (None, "") for row in table.rows):
                columns.dropped.append(index)
        elif _question_like(found) and not _score_of(found, items):
            problems.append(
                _(
                    "column {column} '{heading}' looks like a question but is none of the survey's; "
                    "is the export from another version of the survey?"
                ).format(column=column_name(index), heading=clean(heading))
            )
        else:
            columns.dropped.append(index)
        if target is None:
            continue
        if target in placed:
            problems.append(
                _("columns {first} and {second} are both '{heading}'; keep one of them").format(
                    first=column_name(placed[target]), second=column_name(index), heading=clean(heading)
                )
            )
            continue
        placed[target] = index
        if target == "district":
            columns.district = index
        elif target == "audience":
            columns.audience = index
        else:
            columns.items[target] = index
    columns.times = [index for _rank, index in sorted(ranked)]
    for name, text in PROFILE_QUESTIONS.items():
        if name not in placed:
            problems.append(_("no column '{heading}': the answers cannot be counted without it").format(heading=text))
    for item in survey.items:
        if item.id not in placed:
            problems.append(
                _("no column for the survey's item {id} ('{text}')").format(id=item.id, text=clean(item.text))
            )
    return columns, problems


def _question_like(found: str) -> bool:
    return found.endswith("?") or len(found) > QUESTION_LENGTH


def _score_of(found: str, items: dict[str, SurveyItem]) -> bool:
    """Whether a heading is a Forms quiz's score or feedback column of one of the items."""
    match = _SCORE.match(found)
    return match is not None and key(match.group(1)) in items


# --- reading the answers ---------------------------------------------------------------------


@dataclass(frozen=True)
class Lookup:
    """Answers by how they are written (compared as :func:`key`) to what is stored."""

    districts: dict[str, str]
    audiences: dict[str, str]
    answers: dict[str, dict[str, str]]

    @classmethod
    def of(cls, survey: Survey, districts: Districts, course: Course) -> Lookup:
        """The lookup for a workspace's survey, districts (and city areas) and audiences."""
        places: dict[str, str] = {}
        named = [(d.id, d.name) for d in districts.districts] + [(a.id, a.name) for a in districts.areas]
        for place, name in named:  # a district before an area of the same name
            places.setdefault(_answer_key(name), place)
            places.setdefault(_answer_key(place), place)
        people: dict[str, str] = {}
        for audience in course.audiences:
            people.setdefault(_answer_key(audience.name), audience.id)
            people.setdefault(_answer_key(audience.id), audience.id)
        answers = {
            item.id: {_answer_key(item.label(answer)): answer for answer in item.answers() if answer != DONT_KNOW}
            | {_answer_key(STATEMENT_ANSWERS[DONT_KNOW]): DONT_KNOW}
            for item in survey.items
        }
        return cls(places, people, answers)


def _where(row: Row, index: int, heading: str) -> str:
    return _("row {row} (response {n}), column {column} '{heading}'").format(
        row=row.number, n=row.number - 1, column=column_name(index), heading=clean(heading)
    )


@dataclass
class Counted:
    """The answers counted per group, and the rows left out."""

    groups: dict[tuple[str, str, dt.date], dict[str, dict[str, int]]] = field(default_factory=dict)
    respondents: dict[tuple[str, str, dt.date], int] = field(default_factory=dict)
    left_out: int = 0


def count_answers(
    table: Table, columns: Columns, survey: Survey, lookup: Lookup, day: dt.date | None
) -> tuple[Counted, list[str]]:
    """The answers counted per district, audience and day, and every problem found on the way."""
    problems: list[str] = []
    bad: dict[int, int] = {}
    counted = Counted()
    days = _days(table, columns) if day is None else None
    if days is not None and not columns.times:
        problems.append(
            _("the export has no timestamp column, so the day of the answers is unknown; give it: --date YYYY-MM-DD")
        )
    for row in table.rows:
        answers: dict[str, str] = {}
        for item in survey.items:
            index = columns.items.get(item.id)
            if index is None:
                continue
            value = cell_text(row.cells[index])
            if not value.strip():
                answers[item.id] = BLANK
                continue
            answer = lookup.answers[item.id].get(_answer_key(value))
            if answer is not None:
                answers[item.id] = answer
                continue
            bad[index] = bad.get(index, 0) + 1
            if bad[index] <= SHOWN_PER_COLUMN:
                problems.append(
                    _("{where}: '{value}' is not an answer to this item; the answers are {answers}").format(
                        where=_where(row, index, table.headings[index]),
                        value=clean(value),
                        answers=" | ".join([*(item.label(a) for a in item.answers() if a != DONT_KNOW), _DK]),
                    )
                )
        district = _profile(row, columns.district, lookup.districts, table, problems, _district_problem)
        audience = _profile(row, columns.audience, lookup.audiences, table, problems, _audience_problem)
        if district == "" or audience == "":
            if columns.district is not None and columns.audience is not None:
                counted.left_out += 1
            continue
        when = day
        if days is not None and columns.times:
            when = days.get(row.number)
            if when is None:
                problems.append(
                    _("row {row} has no date in its timestamp column(s); give the day with --date YYYY-MM-DD").format(
                        row=row.number
                    )
                )
        if district is None or audience is None or when is None:
            continue
        group = (district, audience, when)
        counts = counted.groups.setdefault(
            group, {item.id: dict.fromkeys([*item.answers(), BLANK], 0) for item in survey.items}
        )
        counted.respondents[group] = counted.respondents.get(group, 0) + 1
        for item_id, answer in answers.items():
            counts[item_id][answer] += 1
    for index, n in bad.items():
        if n > SHOWN_PER_COLUMN:
            problems.append(
                _("column {column} '{heading}': {n} more answers that are not this item's").format(
                    column=column_name(index), heading=clean(table.headings[index]), n=n - SHOWN_PER_COLUMN
                )
            )
    return counted, problems


def _district_problem(where: str, value: str) -> str:
    return _("{where}: '{value}' is not a district or city area of curriculum/districts.yaml").format(
        where=where, value=value
    )


def _audience_problem(where: str, value: str) -> str:
    return _("{where}: '{value}' is not a profession (audience) of curriculum/course.yaml").format(
        where=where, value=value
    )


def _profile(
    row: Row,
    index: int | None,
    known: dict[str, str],
    table: Table,
    problems: list[str],
    problem: Callable[[str, str], str],
) -> str | None:
    """The id a profile answer names; "" for an empty cell, None when unknown (a problem) or no column."""
    if index is None:
        return None
    value = cell_text(row.cells[index])
    if not value.strip():
        return ""
    found = known.get(_answer_key(value))
    if found is None:
        problems.append(problem(_where(row, index, table.headings[index]), clean(value)))
    return found


def _days(table: Table, columns: Columns) -> dict[int, dt.date]:
    """Each row's day, from the first timestamp column (completion first) that has a date for it."""
    days: dict[int, dt.date] = {}
    for index in reversed(columns.times):  # the preferred column last, so it wins
        order = slash_order(cell_text(row.cells[index]) for row in table.rows)
        for row in table.rows:
            found = day_of(row.cells[index], order)
            if found is not None:
                days[row.number] = found
    return days


# --- storing ---------------------------------------------------------------------------------


def file_name(phase: str, days: list[dt.date], source: str) -> str:
    """The stored file's name from the phase, the days and the export's name: ``före-2026-11-20-enkät.yaml``."""
    stem = unicodedata.normalize("NFC", Path(source).stem).casefold()
    slug = re.sub(r"-{2,}", "-", "".join(char if char.isalnum() else "-" for char in stem)).strip("-")[:50].strip("-")
    span = days[0].isoformat() if days[0] == days[-1] else f"{days[0].isoformat()}--{days[-1].isoformat()}"
    return f"{phase}-{span}-{slug or 'export'}.yaml"


def _plain(text: str) -> str:
    """An id as YAML: bare where it cannot be read as anything but text, else quoted."""
    if _BARE.fullmatch(text) and text not in ("true", "false", "null", "yes", "no", "on", "off"):
        return text
    return json.dumps(text, ensure_ascii=False)


def _counts(counts: dict[str, int]) -> str:
    return "{" + ", ".join(f"{_plain(answer)}: {n}" for answer, n in counts.items()) + "}"


def results_yaml(results: SurveyResults, rel: str) -> str:
    """The stored file's text: a modeline, a comment in Swedish, then the counts."""
    quoted = functools.partial(json.dumps, ensure_ascii=False)
    lines = [
        modeline(rel, "survey-results"),
        "# Svar på kunskapsenkäten, importerade med 'vastbus survey import'. Bara antal per område,",
        "# yrkesgrupp, fas (före/efter), dag och fråga: inga namn, e-postadresser, fritextsvar eller",
        "# klockslag. Ändra inte för hand; blev något fel, ta bort filen och importera exporten igen.",
        f"survey: {results.survey}",
        f"source: {quoted(results.source)}",
        f"digest: {results.digest}",
        f"imported: {results.imported.isoformat()}",
        "dropped:" + ("" if results.dropped else " []"),
        *(f"  - {quoted(heading)}" for heading in results.dropped),
        "groups:",
    ]
    for group in results.groups:
        lines += [
            f"  - district: {_plain(group.district)}",
            f"    audience: {_plain(group.audience)}",
            f"    phase: {group.phase}",
            f"    date: {group.date.isoformat()}",
            f"    respondents: {group.respondents}",
            "    answers:",
            *(f"      {_plain(item)}: {_counts(counts)}" for item, counts in group.answers.items()),
        ]
    return "\n".join(lines) + "\n"


def import_export(
    workspace: Workspace,
    export: Path,
    *,
    phase: str,
    day: dt.date | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> ImportResult:
    """Read ``export``, count its answers and store them (unless ``dry_run``); see the module's docstring.

    Raises:
        ImportProblems: the export cannot be stored as it is (every problem, one per line).
        UsageError: a phase that is not före/efter; no survey; the export was imported before.
        InputOutputError: the export cannot be read, or the file cannot be written.
    """
    phase = _phase(phase)
    survey, districts, course = _models(workspace)
    data = export_bytes(export)
    digest = hashlib.sha256(data).hexdigest()
    table = read_table(export, data)
    columns, problems = place_columns(table, survey)
    counted, more = count_answers(table, columns, survey, Lookup.of(survey, districts, course), day)
    problems += more
    if problems:
        raise ImportProblems(problems)
    if not counted.groups:
        raise UsageError(
            _("{file} holds no answers with a district and a profession; nothing to store").format(file=export)
        )
    source = clean(export.name)
    earlier, same_name = _earlier(workspace, digest, source)
    if earlier is not None:
        raise UsageError(
            _("{file} was imported before, into {stored}; its answers are counted already").format(
                file=export, stored=earlier
            )
        )
    results = _results(survey, counted, columns, table, phase=phase, source=source, digest=digest, today=today)
    folder = workspace.root / SURVEYS_FOLDER / survey.id
    path = _free(folder / file_name(phase, sorted({g.date for g in results.groups}), source))
    rel = workspace.rel(path)
    text = results_yaml(results, rel)
    _verify(text, path, rel, results)
    if not dry_run:
        path = _write_new(path, text.encode("utf-8"))
        rel = workspace.rel(path)
    return ImportResult(results, path, rel, text, not dry_run, counted.left_out, same_name)


def _phase(phase: str) -> str:
    found = unicodedata.normalize("NFC", phase.strip()).casefold()
    found = {"fore": "före"}.get(found, found)
    if found not in PHASES:
        raise UsageError(_("--phase '{phase}' is neither 'före' nor 'efter'").format(phase=phase))
    return found


def _models(workspace: Workspace) -> tuple[Survey, Districts, Course]:
    if workspace.survey is None:
        raise UsageError(_("the workspace has no curriculum/survey.yaml; make the survey with 'vastbus survey make'"))
    for document in (workspace.survey, workspace.districts, workspace.course):
        if document is not None and document.model is None:
            raise UsageError(
                _("{file} has errors, so the answers cannot be placed; run 'vastbus check' and fix it").format(
                    file=document.rel
                )
            )
    survey = workspace.survey.model
    districts = workspace.districts.model if workspace.districts is not None else None
    course = workspace.course.model if workspace.course is not None else None
    if survey is None or districts is None or course is None:
        raise UsageError(_("the workspace lacks curriculum/course.yaml or districts.yaml; run 'vastbus check'"))
    return survey, districts, course


def _earlier(workspace: Workspace, digest: str, source: str) -> tuple[str | None, str | None]:
    """The stored file that holds this export's digest, and one that came from a file of the same name."""
    same_name = None
    for document in workspace.survey_results:
        if re.search(rf"^digest:\s*[\"']?{digest}\b", document.loaded.text, re.MULTILINE):
            return document.rel, None
        if document.model is not None and document.model.source == source:
            same_name = document.rel
    return None, same_name


def _results(
    survey: Survey,
    counted: Counted,
    columns: Columns,
    table: Table,
    *,
    phase: str,
    source: str,
    digest: str,
    today: dt.date | None,
) -> SurveyResults:
    dropped: list[str] = []
    for index in sorted(columns.dropped + columns.times):
        heading = clean(table.headings[index]) or f"(utan rubrik, kolumn {column_name(index)})"  # the file is Swedish
        if heading not in dropped:
            dropped.append(heading)
    groups = [
        ResultGroup(
            district=district,
            audience=audience,
            phase=phase,
            date=when,
            respondents=counted.respondents[(district, audience, when)],
            answers=counts,
        )
        for (district, audience, when), counts in sorted(counted.groups.items(), key=lambda pair: _order(pair[0]))
    ]
    return SurveyResults(
        survey=survey.id,
        source=source,
        digest=digest,
        imported=today or dt.date.today(),
        dropped=dropped,
        groups=groups,
    )


def _order(group: tuple[str, str, dt.date]) -> tuple[dt.date, str, str]:
    district, audience, when = group
    return when, district, audience


def _free(path: Path) -> Path:
    """``path``, or the first of ``<stem>-2.yaml``, ``-3``, … that nothing has yet."""
    candidate, n = path, 1
    while candidate.exists() or candidate.is_symlink():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def _verify(text: str, path: Path, rel: str, results: SurveyResults) -> None:
    """Refuse to write a text that does not read back as exactly these results."""
    loaded = parse_yaml(text, path, rel)
    model, findings = validate(SurveyResults, loaded) if loaded.data is not None else (None, loaded.findings)
    if model != results or findings:
        raise VastbusError(_("the counts could not be written as a valid results file; nothing was written"))


def _write_new(path: Path, data: bytes) -> Path:
    """Write a new file atomically, never over one: a name taken meanwhile moves on to the next free one."""
    temporary = write_beside(path, data)
    try:
        while True:
            try:
                os.link(temporary, path)
                return path
            except FileExistsError:
                path = _free(path)
            except OSError:  # a file system without hard links: take the name while it is still free
                path = _free(path)
                move_into_place(temporary, path)
                return path
    finally:
        if temporary.exists():
            temporary.unlink()
