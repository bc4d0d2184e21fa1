"""Checks of the guideline editions: crosswalks, claims and terms."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import PurePosixPath

from vastbus_cli.checks.context import ID_DUPLICATE, Context, duplicate_ids
from vastbus_cli.editions import fingerprint
from vastbus_cli.findings import Finding, Severity
from vastbus_cli.i18n import N_, _
from vastbus_cli.models import GONE, Change, ChangeKind, Claim, Edition, Section, earliest_day
from vastbus_cli.rules import ERROR, GUIDELINE, WARNING, Rule
from vastbus_cli.textrules import RuleSet, claim_rule, rules_in_text, term_rule, vocabulary_of
from vastbus_cli.workspace import Document

_INCONSISTENT = N_(
    "a guideline edition is inconsistent: crosswalk entries (`bad-crosswalk`) or claims "
    "(`unknown-section`) naming unknown sections, an `unverified` change without saying what "
    "is not known, a changed or removed section the crosswalk does not declare "
    "(`undeclared-new` is a warning: a new section makes no ref stale), a claim that fails its "
    "own examples; `guideline/later-date` (warning) when a section's text mentions a year "
    "after the edition became valid, `guideline/update-date` when an `updates` entry predates "
    "it"
)
GUIDELINE_BAD_CROSSWALK = Rule("guideline/bad-crosswalk", ERROR, GUIDELINE, _INCONSISTENT)
GUIDELINE_CLAIM_EXAMPLE = Rule("guideline/claim-example", ERROR, GUIDELINE, _INCONSISTENT)
GUIDELINE_FILE_NAME = Rule("guideline/file-name", WARNING, GUIDELINE, _INCONSISTENT)
GUIDELINE_LATER_DATE = Rule("guideline/later-date", WARNING, GUIDELINE, _INCONSISTENT)
GUIDELINE_TERM_PATTERN = Rule("guideline/term-pattern", ERROR, GUIDELINE, _INCONSISTENT)
GUIDELINE_UNDECLARED_CHANGE = Rule("guideline/undeclared-change", ERROR, GUIDELINE, _INCONSISTENT)
GUIDELINE_UNDECLARED_NEW = Rule("guideline/undeclared-new", WARNING, GUIDELINE, _INCONSISTENT)
GUIDELINE_UNDECLARED_REMOVAL = Rule("guideline/undeclared-removal", ERROR, GUIDELINE, _INCONSISTENT)
GUIDELINE_UNKNOWN_SECTION = Rule("guideline/unknown-section", ERROR, GUIDELINE, _INCONSISTENT)
GUIDELINE_UNKNOWN_SUPERSEDES = Rule("guideline/unknown-supersedes", ERROR, GUIDELINE, _INCONSISTENT)
GUIDELINE_UPDATE_DATE = Rule("guideline/update-date", WARNING, GUIDELINE, _INCONSISTENT)
GUIDELINE_UNKNOWN_VOCABULARY = Rule(
    "guideline/unknown-vocabulary",
    ERROR,
    GUIDELINE,
    N_(
        "a claim's concept names a word set (`@name`) that its edition and the editions it "
        "supersedes do not declare under `vocabulary:`"
    ),
)
RULES: tuple[Rule, ...] = (
    GUIDELINE_BAD_CROSSWALK,
    GUIDELINE_CLAIM_EXAMPLE,
    GUIDELINE_FILE_NAME,
    GUIDELINE_LATER_DATE,
    GUIDELINE_TERM_PATTERN,
    GUIDELINE_UNDECLARED_CHANGE,
    GUIDELINE_UNDECLARED_NEW,
    GUIDELINE_UNDECLARED_REMOVAL,
    GUIDELINE_UNKNOWN_SECTION,
    GUIDELINE_UNKNOWN_SUPERSEDES,
    GUIDELINE_UPDATE_DATE,
    GUIDELINE_UNKNOWN_VOCABULARY,
)


def check_editions(ctx: Context) -> Iterator[Finding]:
    """Edition ids, supersedes links, crosswalks, claims and terms are consistent."""
    seen: dict[str, str] = {}
    for doc in ctx.workspace.editions:
        edition = doc.model
        if edition is None:
            continue
        if edition.id in seen:
            yield ctx.finding(
                ID_DUPLICATE,
                Severity.ERROR,
                _("edition id '{edition}' is also used in {seen}").format(edition=edition.id, seen=seen[edition.id]),
                doc,
                ("id",),
            )
        seen.setdefault(edition.id, doc.rel)
        if PurePosixPath(doc.rel).stem != edition.id:
            yield ctx.finding(
                GUIDELINE_FILE_NAME,
                Severity.WARNING,
                _("file name does not match the edition id '{edition}'").format(edition=edition.id),
                doc,
                ("id",),
                hint=_("rename the file to {edition}.yaml").format(edition=edition.id),
            )
        yield from duplicate_ids(ctx, doc, _("section id"), [s.id for s in edition.sections], ("sections",))
        if edition.supersedes and edition.supersedes not in ctx.editions:
            yield ctx.unknown(
                GUIDELINE_UNKNOWN_SUPERSEDES,
                _("supersedes unknown edition '{supersedes}'").format(supersedes=edition.supersedes),
                doc,
                ("supersedes",),
                edition.supersedes,
                ctx.editions.ids,
            )
        yield from _check_crosswalk(ctx, doc, edition)
        yield from _check_claims_and_terms(ctx, doc, edition)
        yield from _check_vocabulary(ctx, doc, edition)
        yield from _check_snapshot_dates(ctx, doc, edition)


def _check_vocabulary(ctx: Context, doc: Document[Edition], edition: Edition) -> Iterator[Finding]:
    """Every '@name' in a claim's concepts is a word set of the edition's lineage."""
    known = vocabulary_of(ctx.editions, edition)
    for index, claim in enumerate(edition.claims):
        for concept, terms in claim.concepts.items():
            for position, term in enumerate(terms):
                if term.startswith("@") and term[1:] not in known:
                    yield ctx.unknown(
                        GUIDELINE_UNKNOWN_VOCABULARY,
                        _(
                            "claim '{claim}' names the word set '{term}', which no edition of its lineage declares"
                        ).format(claim=claim.id, term=term),
                        doc,
                        ("claims", index, "concepts", concept, position),
                        term[1:],
                        set(known),
                        otherwise=_("declare it under 'vocabulary:' in this edition or one it supersedes"),
                    )


_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")


def _check_snapshot_dates(ctx: Context, doc: Document[Edition], edition: Edition) -> Iterator[Finding]:
    """An edition's sections say what was known when it became valid; later events go under ``updates``."""
    valid = earliest_day(edition.valid_from)
    for index, section in enumerate(edition.sections):
        texts = [("title",), ("summary",), *(("key_points", i) for i in range(len(section.key_points)))]
        values = [section.title, section.summary, *section.key_points]
        for loc, text in zip(texts, values, strict=True):
            later = sorted({int(year) for year in _YEAR.findall(text) if int(year) > valid.year})
            if later:
                yield ctx.finding(
                    GUIDELINE_LATER_DATE,
                    Severity.WARNING,
                    _(
                        "section '{section}' of {edition} (valid from {valid_from}) mentions {dates}, after the "
                        "edition was adopted"
                    ).format(
                        section=section.id,
                        edition=edition.id,
                        valid_from=edition.valid_from,
                        dates=", ".join(map(str, later)),
                    ),
                    doc,
                    ("sections", index, *loc),
                    hint=_(
                        "keep the snapshot as the edition said it; put later changes under the section's "
                        "'updates:' with their date"
                    ),
                )
        for pos, update in enumerate(section.updates):
            if earliest_day(update.on) < valid:
                yield ctx.finding(
                    GUIDELINE_UPDATE_DATE,
                    Severity.WARNING,
                    _(
                        "update of section '{section}' is dated {on}, before {edition} became valid ({valid_from})"
                    ).format(section=section.id, on=update.on, edition=edition.id, valid_from=edition.valid_from),
                    doc,
                    ("sections", index, "updates", pos, "on"),
                    hint=_("what was known when the edition was adopted belongs in the section's own text"),
                )


def _check_crosswalk(ctx: Context, doc: Document[Edition], edition: Edition) -> Iterator[Finding]:
    previous = ctx.editions.get(edition.supersedes) if edition.supersedes else None
    new_ids = {s.id for s in edition.sections}
    old_sections = {s.id: s for s in previous.sections} if previous else {}
    accounted_new: set[str] = set()
    accounted_old: set[str] = set()
    for index, change in enumerate(edition.changes):
        sources = _sources(change)
        if change.change in GONE or change.change is ChangeKind.SPLIT:
            problems = _leaving_problems(change, edition, previous, new_ids, old_sections)
            accounted_old.add(change.section)
            if change.change is ChangeKind.SPLIT:
                accounted_new.update(change.into or [])
        else:
            problems = _arriving_problems(change, sources, edition, previous, new_ids, old_sections)
            accounted_new.add(change.section)
            accounted_old.update(sources)
            if change.change is not ChangeKind.NEW:
                accounted_old.add(change.section)
        for problem in problems:
            yield ctx.finding(
                GUIDELINE_BAD_CROSSWALK,
                Severity.ERROR,
                _("crosswalk entry {number}: {problem}").format(number=index + 1, problem=problem),
                doc,
                ("changes", index),
            )
    if previous is None:
        return
    yield from _check_undeclared(ctx, doc, edition, previous, accounted_new)
    for old_id in sorted(set(old_sections) - new_ids - accounted_old):
        yield ctx.finding(
            GUIDELINE_UNDECLARED_REMOVAL,
            Severity.ERROR,
            _("section '{section}' of {previous} is gone but the crosswalk does not say what happened to it").format(
                section=old_id, previous=previous.id
            ),
            doc,
            ("changes",) if edition.changes else ("sections",),
            at_key=True,
            hint=_("declare it withdrawn, renamed, merged or split"),
        )


def _sources(change: Change) -> list[str]:
    """The sections of the previous edition a change names in ``from``."""
    return change.from_ if isinstance(change.from_, list) else ([change.from_] if change.from_ else [])


def _leaving_problems(
    change: Change, edition: Edition, previous: Edition | None, new_ids: set[str], old_sections: dict[str, Section]
) -> list[str]:
    """What is wrong with an entry for a section that goes (withdrawn, unverified, split, …)."""
    kind = change.change
    problems: list[str] = []
    if previous and change.section not in old_sections:
        problems.append(
            _("'{section}' is not a section of {previous}").format(section=change.section, previous=previous.id)
        )
    if kind in GONE and change.section in new_ids:
        problems.append(
            _("'{section}' is {kind} but still a section of {edition}").format(
                section=change.section, kind=kind.value, edition=edition.id
            )
        )
    if kind is ChangeKind.UNVERIFIED and not change.unverified:
        problems.append(_("an unverified change needs 'unverified:' saying what the sources do not show"))
    if kind is ChangeKind.SPLIT:
        if not change.into:
            problems.append(_("a split needs 'into: [...]'"))
        problems.extend(
            _("'{target}' is not a section of {edition}").format(target=target, edition=edition.id)
            for target in change.into or []
            if target not in new_ids
        )
    return problems


def _arriving_problems(
    change: Change,
    sources: list[str],
    edition: Edition,
    previous: Edition | None,
    new_ids: set[str],
    old_sections: dict[str, Section],
) -> list[str]:
    """What is wrong with an entry for a section of this edition (new, renamed, merged, changed)."""
    kind = change.change
    problems: list[str] = []
    if change.section not in new_ids:
        problems.append(
            _("'{section}' is not a section of {edition}").format(section=change.section, edition=edition.id)
        )
    if kind in (ChangeKind.RENAMED, ChangeKind.MERGED) and not sources:
        problems.append(_("a {kind} section needs 'from'").format(kind=kind.value))
    if kind is ChangeKind.RENAMED and len(sources) != 1:
        problems.append(_("a renamed section has exactly one 'from'"))
    if previous:
        problems.extend(
            _("'{source}' is not a section of {previous}").format(source=source, previous=previous.id)
            for source in sources
            if source not in old_sections
        )
    return problems


def _check_undeclared(
    ctx: Context, doc: Document[Edition], edition: Edition, previous: Edition, accounted_new: set[str]
) -> Iterator[Finding]:
    """Sections that changed, or appeared, since ``previous`` without a crosswalk entry saying so."""
    old_sections = {s.id: s for s in previous.sections}
    declared = {c.section: c.change for c in edition.changes}
    for index, section in enumerate(edition.sections):
        old = old_sections.get(section.id)
        if (
            old is not None
            and declared.get(section.id, ChangeKind.UNCHANGED) is ChangeKind.UNCHANGED
            and fingerprint(old) != fingerprint(section)
        ):
            yield ctx.finding(
                GUIDELINE_UNDECLARED_CHANGE,
                Severity.ERROR,
                _("section '{section}' differs from {previous} but the crosswalk does not declare a change").format(
                    section=section.id, previous=previous.id
                ),
                doc,
                ("sections", index, "id"),
                hint=_("add a 'changes' entry for '{section}' (editorial or substantive)").format(section=section.id),
            )
        if old is None and section.id not in accounted_new:
            yield ctx.finding(
                GUIDELINE_UNDECLARED_NEW,
                Severity.WARNING,
                _("section '{section}' is not in {previous} and the crosswalk does not say where it comes from").format(
                    section=section.id, previous=previous.id
                ),
                doc,
                ("sections", index, "id"),
                hint=_("declare it as new, renamed, merged or a split target"),
            )


def _check_claims_and_terms(ctx: Context, doc: Document[Edition], edition: Edition) -> Iterator[Finding]:
    section_ids = {s.id for s in edition.sections}
    for index, claim in enumerate(edition.claims):
        for pos, section_id in enumerate(claim.sections):
            if section_id not in section_ids:
                yield ctx.unknown(
                    GUIDELINE_UNKNOWN_SECTION,
                    _("claim '{claim}' cites unknown section '{section}'").format(claim=claim.id, section=section_id),
                    doc,
                    ("claims", index, "sections", pos),
                    section_id,
                    section_ids,
                )
        yield from _check_claim_examples(ctx, doc, edition, index, claim)
    for index, term in enumerate(edition.terms):
        if term.pattern and not rules_in_text([term_rule(term, edition)], term.term, ctx.rules.too_slow):
            ctx.note_slow(_("the term itself"))
            if (edition.id, term.id) in ctx.rules.too_slow:
                continue
            yield ctx.finding(
                GUIDELINE_TERM_PATTERN,
                Severity.ERROR,
                _("term '{term}': the pattern does not match the term '{text}' itself").format(
                    term=term.id, text=term.term
                ),
                doc,
                ("terms", index, "pattern"),
            )
    yield from _check_lineage_ids(ctx, doc, edition)


def _check_lineage_ids(ctx: Context, doc: Document[Edition], edition: Edition) -> Iterator[Finding]:
    """A term's or claim's id is used once in the edition's lineage."""
    lineage_ids = Counter(
        [term.id for e in ctx.editions.lineage(edition.id) for term in e.terms]
        + [claim.id for e in ctx.editions.lineage(edition.id) for claim in e.claims]
    )
    for kind in ("terms", "claims"):
        for index, item in enumerate(getattr(edition, kind)):
            if lineage_ids[item.id] > 1:
                yield ctx.finding(
                    ID_DUPLICATE,
                    Severity.ERROR,
                    _("term or claim id '{item}' is used more than once in this edition's lineage").format(
                        item=item.id
                    ),
                    doc,
                    (kind, index, "id"),
                )


def _check_claim_examples(
    ctx: Context, doc: Document[Edition], edition: Edition, index: int, claim: Claim
) -> Iterator[Finding]:
    """A claim must match each of its ``match`` examples and none of its ``ignore`` examples."""
    slow = ctx.rules.too_slow
    examples = [*claim.examples.match, *claim.examples.ignore]
    rule = claim_rule(claim, edition, vocabulary_of(ctx.editions, edition))
    hits = {index for index, _ in RuleSet([rule], too_slow=slow).matches_many(examples)}
    matched = [index in hits for index in range(len(claim.examples.match))]
    ignored = [index + len(claim.examples.match) in hits for index in range(len(claim.examples.ignore))]
    ctx.note_slow(_("its own examples"))
    if (edition.id, claim.id) in slow:  # stopped: what it matched says nothing
        return
    for pos, example in enumerate(claim.examples.match):
        if not matched[pos]:
            yield ctx.finding(
                GUIDELINE_CLAIM_EXAMPLE,
                Severity.ERROR,
                _("claim '{claim}' does not match its own example '{example}'").format(claim=claim.id, example=example),
                doc,
                ("claims", index, "examples", "match", pos),
            )
    for pos, example in enumerate(claim.examples.ignore):
        if ignored[pos]:
            yield ctx.finding(
                GUIDELINE_CLAIM_EXAMPLE,
                Severity.ERROR,
                _("claim '{claim}' matches '{example}', which it must ignore").format(claim=claim.id, example=example),
                doc,
                ("claims", index, "examples", "ignore", pos),
            )
