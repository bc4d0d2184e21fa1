"""The generated pages of ``docs/``: the command reference, the rules and the data formats.

A maintainer's tool, not part of a run::

    python -m vastbus_cli.docgen --write   # write docs/kommandon.md, docs/regler.md, docs/dataformat.md
    python -m vastbus_cli.docgen --check   # exit 1 naming each page that is not what the code makes now

Each page is made from the one home of its facts, in Swedish as the users read them:

- ``kommandon.md`` from the command line itself (the Click tree Typer builds from
  :data:`vastbus_cli.cli.app`), its help translated as ``--help`` shows it
  (:func:`vastbus_cli.cli_lang.apply`);
- ``regler.md`` from the rule registry (:mod:`vastbus_cli.rulebook`), meanings and fixes
  through the catalog;
- ``dataformat.md`` from the JSON Schemas the models make (:mod:`vastbus_cli.schema`,
  what ``vastbus schema`` writes).

``tests/test_docs.py`` holds every page equal to what its generator makes now. The page
chrome is written here in Swedish, not through ``_()``: the pages are documents for Swedish
readers, as the report and the site are, and adding their headings to the catalog would
only make translators write them twice.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from vastbus_cli.i18n import _, speaking

#: Where the pages go, relative to the repository.
DOCS = Path(__file__).resolve().parent.parent / "docs"
#: The width help is wrapped at, so a page does not depend on the terminal it was made in.
WIDTH = 100
LANG = "sv"


def _header(command: str) -> str:
    return (
        "<!-- Genererad sida: ändra inte för hand. Skapa den på nytt med "
        f"`python -m vastbus_cli.docgen --write` ({command}). tests/test_docs.py håller den aktuell. -->\n\n"
    )


def _t(text: str) -> str:
    """``text`` through the catalog; the empty text stays empty (gettext would give the catalog's header)."""
    return _(text) if text else text


_CODE = re.compile(r"(`[^`]*`)")


def _prose(text: str) -> str:
    """A description (Markdown already) on one line, ``<`` and ``>`` outside code shown as written."""
    pieces = _CODE.split(" ".join(_t(text).split()))
    return "".join(p if p.startswith("`") else p.replace("<", "&lt;").replace(">", "&gt;") for p in pieces)


# --- commands ---------------------------------------------------------------------------

_ESCAPE = re.compile(r"([\\*_<>\[\]`])")


def _escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


def _help_markdown(text: str) -> str:
    """Click help text as Markdown: a paragraph after a backspace line is kept as written, in a block."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.splitlines()
        if lines and lines[0].strip() == "\b":
            body = "\n".join(lines[1:])
            indent = min((len(line) - len(line.lstrip()) for line in lines[1:] if line.strip()), default=0)
            out.append("```text\n" + "\n".join(line[indent:] for line in body.splitlines()) + "\n```")
        else:
            out.append(_escape(" ".join(line.strip() for line in lines)))
    return "\n\n".join(out)


def _context(command: Any, name: str, parent: Any = None) -> Any:
    """A context as Click makes one for ``--help``, at a fixed width."""
    settings = {**command.context_settings, "terminal_width": WIDTH, "max_content_width": WIDTH}
    return command.context_class(command, info_name=name, parent=parent, **settings)


def _walk(command: Any, ctx: Any, path: str) -> Iterator[tuple[str, Any, Any]]:
    yield path, command, ctx
    list_commands = getattr(command, "list_commands", None)
    if list_commands is None:
        return
    for name in list_commands(ctx):
        sub = command.commands[name]
        if getattr(sub, "hidden", False):
            continue
        sub_ctx = _context(sub, name, ctx)
        yield from _walk(sub, sub_ctx, f"{path} {name}")


def _parameters(command: Any, ctx: Any) -> tuple[list[str], list[str]]:
    arguments: list[str] = []
    options: list[str] = []
    for param in command.get_params(ctx):
        if getattr(param, "hidden", False):
            continue
        record = param.get_help_record(ctx)
        if record is None:
            continue
        names, text = record
        line = f"- `{names}`" + (f": {_escape(_t(text))}" if text else "")
        (options if param.param_type_name == "option" else arguments).append(line)
    return arguments, options


def commands_page() -> str:
    """``docs/kommandon.md``: every command and subcommand, its usage, help and options, as ``--help`` says."""
    import typer

    from vastbus_cli import cli_lang
    from vastbus_cli.cli import app

    root = typer.main.get_command(app)
    with speaking(LANG):
        cli_lang.apply(LANG, root)
        ctx = _context(root, "vastbus")
        pages = list(_walk(root, ctx, "vastbus"))
        toc = [f"- [`{path}`](#{_anchor(path)})" for path, _command, _ctx in pages]
        parts = [
            _header("kommandoreferensen, ur kommandoradens egen hjälp"),
            "# Kommandon\n\n",
            "Allt som `vastbus --help` och `vastbus KOMMANDO --help` visar, samlat på en sida. "
            "Hjälpen finns också på engelska: `vastbus --lang en KOMMANDO --help`. "
            "Steg för steg för varje uppgift: [recepten](README.md).\n\n",
            "\n".join(toc) + "\n\n",
        ]
        for path, command, command_ctx in pages:
            parts.append(f"## `{path}`\n\n")
            parts.append("```text\n" + command.get_usage(command_ctx).strip() + "\n```\n\n")
            if command.help:
                parts.append(_help_markdown(command.help) + "\n\n")
            arguments, options = _parameters(command, command_ctx)
            if arguments:
                parts.append("**" + _("Arguments") + "**\n\n" + "\n".join(arguments) + "\n\n")
            if options:
                parts.append("**" + _("Options") + "**\n\n" + "\n".join(options) + "\n\n")
            if getattr(command, "commands", None):
                names = [f"`{path} {name}`" for name in command.list_commands(command_ctx)]
                parts.append("**" + _("Commands") + "**: " + ", ".join(names) + "\n\n")
            if command.epilog:
                parts.append(_escape(command.epilog) + "\n\n")
    return "".join(parts).rstrip("\n") + "\n"


def _anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to dashes."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


# --- rules ------------------------------------------------------------------------------

SEVERITY_WORDS = {"error": "fel", "warning": "varning", "info": "info"}


def rules_page() -> str:
    """``docs/regler.md``: every rule family with how to fix its findings, and a row per meaning."""
    from vastbus_cli import rulebook

    with speaking(LANG):
        parts = [
            _header("reglerna, ur regelregistret i koden"),
            "# Regler\n\n",
            "Varje anmärkning som `vastbus check` ger har en regel, till exempel `term/outdated`. "
            "Här står vad varje regel betyder och hur du rättar det den hittar, grupperat efter "
            "regelfamilj (delen före snedstrecket). Nivån är `fel`, `varning` eller `info` "
            "(i JSON, SARIF och JUnit: `error`, `warning`, `info`). Vilken nivå som ger "
            "slutkod 1 väljer du med `--fail-on`.\n\n",
            "\n".join(f"- [`{name}`](#{_anchor(name)})" for name in rulebook.families_in_order()) + "\n",
        ]
        for family in rulebook.families_in_order():
            parts.append(f"\n## {family}\n\n")
            parts.append("**Så rättar du:** " + _t(rulebook.FIXES.get(family, "")) + "\n\n")
            parts.append(rulebook.markdown_table(family, SEVERITY_WORDS))
    return "".join(parts)


# --- data formats -----------------------------------------------------------------------

_TYPES = {
    "string": "text",
    "integer": "heltal",
    "number": "tal",
    "boolean": "true/false",
    "object": "mappning",
    "array": "lista",
    "null": "null",
}


def _example(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if len(text) > 90:
        text = text[:89].rstrip() + "…"
    return "`" + text.replace("`", "'") + "`"


def _type(node: dict[str, Any], link: Callable[[str], str]) -> str:
    """A schema node's type in words, a reference as a link to its part."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return link(name)
    if "anyOf" in node:
        kinds = [_type(option, link) for option in node["anyOf"] if option.get("type") != "null"]
        return " eller ".join(dict.fromkeys(kinds))
    if "enum" in node:
        return "ett av " + ", ".join(f"`{value}`" for value in node["enum"])
    if "const" in node:
        return f"`{node['const']}`"
    kind = node.get("type")
    if kind == "array":
        return "lista av " + _type(node.get("items", {}), link)
    if kind == "object":
        values = node.get("additionalProperties")
        if not isinstance(values, dict):
            values = next(iter(node.get("patternProperties", {}).values()), None)
        return "mappning till " + _type(values, link) if isinstance(values, dict) else "mappning"
    if isinstance(kind, list):
        return " eller ".join(_TYPES.get(str(k), str(k)) for k in kind)
    return _TYPES.get(kind, "valfritt") if kind else "valfritt"


def _fields(node: dict[str, Any], link: Callable[[str], str]) -> list[str]:
    required = set(node.get("required", []))
    lines = []
    for name, field in node.get("properties", {}).items():
        need = "krävs" if name in required else "valfri"
        line = f"- **`{name}`** ({_type(field, link)}; {need})"
        description = field.get("description")
        if description:
            line += ": " + _prose(description)
        examples = field.get("examples")
        if examples:
            line += " Exempel: " + ", ".join(_example(value) for value in examples[:2]) + "."
        lines.append(line)
    return lines


def _reachable(schema: dict[str, Any]) -> list[str]:
    """The parts (``$defs``) a kind uses, in the order they are first met."""
    found: dict[str, None] = {}

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                name = ref.rsplit("/", 1)[-1]
                if name not in found:
                    found[name] = None
                    visit(schema["$defs"][name])
            for key, value in node.items():
                if key != "$defs":
                    visit(value)
        elif isinstance(node, list):
            for item in node:
                visit(item)

    visit({k: v for k, v in schema.items() if k != "$defs"})
    return list(found)


def formats_page() -> str:
    """``docs/dataformat.md``: per YAML file kind, each field with its type, whether required, meaning, example."""
    from vastbus_cli.schema import KINDS, schema_of

    with speaking(LANG):
        parts = [
            _header("dataformaten, ur JSON-schemana som `vastbus schema` skriver"),
            "# Dataformat\n\n",
            "Varje slags YAML-fil i arbetsytan, fält för fält: typ, om fältet krävs, vad det betyder "
            "och ett exempel. Sidan görs av samma JSON-scheman som editorn använder "
            "(`curriculum/schemas/`, skrivna av `vastbus schema`), så den säger detsamma som "
            "`vastbus check`. Exempel på hela filer och hur fälten hänger ihop: [data.md](data.md).\n\n",
            "\n".join(f"- [{kind.name}: `{kind.files}`](#{_anchor(kind.name)})" for kind in KINDS) + "\n",
        ]
        for kind in KINDS:
            schema = schema_of(kind.name)

            def link(name: str, prefix: str = kind.name) -> str:
                return f"[{name}](#{_anchor(prefix + '-' + name)})"

            parts.append(f"\n## {kind.name}\n\n`{kind.files}`, schema `{kind.rel}`.")
            description = schema.get("description")
            parts.append((" " + _prose(description) if description else "") + "\n\n")
            parts.append("\n".join(_fields(schema, link)) + "\n")
            for name in _reachable(schema):
                part = schema["$defs"][name]
                parts.append(f"\n### {kind.name}-{name}\n\n")
                if part.get("description"):
                    parts.append(_prose(part["description"]) + "\n\n")
                if "enum" in part:
                    parts.append("Ett av: " + ", ".join(f"`{value}`" for value in part["enum"]) + ".\n")
                else:
                    parts.append("\n".join(_fields(part, link)) + "\n")
    return "".join(parts)


# --- writing and checking ---------------------------------------------------------------

#: Every generated page: its file name in ``docs/`` and its generator.
PAGES: dict[str, Callable[[], str]] = {
    "kommandon.md": commands_page,
    "regler.md": rules_page,
    "dataformat.md": formats_page,
}


def stale(docs: Path = DOCS) -> list[str]:
    """The pages in ``docs`` that differ from what their generator makes now."""
    out = []
    for name, make in PAGES.items():
        path = docs / name
        if not path.is_file() or path.read_text(encoding="utf-8") != make():
            out.append(name)
    return out


def write(docs: Path = DOCS) -> list[str]:
    """Write every page that changed; the names written."""
    written = []
    for name, make in PAGES.items():
        path = docs / name
        text = make()
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(name)
    return written


def main(argv: list[str]) -> int:
    """``--write`` writes the pages, ``--check`` exits 1 naming the stale ones."""
    if argv == ["--write"]:
        for name in write():
            sys.stdout.write(f"wrote docs/{name}\n")
        return 0
    if argv == ["--check"]:
        names = stale()
        for name in names:
            sys.stderr.write(f"docs/{name} is not current: run python -m vastbus_cli.docgen --write\n")
        return 1 if names else 0
    sys.stderr.write("usage: python -m vastbus_cli.docgen --write | --check\n")
    return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
