"""Pydantic models of every YAML file kind in a workspace.

The models only describe shape and single-field rules. Anything that needs a second
file (does this section exist, is this edition current) lives in ``checks/``. Unknown
keys are forbidden everywhere so a typo is a finding, never silently ignored data.

One module per concern: ``common`` (the strict base, ids, dates, regexes), ``edition``
(``guidelines/<id>.yaml``), ``slides`` (slides, refs, diagrams, quiz items and forms,
shared by modules and local additions), ``module``, ``course``, ``districts``,
``local``, ``sessions`` and ``survey`` (the knowledge survey and its results). Every public
name is re-exported here: import from ``vastbus_cli.models``.
"""

from __future__ import annotations

from vastbus_cli.diagramkinds import DIAGRAM_LIMITS, DiagramKind
from vastbus_cli.models.common import (
    ID_PATTERN,
    FullDate,
    Identifier,
    PartialDate,
    Regex,
    Strict,
    earliest_day,
)
from vastbus_cli.models.course import Audience, Break, Course, Track, TrackModule
from vastbus_cli.models.districts import CityArea, District, Districts
from vastbus_cli.models.edition import (
    BASIS_NAMES,
    GONE,
    NEEDS_REVIEW,
    Basis,
    Change,
    ChangeKind,
    Claim,
    ClaimGroup,
    Decision,
    Edition,
    EditionKind,
    Examples,
    Section,
    SectionUpdate,
    Source,
    Term,
)
from vastbus_cli.models.laws import Law
from vastbus_cli.models.local import Confirmation, Contact, Example, LocalAddition, Routine
from vastbus_cli.models.module import Area, Misconception, Module
from vastbus_cli.models.sessions import MAX_PARTICIPANTS, Session, SessionsFile
from vastbus_cli.models.slides import (
    Case,
    Column,
    Diagram,
    DiagramItem,
    Exercise,
    Form,
    FormField,
    Image,
    QuizItem,
    Ref,
    Review,
    SeeAlso,
    Slide,
    SlideLayout,
)
from vastbus_cli.models.survey import (
    BLANK,
    DONT_KNOW,
    PHASES,
    PROFILE_QUESTIONS,
    STATEMENT_ANSWERS,
    ResultGroup,
    Survey,
    SurveyItem,
    SurveyResults,
)

__all__ = [
    "BASIS_NAMES",
    "BLANK",
    "DIAGRAM_LIMITS",
    "DONT_KNOW",
    "GONE",
    "ID_PATTERN",
    "MAX_PARTICIPANTS",
    "NEEDS_REVIEW",
    "PHASES",
    "PROFILE_QUESTIONS",
    "STATEMENT_ANSWERS",
    "Area",
    "Audience",
    "Basis",
    "Break",
    "Case",
    "Change",
    "ChangeKind",
    "CityArea",
    "Claim",
    "ClaimGroup",
    "Column",
    "Confirmation",
    "Contact",
    "Course",
    "Decision",
    "Diagram",
    "DiagramItem",
    "DiagramKind",
    "District",
    "Districts",
    "Edition",
    "EditionKind",
    "Example",
    "Examples",
    "Exercise",
    "Form",
    "FormField",
    "FullDate",
    "Identifier",
    "Image",
    "Law",
    "LocalAddition",
    "Misconception",
    "Module",
    "PartialDate",
    "QuizItem",
    "Ref",
    "Regex",
    "ResultGroup",
    "Review",
    "Routine",
    "Section",
    "SectionUpdate",
    "SeeAlso",
    "Session",
    "SessionsFile",
    "Slide",
    "SlideLayout",
    "Source",
    "Strict",
    "Survey",
    "SurveyItem",
    "SurveyResults",
    "Term",
    "Track",
    "TrackModule",
    "earliest_day",
]
