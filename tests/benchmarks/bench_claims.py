"""Benchmark: how well the misconception claims catch sentences as staff write them.

Run from the repository: ``python -m tests.benchmarks.bench_claims``.
Reads ``tests/data/claims_corpus.yaml`` (per claim: sentences stating the misconception
and correct or unrelated sentences with the same words; the rules are tuned on it) and
prints, per claim, the recall (misconceptions caught) and the false-alarm rate (correct
sentences flagged by that claim), next to the same figures for the claims' earlier
regular expressions when ``--compare REV`` names a git revision that still has them.
Targets: recall >= 90 %, false alarms <= 5 %.

Then the same on ``tests/data/claims_heldout.yaml``, written blind before the rules of
issue 29 were changed and never tuned on, three ways: the engine on each text, ``scan``
of one .docx per text, and ``check`` of a module with one slide per text. There a false
alarm is a correct text that *any* claim flags, and a misconception counts as caught
only when its own claim is found. ``--heldout-only`` skips the corpus table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

from tests.benchmarks.common import REPO
from vastbus_cli.editions import Editions
from vastbus_cli.models import Edition
from vastbus_cli.textrules import TextRule, active_rules, rules_in_text

CORPUS = REPO / "tests" / "data" / "claims_corpus.yaml"
HELDOUT = REPO / "tests" / "data" / "claims_heldout.yaml"
RECALL_TARGET, FALSE_ALARM_TARGET = 0.90, 0.05


@dataclass
class Score:
    """Counts for one claim, or (held-out) for all: misconceptions caught, correct texts flagged."""

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


def texts_of(corpus: dict[str, dict[str, list[str]]]) -> list[tuple[str, str, str]]:
    """(claim, kind, text) for every text of the set, in order."""
    return [(claim, kind, text) for claim, parts in corpus.items() for kind in parts for text in parts[kind]]


def tally(texts: list[tuple[str, str, str]], found: list[set[str]]) -> Score:
    """Count: a misconception caught by its own claim; a correct text flagged by any claim."""
    held = Score()
    for (claim, kind, _), claims in zip(texts, found, strict=True):
        if kind == "misconception":
            held.stated += 1
            held.caught += claim in claims
        else:
            held.correct += 1
            held.flagged += bool(claims)
    return held


def engine_found(rules: dict[str, TextRule], texts: list[tuple[str, str, str]]) -> list[set[str]]:
    """The claims the engine finds in each text on its own, as check and scan compile them."""
    every = list(rules.values())
    return [rules_in_text(every, text) for _, _, text in texts]


def scan_found(texts: list[tuple[str, str, str]]) -> list[set[str]]:
    """The claims ``scan`` finds in one .docx per text (each paragraph of a text its own paragraph)."""
    import tempfile

    from docx import Document

    from vastbus_cli import api

    with tempfile.TemporaryDirectory(prefix="vastbus-heldout-") as folder:
        paths = []
        for number, (_, _, text) in enumerate(texts):
            document = Document()
            for paragraph in text.split("\n"):
                document.add_paragraph(paragraph)
            path = Path(folder) / f"text-{number:03d}.docx"
            document.save(str(path))
            paths.append(path)
        results = api.scan(api.open_workspace(REPO), [Path(folder)], jobs=1).files
        by_name = {Path(result.path).name: result for result in results}
        return [
            {e.text.split(":", 1)[0] for e in by_name[path.name].evidence if e.rule == "claim/misconception"}
            for path in paths
        ]


def check_found(texts: list[tuple[str, str, str]]) -> list[set[str]]:
    """The claims ``check`` finds in a module of the small test workspace with one slide per text."""
    import json
    import tempfile

    from tests.conftest import make_mini
    from vastbus_cli import api

    with tempfile.TemporaryDirectory(prefix="vastbus-heldout-") as folder:
        root = make_mini(Path(folder) / "ws")
        slides = "".join(
            f'  - id: t{number:03d}\n    layout: content\n    title: "Text {number}"\n'
            f'    bullets:\n      - {json.dumps(text, ensure_ascii=False)}\n    notes: "Fråga gruppen."\n'
            for number, (_, _, text) in enumerate(texts)
        )
        module = (
            'id: heldout\ntitle: "Texter"\narea: funktion\nbuilt_on: bou-halsa-2023\nminutes: 10\n'
            f'objectives:\n  - "Kunna texterna."\nslides:\n{slides}'
        )
        (root / "curriculum/modules/heldout.yaml").write_text(module, encoding="utf-8")
        course = root / "curriculum/course.yaml"
        course.write_text(
            course.read_text(encoding="utf-8").replace("modules:\n", "modules:\n  - heldout\n", 1), encoding="utf-8"
        )
        report = api.check(api.open_workspace(root))
        found: list[set[str]] = [set() for _ in texts]
        lines = (root / "curriculum/modules/heldout.yaml").read_text(encoding="utf-8").splitlines()
        starts = [n + 1 for n, line in enumerate(lines) if line.startswith("  - id: t")]
        for finding in report.findings:
            if finding.rule != "claim/misconception" or not finding.file.endswith("heldout.yaml"):
                continue
            number = bisect_right(starts, finding.line) - 1
            claim = finding.message.split("'")[1] if "'" in finding.message else finding.message
            found[number].add(claim)
        return found


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
    if HELDOUT.is_file():
        heldout = load_corpus(HELDOUT)
        texts = texts_of(heldout)
        rules = claim_rules(REPO / "guidelines")
        print(f"\nheld-out set {HELDOUT.relative_to(REPO)} (never tuned on): {len(texts)} texts")
        print(f"{'read by':28s} {'recall':>7s} {'false alarms':>13s}")
        for name, found in (
            ("engine", engine_found(rules, texts)),
            ("scan (.docx)", scan_found(texts)),
            ("check (module)", check_found(texts)),
        ):
            held = tally(texts, found)
            print(
                f"{name:28s} {held.recall:>7.0%} {held.false_alarms:>13.0%}   "
                f"({held.caught}/{held.stated} caught, {held.flagged}/{held.correct} flagged)"
            )
    if args.show:
        for claim_id, found in now.items():
            for sentence in found.missed or []:
                print(f"missed  {claim_id}: {sentence}")
            for sentence in found.alarms or []:
                print(f"alarm   {claim_id}: {sentence}")


if __name__ == "__main__":
    main()
