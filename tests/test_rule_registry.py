"""The rule registry: every finding comes from a declared rule, and the docs, SARIF and rulebook agree with it."""

from __future__ import annotations

import ast
import datetime as dt
import functools
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, make_mini, replace_in, write
from tests.test_tracks import TRACKS, _with_misconceptions_slide
from vastbus_cli import api, rulebook
from vastbus_cli.checks.context import Context, suggest
from vastbus_cli.findings import Finding, Severity
from vastbus_cli.formats import as_sarif
from vastbus_cli.rules import FAMILIES, Rule

PACKAGE = REPO / "vastbus_cli"


@functools.cache
def _modules() -> dict[str, ast.Module]:
    """Every module of the package, parsed once per test session (the trees are only read)."""
    trees = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
        trees[name] = ast.parse(path.read_text(encoding="utf-8"))
    return trees


def _calls(tree: ast.Module, name: str) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name
    ]


def test_only_a_rule_makes_a_finding() -> None:
    """No module builds a Finding from a bare id: every finding goes through ``Rule.at``."""
    makers = {name for name, tree in _modules().items() if _calls(tree, "Finding")}
    assert makers == {"vastbus_cli.rules"}


def test_every_rule_is_declared_in_a_module_the_rulebook_gathers() -> None:
    declaring = {name for name, tree in _modules().items() if _calls(tree, "Rule")}
    assert declaring == set(rulebook.RULE_MODULES)
    for name in rulebook.RULE_MODULES:
        declared: tuple[Rule, ...] = importlib.import_module(name).RULES
        # Every Rule(...) of the module is in its RULES (an imported one there would be declared twice).
        assert len(declared) == len(_calls(_modules()[name], "Rule")), f"{name}: a rule is declared but not in RULES"


def test_no_finding_names_its_rule_with_a_string() -> None:
    """``ctx.finding``/``ctx.unknown``/``Rule.at`` take a Rule: a literal or f-string id is a programming error."""
    for name, tree in _modules().items():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"finding", "unknown"}
                and node.args
            ):
                assert not isinstance(node.args[0], ast.Constant | ast.JoinedStr), f"{name}:{node.lineno}"


def test_a_rule_is_its_familys_and_declares_its_severities() -> None:
    family = FAMILIES[0]
    with pytest.raises(ValueError, match="not of the family"):
        Rule("other/thing", Severity.ERROR, family, "meaning")
    rule = Rule(f"{family.name}/thing", Severity.ERROR, family, "meaning")
    assert rule.at("message", "a.yaml", 2, 3, "hint") == Finding(
        f"{family.name}/thing", Severity.ERROR, "message", "a.yaml", 2, 3, "hint"
    )
    with pytest.raises(ValueError, match="not declared with severity warning"):
        rule.at("message", "a.yaml", severity=Severity.WARNING)


def test_rule_ids_are_unique_and_every_family_is_used() -> None:
    ids = [rule.id for rule in rulebook.ALL_RULES]
    assert len(ids) == len(set(ids))
    assert {rule.family for rule in rulebook.ALL_RULES} == set(FAMILIES)
    # The ids that used to be built with f-strings, and the file-name rule the docs missed, are declared.
    for rule_id in (
        "track/unknown-slide",
        "track/unknown-quiz",
        "session/unknown-district",
        "session/unknown-audience",
        "session/unknown-edition",
        "module/file-name",
    ):
        assert rule_id in rulebook.RULES_BY_ID


def test_the_rulebook_is_the_registry() -> None:
    assert {rule.id: rule.meaning for rule in rulebook.ALL_RULES} == rulebook.MEANINGS
    for rule in rulebook.ALL_RULES:
        about = rulebook.rule_help(rule.id)
        assert about.fix == rule.fix == rulebook.FIXES[rule.family.name]
        assert about.meaning == rule.meaning.replace("`", "")
        assert about.tags == (rule.family.name, *rule.family.tags)
    with pytest.raises(KeyError):
        rulebook.lookup("quiz/no-such-rule")


def test_the_rules_page_is_generated_from_the_registry() -> None:
    from vastbus_cli import docgen

    page = (REPO / "docs" / "regler.md").read_text(encoding="utf-8")
    assert page == docgen.rules_page(), "run: python -m vastbus_cli.docgen --write"
    table = rulebook.markdown_table()
    for rule in rulebook.ALL_RULES:
        assert f"`{rule.id}`" in table and f"`{rule.id}`" in page
        row = next(line for line in table.splitlines() if f"`{rule.id}`" in line)
        assert all(severity.value in row.split(" | ")[1] for severity in rule.severities)
    for family in rulebook.families_in_order():
        assert f"\n## {family}\n" in page, family


def test_the_table_generator_runs_from_the_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "vastbus_cli.rulebook", "--markdown"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        cwd=REPO,
    )
    assert done.returncode == 0 and done.stdout == rulebook.markdown_table()


def test_sarif_describes_every_rule_as_the_registry_does() -> None:
    findings = [rule.at("message", "a.yaml", 1, 1) for rule in rulebook.ALL_RULES]
    (run,) = json.loads(as_sarif("ed", findings))["runs"]
    descriptors = {d["id"]: d for d in run["tool"]["driver"]["rules"]}
    assert set(descriptors) == set(rulebook.RULES_BY_ID)
    for rule_id, descriptor in descriptors.items():
        rule = rulebook.RULES_BY_ID[rule_id]
        meaning = rule.meaning.replace("`", "")
        assert descriptor["shortDescription"]["text"] == meaning[:1].upper() + meaning[1:]
        assert descriptor["help"]["text"] == f"{meaning}. How to fix it: {rule.fix}"
        assert descriptor["properties"]["tags"] == [rule.family.name, *rule.family.tags]


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """The small workspace with a finding of many rules, those once named with f-strings among them."""
    root = make_mini(tmp_path / "Västbus trasig")
    _with_misconceptions_slide(root)
    course = root / "curriculum" / "course.yaml"
    course.write_text(
        course.read_text(encoding="utf-8") + TRACKS.format(budget=10, slides="start, krav, myter"),
        encoding="utf-8",
    )
    replace_in(course, "audiences: [bvc, forskola]", "audiences: [bvc, forskolan]")
    write(
        root / "curriculum" / "sessions" / "2025.yaml",
        "sessions:\n  - date: 2025-03-01\n    district: angerd\n    audience: bvcc\n    participants: 12\n"
        '    edition: bou-halsa-2099\n    course_version: "1.0.0"\n',
    )
    module = root / "curriculum" / "modules" / "samtycke.yaml"
    replace_in(module, "En SIP kräver samtycke.", "Västbusmötet kräver samtycke..")
    module.rename(module.with_name("samtycke-kopia.yaml"))
    (root / "curriculum" / "modules" / "trasig.yaml").write_text("id: [\n", encoding="utf-8")
    return root


def test_every_finding_of_every_check_is_a_registered_rule(broken: Path, shipped: Path) -> None:
    emitted: list[Finding] = []
    for root in (broken, shipped):
        emitted += api.check(api.open_workspace(root), as_of=dt.date(2026, 1, 15)).findings
    rules = {f.rule for f in emitted}
    assert {"track/unknown-slide", "session/unknown-district", "session/unknown-audience"} <= rules
    assert {"session/unknown-edition", "module/file-name", "yaml/syntax", "term/outdated"} <= rules
    for finding in emitted:
        rule = rulebook.lookup(finding.rule)
        assert finding.severity in rule.severities, finding


def test_unknown_hints_the_closest_name_or_the_fallback(broken: Path) -> None:
    workspace = api.open_workspace(broken)
    findings = api.check(workspace, as_of=dt.date(2026, 1, 15)).findings
    (slide,) = [f for f in findings if f.rule == "track/unknown-slide"]
    assert slide.hint == "did you mean 'kravs'?"
    (edition,) = [f for f in findings if f.rule == "session/unknown-edition"]
    assert edition.hint is not None and edition.hint.startswith("did you mean")
    doc = workspace.course
    assert doc is not None
    ctx = Context.__new__(Context)
    rule = rulebook.lookup("audience/unknown")
    far = ctx.unknown(rule, "unknown audience 'x'", doc, (), "zzz", ["bvc"], otherwise="known audiences: bvc")
    assert far.hint == "known audiences: bvc" and far.severity is Severity.ERROR
    near = ctx.unknown(rule, "unknown audience 'bvcc'", doc, (), "bvcc", ["bvc"], otherwise="unused")
    assert near.hint == suggest("bvcc", ["bvc"]) == "did you mean 'bvc'?"
