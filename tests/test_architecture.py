"""The package's shape: no import cycle, leaf modules stay leaves, the CLI goes through the API.

The import graph is read from the source with ``ast``, so nothing is imported to test it.
Every import counts, at module level, inside a function or under ``if TYPE_CHECKING:``:
a function-level import changes when a module is loaded, not which module depends on
which, so it cannot hide a cycle from this test.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

import vastbus_cli

PACKAGE = Path(vastbus_cli.__file__).resolve().parent
NAME = "vastbus_cli"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    """The absolute module an ``import from`` names (relative imports resolved)."""
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def _imports(module: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules ``module`` imports, anywhere in its source."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, path, node)
            # ``from vastbus_cli import api`` imports the module api; ``from x import name`` imports x.
            names = [f"{target}.{alias.name}" if f"{target}.{alias.name}" in known else target for alias in node.names]
        else:
            continue
        for name in names:
            # ``import a.b.c`` loads a, a.b and a.b.c; the deepest known one is the dependency.
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name.startswith(NAME) and name != module:
                found.add(name)
    return found


def import_graph() -> dict[str, set[str]]:
    """Every module of the package and the package modules it imports.

    A package's ``__init__`` is left out of the modules it re-exports from: importing
    ``vastbus_cli.models.edition`` runs ``vastbus_cli.models``'s ``__init__`` first, but
    that is Python loading parents, not a dependency the code chose.
    """
    modules = _modules()
    known = set(modules)
    return {module: _imports(module, path, known) - _parents(module) for module, path in modules.items()}


def _parents(module: str) -> set[str]:
    parts = module.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of two or more modules (Tarjan), each as one cycle through it."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_cycle_in(graph, set(group)) for group in groups]


def _cycle_in(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """One cycle through a strongly connected group, starting at its first module: a → b → … → a."""
    start = min(group)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(graph[node] & group):
            if target == start:
                return [*paths[node], start]
            if target not in paths:
                paths[target] = [*paths[node], target]
                queue.append(target)
    return sorted(group)  # pragma: no cover - a strongly connected group always has a cycle


def test_the_graph_reader_sees_every_kind_of_import() -> None:
    graph = import_graph()
    assert "vastbus_cli.api" in graph["vastbus_cli.cli"]  # ``from vastbus_cli import api`` inside a function
    assert "vastbus_cli.models" in graph["vastbus_cli.workspace"]  # a package's __init__
    assert "vastbus_cli.errors" in graph["vastbus_cli.api"]  # module level


def test_a_cycle_is_found_and_named() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycles(graph) == [["a", "b", "c", "a"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle() -> None:
    cycles = find_cycles(import_graph())
    assert not cycles, "import cycles:\n" + "\n".join(" → ".join(cycle) for cycle in cycles)


LEAVES = ("vastbus_cli.packs", "vastbus_cli.patterns", "vastbus_cli.diagramkinds")


def test_leaf_modules_import_nothing_of_the_package() -> None:
    graph = import_graph()
    for leaf in LEAVES:
        assert graph[leaf] == set(), f"{leaf} imports {sorted(graph[leaf])}; it must stay a leaf"


#: What cli.py may import of the package besides the API: printing, parsing and messages.
#: ``cli_options`` (the shared options) and ``cli_output`` (what commands print) are the
#: CLI layer's own modules; they are held to the same list (see below).
CLI_MAY_IMPORT = {
    "vastbus_cli",
    "vastbus_cli.api",
    "vastbus_cli.cli_lang",
    "vastbus_cli.cli_maintain",
    "vastbus_cli.cli_new",
    "vastbus_cli.cli_options",
    "vastbus_cli.cli_output",
    "vastbus_cli.cli_survey",
    "vastbus_cli.errors",
    "vastbus_cli.findings",
    "vastbus_cli.formats",
    "vastbus_cli.helptext",
    "vastbus_cli.i18n",
    "vastbus_cli.safetext",
    "vastbus_cli.streams",
    "vastbus_cli.views",
    "vastbus_cli.views_report",
    "vastbus_cli.fsio",
}


def test_the_cli_goes_through_the_api() -> None:
    graph = import_graph()
    cli_layer = sorted(module for module in graph if module.startswith("vastbus_cli.cli"))
    assert cli_layer == [
        "vastbus_cli.cli",
        "vastbus_cli.cli_lang",
        "vastbus_cli.cli_maintain",
        "vastbus_cli.cli_new",
        "vastbus_cli.cli_options",
        "vastbus_cli.cli_output",
        "vastbus_cli.cli_survey",
    ]
    for module in cli_layer:
        extra = graph[module] - CLI_MAY_IMPORT
        assert not extra, f"{module} imports domain modules directly: {sorted(extra)}; call them through api.py"


def test_nothing_below_the_cli_imports_the_api() -> None:
    graph = import_graph()
    users = sorted(module for module, targets in graph.items() if "vastbus_cli.api" in targets)
    commands = ["vastbus_cli.cli", "vastbus_cli.cli_maintain", "vastbus_cli.cli_new", "vastbus_cli.cli_survey"]
    assert users == commands, (
        f"only the commands (cli.py, cli_maintain.py, cli_new.py, cli_survey.py) may import api.py (it sits above the domain): {users}"
    )


def test_writers_do_not_import_the_models() -> None:
    graph = import_graph()
    writers = [m for m in graph if m.startswith("vastbus_cli.render.") and m.endswith("_writer")]
    assert writers
    for writer in writers:
        assert not any(t.startswith("vastbus_cli.models") for t in graph[writer]), writer


def test_the_worker_count_respects_cpu_affinity(monkeypatch: pytest.MonkeyPatch) -> None:
    """A process allowed on one processor of eight (taskset, a container) starts one worker, not eight."""
    from vastbus_cli import workers

    monkeypatch.delattr(os, "process_cpu_count", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    assert workers.worker_count(None, 100) == 1
    assert workers.worker_count(3, 100) == 3  # asked for: as many as asked
    assert workers.worker_count(3, 2) == 2  # never more than the tasks


def test_the_cli_offers_every_output_format_of_check_and_no_other() -> None:
    """docs/architecture.md: adding a format of check touches formats.FORMATS and cli_options.OutputFormat."""
    from vastbus_cli.cli_options import OutputFormat
    from vastbus_cli.formats import FORMATS

    assert {member.value for member in OutputFormat} == set(FORMATS)


def test_docs_architecture_names_every_module() -> None:
    """docs/architecture.md is where a module's room is written down: a new module is named there."""
    text = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    package = PACKAGE
    unnamed = [
        path.relative_to(package).as_posix()
        for path in sorted(package.rglob("*.py"))
        if path.name != "__init__.py" and path.name != "__main__.py" and f"`{path.name}`" not in text
    ]
    assert not unnamed, f"name these modules in docs/architecture.md: {unnamed}"


def test_no_module_imports_click_which_typer_no_longer_brings() -> None:
    """Typer 0.2x carries its own copy of Click and does not install Click: `pip install .` has none.

    The command line reaches Click's classes through Typer (``cli_lang._engine``); a plain
    ``import click`` would work in a test environment that happens to have Click and fail for a
    user (ModuleNotFoundError on every command).
    """
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(name == "click" or name.startswith("click.") for name in names):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == [], offenders
