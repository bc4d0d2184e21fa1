"""Benchmark: how well the misconception claims catch sentences as staff write them.

Run from the repository: ``python -m tests.benchmarks.bench_claims``.
Reads ``tests/data/claims_corpus.yaml`` (per claim: sentences stating the misconception
and correct or unrelated sentences with the same words) and prints, per claim, the
recall (misconceptions caught) and the false-alarm rate (correct sentences flagged by
that claim), next to the same figures for the claims' earlier regular expressions when
``--compare REV`` names a git revision that still has them. Targets: recall >= 90 %,
false alarms <= 5 %.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

from tests.benchmarks.common import REPO
from vastbus_cli.editions import Editions
from vastbus_cli.models import Edition
from vastbus_cli.textrules import TextRule, active_rules, rules_in_text

CORPUS = REPO / "tests" / "data" / "claims_corpus.yaml"
RECALL_TARGET, FALSE_ALARM_TARGET = 0.90, 0.05


@dataclass
class Score:
    """Counts for one claim."""

    caught: int = 0
    stated: int = 0
    flagged: int = 0
    correct: int = 0
    missed: list[str] | None = None
    alarms: list[str] | None = None

    @property
    def recall(self) -> float:
        """Share of the misconception sentences the claim caught."""
        return self.caught / self.stated if self.stated else 0.0

    @property
    def false_alarms(self) -> float:
        """Share of the correct sentences the claim flagged."""
        return self.flagged / self.correct if self.correct else 0.0


def load_corpus(path: Path = CORPUS) -> dict[str, dict[str, list[str]]]:
    """The corpus: claim id -> {"misconception": [...], "correct": [...]}."""
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    return {str(claim): {kind: list(items) for kind, items in parts.items()} for claim, parts in data.items()}


def claim_rules(guidelines: Path) -> dict[str, TextRule]:
    """The claims of the current edition's lineage, compiled as check and scan compile them."""
    yaml = YAML(typ="safe")
    editions = Editions(
        Edition.model_validate(yaml.load(path.read_text(encoding="utf-8")))
        for path in sorted(guidelines.glob("*.yaml"))
    )
    current = editions.current(dt.date.today())
    assert current is not None
    return {
        rule.id: rule for rule in active_rules(editions, current, dt.date.today()) if rule.rule == "claim/misconception"
    }


def score(rules: dict[str, TextRule], corpus: dict[str, dict[str, list[str]]]) -> dict[str, Score]:
    """Recall and false alarms of each claim on its own sentences."""
    scores = {}
    for claim_id, parts in corpus.items():
        rule = rules.get(claim_id)
        found = Score(missed=[], alarms=[])
        for sentence in parts.get("misconception", []):
            found.stated += 1
            if rule is not None and rules_in_text([rule], sentence):
                found.caught += 1
            else:
                assert found.missed is not None
                found.missed.append(sentence)
        for sentence in parts.get("correct", []):
            found.correct += 1
            if rule is not None and rules_in_text([rule], sentence):
                found.flagged += 1
                assert found.alarms is not None
                found.alarms.append(sentence)
        scores[claim_id] = found
    return scores


def _old_rules(revision: str) -> dict[str, TextRule] | None:
    scratch = Path(subprocess.run(["mktemp", "-d"], capture_output=True, text=True, check=True).stdout.strip())
    for name in ("vastbus-2005", "vastbus-2012", "bou-halsa-2021", "bou-halsa-2023"):
        shown = subprocess.run(
            ["git", "show", f"{revision}:guidelines/{name}.yaml"], cwd=REPO, capture_output=True, text=True, check=False
        )
        if shown.returncode != 0:
            return None
        (scratch / f"{name}.yaml").write_text(shown.stdout, encoding="utf-8")
    return claim_rules(scratch)


def main() -> None:
    """Print recall and false alarms per claim."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--compare", metavar="REV", help="also score the claims as they were at this git revision")
    parser.add_argument("--show", action="store_true", help="list the missed sentences and the false alarms")
    args = parser.parse_args()
    corpus = load_corpus()
    now = score(claim_rules(REPO / "guidelines"), corpus)
    before = None
    if args.compare:
        old = _old_rules(args.compare)
        before = score(old, corpus) if old else None
    header = f"{'claim':28s} {'sentences':>9s} {'recall':>7s} {'false alarms':>13s}"
    if before:
        header += f"   {'recall (' + args.compare + ')':>18s} {'false alarms':>13s}"
    print(f"misconception claims on {CORPUS.relative_to(REPO)}")
    print(header)
    totals = Score()
    for claim_id, found in now.items():
        line = f"{claim_id:28s} {found.stated:>4d}+{found.correct:<4d} {found.recall:>7.0%} {found.false_alarms:>13.0%}"
        if before:
            old_score = before[claim_id]
            line += f"   {old_score.recall:>18.0%} {old_score.false_alarms:>13.0%}"
        print(line)
        totals.caught += found.caught
        totals.stated += found.stated
        totals.flagged += found.flagged
        totals.correct += found.correct
    print(
        f"{'all claims':28s} {totals.stated:>4d}+{totals.correct:<4d} {totals.recall:>7.0%} {totals.false_alarms:>13.0%}"
    )
    met = all(f.recall >= RECALL_TARGET and f.false_alarms <= FALSE_ALARM_TARGET for f in now.values())
    print(
        f"targets: recall >= {RECALL_TARGET:.0%} and false alarms <= {FALSE_ALARM_TARGET:.0%} per claim: {'met' if met else 'NOT met'}"
    )
    if args.show:
        for claim_id, found in now.items():
            for sentence in found.missed or []:
                print(f"missed  {claim_id}: {sentence}")
            for sentence in found.alarms or []:
                print(f"alarm   {claim_id}: {sentence}")


if __name__ == "__main__":
    main()
