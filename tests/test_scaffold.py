"""``vastbus new local|edition|workspace``: each writes files that check passes and build builds, and never overwrites."""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from typer.testing import Result

from tests.conftest import REPO
from vastbus_cli.editions import fingerprint
from vastbus_cli.models import Districts, Edition, LocalAddition

Run = Callable[..., Result]
CheckJson = Callable[..., dict[str, Any]]


def _errors(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if f["severity"] == "error"]


def _load(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


# --- new local ---------------------------------------------------------------------------------


def test_new_local_writes_a_commented_file_that_check_passes(shipped: Path, run: Run, check_json: CheckJson) -> None:
    result = run("new", "local", "lundby", "--workspace", shipped)
    assert result.exit_code == 0, result.output
    path = shipped / "curriculum" / "local" / "lundby" / "lokalt.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/local.schema.json\n")
    local = LocalAddition.model_validate(_load(path))
    assert local.district == "lundby"
    assert local.built_on == "bou-halsa-2023"  # the edition in force
    assert [c.verified for c in local.contacts] == [False]
    assert all(c.role.startswith("Exempel") for c in local.contacts)
    assert [r.title for r in local.routines] == ["Exempel – byt ut: rutinens rubrik"]
    assert [r.verified for r in local.routines] == [False]  # an example is never shown to participants
    # The optional fields are there to switch on, as comments.
    for optional in ("# audiences: [", "# why:", "# confirmed: {by:"):
        assert optional in text
    assert "Vem fyller i" in text and "Deltagarna ser" in text and "utbildarhandledningen" in text
    assert "lundby/lokalt.yaml" in result.stderr and "vastbus check" in result.stderr
    report = check_json(shipped)
    assert _errors(report) == []
    assert report["exit_code"] == 0


def test_a_new_local_file_builds_into_the_districts_packs(shipped: Path, run: Run) -> None:
    assert run("new", "local", "västra-göteborg", "--workspace", shipped).exit_code == 0
    out = shipped / "paket"
    result = run("build", "--workspace", shipped, "--district", "västra-göteborg", "--audience", "forskola")
    assert result.exit_code == 0, result.output
    assert (out / "västra-göteborg" / "forskola" / "slides.pptx").is_file()


def test_new_local_takes_ids_with_a_umlaut_and_names_in_any_normal_form(
    shipped: Path, run: Run, check_json: CheckJson
) -> None:
    decomposed = unicodedata.normalize("NFD", "västra-göteborg")
    assert run("new", "local", decomposed, "--workspace", shipped).exit_code == 0
    assert (shipped / "curriculum" / "local" / "västra-göteborg" / "lokalt.yaml").is_file()
    assert run("new", "local", "Örgryte-Härlanda", "--workspace", shipped).exit_code == 0  # by its name
    assert (shipped / "curriculum" / "local" / "örgryte-härlanda" / "lokalt.yaml").is_file()
    assert _errors(check_json(shipped)) == []


def test_new_local_for_a_city_area_names_the_area(shipped: Path, run: Run, check_json: CheckJson) -> None:
    result = run("new", "local", "sydväst", "--workspace", shipped)
    assert result.exit_code == 0, result.output
    local = LocalAddition.model_validate(_load(shipped / "curriculum" / "local" / "sydväst" / "lokalt.yaml"))
    assert (local.area, local.district) == ("sydväst", None)
    assert _errors(check_json(shipped)) == []


def test_new_local_never_overwrites(shipped: Path, run: Run) -> None:
    path = shipped / "curriculum" / "local" / "västra-hisingen" / "lokalt.yaml"
    before = path.read_bytes()
    result = run("new", "local", "västra-hisingen", "--workspace", shipped)
    assert result.exit_code == 2
    assert "curriculum/local/västra-hisingen/lokalt.yaml already exists" in result.stderr
    assert path.read_bytes() == before
    assert "Traceback" not in result.output


def test_a_second_local_file_takes_only_the_time_left_and_says_there_is_one(shipped: Path, run: Run) -> None:
    result = run("new", "local", "västra-hisingen", "--name", "rutiner", "--workspace", shipped)
    assert result.exit_code == 0, result.output
    local = LocalAddition.model_validate(_load(shipped / "curriculum" / "local" / "västra-hisingen" / "rutiner.yaml"))
    assert local.minutes == 0  # the shipped local part takes the ten minutes the short track has to spare
    assert "already have a local part (curriculum/local/västra-hisingen/lokalt.yaml)" in result.stderr


def test_new_local_names_the_known_ids_and_the_closest(shipped: Path, run: Run) -> None:
    result = run("new", "local", "lundbi", "--workspace", shipped)
    assert result.exit_code == 2
    assert "unknown district or area 'lundbi'" in result.stderr
    assert "did you mean 'lundby'?" in result.stderr
    assert "angered" in result.stderr and "nordost" in result.stderr
    assert not (shipped / "curriculum" / "local" / "lundbi").exists()


@pytest.mark.parametrize("name", ["../elsewhere.yaml", ".dold.yaml", "lokalt.txt"])
def test_new_local_takes_a_plain_yaml_file_name(shipped: Path, run: Run, name: str) -> None:
    result = run("new", "local", "lundby", "--name", name, "--workspace", shipped)
    assert result.exit_code == 2
    assert "--name" in result.stderr
    assert not (shipped / "curriculum" / "local" / "lundby").exists()


def test_new_local_does_not_write_through_a_linked_folder(shipped: Path, run: Run, tmp_path: Path) -> None:
    outside = tmp_path / "utanför"
    outside.mkdir()
    (shipped / "curriculum" / "local" / "lundby").symlink_to(outside, target_is_directory=True)
    result = run("new", "local", "lundby", "--workspace", shipped)
    assert result.exit_code == 2
    assert "is a link" in result.stderr
    assert list(outside.iterdir()) == []


# --- new edition -------------------------------------------------------------------------------


def test_new_edition_supersedes_the_newest_with_its_sections_and_no_copied_ids(
    shipped: Path, run: Run, check_json: CheckJson
) -> None:
    result = run("new", "edition", "bou-halsa-2099", "--in-force", "2099-01-01", "--workspace", shipped)
    assert result.exit_code == 0, result.output
    path = shipped / "guidelines" / "bou-halsa-2099.yaml"
    new = Edition.model_validate(_load(path))
    old = Edition.model_validate(_load(REPO / "guidelines" / "bou-halsa-2023.yaml"))
    assert (new.supersedes, new.valid_from, new.changes) == ("bou-halsa-2023", "2099-01-01", [])
    assert new.terms == [] and new.claims == [] and new.laws == []  # inherited through supersedes
    assert [fingerprint(s) for s in new.sections] == [fingerprint(s) for s in old.sections]
    assert new.sources == old.sources
    assert new.title.startswith("FYLL I")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../curriculum/schemas/edition.schema.json\n")
    assert "ärvs från bou-halsa-2023" in text
    assert "vastbus check" in result.stderr and "vastbus diff bou-halsa-2023 bou-halsa-2099" in result.stderr
    report = check_json(shipped)
    assert _errors(report) == []
    assert report["edition"] == "bou-halsa-2023"  # not in force yet
    # The one warning until a person folds the section's update into the new text.
    assert {f["rule"] for f in report["findings"] if f["file"] == "guidelines/bou-halsa-2099.yaml"} == {
        "guideline/update-date"
    }


def test_an_edition_in_force_today_checks_and_builds(shipped: Path, run: Run, check_json: CheckJson) -> None:
    today = dt.date.today().isoformat()
    result = run(
        "new", "edition", "bou-halsa-ny", "--in-force", today, "--title", "Ny utgåva (test)", "--workspace", shipped
    )
    assert result.exit_code == 0, result.output
    report = check_json(shipped)
    assert report["edition"] == "bou-halsa-ny"
    assert _errors(report) == []
    assert "edition/outdated" in {f["rule"] for f in report["findings"]}  # vastbus upgrade moves the material
    built = run("build", "--workspace", shipped, "--district", "central", "--audience", "bvc")
    assert built.exit_code == 0, built.output
    assert (shipped / "paket" / "central" / "bvc" / "slides.pptx").is_file()


def test_new_edition_needs_a_day_and_never_guesses_one(shipped: Path, run: Run) -> None:
    result = run("new", "edition", "bou-halsa-2099", "--workspace", shipped)
    assert result.exit_code == 2
    assert "--in-force YYYY-MM-DD is required" in result.stderr
    for day, message in (("2099-02-30", "is not a date"), ("2022-06-01", "is not after bou-halsa-2023")):
        result = run("new", "edition", "bou-halsa-2099", "--in-force", day, "--workspace", shipped)
        assert result.exit_code == 2, day
        assert message in result.stderr
    assert not (shipped / "guidelines" / "bou-halsa-2099.yaml").exists()


def test_new_edition_refuses_a_taken_or_bad_id(shipped: Path, run: Run) -> None:
    before = (shipped / "guidelines" / "bou-halsa-2023.yaml").read_bytes()
    result = run("new", "edition", "bou-halsa-2023", "--in-force", "2099-01-01", "--workspace", shipped)
    assert result.exit_code == 2
    assert "edition 'bou-halsa-2023' already exists" in result.stderr
    assert (shipped / "guidelines" / "bou-halsa-2023.yaml").read_bytes() == before
    result = run("new", "edition", "Bou Hälsa", "--in-force", "2099-01-01", "--workspace", shipped)
    assert result.exit_code == 2
    assert "is not an edition id" in result.stderr


def test_a_second_new_edition_supersedes_the_first(shipped: Path, run: Run, check_json: CheckJson) -> None:
    assert run("new", "edition", "utgåva-ett", "--in-force", "2098-01", "--workspace", shipped).exit_code == 0
    assert run("new", "edition", "utgåva-två", "--in-force", "2099", "--workspace", shipped).exit_code == 0
    second = Edition.model_validate(_load(shipped / "guidelines" / "utgåva-två.yaml"))
    assert second.supersedes == "utgåva-ett"
    assert _errors(check_json(shipped)) == []


# --- new workspace -----------------------------------------------------------------------------


def test_new_workspace_copies_the_central_course_and_checks(
    shipped: Path, tmp_path: Path, run: Run, check_json: CheckJson
) -> None:
    target = tmp_path / "Härryda kommun"
    result = run("new", "workspace", target, "--workspace", shipped)
    assert result.exit_code == 0, result.output
    assert "härryda-kommun" in result.stderr and "vastbus check" in result.stderr
    districts = Districts.model_validate(_load(target / "curriculum" / "districts.yaml"))
    assert [(d.id, d.name, d.area) for d in districts.districts] == [("härryda-kommun", "Härryda kommun", None)]
    assert districts.areas == []
    assert not (target / "curriculum" / "local").exists()
    assert not (target / "curriculum" / "sessions").exists()
    for rel in ("curriculum/course.yaml", "curriculum/ordlista.txt", "templates/slides.pptx", "guidelines"):
        assert (target / rel).exists(), rel
    copied = sorted(p.relative_to(shipped).as_posix() for p in (shipped / "curriculum" / "modules").iterdir())
    assert sorted(p.relative_to(target).as_posix() for p in (target / "curriculum" / "modules").iterdir()) == copied
    assert (target / "templates" / "slides.pptx").read_bytes() == (shipped / "templates" / "slides.pptx").read_bytes()
    assert not [p for p in target.rglob("*") if p.name.startswith(".")]  # no staging left, nothing hidden
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    report = check_json(target)
    assert _errors(report) == []


def test_a_new_workspace_builds_at_once(shipped: Path, tmp_path: Path, run: Run) -> None:
    target = tmp_path / "Öckerö"
    assert run("new", "workspace", target, "--workspace", shipped).exit_code == 0
    result = run("build", "--workspace", target, "--audience", "forskola")
    assert result.exit_code == 0, result.output
    assert (target / "paket" / "öckerö" / "forskola" / "slides.pptx").is_file()
    assert (target / "paket" / "central" / "forskola" / "slides.pptx").is_file()


def test_new_workspace_takes_a_name_and_id(shipped: Path, tmp_path: Path, run: Run) -> None:
    target = tmp_path / "ny"
    target.mkdir()  # an empty folder is fine
    result = run(
        "new", "workspace", target, "--municipality", "Mölndals stad", "--district-id", "mölndal", "-w", shipped
    )
    assert result.exit_code == 0, result.output
    districts = Districts.model_validate(_load(target / "curriculum" / "districts.yaml"))
    assert [(d.id, d.name) for d in districts.districts] == [("mölndal", "Mölndals stad")]


def test_new_workspace_never_writes_into_a_folder_with_something_in_it(shipped: Path, tmp_path: Path, run: Run) -> None:
    target = tmp_path / "Partille"
    target.mkdir()
    (target / "anteckningar.txt").write_text("mina", encoding="utf-8")
    result = run("new", "workspace", target, "--workspace", shipped)
    assert result.exit_code == 2
    assert "is not empty (it holds anteckningar.txt)" in result.stderr
    assert [p.name for p in target.iterdir()] == ["anteckningar.txt"]
    a_file = tmp_path / "fil"
    a_file.write_text("x", encoding="utf-8")
    result = run("new", "workspace", a_file, "--workspace", shipped)
    assert result.exit_code == 2
    assert "is a file" in result.stderr


def test_new_workspace_is_not_made_inside_what_it_copies(shipped: Path, run: Run) -> None:
    result = run("new", "workspace", shipped / "curriculum" / "ny", "--workspace", shipped)
    assert result.exit_code == 2
    assert "lies inside" in result.stderr
    assert not (shipped / "curriculum" / "ny").exists()


def test_new_workspace_needs_an_id_it_can_make(shipped: Path, tmp_path: Path, run: Run) -> None:
    result = run("new", "workspace", tmp_path / "ny", "--municipality", "???", "--workspace", shipped)
    assert result.exit_code == 2
    assert "--district-id" in result.stderr
    assert not (tmp_path / "ny").exists()


# --- help --------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["new", "new local", "new edition", "new workspace"])
def test_new_has_help_with_examples(run: Run, command: str) -> None:
    result = run(*command.split(), "--help")
    assert result.exit_code == 0
    assert "Examples" in result.stdout
    assert f"vastbus {command}" in result.stdout


def test_the_readme_links_the_recipes_and_they_exist() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    recipes = (REPO / "docs" / "recept.md").read_text(encoding="utf-8")
    headings = {line[3:].strip().lower().replace(" ", "-") for line in recipes.splitlines() if line.startswith("## ")}
    assert "](docs/recept.md)" in readme
    for title in ("Lägg till en lokal kontakt", "En ny version av riktlinjen", "En ny kommun"):
        anchor = title.lower().replace(" ", "-")
        assert f"[{title}](#{anchor})" in recipes, title
        assert anchor in headings, title
    handbook = (REPO / "docs" / "handbok.md").read_text(encoding="utf-8")
    assert "vastbus new edition" in handbook and "ärvs" in handbook


def test_new_workspace_names_what_it_cannot_copy_and_writes_nothing(shipped: Path, tmp_path: Path, run: Run) -> None:
    elsewhere = tmp_path / "bilder"
    elsewhere.mkdir()
    (shipped / "templates" / "fler-bilder").symlink_to(elsewhere, target_is_directory=True)
    (shipped / "curriculum" / "modules" / "rör.yaml").unlink(missing_ok=True)
    os.mkfifo(shipped / "curriculum" / "modules" / "rör.yaml")
    result = run("new", "workspace", tmp_path / "ny", "--workspace", shipped)
    assert result.exit_code == 3
    assert "templates/fler-bilder is a link to a folder" in result.stderr
    assert "curriculum/modules/rör.yaml" in result.stderr
    assert "nothing was written" in result.stderr
    assert not (tmp_path / "ny").exists()
