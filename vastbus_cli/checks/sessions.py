"""Training records: each names a known district, audience and edition, on a day already past."""

from __future__ import annotations

from collections.abc import Iterator

from vastbus_cli.checks.context import Context, suggest
from vastbus_cli.findings import Finding, Severity
from vastbus_cli.packs import CENTRAL


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
                    "session/future-date",
                    Severity.ERROR,
                    f"a session on {record.date.isoformat()} has not been held yet (today is {ctx.as_of.isoformat()})",
                    doc,
                    (*where, "date"),
                    hint="record sessions after they are held, with 'vastbus held'",
                )
            if year.isdigit() and record.date.year != int(year):
                yield ctx.finding(
                    "session/wrong-year",
                    Severity.WARNING,
                    f"a session on {record.date.isoformat()} is in the file for {year}",
                    doc,
                    (*where, "date"),
                    hint=f"move it to curriculum/sessions/{record.date.year}.yaml",
                )
            for key, value, known in (
                ("district", record.district, districts),
                ("audience", record.audience, audiences),
                ("edition", record.edition, editions),
            ):
                if known is not None and value not in known:
                    yield ctx.finding(
                        f"session/unknown-{key}",
                        Severity.ERROR,
                        f"the session names {key} '{value}', which the workspace does not have",
                        doc,
                        (*where, key),
                        hint=suggest(value, known) or f"use one of: {', '.join(known)}",
                    )
