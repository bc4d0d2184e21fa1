"""Checks of what the course says and shows: repealed laws, plain-text cross-references, hedges on slides.

``law/repealed``: a sentence cites a law past its end date (the editions' ``laws``) without
saying that it applied until then. ``xref/plain-text``: a text points to another module or
slide in words ("tas upp i modulen om …"), which a track may leave out; ``xref/unknown-target``:
a slide's ``see:`` names material that does not exist. ``hedge/on-slide``: a source hedge or a
trainer instruction in what participants see. The phrases are data in :mod:`vastbus_cli.phrases`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from vastbus_cli.checks.context import Context
from vastbus_cli.checks.prose import SourceText, prose_strings, text_documents
from vastbus_cli.findings import Finding, Severity
from vastbus_cli.i18n import N_, _
from vastbus_cli.models import Edition, Law, Module, earliest_day
from vastbus_cli.phrases import CROSS_REFERENCES, HEDGES, Phrase
from vastbus_cli.rules import ERROR, HEDGE, LAW, WARNING, XREF, Rule
from vastbus_cli.textrules import PATTERN_BUDGET, PatternError, compile_pattern
from vastbus_cli.workspace import Document
from vastbus_cli.yamlpos import value_position

#: What each phrase of :mod:`vastbus_cli.phrases` is, as the findings name it (marked here for the catalog;
#: ``tests/test_check_swedish.py`` holds every phrase's ``what`` in this list).
PHRASE_KINDS = (
    N_("a source hedge"),
    N_("a marking for the trainer"),
    N_("a trainer instruction"),
    N_("a note on the source"),
    N_("a reference to another module or slide"),
    N_("a reference to another module"),
    N_("a reference to a step of another module"),
    N_("a reference to the next slide"),
)

LAW_REPEALED = Rule(
    "law/repealed",
    ERROR,
    LAW,
    N_(
        "a sentence cites a law past its end date (the editions' `laws`), e.g. socialtjänstlagen "
        "(2001:453) after 30 juni 2025, without saying that it applied until then (the end date, "
        "the next day, or one of the law's `historic` phrases in the same sentence)"
    ),
)
XREF_PLAIN_TEXT = Rule(
    "xref/plain-text",
    WARNING,
    XREF,
    N_(
        'a text points to another module, slide or step in words ("tas upp i modulen om …", "i '
        'SIP-processen, steg 1", "tar nästa bild upp"), which a track may leave out: use the '
        "slide's `see:`, which the packs write only where they teach the target"
    ),
)
XREF_UNKNOWN_TARGET = Rule(
    "xref/unknown-target", ERROR, XREF, N_("a slide's `see:` names a module or slide that does not exist")
)
HEDGE_ON_SLIDE = Rule(
    "hedge/on-slide",
    WARNING,
    HEDGE,
    N_(
        'a source hedge or trainer instruction ("har inte kunnat bekräftas", "inte bekräftad", '
        '"Ange inget paragrafnummer", "kommer från SKR") in what participants see: slide titles, '
        "bullets, columns, diagrams, quiz questions and options; it belongs in the notes. The "
        "phrases are listed in `vastbus_cli/phrases.py`"
    ),
)
RULES: tuple[Rule, ...] = (LAW_REPEALED, XREF_PLAIN_TEXT, XREF_UNKNOWN_TARGET, HEDGE_ON_SLIDE)

MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
# A sentence ends at . ! ? before a capital letter or a quotation mark: "2 kap. 7 §" stays one sentence.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ”\"])|\n\s*\n")


def swedish_date(day: dt.date) -> str:
    """``30 juni 2025``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def sentences_of(text: str) -> Iterator[str]:
    """The sentences of a text, roughly: enough to keep a citation and its dates together."""
    for sentence in _SENTENCE_END.split(text):
        if sentence.strip():
            yield sentence


def _place(source: SourceText, container: Any, key: Any, text: str, found: str) -> tuple[int, int]:
    start = value_position(container, key)
    cursor = source.offset(*start) if start else 0
    offset = source.locate(cursor, text, found)
    if offset is not None:
        return source.position(offset)
    return start or (0, 0)


# --- law/repealed -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Repealed:
    law: Law
    edition: Edition
    cited: tuple[Any, ...]
    historic: tuple[Any, ...]
    dates: tuple[str, ...]


def _repealed_laws(ctx: Context) -> list[_Repealed]:
    """Laws of the current edition and the ones it supersedes whose end date has passed."""
    found: list[_Repealed] = []
    seen: set[str] = set()
    for edition in ctx.editions.lineage(ctx.current.id):
        for law in edition.laws:
            end = earliest_day(law.valid_until)
            if law.id in seen or ctx.as_of <= end:
                continue
            seen.add(law.id)
            try:
                cited = tuple(compile_pattern(p) for p in law.cited)
                historic = tuple(compile_pattern(p) for p in law.historic)
            except PatternError:  # the model validated them; a pattern too costly is left out
                continue
            dates = (swedish_date(end), swedish_date(end + dt.timedelta(days=1)), end.isoformat())
            found.append(_Repealed(law, edition, cited, historic, dates))
    return found


def _search(pattern: Any, text: str) -> Any:
    try:
        return pattern.search(text, timeout=PATTERN_BUDGET)
    except TimeoutError:
        return None


def check_laws(ctx: Context) -> Iterator[Finding]:
    """A sentence citing a repealed law must say that it applied until its end date."""
    laws = _repealed_laws(ctx)
    if not laws:
        return
    for doc, data, source in text_documents(ctx):
        for container, key, text, _pos, _path in prose_strings(data, frozenset()):
            for sentence in sentences_of(text):
                lowered = " ".join(sentence.lower().split())
                for repealed in laws:
                    match = next((m for p in repealed.cited if (m := _search(p, lowered))), None)
                    if match is None:
                        continue
                    if any(date in lowered for date in repealed.dates) or any(
                        _search(p, lowered) for p in repealed.historic
                    ):
                        continue
                    law = repealed.law
                    line, column = _place(source, container, key, text, match.group())
                    successor = (
                        _("; replaced by {replaced_by}").format(replaced_by=law.replaced_by) if law.replaced_by else ""
                    )
                    yield LAW_REPEALED.at(
                        _(
                            "'{sentence}' cites {law} as if it applied today; it applied until {dates}{successor}"
                        ).format(
                            sentence=" ".join(sentence.split()),
                            law=law.name,
                            dates=repealed.dates[0],
                            successor=successor,
                        ),
                        doc.rel,
                        line,
                        column,
                        law.note
                        or _("say that it applied until {dates} ('gällde … –{dates}')").format(dates=repealed.dates[0]),
                        severity=Severity.ERROR,
                    )


# --- xref/plain-text, xref/unknown-target -----------------------------------------------------


def _phrases(text: str, phrases: tuple[Phrase, ...]) -> Iterator[tuple[Phrase, re.Match[str]]]:
    """The first phrase found in each sentence of ``text`` (one finding per sentence, not per pattern)."""
    offset = 0
    for sentence in sentences_of(text):
        start = text.index(sentence, offset)
        offset = start + len(sentence)
        found = [
            (match.start(), index, phrase, match)
            for index, phrase in enumerate(phrases)
            if (match := phrase.compiled.search(text, start, offset))
        ]
        if found:
            _start, _index, phrase, match = min(found, key=lambda item: (item[0], item[1]))
            yield phrase, match


def check_cross_references(ctx: Context) -> Iterator[Finding]:
    """Pointers to other material are ``see:`` entries, which packs write only when they teach the target."""
    for doc, data, source in text_documents(ctx):
        for container, key, text, _pos, path in prose_strings(data, frozenset()):
            if "see" in path:
                continue
            for phrase, match in _phrases(text, CROSS_REFERENCES):
                line, column = _place(source, container, key, text, match.group())
                around = text[max(0, match.start() - 30) : match.end() + 30]
                yield XREF_PLAIN_TEXT.at(
                    _(
                        "{what} in plain text: '…{text}…'; a track that leaves the target out would still point to it"
                    ).format(what=_(phrase.what), text=" ".join(around.split())),
                    doc.rel,
                    line,
                    column,
                    _(
                        "move the sentence to the slide's 'see:' (module, slide, text, otherwise), which the packs "
                        "write only when they teach the target"
                    ),
                    severity=Severity.WARNING,
                )
    modules = {doc.model.id: doc.model for doc in ctx.workspace.modules if doc.model is not None}
    documents: list[Document[Any]] = [*ctx.workspace.modules, *ctx.workspace.local]
    for document in documents:
        for s_index, slide in enumerate(getattr(document.model, "slides", None) or []):
            for x_index, see in enumerate(slide.see):
                loc = ("slides", s_index, "see", x_index)
                yield from _check_target(ctx, document, modules, see.module, see.slide, loc)


def _check_target(
    ctx: Context,
    doc: Document[Any],
    modules: dict[str, Module],
    module_id: str,
    slide_id: str | None,
    loc: tuple[Any, ...],
) -> Iterator[Finding]:
    target = modules.get(module_id)
    if target is None:
        yield ctx.unknown(
            XREF_UNKNOWN_TARGET,
            _("'see' names module '{module}', which does not exist").format(module=module_id),
            doc,
            (*loc, "module"),
            module_id,
            modules,
        )
    elif slide_id is not None and slide_id not in {s.id for s in target.slides}:
        yield ctx.unknown(
            XREF_UNKNOWN_TARGET,
            _("'see' names slide '{slide}' of module '{module}', which has no such slide").format(
                slide=slide_id, module=module_id
            ),
            doc,
            (*loc, "slide"),
            slide_id,
            [s.id for s in target.slides],
        )


# --- hedge/on-slide ---------------------------------------------------------------------------


def _visible(data: dict[str, Any]) -> Iterator[tuple[Any, Any, str]]:
    """(container, key, text) for what participants see.

    Slide titles, bullets, columns, tables and cards, diagrams and the quiz; a local file's title,
    contacts and routines; the course's lines on the closing slide and its contact route.
    """
    for key in ("title", "material", "evaluation", "contact_route"):
        yield from _strings(data, key)
    for contact in _items(data, "contacts"):
        for key in ("role", "organisation", "how"):
            yield from _strings(contact, key)
    for routine in _items(data, "routines"):
        yield from _strings(routine, "title")
        yield from _strings(routine, "steps")
    for slide in _items(data, "slides"):
        yield from _strings(slide, "title")
        yield from _strings(slide, "bullets")
        for column in _items(slide, "columns"):
            yield from _strings(column, "heading")
            yield from _strings(column, "bullets")
        rows = slide.get("table")
        for row in rows if isinstance(rows, list) else []:
            if isinstance(row, list):
                yield from ((row, index, cell) for index, cell in enumerate(row) if isinstance(cell, str))
        for key, fields in (("case", ("person", "situation", "question")), ("exercise", ("task", "group", "debrief"))):
            card = slide.get(key)
            if isinstance(card, dict):
                for name in fields:
                    yield from _strings(card, name)
        yield from _strings(slide, "action")
    for diagram in _items(data, "diagrams"):
        yield from _strings(diagram, "title")
        for item in _items(diagram, "items"):
            yield from _strings(item, "label")
            yield from _strings(item, "detail")
    for question in _items(data, "quiz"):
        yield from _strings(question, "question")
        yield from _strings(question, "options")


def _items(node: Any, key: str) -> list[Any]:
    value = node.get(key) if isinstance(node, dict) else None
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _strings(node: dict[str, Any], key: str) -> Iterator[tuple[Any, Any, str]]:
    value = node.get(key)
    if isinstance(value, str):
        yield node, key, value
    elif isinstance(value, list):
        yield from ((value, index, item) for index, item in enumerate(value) if isinstance(item, str))


def check_hedges(ctx: Context) -> Iterator[Finding]:
    """Source hedges and trainer instructions belong in the notes, not on what participants see."""
    for doc, data, source in text_documents(ctx):
        for container, key, text in _visible(data):
            for phrase, match in _phrases(text, HEDGES):
                line, column = _place(source, container, key, text, match.group())
                yield HEDGE_ON_SLIDE.at(
                    _("{what} on what participants see: '{text}'").format(
                        what=_(phrase.what), text=" ".join(text.split())
                    ),
                    doc.rel,
                    line,
                    column,
                    _(
                        "say on the slide what is known, plainly; move the hedge or the instruction to the speaker "
                        "notes (and the unverified field), where the trainer reads it"
                    ),
                    severity=Severity.WARNING,
                )


__all__ = ["check_cross_references", "check_hedges", "check_laws", "sentences_of", "swedish_date"]
