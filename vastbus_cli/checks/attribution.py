"""Checks that text credits a rule to where it comes from: the agreement, the law, a guideline, support material.

A sentence such as "enligt överenskommelsen ska kallelsen ange syfte" is only right if
the slide cites a section that rests on the agreement itself. Sections say what they
rest on with ``basis``; this rule compares the two.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from vastbus_cli.checks.context import Context
from vastbus_cli.editions import basis_of
from vastbus_cli.findings import Finding, Severity
from vastbus_cli.i18n import N_, _
from vastbus_cli.models import BASIS_NAMES, Basis, Example, LocalAddition, Module, QuizItem, Ref, Routine, Slide
from vastbus_cli.rules import ERROR, REF, WARNING, Rule
from vastbus_cli.workspace import Document

REF_ATTRIBUTION = Rule(
    "ref/attribution",
    ERROR,
    REF,
    N_(
        'text credits a rule to "överenskommelsen", "lagen", "SIP-riktlinjen" or "stödmaterialet" '
        '("enligt …", "… säger", "står i …"), but the item\'s refs cite no section resting on that '
        "(`basis`); a warning when the item cites nothing"
    ),
    also=(WARNING,),
)
RULES: tuple[Rule, ...] = (REF_ATTRIBUTION,)

_VERB = r"(?:säger|anger|kräver|ålägger|slår\s+fast|föreskriver|beskriver)"


def _credit(name: str) -> str:
    return rf"\benligt\s+{name}|\b{name}\s+{_VERB}\b|\b(?:står|finns)\s+i\s+{name}|\bkommer\s+från\s+{name}"


#: How running text credits each basis, one named group per basis so one pass finds them
#: all. "står inte i överenskommelsen" is not a credit.
_NAMES: dict[str, tuple[Basis, str]] = {
    "agreement": (Basis.OVERENSKOMMELSE, r"överenskommelsen\b"),
    "guideline": (Basis.SIP_RIKTLINJE, r"(?:den\s+regionala\s+)?sip-riktlinjen\b"),
    "law": (Basis.LAG, r"lag(?:en)?\b"),
    "support": (Basis.STODMATERIAL, r"stödmaterialet\b"),
}
CREDITS = re.compile("|".join(f"(?P<{group}>{_credit(name)})" for group, (_, name) in _NAMES.items()), re.IGNORECASE)
#: Words every credit contains; text without any of them is skipped without running CREDITS.
_CUE = re.compile(r"överenskommelsen|riktlinjen|lag|stödmaterialet", re.IGNORECASE)


def credits_in(text: str) -> Iterator[tuple[Basis, str]]:
    """(basis, phrase) for every place ``text`` credits a rule to the agreement, a guideline, law or support."""
    if not _CUE.search(text):
        return
    for match in CREDITS.finditer(text):
        group = match.lastgroup
        if group is not None:
            yield _NAMES[group][0], " ".join(match.group().split())


Item = Slide | QuizItem | Routine | Example


def _texts(item: Item) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(key path inside the item, text) for every text of a slide, quiz item, routine or example."""
    if isinstance(item, Slide):
        yield from item.shown()
        if item.notes:
            yield ("notes",), item.notes
        yield from ((("audience_notes", key), text) for key, text in item.audience_notes.items())
    elif isinstance(item, QuizItem):
        yield ("question",), item.question
        yield from ((("options", i), text) for i, text in enumerate(item.options))
        yield ("explanation",), item.explanation
    elif isinstance(item, Routine):
        yield ("title",), item.title
        yield from ((("steps", i), text) for i, text in enumerate(item.steps))
        if item.notes:
            yield ("notes",), item.notes
    else:
        yield ("summary",), item.summary


def _items(model: Module | LocalAddition) -> Iterator[tuple[tuple[Any, ...], Item]]:
    yield from ((("slides", i), slide) for i, slide in enumerate(model.slides))
    if isinstance(model, Module):
        yield from ((("quiz", i), item) for i, item in enumerate(model.quiz))
    else:
        yield from ((("routines", i), routine) for i, routine in enumerate(model.routines))
        yield from ((("examples", i), example) for i, example in enumerate(model.examples))


def _bases(ctx: Context, refs: list[Ref]) -> tuple[set[Basis], list[str]]:
    """What the cited sections rest on, and the sections, for the message."""
    found: set[Basis] = set()
    cited: list[str] = []
    for ref in refs:
        edition = ctx.editions.get(ref.edition)
        section = ctx.editions.section(ref.edition, ref.section) if edition else None
        if edition is None or section is None:
            continue
        bases = basis_of(edition, section)
        found.update(bases)
        cited.append(f"{ref.section} ({', '.join(b.value for b in bases)})")
    return found, cited


def check_attribution(ctx: Context) -> Iterator[Finding]:
    """Text that credits the agreement, the law, the SIP guideline or support material cites a section resting on it."""
    documents: list[Document[Any]] = [*ctx.workspace.modules, *ctx.workspace.local]
    for doc in documents:
        if doc.model is None:
            continue
        for here, item in _items(doc.model):
            credited = [(path, basis, phrase) for path, text in _texts(item) for basis, phrase in credits_in(text)]
            if not credited:
                continue
            bases, cited = _bases(ctx, getattr(item, "refs", []))
            for path, basis, phrase in credited:
                if basis in bases:
                    continue
                if not cited:
                    yield ctx.finding(
                        REF_ATTRIBUTION,
                        Severity.WARNING,
                        _("'{phrase}' credits {credited}, but '{item}' cites no section").format(
                            phrase=phrase, credited=BASIS_NAMES[basis], item=item.id
                        ),
                        doc,
                        (*here, *path),
                        hint=_("add a ref to the section that says it (one resting on {basis})").format(
                            basis=basis.value
                        ),
                    )
                    continue
                yield ctx.finding(
                    REF_ATTRIBUTION,
                    Severity.ERROR,
                    _(
                        "'{phrase}' credits {credited}, but the sections '{item}' cites rest on something else: {items}"
                    ).format(phrase=phrase, credited=BASIS_NAMES[basis], item=item.id, items="; ".join(cited)),
                    doc,
                    (*here, *path),
                    hint=_(
                        "name where the rule comes from (for example 'stödmaterialet Kallad eller inbjuden' or "
                        "'lagen'), or cite a section whose basis is {basis}"
                    ).format(basis=basis.value),
                )
