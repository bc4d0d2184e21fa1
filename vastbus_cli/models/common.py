"""What every file model shares: the strict base, ids, dates and regular expressions.

Each type also says how it looks in the YAML an editor sees (``WithJsonSchema``), since
the editor schemas (``vastbus schema``) must accept what the loader accepts: a year
written as a number, a date as text.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from vastbus_cli.i18n import _
from vastbus_cli.patterns import PatternError, compile_pattern

#: Lower-case Latin letters including å, ä, ö, é and ü, digits and dashes.
ID_PATTERN = r"^[a-z0-9à-öø-ÿ][a-z0-9à-öø-ÿ-]*$"
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
#: A month 01–12 and a day 01–31, for the editor schemas. A regular expression cannot know
#: that February has no 30th; the loader does (``schema/value``).
_MONTH = r"(0[1-9]|1[0-2])"
_DAY = r"(0[1-9]|[12][0-9]|3[01])"
PARTIAL_DATE_PATTERN = rf"^[0-9]{{4}}(-{_MONTH}(-{_DAY})?)?$"
FULL_DATE_PATTERN = rf"^[0-9]{{4}}-{_MONTH}-{_DAY}$"

Identifier = Annotated[
    str,
    Field(
        pattern=ID_PATTERN,
        description="A stable id: lower-case letters (å, ä, ö, é allowed), digits and dashes.",
    ),
]


def _partial_date(value: object) -> str:
    """Accept 2021, "2023-01" or 2021-01-01 and return the canonical text form."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    match = _PARTIAL_DATE.match(text)
    if not match:
        raise ValueError(_("'{text}' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD").format(text=text))
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        dt.date(year or 1, month or 1, day or 1)
    except ValueError as error:
        raise ValueError(_("'{text}' is not a valid date ({error})").format(text=text, error=error)) from None
    return text


PartialDate = Annotated[
    str,
    BeforeValidator(_partial_date),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 1000, "maximum": 9999},
                {"type": "string", "pattern": PARTIAL_DATE_PATTERN},
            ]
        }
    ),
    Field(description="A date known to a year (2012), a month (2023-01) or a day (2021-01-01)."),
]


def earliest_day(partial: str) -> dt.date:
    """Return the first day a partial date can mean: "2023-01" is 2023-01-01."""
    parts = [int(part) for part in partial.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _full_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(_("'{value}' is not a date; write YYYY-MM-DD").format(value=value)) from None


FullDate = Annotated[
    dt.date,
    BeforeValidator(_full_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": FULL_DATE_PATTERN}),
    Field(description="A calendar day, YYYY-MM-DD."),
]


def _valid_regex(pattern: str) -> str:
    # Compiled as textrules matches it, so the rules later take it from regex's cache.
    try:
        compile_pattern(pattern)
    except PatternError as error:
        raise ValueError(_("invalid regular expression: {error}").format(error=error)) from None
    return pattern


Regex = Annotated[str, AfterValidator(_valid_regex)]

Unverified = Annotated[
    str | None,
    Field(
        description="What the sources do not confirm, said plainly; the speaker notes repeat it.",
        examples=["Exakt beslutsdag och beslutande organ för justeringen är inte hämtade."],
    ),
]
SourceKeys = Annotated[
    list[str],
    Field(
        description="Keys of the public sources this rests on (S-numbers, as in domain/vastbus-facts.md).",
        examples=[["S6", "S7"], ["S11", "S15", "S39"]],
    ),
]


class Strict(BaseModel):
    """Base for every file model: unknown keys are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
