"""Outdated terms and misconception claims, compiled once and matched against any text.

The patterns come from guideline files that many people edit, so their cost is bounded:
they are compiled with ``regex`` (``re`` has no match timeout), a pattern whose nested
``{n}`` repeats would take ``regex`` long to compile is refused, and every search gets a
time budget. A pattern that uses it up is stopped and recorded (:attr:`RuleSet.too_slow`),
never matched again by that rule set, and the search goes on with the other rules.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from vastbus_cli.editions import Editions
from vastbus_cli.findings import Severity
from vastbus_cli.i18n import _
from vastbus_cli.models import Claim, Edition, Term, earliest_day

# Re-exported: the patterns' home is the leaf module vastbus_cli.patterns (the models use it too).
from vastbus_cli.patterns import MAX_PATTERN_LENGTH as MAX_PATTERN_LENGTH
from vastbus_cli.patterns import MAX_REPEAT_PRODUCT as MAX_REPEAT_PRODUCT
from vastbus_cli.patterns import PatternError as PatternError
from vastbus_cli.patterns import compile_pattern as compile_pattern
from vastbus_cli.patterns import repeat_product as repeat_product


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
    #: The claim's concepts and groups (see :mod:`vastbus_cli.claims`); None for terms.
    concepts: Any = None

    @functools.cached_property
    def patterns(self) -> tuple[Any, ...]:
        """Case-insensitive patterns, for text whose lower-case form has other offsets."""
        import regex

        return tuple(regex.compile(source, regex.IGNORECASE | regex.UNICODE) for source in self.sources)

    @functools.cached_property
    def lowered(self) -> tuple[Any, ...]:
        """Patterns for lower-cased text (see :func:`compile_pattern`)."""
        return tuple(compile_pattern(source) for source in self.sources)


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
    #: The words that made a concept match, in order ("bara", "svåraste", "problemen").
    words: tuple[str, ...] = ()


def term_rule(term: Term, edition: Edition) -> TextRule:
    """Compile one outdated term."""
    pattern = term.pattern or re.escape(term.term)
    since = (
        _(" since {since}").format(since=term.since) if term.since else _(" in {edition}").format(edition=edition.id)
    )
    return TextRule(
        id=term.id,
        rule="term/outdated",
        severity=Severity(term.severity),
        sources=(pattern,),
        message=_("outdated term '{term}' (outdated{since}); say '{replacement}'").format(
            term=term.term, since=since, replacement=term.replacement
        ),
        hint=_(
            "write '{replacement}'; if this text quotes the old term on purpose, add 'discusses: [{id}]' to it"
        ).format(replacement=term.replacement, id=term.id),
        edition=edition.id,
    )


def vocabulary_of(editions: Editions, edition: Edition) -> dict[str, list[str]]:
    """The word sets an edition's claims may name: its lineage's, a later edition's set replacing an earlier one."""
    merged: dict[str, list[str]] = {}
    for each in editions.lineage(edition.id) or [edition]:
        merged.update(each.vocabulary)
    return merged


def expand(terms: list[str], vocabulary: dict[str, list[str]]) -> list[str]:
    """A concept's terms with each '@name' replaced by the word set of that name (unknown names are dropped)."""
    expanded: list[str] = []
    for term in terms:
        if term.startswith("@"):
            expanded.extend(vocabulary.get(term[1:], ()))
        else:
            expanded.append(term)
    return list(dict.fromkeys(expanded))


def claim_rule(claim: Claim, edition: Edition, vocabulary: dict[str, list[str]] | None = None) -> TextRule:
    """Compile one misconception claim; ``vocabulary`` holds the word sets its concepts may name."""
    concepts = None
    if claim.when:
        from vastbus_cli.claims import ConceptClaim, Group

        groups = [Group(tuple(g.all), g.within, g.ordered, g.negated, tuple(g.unless)) for g in claim.when]
        words = vocabulary if vocabulary is not None else edition.vocabulary
        concepts = ConceptClaim.compile({name: expand(terms, words) for name, terms in claim.concepts.items()}, groups)
    return TextRule(
        id=claim.id,
        rule="claim/misconception",
        severity=Severity(claim.severity),
        sources=tuple(claim.patterns),
        message=_("misconception '{claim}': {misconception}").format(claim=claim.id, misconception=claim.misconception),
        hint=_(
            "correct: {correct} (sections: {sections}); if this text quotes it in order to correct it, add "
            "'discusses: [{claim}]'"
        ).format(correct=" ".join(claim.correct.split()), sections=", ".join(claim.sections), claim=claim.id),
        edition=edition.id,
        concepts=concepts,
    )


def active_rules(editions: Editions, current: Edition, as_of: dt.date) -> list[TextRule]:
    """Terms and claims of the current edition and every edition it supersedes.

    A term with a ``since`` date later than ``as_of`` is not yet outdated and is left out.
    """
    rules: list[TextRule] = []
    vocabulary = vocabulary_of(editions, current)
    for edition in editions.lineage(current.id):
        for term in edition.terms:
            if term.since is None or earliest_day(term.since) <= as_of:
                rules.append(term_rule(term, edition))
        rules.extend(claim_rule(claim, edition, vocabulary) for claim in edition.claims)
    return rules


#: Joins texts so that no rule can match across two of them: patterns use \\s, \\w,
#: [^.] and . , none of which matches a full stop between two line breaks; and the blank
#: line ends a claim's sentence whatever word ends the text before it ("osv").
_SEPARATOR = "\n.\n\n"
#: CPU seconds one pattern may spend on one batch of texts, plus a share per character so
#: that a long text never stops a sound pattern: sound patterns scan a megabyte in well
#: under 0.1 s. ``regex`` counts the time spent matching over the whole ``finditer``.
PATTERN_BUDGET = 0.25
_BUDGET_PER_CHARACTER = 1e-6


class SlowPattern(NamedTuple):
    """A pattern that used up its time budget and was stopped."""

    rule: TextRule
    position: int  # which of the rule's sources
    seconds: float  # the budget it used up

    @property
    def source(self) -> str:
        """The pattern as written."""
        return self.rule.sources[self.position]


class RuleSet:
    """Rules compiled once, matched against many texts in one pass per rule."""

    def __init__(
        self,
        rules: list[TextRule],
        *,
        budget: float = PATTERN_BUDGET,
        too_slow: dict[tuple[str, str], SlowPattern] | None = None,
        lines_are_paragraphs: bool = False,
    ) -> None:
        """Keep the rules; ``too_slow`` may be shared between rule sets, so a pattern is stopped once.

        ``lines_are_paragraphs``: the texts come from Office files, where each line is a
        title, a bullet or a paragraph, so a claim never joins two of them into a sentence.
        """
        self.rules = rules
        self.budget = budget
        self.lines_are_paragraphs = lines_are_paragraphs
        #: (edition, rule id) → the pattern stopped for using up its budget; never matched again.
        self.too_slow: dict[tuple[str, str], SlowPattern] = {} if too_slow is None else too_slow

    def __iter__(self) -> Iterator[TextRule]:
        """The rules."""
        return iter(self.rules)

    def matches_many(self, texts: list[str]) -> Iterator[tuple[int, TextMatch]]:
        """(index of the text, match) for every match in any of ``texts``.

        A rule whose pattern uses up its time budget yields nothing more and is added
        to :attr:`too_slow`; the other rules go on.
        """
        starts: list[int] = []
        offset = 0
        for text in texts:
            starts.append(offset)
            offset += len(text) + len(_SEPARATOR)
        joined = _SEPARATOR.join(texts)
        space, lowered = _search_space(joined)
        timeout = self.budget + len(joined) * _BUDGET_PER_CHARACTER
        lower_text = space if lowered else joined.lower()
        concept_index: Any = None  # the words of all the texts, indexed once for every claim
        for rule in self.rules:
            key = (rule.edition, rule.id)
            if key in self.too_slow:
                continue
            seen: dict[int, list[tuple[int, int]]] = {}
            if rule.concepts is not None and rule.concepts.might_match(lower_text):
                if concept_index is None:
                    from vastbus_cli.claimtext import TextIndex

                    concept_index = TextIndex.of(joined, lines_are_paragraphs=self.lines_are_paragraphs)
                yield from self._concept_matches(rule, joined, starts, concept_index, seen)
            for position, pattern in enumerate(rule.lowered if lowered else rule.patterns):
                try:
                    for match in pattern.finditer(space, timeout=timeout):
                        index = bisect.bisect_right(starts, match.start()) - 1
                        base = starts[index]
                        span = (match.start() - base, match.end() - base)
                        spans = seen.setdefault(index, [])
                        if span[0] == span[1] or _overlaps(spans, span):
                            continue
                        bisect.insort(spans, span)
                        yield index, TextMatch(rule, span[0], span[1], joined[match.start() : match.end()])
                except TimeoutError:
                    self.too_slow[key] = SlowPattern(rule, position, timeout)
                    break

    @staticmethod
    def _concept_matches(
        rule: TextRule, joined: str, starts: list[int], index: Any, seen: dict[int, list[tuple[int, int]]]
    ) -> Iterator[tuple[int, TextMatch]]:
        """Concept claims run once over all the texts joined; the full stop between texts ends a sentence."""
        for found in rule.concepts.find(joined, index):
            number = bisect.bisect_right(starts, found.start) - 1
            base = starts[number]
            span = (found.start - base, found.end - base)
            spans = seen.setdefault(number, [])
            if _overlaps(spans, span):
                continue
            bisect.insort(spans, span)
            yield number, TextMatch(rule, span[0], span[1], joined[found.start : found.end], found.words)


def _overlaps(spans: list[tuple[int, int]], span: tuple[int, int]) -> bool:
    """Whether ``span`` overlaps one of ``spans`` (sorted, not overlapping each other).

    Only the neighbours on either side can overlap, so a text with many matches costs
    a logarithm per match, not a pass over every earlier one.
    """
    at = bisect.bisect_left(spans, span)
    before = at > 0 and spans[at - 1][1] > span[0]
    after = at < len(spans) and spans[at][0] < span[1]
    return before or after


def find_matches(
    rules: list[TextRule],
    text: str,
    allowed: frozenset[str] = frozenset(),
    too_slow: dict[tuple[str, str], SlowPattern] | None = None,
) -> Iterator[TextMatch]:
    """Every non-overlapping match of every rule not in ``allowed`` in one text."""
    ruleset = RuleSet([rule for rule in rules if rule.id not in allowed], too_slow=too_slow)
    for _index, match in ruleset.matches_many([text]):
        yield match


def rules_in_text(
    rules: list[TextRule], text: str, too_slow: dict[tuple[str, str], SlowPattern] | None = None
) -> set[str]:
    """Ids of the rules that match anywhere in ``text`` (a stopped rule matches nothing)."""
    return {match.rule.id for match in find_matches(rules, text, too_slow=too_slow)}
