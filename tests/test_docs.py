"""The docs: a short README, generated pages equal to the code, every recipe, no broken link."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from vastbus_cli import docgen

README = REPO / "README.md"
DOCS = REPO / "docs"

#: The recipes each user needs: the page and the headings it must have.
RECIPES = {
    "utbildare.md": (
        "Hämta ditt paket",
        "Skanna en delad mapp",
        "Registrera ett utbildningstillfälle",
        "Kunskapsenkäten före och efter",
    ),
    "recept.md": (
        "Ändra en bild",
        "Lägg till en lokal kontakt",
        "En ny version av riktlinjen",
        "Publicera en ny version",
        "En ny kommun",
    ),
    "styrgrupp.md": ("Läs lägesrapporten", "Läs kunskapsenkäten"),
    "ci.md": ("GitHub Actions", "GitLab CI", "pre-commit"),
}

_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
_FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def _pages() -> list[Path]:
    return [README, *sorted(DOCS.glob("*.md"))]


def _headings(path: Path) -> set[str]:
    text = _FENCE.sub("", path.read_text(encoding="utf-8"))
    anchors: set[str] = set()
    for line in text.splitlines():
        if line.startswith("#"):
            anchor = docgen._anchor(line.lstrip("#"))
            n = 1
            unique = anchor
            while unique in anchors:  # GitHub numbers a repeated heading's anchor
                unique = f"{anchor}-{n}"
                n += 1
            anchors.add(unique)
    return anchors


def _links(path: Path) -> list[str]:
    return _LINK.findall(_FENCE.sub("", path.read_text(encoding="utf-8")))


def test_the_readme_is_short() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) < 200, f"README.md has {len(lines)} lines: move detail into docs/"


def test_the_readme_keeps_no_long_table_cell_and_no_commit_hash() -> None:
    text = README.read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("|"):
            assert all(len(cell.split()) < 100 for cell in line.split("|")), line
    assert not re.search(r"\b[0-9a-f]{7,40}\b", text), "a commit hash in the README"


@pytest.mark.parametrize("name", sorted(docgen.PAGES))
def test_each_generated_page_is_what_its_generator_makes_now(name: str) -> None:
    page = (DOCS / name).read_text(encoding="utf-8")
    assert page.startswith("<!-- Genererad sida"), "the page says it is generated"
    assert "python -m vastbus_cli.docgen --write" in page.splitlines()[0], "and how to make it again"
    assert page == docgen.PAGES[name](), f"docs/{name} is stale: run python -m vastbus_cli.docgen --write"


def test_a_stale_page_is_found_and_written_anew(tmp_path: Path) -> None:
    for name, make in docgen.PAGES.items():
        (tmp_path / name).write_text(make(), encoding="utf-8")
    assert docgen.stale(tmp_path) == []
    (tmp_path / "regler.md").write_text("gammal\n", encoding="utf-8")
    (tmp_path / "kommandon.md").unlink()
    assert docgen.stale(tmp_path) == ["kommandon.md", "regler.md"]
    assert docgen.write(tmp_path) == ["kommandon.md", "regler.md"]
    assert docgen.stale(tmp_path) == [] and docgen.write(tmp_path) == []


def test_the_command_reference_has_every_command_and_option_in_swedish() -> None:
    import typer

    from vastbus_cli.cli import app

    page = (DOCS / "kommandon.md").read_text(encoding="utf-8")
    root = typer.main.get_command(app)
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        assert f"## `vastbus {name}`" in page, name
        for sub in getattr(command, "commands", {}):
            assert f"## `vastbus {name} {sub}`" in page, sub
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--"):
                    assert opt in page, f"{name} {opt}"
    assert "Användning: vastbus check" in page and "**Flaggor**" in page
    assert "Usage:" not in page, "the page is made in Swedish, as the help is"


def test_the_rules_and_formats_pages_cover_every_rule_and_file_kind() -> None:
    from vastbus_cli import rulebook
    from vastbus_cli.schema import KINDS, schema_of

    rules = (DOCS / "regler.md").read_text(encoding="utf-8")
    for rule in rulebook.ALL_RULES:
        assert f"`{rule.id}`" in rules, rule.id
    formats = (DOCS / "dataformat.md").read_text(encoding="utf-8")
    for kind in KINDS:
        assert f"\n## {kind.name}\n" in formats, kind.name
        for field in schema_of(kind.name).get("properties", {}):
            assert f"**`{field}`**" in formats, f"{kind.name}.{field}"


def test_the_generator_runs_from_the_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "vastbus_cli.docgen", "--check"], capture_output=True, text=True, check=False, cwd=REPO
    )
    assert done.returncode == 0, done.stderr
    wrong = subprocess.run(
        [sys.executable, "-m", "vastbus_cli.docgen", "--nonsense"], capture_output=True, text=True, check=False
    )
    assert wrong.returncode == 2 and "usage" in wrong.stderr


@pytest.mark.parametrize(("page", "titles"), sorted(RECIPES.items()))
def test_every_recipe_exists_with_its_table_of_contents(page: str, titles: tuple[str, ...]) -> None:
    text = (DOCS / page).read_text(encoding="utf-8")
    for title in titles:
        assert f"\n## {title}\n" in text, f"docs/{page} has no recipe '{title}'"
        assert f"[{title}](#{docgen._anchor(title)})" in text, f"docs/{page} does not list '{title}'"


def test_the_readme_links_every_users_recipes() -> None:
    text = README.read_text(encoding="utf-8")
    for page in RECIPES:
        assert f"(docs/{page})" in text, page


@pytest.mark.parametrize("page", _pages(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_relative_link_resolves(page: Path) -> None:
    broken = []
    for target in _links(page):
        if re.match(r"[a-z]+:", target):
            continue
        file_part, _, anchor = target.partition("#")
        resolved = (page.parent / file_part).resolve() if file_part else page
        if not resolved.exists():
            broken.append(f"{target}: no such file")
        elif anchor and resolved.suffix == ".md" and anchor not in _headings(resolved):
            broken.append(f"{target}: no such heading")
    assert not broken, broken


def test_the_link_checker_finds_a_broken_link_and_a_missing_heading(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# Rubrik\n\n[b](b.md) [c](a.md#rubrik) [d](a.md#saknas)\n", encoding="utf-8")
    assert _links(tmp_path / "a.md") == ["b.md", "a.md#rubrik", "a.md#saknas"]
    assert _headings(tmp_path / "a.md") == {"rubrik"}
    assert not (tmp_path / "b.md").exists()


def _untagged_examples(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    return [
        line.strip()
        for line in text.splitlines()
        for tag in re.findall(r"(?:changes|--since)\s+(v\d[\w.]*)", line)
        if f"git tag {tag}" not in text
    ]


@pytest.mark.parametrize(
    "page",
    [page for page in _pages() if page.name not in docgen.PAGES],
    ids=lambda p: p.relative_to(REPO).as_posix(),
)
def test_examples_name_revisions_a_fresh_clone_has(page: Path) -> None:
    """No example leans on a tag that does not exist unless it makes the tag first."""
    assert _untagged_examples(page) == [], "use HEAD~1, or show 'git tag vX' first"


def test_the_command_reference_examples_name_revisions_a_fresh_clone_has() -> None:
    assert _untagged_examples(DOCS / "kommandon.md") == []


def test_the_shipped_workflow_does_what_the_docs_say() -> None:
    from ruamel.yaml import YAML

    workflow = YAML(typ="safe").load((REPO / ".github" / "workflows" / "vastbus.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["check-and-build"]["steps"]
    runs = [step.get("run", "") for step in steps]
    uses = [step.get("uses", "").split("@")[0] for step in steps]
    assert any("--format sarif" in run for run in runs) and "github/codeql-action/upload-sarif" in uses
    assert any("--format github" in run for run in runs)
    assert any(run.startswith("vastbus build") for run in runs) and "actions/upload-artifact" in uses
    assert "paket/" in [step.get("with", {}).get("path") for step in steps]
