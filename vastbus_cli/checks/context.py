"""What every check needs: the context findings are made in, and shared helpers."""

from __future__ import annotations

import datetime as dt
import difflib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from vastbus_cli.editions import Editions
from vastbus_cli.findings import Finding, Severity
from vastbus_cli.i18n import N_, _
from vastbus_cli.models import Edition
from vastbus_cli.rules import ERROR, ID, Rule
from vastbus_cli.textrules import RuleSet
from vastbus_cli.workspace import Document, Workspace
from vastbus_cli.yamlpos import position_of

if TYPE_CHECKING:
    from vastbus_cli.spelling import Speller

ID_DUPLICATE = Rule("id/duplicate", ERROR, ID, N_("an id is used twice"))
RULES: tuple[Rule, ...] = (ID_DUPLICATE,)

#: Keys whose values are ids, dates or paths, never prose to lint.
NON_PROSE_KEYS = frozenset(
    {
        "id",
        "section",
        "edition",
        "fingerprint",
        "layout",
        "discusses",
        "claim",
        "audiences",
        "after",
        "district",
        "built_on",
        "area",
        "path",
        "by",
        "on",
        "version",
        "modules",
        "answer",
        "minutes",
        "diagram",
        "tracker",
        "step",
        "kind",
        "tracks",
        "budget",
        "start",
        "welcome",
        "closing",
        "module",
        "slide",
    }
)


@dataclass
class Context:
    """What every rule needs: the workspace, the editions and the one checked against."""

    workspace: Workspace
    editions: Editions
    current: Edition
    as_of: dt.date
    rules: RuleSet = field(default_factory=lambda: RuleSet([]))
    #: Where each pattern in ``rules.too_slow`` was stopped, for its finding.
    slow_where: dict[tuple[str, str], str] = field(default_factory=dict)
    #: Set when the run checks spelling (``check --spelling``).
    speller: Speller | None = None
    #: Errors found before the running check: the design rules plan packs only when there are none.
    errors: int = 0

    def note_slow(self, where: str) -> None:
        """Remember ``where`` for patterns stopped since the last call."""
        for key in self.rules.too_slow.keys() - self.slow_where.keys():
            self.slow_where[key] = where

    def finding(
        self,
        rule: Rule,
        severity: Severity,
        message: str,
        doc: Document[Any],
        loc: tuple[Any, ...] = (),
        *,
        at_key: bool = False,
        hint: str | None = None,
    ) -> Finding:
        """A finding of a declared rule, positioned at ``loc`` inside a document.

        ``severity`` must be one the rule declares (a programming error otherwise).
        """
        line, column = position_of(doc.loaded.data, loc, at_key=at_key) if loc else (0, 0)
        return rule.at(message, doc.rel, line, column, hint, severity=severity)

    def unknown(
        self,
        rule: Rule,
        message: str,
        doc: Document[Any],
        loc: tuple[Any, ...],
        value: str,
        known: Iterable[str],
        *,
        otherwise: str | None = None,
    ) -> Finding:
        """An error that ``value`` names nothing ``known``: the hint is "did you mean …?", else ``otherwise``."""
        return self.finding(rule, Severity.ERROR, message, doc, loc, hint=suggest(value, known) or otherwise)

    def unknown_ids(
        self,
        doc: Document[Any],
        where: tuple[Any, ...],
        named: Iterable[tuple[Rule, str, str, list[str] | None, str]],
    ) -> Iterator[Finding]:
        """An :meth:`unknown` error for each (rule, key, value, known ids, message) whose value is not known.

        ``message`` holds ``{value}``; known ids of ``None`` (their file did not load) check nothing.
        """
        for rule, key, value, known, message in named:
            if known is not None and value not in known:
                yield self.unknown(
                    rule,
                    message.format(value=value),
                    doc,
                    (*where, key),
                    value,
                    known,
                    otherwise=_("use one of: {items}").format(items=", ".join(known)),
                )


def suggest(value: str, options: Iterable[str]) -> str | None:
    """A "did you mean …?" hint naming the closest option, if one is close."""
    close = difflib.get_close_matches(value, list(options), n=1, cutoff=0.6)
    return _("did you mean '{option}'?").format(option=close[0]) if close else None


def duplicates(values: Iterable[str]) -> set[str]:
    """The values that occur more than once."""
    return {value for value, count in Counter(values).items() if count > 1}


def duplicate_ids(
    ctx: Context, doc: Document[Any], what: str, ids: list[str], loc: tuple[Any, ...], key: tuple[Any, ...] = ("id",)
) -> Iterator[Finding]:
    """One ``id/duplicate`` finding per id used twice in a list, at its first use (``loc``, index, ``key``)."""
    for item_id in sorted(duplicates(ids)):
        yield ctx.finding(
            ID_DUPLICATE,
            Severity.ERROR,
            _("{what} '{id}' is used twice").format(what=what, id=item_id),
            doc,
            (*loc, ids.index(item_id), *key),
        )
