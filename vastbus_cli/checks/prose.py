"""Checks of the prose: outdated terms, misconceptions, ``discusses`` and pattern cost."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from typing import Any

from vastbus_cli.checks.context import NON_PROSE_KEYS, Context
from vastbus_cli.findings import Finding, Severity
from vastbus_cli.i18n import N_, _
from vastbus_cli.rules import CLAIM, DISCUSSES, ERROR, INFO, PATTERN, TERM, TEXT, WARNING, Rule
from vastbus_cli.textrules import TextMatch
from vastbus_cli.workspace import Document
from vastbus_cli.yamlpos import value_position

_DISCUSSES = N_("`discusses` names an unknown id / a term the text never uses")
TERM_OUTDATED = Rule(
    "term/outdated",
    ERROR,
    TERM,
    N_('outdated wording, e.g. "Västbusmöte" → "SIP-möte", "HSL 3 f §" → "16 kap. 4 § HSL"'),
    also=(WARNING,),
)
TEXT_PUNCTUATION = Rule(
    "text/punctuation",
    WARNING,
    TEXT,
    N_(
        "two full stops, a doubled quotation mark or a space before punctuation in the course text "
        "(the packs write Swedish quotation marks ”…” whatever was typed)"
    ),
)
CLAIM_MISCONCEPTION = Rule(
    "claim/misconception",
    ERROR,
    CLAIM,
    N_("a known misconception, e.g. that SIP is only for the most complex cases"),
    also=(WARNING,),
)
DISCUSSES_UNKNOWN = Rule("discusses/unknown", ERROR, DISCUSSES, _DISCUSSES)
DISCUSSES_UNUSED = Rule("discusses/unused", INFO, DISCUSSES, _DISCUSSES)
PATTERN_TOO_SLOW = Rule(
    "pattern/too-slow",
    ERROR,
    PATTERN,
    N_(
        "a term's or claim's pattern backtracked past its time budget (0.25 s per batch of text) "
        "and was stopped, so it was not checked from there on: simplify it"
    ),
)
RULES: tuple[Rule, ...] = (
    TERM_OUTDATED,
    TEXT_PUNCTUATION,
    CLAIM_MISCONCEPTION,
    DISCUSSES_UNKNOWN,
    DISCUSSES_UNUSED,
    PATTERN_TOO_SLOW,
)
#: The rules of the terms and claims (``TextRule.rule``), by id.
_TEXT_RULES = {rule.id: rule for rule in (TERM_OUTDATED, CLAIM_MISCONCEPTION)}


def prose_strings(
    node: Any, allowed: frozenset[str], path: tuple[Any, ...] = ()
) -> Iterator[tuple[Any, Any, str, frozenset[str], tuple[Any, ...]]]:
    """(container, key, text, allowed rule ids, path) for every prose string in a tree."""
    if isinstance(node, dict):
        discusses = node.get("discusses")
        if isinstance(discusses, list):
            allowed = allowed | frozenset(str(d) for d in discusses)
        for key, value in node.items():
            if key in NON_PROSE_KEYS:
                continue
            if isinstance(value, str):
                yield node, key, value, allowed, (*path, key)
            else:
                yield from prose_strings(value, allowed, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if isinstance(value, str):
                yield node, index, value, allowed, (*path, index)
            else:
                yield from prose_strings(value, allowed, (*path, index))


# Line breaks as the YAML parser counts them, so its positions map onto this text.
_NEWLINE = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


class SourceText:
    """Maps text found in a parsed value back to its line and column in the file."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts = [0, *(match.end() for match in _NEWLINE.finditer(text))]

    def offset(self, line: int, column: int) -> int:
        """The offset in the file of a 1-based line and column."""
        return self.line_starts[min(line, len(self.line_starts)) - 1] + column - 1

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column of an offset in the file."""
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def locate(self, start: int, value: str, matched: str) -> int | None:
        """Offset of ``matched`` in the raw file, searching from the value's start.

        Folded and multi-line scalars change line breaks and indentation, so words
        are matched with any whitespace between them.
        """
        words = matched.split()
        if not words:
            return None
        pattern = re.compile(r"\s+".join(re.escape(word) for word in words), re.IGNORECASE)
        window_end = min(len(self.text), start + 2 * len(value) + 400)
        found = pattern.search(self.text, start, window_end)
        return found.start() if found else None


def text_documents(ctx: Context) -> Iterator[tuple[Document[Any], dict[str, Any], SourceText]]:
    """Every file whose text is taught (modules, local additions, the course) that parsed to a mapping."""
    documents: list[Document[Any]] = [*ctx.workspace.modules, *ctx.workspace.local]
    if ctx.workspace.course is not None:
        documents.append(ctx.workspace.course)
    for doc in documents:
        data = doc.loaded.data
        if isinstance(data, dict):
            yield doc, data, SourceText(doc.loaded.text)


def check_prose(ctx: Context) -> Iterator[Finding]:
    """Outdated terms and misconceptions in any text of the curriculum, with their position."""
    known_ids = {r.id for r in ctx.rules}
    term_ids = {r.id for r in ctx.rules if r.rule == TERM_OUTDATED.id}
    documents = list(text_documents(ctx))
    proses = [list(prose_strings(data, frozenset())) for _, data, _ in documents]
    # All the texts in one pass: each rule, and the claims' word index, then cost once, not once per file.
    owners = [(number, index) for number, prose in enumerate(proses) for index in range(len(prose))]
    found_in: list[dict[int, list[Any]]] = [{} for _ in documents]
    for position, match in ctx.rules.matches_many([item[2] for prose in proses for item in prose]):
        number, index = owners[position]
        found_in[number].setdefault(index, []).append(match)
    ctx.note_slow(_("the text of the modules, local additions and course"))
    for (doc, data, source), prose, found in zip(documents, proses, found_in, strict=True):
        used: set[tuple[tuple[Any, ...], str]] = set()
        yield from _text_findings(doc, source, prose, found, used)
        # A stopped rule matched nothing in this text, so nothing says its discusses is unused.
        stopped = {rule_id for _, rule_id in ctx.rules.too_slow}
        yield from _check_discusses(ctx, doc, data, known_ids, term_ids - stopped, used)


def _text_findings(
    doc: Document[Any],
    source: SourceText,
    prose: list[tuple[Any, Any, str, frozenset[str], tuple[Any, ...]]],
    found: dict[int, list[TextMatch]],
    used: set[tuple[tuple[Any, ...], str]],
) -> Iterator[Finding]:
    """One file's matches as findings at their place in the text; the allowed ones go into ``used``."""
    for index in sorted(found):
        container, key, text, allowed, path = prose[index]
        start_pos = value_position(container, key)
        cursor = source.offset(*start_pos) if start_pos else 0
        for match in sorted(found[index], key=lambda m: m.start):
            if match.rule.id in allowed:
                used.add((_owner(path), match.rule.id))
                continue
            offset = source.locate(cursor, text, match.text)
            if offset is not None:
                line, column = source.position(offset)
                cursor = offset + 1
            else:
                line, column = start_pos or (0, 0)
            yield _text_finding(doc, match, line, column)


def _text_finding(doc: Document[Any], match: TextMatch, line: int, column: int) -> Finding:
    """A term or claim found in the text, with what it matched."""
    found_text = " ".join(match.text.split())
    evidence = (
        _("matched {items} in '{text}'").format(items=" + ".join(repr(w) for w in match.words), text=found_text)
        if match.words
        else _("found '{text}'").format(text=found_text)
    )
    return _TEXT_RULES[match.rule.rule].at(
        f"{match.rule.message} — {evidence}",
        doc.rel,
        line,
        column,
        match.rule.hint,
        severity=match.rule.severity,
    )


#: Typing slips the writers cannot mend: (pattern, what it is, how to fix it).
_PUNCTUATION = (
    (re.compile(r"(?<![.…])\.\.(?!\.)"), N_("two full stops"), N_("write one full stop, or … for a pause")),
    (re.compile(r"[\"”“]{2}"), N_("a doubled quotation mark"), N_("write one quotation mark on each side")),
    (re.compile(r"(?<=\S) +[,.;:!?](?=\s|$)"), N_("a space before punctuation"), N_("remove the space")),
)


def check_punctuation(ctx: Context) -> Iterator[Finding]:
    """Doubled full stops, doubled quotation marks and spaces before punctuation in the course text."""
    for doc, data, source in text_documents(ctx):
        for container, key, text, _pos, _path in prose_strings(data, frozenset()):
            for pattern, what, hint in _PUNCTUATION:
                for match in pattern.finditer(text):
                    start_pos = value_position(container, key)
                    cursor = source.offset(*start_pos) if start_pos else 0
                    around = text[max(0, match.start() - 25) : match.end() + 25].replace("\n", " ").strip()
                    offset = source.text.find(match.group().strip(), cursor)
                    line, column = source.position(offset) if offset >= 0 else (start_pos or (0, 0))
                    yield TEXT_PUNCTUATION.at(
                        _("{what} in '{around}'").format(what=_(what), around=around),
                        doc.rel,
                        line,
                        column,
                        _(hint),
                        severity=Severity.WARNING,
                    )


def _owner(path: tuple[Any, ...]) -> tuple[Any, ...]:
    """The path of the slide, quiz item, routine or example a text belongs to."""
    for size in range(len(path), 0, -1):
        if (
            isinstance(path[size - 1], int)
            and size >= 2
            and path[size - 2] in ("slides", "quiz", "routines", "examples")
        ):
            return path[:size]
    return ()


def _check_discusses(
    ctx: Context,
    doc: Document[Any],
    data: Any,
    known_ids: set[str],
    term_ids: set[str],
    used: set[tuple[tuple[Any, ...], str]],
) -> Iterator[Finding]:
    for kind in ("slides", "quiz", "routines", "examples"):
        items = data.get(kind) if isinstance(data, dict) else None
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            discusses = item.get("discusses") if isinstance(item, dict) else None
            if not isinstance(discusses, list):
                continue
            for pos, rule_id in enumerate(discusses):
                loc = (kind, index, "discusses", pos)
                if rule_id not in known_ids:
                    yield ctx.unknown(
                        DISCUSSES_UNKNOWN,
                        _("'{rule_id}' is not a term or claim of {current} or earlier editions").format(
                            rule_id=rule_id, current=ctx.current.id
                        ),
                        doc,
                        loc,
                        str(rule_id),
                        known_ids,
                    )
                elif rule_id in term_ids and ((kind, index), rule_id) not in used:
                    yield ctx.finding(
                        DISCUSSES_UNUSED,
                        Severity.INFO,
                        _("'{rule_id}' is listed in discusses but the text never mentions it").format(rule_id=rule_id),
                        doc,
                        loc,
                        hint=_("remove it from discusses"),
                    )


def check_patterns(ctx: Context) -> Iterator[Finding]:
    """Term and claim patterns stopped for backtracking too long; runs last, after all matching."""
    docs = {doc.model.id: doc for doc in ctx.workspace.editions if doc.model is not None}
    for key, slow in ctx.rules.too_slow.items():
        doc = docs.get(slow.rule.edition)
        is_term = slow.rule.rule == TERM_OUTDATED.id
        items: list[Any] = (doc.model.terms if is_term else doc.model.claims) if doc and doc.model else []
        index = next((i for i, item in enumerate(items) if item.id == slow.rule.id), None)
        if doc is None or index is None:
            continue
        loc = ("terms", index, "pattern") if is_term else ("claims", index, "patterns", slow.position)
        yield ctx.finding(
            PATTERN_TOO_SLOW,
            Severity.ERROR,
            (
                _(
                    "the pattern of term '{id}' was stopped after {seconds:.2f} s of backtracking on {where}; "
                    "term '{id}' was not checked from there on"
                )
                if is_term
                else _(
                    "the pattern of claim '{id}' was stopped after {seconds:.2f} s of backtracking on {where}; "
                    "claim '{id}' was not checked from there on"
                )
            ).format(id=slow.rule.id, seconds=slow.seconds, where=ctx.slow_where.get(key) or _("the text")),
            doc,
            loc,
            hint=_(
                "simplify the pattern: avoid nested repetition like (\\w+\\s?)+ or (a|a)+, which can match "
                "one text in very many ways"
            ),
        )
