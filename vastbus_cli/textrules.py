"""Outdated terms and misconception claims, compiled once and matched against any text."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from vastbus_cli.editions import Editions
from vastbus_cli.findings import Severity
from vastbus_cli.models import Claim, Edition, Term, earliest_day


@dataclass(frozen=True)
class TextRule:
    """A compiled term or claim rule."""

    id: str
    rule: str
    severity: Severity
    patterns: tuple[re.Pattern[str], ...]
    message: str
    hint: str
    edition: str


@dataclass(frozen=True)
class TextMatch:
    """Where a rule matched inside one piece of text (0-based offsets)."""

    rule: TextRule
    start: int
    end: int
    text: str


def _flags() -> int:
    return re.IGNORECASE | re.UNICODE


def term_rule(term: Term, edition: Edition) -> TextRule:
    """Compile one outdated term."""
    pattern = term.pattern or re.escape(term.term)
    since = f" since {term.since}" if term.since else f" in {edition.id}"
    return TextRule(
        id=term.id,
        rule="term/outdated",
        severity=Severity(term.severity),
        patterns=(re.compile(pattern, _flags()),),
        message=f"outdated term '{term.term}' (outdated{since}); say '{term.replacement}'",
        hint=f"write '{term.replacement}'; if this text quotes the old term on purpose, add "
        f"'discusses: [{term.id}]' to it",
        edition=edition.id,
    )


def claim_rule(claim: Claim, edition: Edition) -> TextRule:
    """Compile one misconception claim."""
    return TextRule(
        id=claim.id,
        rule="claim/misconception",
        severity=Severity(claim.severity),
        patterns=tuple(re.compile(pattern, _flags()) for pattern in claim.patterns),
        message=f"misconception '{claim.id}': {claim.misconception}",
        hint=f"correct: {' '.join(claim.correct.split())} (sections: {', '.join(claim.sections)}); "
        f"if this text quotes it in order to correct it, add 'discusses: [{claim.id}]'",
        edition=edition.id,
    )


def active_rules(editions: Editions, current: Edition, as_of: dt.date) -> list[TextRule]:
    """Terms and claims of the current edition and every edition it supersedes.

    A term with a ``since`` date later than ``as_of`` is not yet outdated and is left out.
    """
    rules: list[TextRule] = []
    for edition in editions.lineage(current.id):
        for term in edition.terms:
            if term.since is None or earliest_day(term.since) <= as_of:
                rules.append(term_rule(term, edition))
        rules.extend(claim_rule(claim, edition) for claim in edition.claims)
    return rules


def find_matches(rules: list[TextRule], text: str, allowed: frozenset[str] = frozenset()) -> Iterator[TextMatch]:
    """Every non-overlapping match of every rule not in ``allowed``, in text order per rule."""
    for rule in rules:
        if rule.id in allowed:
            continue
        seen: list[tuple[int, int]] = []
        for pattern in rule.patterns:
            for match in pattern.finditer(text):
                span = match.span()
                if span[0] == span[1] or any(s < span[1] and span[0] < e for s, e in seen):
                    continue
                seen.append(span)
                yield TextMatch(rule, span[0], span[1], match.group(0))


def rules_in_text(rules: list[TextRule], text: str) -> set[str]:
    """Ids of the rules that match anywhere in ``text``."""
    return {match.rule.id for match in find_matches(rules, text)}
