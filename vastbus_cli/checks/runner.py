"""Every rule of ``vastbus check``, in the order they run, and the function that runs them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from vastbus_cli.checks.attribution import check_attribution
from vastbus_cli.checks.content import check_cross_references, check_hedges, check_laws
from vastbus_cli.checks.context import Context
from vastbus_cli.checks.curriculum import (
    check_course,
    check_districts,
    check_modules,
)
from vastbus_cli.checks.design import check_design
from vastbus_cli.checks.guidelines import check_editions
from vastbus_cli.checks.local import check_local
from vastbus_cli.checks.prose import check_patterns, check_prose, check_punctuation
from vastbus_cli.checks.quiz import check_quiz
from vastbus_cli.checks.refs import check_material_editions, check_refs
from vastbus_cli.checks.schemas import check_schemas
from vastbus_cli.checks.sessions import check_sessions
from vastbus_cli.checks.spelling import check_spelling
from vastbus_cli.checks.survey import check_survey
from vastbus_cli.checks.tracks import check_diagrams, check_tracks
from vastbus_cli.editions import Editions
from vastbus_cli.filerules import SCHEMA_MISSING
from vastbus_cli.findings import Finding, Severity
from vastbus_cli.models import Edition
from vastbus_cli.textrules import RuleSet, active_rules
from vastbus_cli.workspace import Workspace
from vastbus_cli.yamlvalidate import missing_hint

if TYPE_CHECKING:  # the dictionary and its module load only for check --spelling
    from vastbus_cli.spelling import Speller

CHECKS: tuple[Callable[[Context], Iterable[Finding]], ...] = (
    check_editions,
    check_course,
    check_districts,
    check_modules,
    check_local,
    check_tracks,
    check_diagrams,
    check_material_editions,
    check_refs,
    check_attribution,
    check_quiz,
    check_prose,
    check_punctuation,
    check_laws,
    check_cross_references,
    check_hedges,
    check_spelling,
    check_patterns,
    check_sessions,
    check_survey,
    check_schemas,
    check_design,  # last: it plans the packs, which only a workspace without errors can have
)


def run_checks(
    workspace: Workspace, editions: Editions, current: Edition, as_of: dt.date, speller: Speller | None = None
) -> list[Finding]:
    """Run every rule and return all findings, loading problems included; spelling only with a speller."""
    ctx = Context(workspace, editions, current, as_of, RuleSet(active_rules(editions, current, as_of)))
    ctx.speller = speller
    findings = [_edition_in_force(finding, current) for finding in workspace.findings]
    for check in CHECKS:
        ctx.errors = sum(1 for finding in findings if finding.severity is Severity.ERROR)
        findings.extend(check(ctx))
    return findings


def _edition_in_force(finding: Finding, current: Edition) -> Finding:
    """A missing ``built_on`` suggests the edition checked against, which loading could not know."""
    if finding.rule == SCHEMA_MISSING.id and finding.hint == missing_hint("built_on"):
        return replace(finding, hint=missing_hint("built_on", current.id))
    return finding


__all__ = ["CHECKS", "run_checks"]
