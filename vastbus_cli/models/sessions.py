"""``curriculum/sessions/<year>.yaml``: the training sessions held, one record each (``vastbus held``)."""

from __future__ import annotations

from pydantic import Field

from vastbus_cli.models.common import FullDate, Identifier, Strict

#: The most participants one record may name: a session is a training, not a city.
MAX_PARTICIPANTS = 10_000


class Session(Strict):
    """One training session as it was held."""

    date: FullDate = Field(description="The day the training was held.", examples=["2026-11-20"])
    district: Identifier = Field(description="District id, or 'central'.", examples=["angered", "central"])
    audience: Identifier = Field(description="Audience id.", examples=["forskola", "bvc"])
    participants: int = Field(
        gt=0, le=MAX_PARTICIPANTS, description="How many took part (a count, no names).", examples=[14]
    )
    edition: Identifier = Field(
        description="The edition the pack was built on (from its stamp).", examples=["bou-halsa-2023"]
    )
    course_version: str = Field(
        pattern=r"^\d+\.\d+(\.\d+)?$",
        description="The course version of the pack (from its stamp).",
        examples=["1.0.0"],
    )
    trainer: str | None = Field(
        None, min_length=1, description="Who gave the training (optional).", examples=["Anna Berg"]
    )


class SessionsFile(Strict):
    """``curriculum/sessions/<year>.yaml``: the sessions held that year."""

    sessions: list[Session] = Field(
        default_factory=list,
        description="One entry per session.",
        examples=[
            [
                {
                    "date": "2026-11-20",
                    "district": "angered",
                    "audience": "forskola",
                    "participants": 14,
                    "edition": "bou-halsa-2023",
                    "course_version": "1.0.0",
                }
            ]
        ],
    )
