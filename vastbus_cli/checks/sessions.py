"""Training records: each names a known district, audience and edition, on a day already past."""

from __future__ import annotations

from collections.abc import Iterator

from vastbus_cli.checks.context import Context
from vastbus_cli.findings import Finding, Severity
from vastbus_cli.i18n import N_, _
from vastbus_cli.packs import CENTRAL
from vastbus_cli.rules import ERROR, SESSION, WARNING, Rule

SESSION_FUTURE_DATE = Rule(
    "session/future-date",
    ERROR,
    SESSION,
    N_("a training record is dated after today: a session is recorded once it is held"),
)
SESSION_UNKNOWN_AUDIENCE = Rule(
    "session/unknown-audience", ERROR, SESSION, N_("a training record names an audience the course does not have")
)
SESSION_UNKNOWN_DISTRICT = Rule(
    "session/unknown-district",
    ERROR,
    SESSION,
    N_("a training record names a district that `districts.yaml` does not have"),
)
SESSION_UNKNOWN_EDITION = Rule(
    "session/unknown-edition", ERROR, SESSION, N_("a training record names an edition that `guidelines/` does not have")
)
SESSION_WRONG_YEAR = Rule(
    "session/wrong-year", WARNING, SESSION, N_("a training record is in the file of another year")
)
RULES: tuple[Rule, ...] = (
    SESSION_FUTURE_DATE,
    SESSION_UNKNOWN_AUDIENCE,
    SESSION_UNKNOWN_DISTRICT,
    SESSION_UNKNOWN_EDITION,
    SESSION_WRONG_YEAR,
)


def check_sessions(ctx: Context) -> Iterator[Finding]:
    """Every record of ``curriculum/sessions/`` could have been written by ``vastbus held``."""
    course = ctx.workspace.course.model if ctx.workspace.course else None
    districts_doc = ctx.workspace.districts.model if ctx.workspace.districts else None
    districts = [CENTRAL, *(d.id for d in districts_doc.districts)] if districts_doc else None
    audiences = [a.id for a in course.audiences] if course else None
    editions = ctx.editions.ids
    for doc in ctx.workspace.sessions:
        if doc.model is None:
            continue
        year = doc.rel.rsplit("/", 1)[-1].split(".")[0]
        for index, record in enumerate(doc.model.sessions):
            where = ("sessions", index)
            if record.date > ctx.as_of:
                yield ctx.finding(
                    SESSION_FUTURE_DATE,
                    Severity.ERROR,
                    _("a session on {date} has not been held yet (today is {today})").format(
                        date=record.date.isoformat(), today=ctx.as_of.isoformat()
                    ),
                    doc,
                    (*where, "date"),
                    hint=_("record sessions after they are held, with 'vastbus held'"),
                )
            if year.isdigit() and record.date.year != int(year):
                yield ctx.finding(
                    SESSION_WRONG_YEAR,
                    Severity.WARNING,
                    _("a session on {date} is in the file for {year}").format(date=record.date.isoformat(), year=year),
                    doc,
                    (*where, "date"),
                    hint=_("move it to curriculum/sessions/{year}.yaml").format(year=record.date.year),
                )
            yield from ctx.unknown_ids(
                doc,
                where,
                (
                    (
                        SESSION_UNKNOWN_DISTRICT,
                        "district",
                        record.district,
                        districts,
                        _("the session names district '{value}', which the workspace does not have"),
                    ),
                    (
                        SESSION_UNKNOWN_AUDIENCE,
                        "audience",
                        record.audience,
                        audiences,
                        _("the session names audience '{value}', which the workspace does not have"),
                    ),
                    (
                        SESSION_UNKNOWN_EDITION,
                        "edition",
                        record.edition,
                        editions,
                        _("the session names edition '{value}', which the workspace does not have"),
                    ),
                ),
            )
