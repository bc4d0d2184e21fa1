"""The catalogue of every rule of ``vastbus check``: for SARIF's rule help, the docs and other tools.

Gathered from the rules each module declares beside its checks (a ``RULES`` tuple, see
:mod:`vastbus_cli.rules`); nothing here is written twice. The rules page ``docs/regler.md``
is made from it (``python -m vastbus_cli.docgen --write``, see :mod:`vastbus_cli.docgen`);
``python -m vastbus_cli.rulebook --markdown`` prints the table alone. Meanings, notes and
fixes go through the catalog (:func:`vastbus_cli.i18n._`), so the table speaks the language
chosen.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass

from vastbus_cli.findings import Severity
from vastbus_cli.i18n import _, chosen, set_language
from vastbus_cli.rules import FAMILIES, Rule

#: The modules that declare rules, in the order the rules table lists them.
RULE_MODULES: tuple[str, ...] = (
    "vastbus_cli.filerules",
    "vastbus_cli.checks.schemas",
    "vastbus_cli.checks.context",
    "vastbus_cli.checks.curriculum",
    "vastbus_cli.checks.local",
    "vastbus_cli.checks.refs",
    "vastbus_cli.checks.attribution",
    "vastbus_cli.checks.prose",
    "vastbus_cli.checks.spelling",
    "vastbus_cli.checks.quiz",
    "vastbus_cli.checks.content",
    "vastbus_cli.checks.sessions",
    "vastbus_cli.checks.survey",
    "vastbus_cli.checks.tracks",
    "vastbus_cli.checks.design",
    "vastbus_cli.images",
    "vastbus_cli.render.templates",
    "vastbus_cli.checks.guidelines",
)


def _gather() -> tuple[Rule, ...]:
    found: dict[str, Rule] = {}
    for name in RULE_MODULES:
        declared: tuple[Rule, ...] = importlib.import_module(name).RULES
        for rule in declared:
            if rule.id in found:
                raise ValueError(f"rule {rule.id} is declared twice ({name})")
            found[rule.id] = rule
    return tuple(found.values())


#: Every rule, in the order of the rules table.
ALL_RULES: tuple[Rule, ...] = _gather()
#: Every rule by id.
RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in ALL_RULES}
#: What a finding of each rule means.
MEANINGS: dict[str, str] = {rule.id: rule.meaning for rule in ALL_RULES}
#: How to fix a finding, per rule family (the part before the slash).
FIXES: dict[str, str] = {family.name: family.fix for family in FAMILIES}
_TAGS = {family.name: family.tags for family in FAMILIES}


def lookup(rule_id: str) -> Rule:
    """The declared rule with this id.

    Raises:
        KeyError: no module declares it.
    """
    return RULES_BY_ID[rule_id]


@dataclass(frozen=True)
class RuleHelp:
    """One rule as a tool shows it: what it means, how to fix it, and its family."""

    id: str
    meaning: str
    fix: str
    family: str

    @property
    def tags(self) -> tuple[str, ...]:
        """Tags for code scanning: the family and what kind of problem it is."""
        return (self.family, *_TAGS.get(self.family, ("structure",)))

    @property
    def markdown(self) -> str:
        """Help text in Markdown, as code scanning shows it."""
        return f"**{self.id}**: {self.meaning}.\n\n**How to fix it:** {self.fix}"


def rule_help(rule: str) -> RuleHelp:
    """What a rule means and how to fix it; a rule the catalogue lacks still gets its family's fix."""
    family = rule.split("/", 1)[0]
    meaning = MEANINGS.get(rule, f"a finding of the {family} rules")
    fix = FIXES.get(family, "See the finding's hint and the rules page, docs/regler.md.")
    return RuleHelp(rule, meaning.replace("`", ""), fix, family)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _t(text: str) -> str:
    return _(text) if text else text


def families_in_order() -> list[str]:
    """The rule families, in the order the rules table meets them."""
    return list(dict.fromkeys(rule.family.name for rule in ALL_RULES))


def markdown_table(family: str | None = None, words: dict[str, str] | None = None) -> str:
    """The rules table: one row per meaning, its rules and the severities they may have.

    ``family`` keeps only that family's rules; ``words`` names the severities (default: their values).
    """
    rows: dict[str, list[Rule]] = {}
    for rule in ALL_RULES:
        if family is None or rule.family.name == family:
            rows.setdefault(rule.meaning, []).append(rule)
    header = "| regel | nivå | vad den betyder |" if words else "| rule | severity | what it means |"
    lines = [header, "|---|---|---|"]
    for meaning, rules in rows.items():
        names = ", ".join(f"`{r.id}`" + (f" ({_t(r.note)})" if r.note else "") for r in rules)
        severities = [s for s in Severity.__members__.values() if any(s in r.severities for r in rules)]
        ordered = sorted(severities, key=lambda s: -s.rank)
        named = " / ".join((words or {}).get(s.value, s.value) for s in ordered)
        lines.append(f"| {_cell(names)} | {named} | {_cell(_t(meaning))} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    """``--markdown`` prints the rules table (the whole page: ``python -m vastbus_cli.docgen --write``)."""
    if argv == ["--markdown"]:
        set_language(chosen())
        sys.stdout.write(markdown_table())
        return 0
    sys.stderr.write("usage: python -m vastbus_cli.rulebook --markdown\n")
    return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))


__all__ = [
    "ALL_RULES",
    "FIXES",
    "MEANINGS",
    "RULES_BY_ID",
    "RuleHelp",
    "families_in_order",
    "lookup",
    "markdown_table",
    "rule_help",
]
