"""The editor schemas: valid JSON Schema, true to the shipped files, strict where check is, and kept current.

The YAML is read here as the editor's YAML extension reads it (YAML 1.2, a date stays
text), not as the tool does, since that is what the schemas are checked against in VS Code.
"""

from __future__ import annotations

import fnmatch
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from typer.testing import Result

from tests.conftest import REPO, findings_of, replace_in, rules_of, write
from tests.test_check_rules import MISTAKES
from vastbus_cli.schema import (
    DIALECT,
    DIGESTS,
    KIND_BY_NAME,
    KINDS,
    SCHEMA_FOLDER,
    digest_lines,
    modeline,
    render,
    schema_of,
)

Check = Callable[..., dict[str, Any]]
Run = Callable[..., Result]
FORMATS = jsonschema.Draft202012Validator.FORMAT_CHECKER


class _EditorConstructor(SafeConstructor):
    """Builds plain values, with a date left as the text it is written as."""


_EditorConstructor.add_constructor("tag:yaml.org,2002:timestamp", SafeConstructor.construct_yaml_str)


def editor_view(text: str) -> Any:
    """The data an editor validates: YAML 1.2, dates as text (2021-01-01 is "2021-01-01")."""
    yaml = YAML(typ="safe", pure=True)
    yaml.Constructor = _EditorConstructor
    return yaml.load(text)


def errors(kind: str, data: Any, draft: Any = jsonschema.Draft202012Validator) -> list[str]:
    """What the schema says about ``data``; ``draft``: Draft7Validator for an editor with a draft-07 engine."""
    validator = draft(schema_of(kind), format_checker=draft.FORMAT_CHECKER)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]


def shipped_files() -> list[tuple[str, Path]]:
    """Every YAML file of the shipped workspace, with its kind."""
    files = [("edition", p) for p in sorted((REPO / "guidelines").glob("*.yaml"))]
    files += [("course", REPO / "curriculum" / "course.yaml"), ("districts", REPO / "curriculum" / "districts.yaml")]
    files += [("module", p) for p in sorted((REPO / "curriculum" / "modules").glob("*.yaml"))]
    files += [("local", p) for p in sorted((REPO / "curriculum" / "local").glob("*/*.yaml"))]
    return files


SHIPPED = shipped_files()


# --- the schemas themselves ----------------------------------------------------------


@pytest.mark.parametrize("kind", [kind.name for kind in KINDS])
def test_each_schema_is_a_valid_draft_2020_12_schema(kind: str) -> None:
    schema = schema_of(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == DIALECT == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(f"/{kind}.schema.json")
    assert schema["title"].startswith(f"vastbus {kind} file")
    assert schema["description"] and schema["additionalProperties"] is False


def _properties(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every property schema anywhere in a schema, with a path for the message."""
    if isinstance(node, dict):
        for name, value in (node.get("properties") or {}).items():
            yield f"{where}.{name}", value
        for key, value in node.items():
            yield from _properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for item in node:
            yield from _properties(item, where)


@pytest.mark.parametrize("kind", [kind.name for kind in KINDS])
def test_every_field_has_a_description_and_examples_that_the_schema_accepts(kind: str) -> None:
    """A new field without help for the editor fails here; so does an example that would be a mistake."""
    schema = schema_of(kind)
    fields = list(_properties(schema))
    assert len(fields) >= 8  # the walk found the fields (the records file has the fewest)
    for where, field in fields:
        assert field.get("description"), f"{kind}: {where} has no description"
        assert field.get("examples"), f"{kind}: {where} has no examples"
        alone = jsonschema.Draft202012Validator(
            {"$schema": DIALECT, "$defs": schema.get("$defs", {}), **field}, format_checker=FORMATS
        )
        for example in field["examples"]:
            assert not list(alone.iter_errors(example)), f"{kind}: {where} example {example!r} is invalid"
    for name, definition in schema.get("$defs", {}).items():
        assert definition.get("description"), f"{kind}: {name} has no description (its model's docstring)"


def test_the_text_is_deterministic_sorted_utf8_and_ends_with_a_newline() -> None:
    for kind in KINDS:
        text = render(kind.name)
        assert text.endswith("}\n") and text == render(kind.name)
        assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert "sip-processen" in render("module") and "örgryte-härlanda" in render("districts")  # not \u00f6


def test_the_committed_schemas_are_the_ones_the_models_make() -> None:
    for kind in KINDS:
        committed = (REPO / kind.rel).read_bytes()
        assert committed == render(kind.name).encode("utf-8"), f"{kind.rel} is stale: run vastbus schema"


# --- the shipped files ---------------------------------------------------------------


@pytest.mark.parametrize(("kind", "path"), SHIPPED, ids=[p.relative_to(REPO).as_posix() for _, p in SHIPPED])
def test_every_shipped_file_names_and_passes_its_schema(kind: str, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    rel = path.relative_to(REPO).as_posix()
    assert text.split("\n", 1)[0] == modeline(rel, kind)
    assert (path.parent / modeline(rel, kind).split("=", 1)[1]).resolve() == (REPO / KIND_BY_NAME[kind].rel)
    assert errors(kind, editor_view(text)) == []
    assert errors(kind, editor_view(text), jsonschema.Draft7Validator) == []


#: Keywords newer than draft-07: an editor whose engine is draft-07 (yaml-language-server
#: before its 2020-12 support) would ignore them, so the schemas do without.
NEWER_THAN_DRAFT_7 = {
    "unevaluatedProperties",
    "unevaluatedItems",
    "prefixItems",
    "$dynamicRef",
    "$dynamicAnchor",
    "$anchor",
    "$recursiveRef",
    "dependentRequired",
    "dependentSchemas",
    "minContains",
    "maxContains",
}


def _keys(node: Any) -> set[str]:
    if isinstance(node, dict):
        return set(node) | {key for value in node.values() for key in _keys(value)}
    if isinstance(node, list):
        return {key for item in node for key in _keys(item)}
    return set()


@pytest.mark.parametrize("kind", [kind.name for kind in KINDS])
def test_the_schemas_use_only_keywords_a_draft_07_editor_knows(kind: str) -> None:
    used = _keys({key: value for key, value in schema_of(kind).items() if key != "$defs"})
    used |= {key for definition in schema_of(kind).get("$defs", {}).values() for key in _keys(definition)}
    assert not used & NEWER_THAN_DRAFT_7


def test_the_shipped_files_use_the_forms_the_schemas_must_accept() -> None:
    """The year as a number, a month, a date, the claim group shorthand and the 'from' alias."""
    editions = [editor_view(p.read_text(encoding="utf-8")) for kind, p in SHIPPED if kind == "edition"]
    valid_from = {type(e["valid_from"]).__name__ + ":" + str(e["valid_from"]) for e in editions}
    assert {"int:2012", "str:2023-01", "str:2021-01-01"} <= valid_from
    groups = [group for e in editions for claim in e.get("claims", []) for group in claim.get("when", [])]
    assert any(isinstance(group, list) for group in groups) and any(isinstance(g, dict) for g in groups)
    assert any("from" in change for e in editions for change in e.get("changes", []))


def test_the_documented_editor_setting_maps_every_shipped_file_to_its_schema() -> None:
    data = (REPO / "docs" / "data.md").read_text(encoding="utf-8")
    section = data[data.index("## Stöd i textredigeraren (VS Code)") :]
    snippet = section[section.index("```json\n") + 8 :]
    mapping = json.loads(snippet[: snippet.index("```")])["yaml.schemas"]
    for schema_path in mapping:
        assert (REPO / schema_path).is_file(), schema_path
    for kind, path in SHIPPED:
        matched = [
            s for s, glob in mapping.items() if fnmatch.fnmatchcase("/" + path.relative_to(REPO).as_posix(), glob)
        ]
        assert matched == [f"./{KIND_BY_NAME[kind].rel}"], path


# --- what the schemas reject -----------------------------------------------------------

KIND_OF_FILE = {
    "curriculum/modules/samtycke.yaml": "module",
    "curriculum/course.yaml": "course",
    "curriculum/local/örgryte-härlanda/lokalt.yaml": "local",
    "guidelines/bou-halsa-2023.yaml": "edition",
    "guidelines/bou-halsa-2021.yaml": "edition",
}
SCHEMA_MISTAKES = [mistake for mistake in MISTAKES if mistake[1].startswith("schema/")]


def test_the_small_workspace_passes_the_schemas(mini: Path) -> None:
    for rel, kind in [*KIND_OF_FILE.items(), ("curriculum/districts.yaml", "districts")]:
        assert errors(kind, editor_view((mini / rel).read_text(encoding="utf-8"))) == [], rel


def test_every_schema_mistake_of_the_check_tests_is_covered() -> None:
    names = {mistake[0] for mistake in SCHEMA_MISTAKES}
    assert {"unknown key", "missing field", "wrong type", "bad value", "bad date", "bad id"} <= names


@pytest.mark.parametrize(
    ("name", "rule", "file", "old", "new", "line"), SCHEMA_MISTAKES, ids=[m[0] for m in SCHEMA_MISTAKES]
)
def test_each_broken_case_is_rejected_by_the_schema(
    mini: Path, name: str, rule: str, file: str, old: str, new: str, line: int | None
) -> None:
    """The one-line mistakes that check reports as schema/* are underlined in the editor too."""
    replace_in(mini / file, old, new)
    found = errors(KIND_OF_FILE[file], editor_view((mini / file).read_text(encoding="utf-8")))
    assert found, f"the schema accepts the '{name}' mistake"
    assert any(BLAMED.get(name, "") in error for error in found), found
    assert errors(
        KIND_OF_FILE[file], editor_view((mini / file).read_text(encoding="utf-8")), jsonschema.Draft7Validator
    )


#: What the editor's message names for each mistake: it points at the mistake, not elsewhere.
BLAMED = {
    "unknown key": "'objektives' was unexpected",
    "missing field": "'area' is a required property",
    "wrong type": "['minutes']",
    "bad value": "'funktioner' is not one of",
    "bad date": "'2026-13-40'",
    "bad id": "'Krav S' does not match",
}


# What the loader rejects but a JSON Schema cannot say, so the editor does not underline it
# (check still reports it as schema/value): a day that does not exist although month and day
# are in range (2023-02-30); a regular expression that does not compile ('pattern', 'markers',
# 'patterns'); a claim whose 'when' or 'unless' names a concept it does not define, whose
# 'negated' names a concept outside its group, whose concept has no words, or that has
# neither 'when' nor 'patterns'.


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        (2021, True),
        ("2021", True),
        ("2023-01", True),
        ("2021-01-01", True),
        ("2021-13", False),
        ("2021-1-1", False),
        ("21", False),
        (21, False),
        ("2021-01-32", False),
        ("idag", False),
        (True, False),
        (None, False),
    ],
)
def test_a_partial_date_is_accepted_by_the_schema_exactly_when_the_loader_accepts_it(
    value: object, accepted: bool
) -> None:
    edition = editor_view((REPO / "guidelines" / "vastbus-2005.yaml").read_text(encoding="utf-8"))
    edition["valid_from"] = value
    assert (errors("edition", edition) == []) is accepted
    model = KIND_BY_NAME["edition"].model
    if accepted:
        model.model_validate(edition)
    else:
        with pytest.raises(ValidationError):
            model.model_validate(edition)


def test_the_schema_types_the_other_editor_forms(mini: Path) -> None:
    module = editor_view((mini / "curriculum/modules/samtycke.yaml").read_text(encoding="utf-8"))
    slide = module["slides"][1]
    for key, value in [("audience_notes", {"BVC": "x"}), ("step", 0), ("layout", "bild")]:
        assert errors("module", {**module, "slides": [{**slide, key: value}]}), key
    ref = slide["refs"][0]
    for bad in [{**ref, "fingerprint": "h1:XYZ"}, {**ref, "reviewed": {"by": "A", "on": "2026-11"}}]:
        assert errors("module", {**module, "slides": [{**slide, "refs": [bad]}]}), bad
    edition = editor_view((REPO / "guidelines" / "bou-halsa-2021.yaml").read_text(encoding="utf-8"))
    claim = edition["claims"][0]
    assert errors("edition", {**edition, "claims": [{**claim, "when": [[]]}]})  # a group names a concept
    assert errors("edition", {**edition, "claims": [{**claim, "when": [{"all": ["bara"], "within": 0}]}]})
    assert not errors("edition", {**edition, "claims": [{**claim, "when": [["bara", "svar"]]}]})


# --- vastbus schema ------------------------------------------------------------------


def test_schema_writes_every_kinds_file_and_leaves_current_ones_alone(tmp_path: Path, run: Run) -> None:
    out = tmp_path / "nya scheman"
    result = run("schema", "--out", out)
    assert result.exit_code == 0, result.output
    names = sorted(kind.file_name for kind in KINDS)
    assert sorted(p.name for p in out.iterdir()) == names
    kinds = ("course", "districts", "edition", "local", "module", "sessions", "survey", "survey-results")
    assert names == sorted(f"{kind}.schema.json" for kind in kinds)
    for kind in KINDS:
        assert (out / kind.file_name).read_text(encoding="utf-8") == render(kind.name)
    assert result.stdout.count(": written\n") == 8
    assert "8 schemas in" in result.stderr and "8 written, 0 already current" in result.stderr
    (out / "course.schema.json").write_text("{}\n", encoding="utf-8")
    again = run("schema", "--out", out)
    assert again.stdout.count(": written\n") == 1 and again.stdout.count(": current\n") == 7
    assert (out / "course.schema.json").read_text(encoding="utf-8") == render("course")


def test_schema_writes_into_the_workspace_by_default(mini: Path, run: Run) -> None:
    folder = mini / SCHEMA_FOLDER
    shutil.rmtree(folder, ignore_errors=True)
    result = run("schema", "--workspace", mini)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == sorted(kind.file_name for kind in KINDS)


@pytest.mark.parametrize(
    ("where", "code", "message"),
    [
        ("a file", 2, "is a file, not a folder"),
        ("under a file", 3, "cannot write"),
        ("a schema name is a folder", 3, "it is a folder"),
    ],
)
def test_schema_output_mistakes_are_one_line(tmp_path: Path, run: Run, where: str, code: int, message: str) -> None:
    blocker = write(tmp_path / "fil.txt", "text\n")
    out = {"a file": blocker, "under a file": blocker / "scheman", "a schema name is a folder": tmp_path / "ut"}[where]
    if where == "a schema name is a folder":
        (out / "module.schema.json").mkdir(parents=True)
    result = run("schema", "--out", out)
    assert result.exit_code == code
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert not [path for path in (tmp_path / "ut").glob("*.schema.json") if path.is_file()]  # nothing half-written


def test_schema_outside_a_workspace_without_out_is_a_usage_error(tmp_path: Path, run: Run) -> None:
    result = run("schema", "--workspace", tmp_path)
    assert result.exit_code == 2 and "is not a workspace" in result.stderr


# --- vastbus check: stale schemas and modelines ----------------------------------------------


def test_check_is_quiet_when_the_schemas_are_current_or_not_kept(shipped: Path, mini: Path, check_json: Check) -> None:
    report = check_json(shipped, "--fail-on", "warning")
    assert not {rule for rule in rules_of(report) if rule.startswith("schema/")}
    for path in (mini / SCHEMA_FOLDER).iterdir():
        path.unlink()
    (mini / SCHEMA_FOLDER).rmdir()
    for edition in (mini / "guidelines").glob("*.yaml"):
        text = edition.read_text(encoding="utf-8")
        edition.write_text(text.split("\n", 1)[1], encoding="utf-8")
    assert check_json(mini, "--fail-on", "warning")["findings"] == []


def test_the_shipped_digests_are_those_of_the_schemas_the_models_make() -> None:
    """check compares committed schemas with these digests instead of generating the schemas each time."""
    assert DIGESTS.read_text(encoding="utf-8") == digest_lines(), (
        'the models changed: run python -c "from vastbus_cli.schema import digest_lines; '
        "print(digest_lines(), end='')\" > vastbus_cli/schemas.sha256, and vastbus schema in the repository"
    )


def test_check_warns_about_each_stale_or_missing_schema(shipped: Path, check_json: Check, run: Run) -> None:
    folder = shipped / SCHEMA_FOLDER
    module = folder / "module.schema.json"
    module.write_text(module.read_text(encoding="utf-8").replace("Stable id", "An id"), encoding="utf-8")
    (folder / "local.schema.json").unlink()
    report = check_json(shipped)
    stale = findings_of(report, "schema/stale")
    assert {(f["file"], f["severity"]) for f in stale} == {
        ("curriculum/schemas/module.schema.json", "warning"),
        ("curriculum/schemas/local.schema.json", "warning"),
    }
    assert all("vastbus schema --out curriculum/schemas" in f["hint"] for f in stale)
    assert any("missing" in f["message"] for f in stale) and any("out of date" in f["message"] for f in stale)
    assert report["exit_code"] == 0
    assert check_json(shipped, "--fail-on", "warning")["exit_code"] == 1
    assert run("schema", "--workspace", shipped).exit_code == 0
    assert not findings_of(check_json(shipped), "schema/stale")


def test_check_warns_when_a_modeline_misses_its_schema(mini: Path, check_json: Check) -> None:
    module = mini / "curriculum" / "modules" / "samtycke.yaml"
    course = mini / "curriculum" / "course.yaml"
    local = mini / "curriculum" / "local" / "örgryte-härlanda" / "lokalt.yaml"
    module.write_text(
        "# yaml-language-server: $schema=../schemas/modul.schema.json\n" + module.read_text("utf-8"), "utf-8"
    )
    course.write_text(
        "# yaml-language-server: $schema=schemas/module.schema.json\n" + course.read_text("utf-8"), "utf-8"
    )
    web = "# yaml-language-server: $schema=https://example.org/local.schema.json\n"
    local.write_text(web + local.read_text("utf-8"), "utf-8")
    found = {f["file"]: f for f in findings_of(check_json(mini), "schema/modeline")}
    assert set(found) == {"curriculum/modules/samtycke.yaml", "curriculum/course.yaml"}
    assert "does not exist" in found["curriculum/modules/samtycke.yaml"]["message"]
    assert "but this is a course file" in found["curriculum/course.yaml"]["message"]
    assert found["curriculum/course.yaml"]["hint"] == (
        "make the first line '# yaml-language-server: $schema=schemas/course.schema.json'"
    )
    assert (found["curriculum/course.yaml"]["line"], found["curriculum/course.yaml"]["severity"]) == (1, "warning")


# --- the modeline survives the tools that edit the files -----------------------------------


def test_review_and_upgrade_keep_the_modeline(shipped: Path, run: Run, check_json: Check) -> None:
    module = shipped / "curriculum" / "modules" / "samtycke.yaml"
    first = module.read_text(encoding="utf-8").split("\n", 1)[0]
    assert first == modeline("curriculum/modules/samtycke.yaml", "module")
    reviewed = run("review", "--workspace", shipped, module, "--by", "Testare", "--on", "2026-12-01")
    assert reviewed.exit_code == 0, reviewed.output
    assert "2026-12-01" in module.read_text(encoding="utf-8")
    upgraded = run("upgrade", "--workspace", shipped, "--to", "bou-halsa-2023", "--write")
    assert upgraded.exit_code == 0, upgraded.output
    for kind, path in SHIPPED:
        copy = shipped / path.relative_to(REPO)
        assert copy.read_text(encoding="utf-8").split("\n", 1)[0] == modeline(path.relative_to(REPO).as_posix(), kind)
    assert not {rule for rule in rules_of(check_json(shipped)) if rule.startswith("schema/")}
