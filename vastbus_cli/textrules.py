"""Outdated terms and misconception claims, compiled once and matched against any text."""

from __future__ import annotations

import bisect
import datetime as dt
import functools
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
    sources: tuple[str, ...]
    message: str
    hint: str
    edition: str

    @functools.cached_property
    def patterns(self) -> tuple[re.Pattern[str], ...]:
        """Case-insensitive patterns, for text whose lower-case form has other offsets."""
        return tuple(re.compile(source, _flags()) for source in self.sources)

    @functools.cached_property
    def lowered(self) -> tuple[re.Pattern[str], ...]:
        """Patterns for lower-cased text (see :func:`_lowered`)."""
        return tuple(_lowered(source) for source in self.sources)


_UPPER_OUTSIDE_ESCAPES = re.compile(r"(?<!\\)[A-ZÅÄÖ]")


def _lowered(source: str) -> re.Pattern[str]:
    """A version of a case-insensitive pattern for already lower-cased text.

    Case-insensitive Unicode matching is several times slower in ``re``; matching
    lower-cased text with a case-sensitive pattern gives the same result when the
    pattern itself has no upper-case letters.
    """
    if _UPPER_OUTSIDE_ESCAPES.search(source):
        return re.compile(source, _flags())
    return re.compile(source)


def _search_space(text: str) -> tuple[str, bool]:
    """The lower-cased text if lower-casing keeps every offset, else the text itself."""
    lowered = text.lower()
    return (lowered, True) if len(lowered) == len(text) else (text, False)


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
        sources=(pattern,),
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
        sources=tuple(claim.patterns),
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


#: Joins texts so that no rule can match across two of them: patterns use \\s, \\w,
#: [^.] and . , none of which matches a full stop between two line breaks.
_SEPARATOR = "\n.\n"


class RuleSet:
    """Rules compiled once, matched against many texts in one pass per rule."""

    def __init__(self, rules: list[TextRule]) -> None:
        """Keep the rules and their versions for lower-cased text."""
        self.rules = rules

    def __iter__(self) -> Iterator[TextRule]:
        """The rules."""
        return iter(self.rules)

    def matches_many(self, texts: list[str]) -> Iterator[tuple[int, TextMatch]]:
        """(index of the text, match) for every match in any of ``texts``."""
        starts: list[int] = []
        offset = 0
        for text in texts:
            starts.append(offset)
            offset += len(text) + len(_SEPARATOR)
        joined = _SEPARATOR.join(texts)
        space, lowered = _search_space(joined)
        for rule in self.rules:
            seen: dict[int, list[tuple[int, int]]] = {}
            for pattern in rule.lowered if lowered else rule.patterns:
                for match in pattern.finditer(space):
                    index = bisect.bisect_right(starts, match.start()) - 1
                    base = starts[index]
                    span = (match.start() - base, match.end() - base)
                    spans = seen.setdefault(index, [])
                    if span[0] == span[1] or any(s < span[1] and span[0] < e for s, e in spans):
                        continue
                    spans.append(span)
                    yield index, TextMatch(rule, span[0], span[1], joined[match.start() : match.end()])


def find_matches(rules: list[TextRule], text: str, allowed: frozenset[str] = frozenset()) -> Iterator[TextMatch]:
    """Every non-overlapping match of every rule not in ``allowed`` in one text."""
    ruleset = RuleSet([rule for rule in rules if rule.id not in allowed])
    for _, match in ruleset.matches_many([text]):
        yield match


def rules_in_text(rules: list[TextRule], text: str) -> set[str]:
    """Ids of the rules that match anywhere in ``text``."""
    return {match.rule.id for match in find_matches(rules, text)}
