"""``vastbus changes OLD NEW``: what changed in the course between two versions, by id."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from tests.conftest import replace_in, write
from vastbus_cli import api
from vastbus_cli.errors import UsageError

SAMTYCKE = "curriculum/modules/samtycke.yaml"
INLEDNING = "curriculum/modules/inledning.yaml"
#: The first ref of the slide ingen-sip-utan-samtycke, as shipped.
SHIPPED_REF = (
    "      - section: samtycke\n"
    "        edition: bou-halsa-2023\n"
    "        fingerprint: h1:e34f7251fac089cd\n"
    "        reviewed:\n"
    '          by: "Kursredaktionen"\n'
    "          on: 2026-12-05\n"
)
#: The same ref as it was before it was reviewed against the 2023 edition (the section's text is the same).
OLD_REF = SHIPPED_REF.replace("edition: bou-halsa-2023", "edition: bou-halsa-2021")
NEW_SLIDE = (
    "  - id: nytt-för-förskolan\n"
    "    layout: content\n"
    '    title: "Nytt för förskolan och BVC"\n'
    "    bullets:\n"
    '      - "Förskolan får kalla till SIP på samma villkor som andra."\n'
    "    notes: |\n"
    "      Fråga gruppen om de har kallat till en SIP.\n"
    "\n"
)
EDITED_BULLET = (
    '      - "Målet är att alla yrkesgrupper har samma grundkunskap och talar samma språk."',
    '      - "Målet är att alla yrkesgrupper får samma grundkunskap och ett gemensamt språk."',
)


def _git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    return env | {
        "GIT_AUTHOR_NAME": "Testare",
        "GIT_AUTHOR_EMAIL": "testare@example.org",
        "GIT_COMMITTER_NAME": "Testare",
        "GIT_COMMITTER_EMAIL": "testare@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=_git_env(), capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _old_and_new(shipped: Path, run: Callable[..., Result]) -> tuple[Path, Path]:
    """OLD: the shipped course with one ref still on bou-halsa-2021. NEW: one slide edited, one added, the ref reviewed."""
    replace_in(shipped / SAMTYCKE, SHIPPED_REF, OLD_REF)
    new = shipped.parent / "ny version – å ä ö"
    shutil.copytree(shipped, new)
    _edit_add_and_review(new, run)
    return shipped, new


def _edit_add_and_review(root: Path, run: Callable[..., Result]) -> None:
    replace_in(root / INLEDNING, *EDITED_BULLET)
    replace_in(root / INLEDNING, "  - id: varfor-kursen\n", NEW_SLIDE + "  - id: varfor-kursen\n")
    done = run(
        "review",
        "--workspace",
        root,
        "--module",
        "samtycke",
        "--slide",
        "ingen-sip-utan-samtycke",
        "--section",
        "samtycke",
        "--by",
        "Testare",
        "--on",
        "2026-12-01",
    )
    assert done.exit_code == 0, done.output


def _json(run: Callable[..., Result], *args: str | Path) -> dict[str, Any]:
    done = run("changes", *args, "--format", "json")
    assert done.exit_code == 0, done.output
    data: dict[str, Any] = json.loads(done.stdout)
    return data


def _one_error_line(done: Result, *expected: str) -> str:
    assert done.exit_code == 2, done.output
    assert done.exception is None or isinstance(done.exception, SystemExit), done.exception
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    for text in expected:
        assert text in lines[0], lines[0]
    return lines[0]


# --- the Done-when -------------------------------------------------------------------------------


def test_one_slide_edited_one_added_and_one_ref_restamped_are_exactly_what_is_listed(
    shipped: Path, run: Callable[..., Result]
) -> None:
    old, new = _old_and_new(shipped, run)

    data = _json(run, old, new)
    assert data["course"] == {"fields": [], "diff": []}
    assert data["local"] == []
    assert [m["id"] for m in data["modules"]] == ["inledning", "samtycke"]  # course order
    inledning, samtycke = data["modules"]
    assert inledning["status"] == "changed" and inledning["fields"] == []
    assert inledning["slides"]["added"] == [{"id": "nytt-för-förskolan", "title": "Nytt för förskolan och BVC"}]
    assert inledning["slides"]["removed"] == []
    [changed] = inledning["slides"]["changed"]
    assert changed["id"] == "varfor-kursen"
    assert changed["title"] == changed["old_title"] == "Varför den här utbildningen?"
    assert changed["fields"] == ["bullets"]
    assert "-  - Målet är att alla yrkesgrupper har samma grundkunskap och talar samma språk." in changed["diff"]
    assert "+  - Målet är att alla yrkesgrupper får samma grundkunskap och ett gemensamt språk." in changed["diff"]
    assert inledning["slides"]["reordered"] is False
    assert inledning["quiz"] == {"added": [], "removed": [], "changed": [], "reordered": False}
    assert inledning["refs"] == []
    # The reviewed ref moved edition; its slide did not change (the new fingerprint and review are bookkeeping).
    assert samtycke["slides"] == {"added": [], "removed": [], "changed": [], "reordered": False}
    assert samtycke["fields"] == [] and samtycke["quiz"]["changed"] == []
    assert samtycke["refs"] == [
        {
            "kind": "slide",
            "item": "ingen-sip-utan-samtycke",
            "section": "samtycke",
            "old_edition": "bou-halsa-2021",
            "new_edition": "bou-halsa-2023",
        }
    ]
    assert data["summary"] == {
        "modules": {"added": 0, "removed": 0, "changed": 2},
        "slides": {"added": 1, "removed": 0, "changed": 1},
        "quiz": {"added": 0, "removed": 0, "changed": 0},
        "refs_moved": 1,
        "local": {"added": 0, "removed": 0, "changed": 0},
        "local_refs_moved": 0,
    }
    assert data["old"] == {
        "label": str(old),
        "kind": "folder",
        "commit": None,
        "version": "1.0.0",
        "built_on": "bou-halsa-2023",
    }

    text = run("changes", old, new)
    assert text.exit_code == 0, text.output
    listed = [line.strip() for line in text.stdout.splitlines() if line.startswith("    ") and line[4] in "+-~"]
    assert listed == [
        "+ nytt-för-förskolan – Nytt för förskolan och BVC",
        "~ varfor-kursen – Varför den här utbildningen?: bullets",
    ]
    assert "    bild ingen-sip-utan-samtycke: samtycke bou-halsa-2021 → bou-halsa-2023" in text.stdout
    assert "\nModul inledning – Inledning: från Västbus till Samverkan för barns och ungas hälsa\n" in text.stdout
    assert text.stdout.index("Modul inledning") < text.stdout.index("Modul samtycke")
    assert "samma grundkunskap och talar samma språk" in text.stdout  # the text diff
    assert text.stdout.rstrip().splitlines()[-1] == (
        "Sammanfattning: moduler 0 nya, 2 ändrade, 0 borttagna; bilder 1 ny, 1 ändrad, 0 borttagna; "
        "frågor 0 nya, 0 ändrade, 0 borttagna; 1 hänvisning till en annan utgåva; "
        "lokala filer 0 nya, 0 ändrade, 0 borttagna"
    )


def test_the_same_course_has_no_changes_and_exits_0(shipped: Path, run: Callable[..., Result]) -> None:
    done = run("changes", shipped, ".", "--workspace", shipped)
    assert done.exit_code == 0, done.output
    assert "Inga ändringar i kursens innehåll." in done.stdout
    data = _json(run, shipped, shipped)
    assert data["modules"] == [] and data["local"] == [] and data["course"]["fields"] == []


def test_whitespace_and_a_review_in_the_same_edition_are_not_changes(shipped: Path, run: Callable[..., Result]) -> None:
    new = shipped.parent / "omformaterad"
    shutil.copytree(shipped, new)
    # Notes re-wrapped (a line break moved), trailing spaces, a review record renewed: nothing a pack shows.
    replace_in(
        new / INLEDNING,
        "      Förklara att utbildningen är gemensam för att samverkan bygger på att vi förstår varandras\n"
        "      uppdrag.",
        "      Förklara att utbildningen är gemensam för att samverkan bygger på att vi förstår   \n"
        "      varandras uppdrag.",
    )
    replace_in(
        new / SAMTYCKE,
        '          by: "Kursredaktionen"\n          on: 2026-11-23',
        "          by: Ny\n          on: 2026-12-24",
    )
    data = _json(run, shipped, new)
    assert data["modules"] == [], data["modules"]


# --- added, removed, reordered, course and local changes ------------------------------------------


def test_removed_slide_removed_module_added_module_and_quiz(shipped: Path, run: Callable[..., Result]) -> None:
    new = shipped.parent / "ny"
    shutil.copytree(shipped, new)
    text = (new / SAMTYCKE).read_text(encoding="utf-8")
    start = text.index("  - id: barnets-rost\n")
    end = text.index("  - id: utan-samtycke\n")
    (new / SAMTYCKE).write_text(text[:start] + text[end:], encoding="utf-8")
    replace_in(new / SAMTYCKE, "    answer: 4\n", "    answer: 3\n")  # quiz item vem-samtycker
    replace_in(new / "curriculum/course.yaml", "  - placerade-barn\n", "")
    (new / "curriculum/modules/placerade-barn.yaml").unlink()
    module = (new / "curriculum/modules/avvikelser.yaml").read_text(encoding="utf-8")
    write(new / "curriculum/modules/åter-i-tjänst.yaml", module.replace("id: avvikelser\n", "id: åter-i-tjänst\n", 1))
    replace_in(new / "curriculum/course.yaml", "  - avvikelser\n", "  - avvikelser\n  - åter-i-tjänst\n")

    data = _json(run, shipped, new)
    by_id = {m["id"]: m for m in data["modules"]}
    assert by_id["samtycke"]["slides"]["removed"] == [{"id": "barnets-rost", "title": "Barnets röst i SIP"}]
    assert [q["id"] for q in by_id["samtycke"]["quiz"]["changed"]] == ["vem-samtycker"]
    assert by_id["samtycke"]["quiz"]["changed"][0]["fields"] == ["answer"]
    assert "-answer: 4" in by_id["samtycke"]["quiz"]["changed"][0]["diff"]
    assert by_id["placerade-barn"]["status"] == "removed"
    assert by_id["placerade-barn"]["slides"]["removed"] and not by_id["placerade-barn"]["slides"]["added"]
    assert by_id["åter-i-tjänst"]["status"] == "added"
    assert by_id["åter-i-tjänst"]["slides"]["added"]
    assert data["modules"][-1]["id"] == "placerade-barn"  # removed modules after the course's modules
    ids = [m["id"] for m in data["modules"]]
    assert ids.index("samtycke") < ids.index("åter-i-tjänst")
    assert data["course"]["fields"] == ["modules"]
    assert "+  - åter-i-tjänst" in data["course"]["diff"] and "-  - placerade-barn" in data["course"]["diff"]
    assert data["summary"]["modules"] == {"added": 1, "removed": 1, "changed": 1}

    text = run("changes", shipped, new).stdout
    assert "Borttagen modul placerade-barn – " in text
    assert "Ny modul åter-i-tjänst – " in text
    assert "  Borttagna bilder\n    - barnets-rost – " in text
    assert "  Ändrade frågor\n    ~ vem-samtycker – " in text

    news = run("changes", shipped, new, "--format", "news").stdout
    assert news.startswith("news:\n")
    lines = [line.removeprefix('  - "').removesuffix('"') for line in news.splitlines()[1:]]
    samtycke = next(line for line in lines if line.startswith("Samtycke"))
    assert samtycke.endswith(": 1 borttagen bild, 1 ändrad fråga."), samtycke
    assert any(line.startswith("Ny modul: ") for line in lines)
    assert any(line.startswith("Modulen ") and line.endswith(" ingår inte längre.") for line in lines)


def test_news_in_the_course_is_in_the_trainer_guide_and_on_the_site(
    mini: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    import zipfile

    from vastbus_cli.api import open_workspace
    from vastbus_cli.build import build
    from vastbus_cli.site.publish import publish_site

    replace_in(mini / "curriculum/course.yaml", "modules:\n", 'news:\n  - "Samtycke: 1 ändrad bild."\nmodules:\n')
    out = tmp_path / "paket"
    build(open_workspace(mini), out, districts=["central"], audiences=["bvc"], jobs=1)
    with zipfile.ZipFile(out / "central/bvc/trainer-guide.docx") as guide:
        document = guide.read("word/document.xml").decode("utf-8")
    assert "Nytt i denna version (1.0.0)" in document and "Samtycke: 1 ändrad bild." in document
    with zipfile.ZipFile(out / "central/bvc/handout.docx") as handout:
        assert "Nytt i denna version" not in handout.read("word/document.xml").decode("utf-8")
    site = tmp_path / "webbplats"
    publish_site(open_workspace(mini), site, packs=out)
    assert "<li>Samtycke: 1 ändrad bild.</li>" in (site / "index.html").read_text(encoding="utf-8")


def test_reordered_slides_and_a_new_course_version(shipped: Path, run: Callable[..., Result]) -> None:
    new = shipped.parent / "ny"
    shutil.copytree(shipped, new)
    text = (new / SAMTYCKE).read_text(encoding="utf-8")
    first = text.index("  - id: vad-omfattar\n")
    second = text.index("  - id: sekretess-fore-motet\n")
    third = text.index("  - id: barnets-rost\n")
    (new / SAMTYCKE).write_text(text[:first] + text[second:third] + text[first:second] + text[third:], encoding="utf-8")
    replace_in(new / "curriculum/course.yaml", 'version: "1.0.0"', 'version: "1.1.0"')
    data = _json(run, shipped, new)
    [samtycke] = data["modules"]
    assert samtycke["slides"]["reordered"] is True and samtycke["slides"]["changed"] == []
    assert (data["old"]["version"], data["new"]["version"]) == ("1.0.0", "1.1.0")
    assert data["course"]["fields"] == []  # the version is in old/new, not a field
    out = run("changes", shipped, new).stdout
    assert "Ordningen på bilder har ändrats" in out
    assert "version 1.0.0) till " in out and "version 1.1.0)" in out
    assert "versionsnummer är detsamma" not in out


def test_local_additions_are_their_own_section(shipped: Path, run: Callable[..., Result]) -> None:
    new = shipped.parent / "ny"
    shutil.copytree(shipped, new)
    local = new / "curriculum/local/västra-hisingen/lokalt.yaml"
    replace_in(local, 'title: "Lokalt på Västra Hisingen"', 'title: "Lokalt på Västra Hisingen i dag"')
    data = _json(run, shipped, new)
    assert data["modules"] == []
    [file] = data["local"]
    assert file["id"] == "västra-hisingen/lokalt.yaml" and file["status"] == "changed"
    assert [s["id"] for s in file["slides"]["changed"]] == ["lokalt-vastra-hisingen"]
    assert set(file) >= {"slides", "routines", "examples", "refs", "fields", "diff"}
    assert data["summary"]["local"] == {"added": 0, "removed": 0, "changed": 1}
    out = run("changes", shipped, new).stdout
    assert "Lokala tillägg (curriculum/local/)\n\nFil västra-hisingen/lokalt.yaml – " in out


# --- git revisions -------------------------------------------------------------------------------


@needs_git
def test_head_against_the_working_tree_of_a_workspace_in_a_repository_folder(
    shipped: Path, run: Callable[..., Result]
) -> None:
    repo = shipped.parent / "förvaltningens repo"
    workspace = repo / "utbildning – Göteborg"
    shutil.copytree(shipped, workspace)
    replace_in(workspace / SAMTYCKE, SHIPPED_REF, OLD_REF)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "kurs 1.0")
    git(repo, "tag", "v1.0")
    _edit_add_and_review(workspace, run)

    data = _json(run, "HEAD", ".", "--workspace", workspace)
    assert data["old"]["kind"] == "revision" and data["old"]["label"] == "HEAD"
    assert data["old"]["commit"] == git(repo, "rev-parse", "HEAD").strip()
    assert data["new"]["kind"] == "folder" and data["new"]["label"] == "."
    assert data["summary"]["slides"] == {"added": 1, "removed": 0, "changed": 1}
    assert data["summary"]["refs_moved"] == 1
    assert data["modules"][0]["slides"]["added"][0]["id"] == "nytt-för-förskolan"

    # Committed: the two revisions give the same answer, and the temporary folders are gone.
    git(repo, "commit", "-q", "-am", "kurs 1.1")
    again = _json(run, "v1.0", "HEAD", "--workspace", workspace)
    assert again["summary"] == data["summary"]
    assert again["new"]["commit"] == git(repo, "rev-parse", "HEAD").strip()
    assert _json(run, "HEAD", ".", "--workspace", workspace)["modules"] == []


@needs_git
def test_a_revision_is_read_into_a_temporary_folder_that_is_removed(shipped: Path) -> None:
    git(shipped, "init", "-q")
    git(shipped, "add", "-A")
    git(shipped, "commit", "-q", "-m", "kurs")
    with api.course_version("HEAD", shipped) as version:
        root = version.workspace.root
        assert root.is_dir() and (root / "curriculum/course.yaml").is_file()
        assert not (root / "templates").exists()  # only what loading needs
        assert version.where == "HEAD:"
    assert not root.exists()


@needs_git
def test_a_side_that_does_not_load_is_one_line_per_problem_and_exit_1(
    shipped: Path, run: Callable[..., Result]
) -> None:
    git(shipped, "init", "-q")
    git(shipped, "add", "-A")
    git(shipped, "commit", "-q", "-m", "kurs")
    replace_in(shipped / SAMTYCKE, "title: ", "titel: ")
    write(shipped / "curriculum/modules/trasig.yaml", "id: [trasig\n")
    done = run("changes", "HEAD", ".", "--workspace", shipped)
    assert done.exit_code == 1, done.output
    assert done.stdout == "" and "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    # The working tree's files are named as the user can open them (here: by absolute path).
    assert [line.split(": error ")[1].split()[0] for line in lines[:-1]] == [
        "schema/missing",
        "schema/unknown-key",
        "yaml/syntax",
    ]
    assert lines[1].endswith(
        "/curriculum/modules/samtycke.yaml:3:1: error schema/unknown-key unknown field 'titel' (did you mean 'title'?)"
    )
    assert lines[2].startswith(f"{shipped.resolve().as_posix()}/curriculum/modules/trasig.yaml:2:1: error yaml/syntax ")
    assert lines[-1] == "error: . does not load (3 problems); fix it, or compare other versions"

    # The problem in the old revision is named the way git show takes it.
    git(shipped, "add", "-A")
    git(shipped, "commit", "-q", "-m", "trasig")
    (shipped / "curriculum/modules/trasig.yaml").unlink()
    replace_in(shipped / SAMTYCKE, "titel: ", "title: ")
    done = run("changes", "HEAD", ".", "--workspace", shipped)
    assert done.exit_code == 1
    assert "HEAD:curriculum/modules/trasig.yaml:" in done.stderr
    assert "error: HEAD does not load (" in done.stderr


@needs_git
def test_unknown_revision_is_one_line_and_exit_2(shipped: Path, run: Callable[..., Result]) -> None:
    git(shipped, "init", "-q")
    git(shipped, "add", "-A")
    git(shipped, "commit", "-q", "-m", "kurs")
    _one_error_line(run("changes", "v9.9", ".", "--workspace", shipped), "unknown revision 'v9.9'")
    _one_error_line(run("changes", "HEAD~5", ".", "--workspace", shipped), "unknown revision 'HEAD~5'")


@needs_git
def test_a_revision_without_the_workspace_is_one_line_and_exit_2(shipped: Path, run: Callable[..., Result]) -> None:
    git(shipped, "init", "-q")
    write(shipped / "LÄSMIG.txt", "tom\n")
    git(shipped, "add", "LÄSMIG.txt")
    git(shipped, "commit", "-q", "-m", "före kursen")
    _one_error_line(run("changes", "HEAD", ".", "--workspace", shipped), "has no workspace at", "guidelines/")


def test_not_a_repository_is_one_line_and_exit_2(shipped: Path, run: Callable[..., Result]) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    _one_error_line(run("changes", "HEAD", ".", "--workspace", shipped), "is not in a git repository")


def test_git_missing_is_one_line_and_exit_2(shipped: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    empty = tmp_path / "ingen-git"
    empty.mkdir()
    done = run("changes", "HEAD", ".", "--workspace", shipped, env_extra={"PATH": str(empty)})
    _one_error_line(done, "git was not found")


def test_a_folder_that_is_not_a_workspace_is_one_line_and_exit_2(
    shipped: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    folder = tmp_path / "inte en arbetsyta"
    (folder / "curriculum").mkdir(parents=True)
    _one_error_line(run("changes", folder, shipped), "inte en arbetsyta is not a workspace")
    _one_error_line(run("changes", shipped, folder), "is not a workspace")


def test_a_manifest_is_refused_with_the_reason(shipped: Path, run: Callable[..., Result]) -> None:
    manifest = write(shipped / "build/manifest.json", "{}\n")
    _one_error_line(run("changes", manifest, shipped), "manifest.json holds hashes")


def test_a_revision_outside_a_workspace_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageError, match="no workspace found"), api.course_version("HEAD"):
        pass


# --- output --------------------------------------------------------------------------------------


def test_output_file_and_dash(shipped: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    old, new = _old_and_new(shipped, run)
    target = tmp_path / "ändringar.json"
    done = run("changes", old, new, "-f", "json", "-o", target)
    assert done.exit_code == 0, done.output
    assert done.stdout == "" and f"wrote {target}" in done.stderr
    assert json.loads(target.read_text(encoding="utf-8"))["summary"]["refs_moved"] == 1
    dash = run("changes", old, new, "--output", "-")
    assert dash.stdout.startswith("Ändringar från ")
    assert not (Path.cwd() / "-").exists()


def test_json_shape_is_documented_in_the_handbook(shipped: Path, run: Callable[..., Result]) -> None:
    from tests.conftest import REPO

    old, new = _old_and_new(shipped, run)
    data = _json(run, old, new)
    handbook = (REPO / "docs" / "handbok.md").read_text(encoding="utf-8")
    section = handbook.split("## `vastbus changes OLD NEW`", 1)[1].split("\n## ", 1)[0]
    inledning, samtycke = data["modules"]
    keys = [*data, *data["old"], *inledning, *inledning["slides"], *inledning["slides"]["changed"][0]]
    for key in [*keys, *samtycke["refs"][0], *data["summary"]]:
        assert f'"{key}"' in section, key
    assert data["tool"]["name"] == "vastbus"
