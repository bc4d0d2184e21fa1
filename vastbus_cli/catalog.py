"""Keep the Swedish catalog in step with the code: extract, update, check and compile (Babel).

A maintainer's tool, not part of a run (Babel is a test dependency)::

    python -m vastbus_cli.catalog update    # new texts into locale/sv/<part>.po, gone ones out
    python -m vastbus_cli.catalog check     # exit 1 naming each text without a Swedish translation
    python -m vastbus_cli.catalog compile   # locale/sv/*.po → locale/sv/LC_MESSAGES/vastbus.mo

The catalog is split by concern so that two people can translate at once: ``fynd.po`` for
what ``check`` finds (rules, their meanings and fixes, the messages of every check),
``hjalp.po`` for the command line (help texts, options, what cli*.py says), ``kommandon.po``
for what the commands report (progress, summaries, errors, scan verdicts) and ``click.po`` for
the words of Click and Typer themselves ("Usage:", "Missing option"), extracted from their
source with ``update --click``. A text goes to the part of the first file that uses it.
``tests/test_language.py`` fails when a text has no translation, when a translation loses
or adds a ``{placeholder}``, or when the compiled ``.mo`` is older than the ``.po`` files.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from vastbus_cli.i18n import DOMAIN, LOCALE_DIR

PACKAGE = Path(__file__).resolve().parent
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
PARTS = ("fynd", "hjalp", "kommandon", "click")
#: Files whose texts belong to ``fynd.po``: what ``check`` finds and the rules it finds it by.
_FINDING_FILES = re.compile(
    r"^(checks/|rules\.py|rulebook\.py|yaml\w*\.py|workspace\.py|filerules\.py|textrules\.py|render/templates\.py"
    r"|editions\.py|claims\.py|claimtext\.py|spelling\.py|schema\.py|models/)"
)
_BRACES = re.compile(r"\{[^{}]*\}")


_HELP_FILES = re.compile(r"^(cli|cli_maintain|cli_new|cli_options|cli_lang|helptext)\.py$")


def part_for(filename: str) -> str:
    """The catalog part a text used first in ``filename`` (relative to the package) belongs to."""
    name = filename.replace("\\", "/")
    if _FINDING_FILES.match(name):
        return "fynd"
    return "hjalp" if _HELP_FILES.match(name) else "kommandon"


def _key(msgid: Any) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


def extracted(root: Path = PACKAGE) -> dict[str, tuple[str | tuple[str, ...], list[str]]]:
    """Every marked text in the package: msgid key → (msgid, the files that use it, sorted)."""
    found: dict[str, tuple[str | tuple[str, ...], list[str]]] = {}
    method_map = [("**.py", "python")]
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        root, method_map, keywords=KEYWORDS, strip_comment_tags=True
    ):
        if filename.startswith(("catalog.py",)):
            continue
        msgid = message if isinstance(message, str) else tuple(m for m in message if m)
        if not msgid or not _key(msgid).strip():
            continue
        entry = found.setdefault(_key(msgid), (msgid, []))
        if filename not in entry[1]:
            entry[1].append(filename)
    return {key: (msgid, sorted(files)) for key, (msgid, files) in found.items()}


def _where(files: list[str]) -> Any:
    """Babel locations without line numbers (they would change the catalog at every edit)."""
    return [(f, None) for f in files]


def part_path(part: str, lang: str = "sv") -> Path:
    """Where a part of a language's catalog is kept."""
    return LOCALE_DIR / lang / f"{part}.po"


def read_part(part: str, lang: str = "sv") -> Catalog:
    """A part of the catalog (an empty one if the file does not exist yet)."""
    path = part_path(part, lang)
    if not path.is_file():
        return Catalog(locale=lang, domain=DOMAIN, project="vastbus", fuzzy=False)
    with path.open("rb") as handle:
        return read_po(handle, locale=lang, domain=DOMAIN)


def write_part(catalog: Catalog, part: str, lang: str = "sv") -> None:
    """Write a part back, texts grouped by the file that uses them, without line numbers."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_by_file=True, include_lineno=False, omit_header=False)
    path = part_path(part, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def update(lang: str = "sv", *, click: bool = False) -> dict[str, int]:
    """Add texts the code marks to their part (untranslated), drop those it no longer marks.

    With ``click``, the Click and Typer texts are extracted anew into ``click.po``. Returns
    how many texts each part gained and lost.
    """
    texts = extracted()
    parts = {part: read_part(part, lang) for part in PARTS}
    if click:
        _update_click(parts["click"])
    placed = {message.id if isinstance(message.id, str) else message.id[0] for p in parts.values() for message in p}
    counts: dict[str, int] = {}
    for key, (msgid, files) in texts.items():
        if key in placed:
            for part in PARTS[:-1]:
                message = parts[part].get(msgid)
                if message is not None:
                    message.locations = _where(files)
            continue
        part = part_for(files[0])
        parts[part].add(msgid, string="" if isinstance(msgid, str) else ("", ""), locations=_where(files))
        counts[f"+{part}"] = counts.get(f"+{part}", 0) + 1
    for part in PARTS[:-1]:
        for message in list(parts[part]):
            if not message.id:
                continue
            key = _key(message.id)
            # Gone from the code, or kept twice (two people added it at once): the part of its first file keeps it.
            twice = (
                key in texts
                and part != part_for(texts[key][1][0])
                and parts[part_for(texts[key][1][0])].get(message.id)
            )
            if key not in texts or twice:
                parts[part].delete(message.id)
                counts[f"-{part}"] = counts.get(f"-{part}", 0) + 1
    for part, catalog in parts.items():
        write_part(catalog, part, lang)
    return counts


def _update_click(catalog: Catalog) -> None:
    import importlib

    packages = []
    for name in ("click", "typer"):  # Typer 0.2x carries its own copy of Click and needs no Click
        try:
            packages.append(importlib.import_module(name))
        except ImportError:
            continue
    for package in packages:
        root = Path(str(package.__file__)).resolve().parent
        for filename, _lineno, message, _comments, _context in extract_from_dir(
            root, [("**.py", "python")], keywords={"_": None, "ngettext": (1, 2)}
        ):
            msgid = message if isinstance(message, str) else tuple(m for m in message if m)
            if msgid and catalog.get(msgid) is None:
                where = f"{package.__name__}/{filename}"
                catalog.add(msgid, string="" if isinstance(msgid, str) else ("", ""), locations=_where([where]))


def merged(lang: str = "sv") -> Catalog:
    """All parts as one catalog, as the compiled ``.mo`` holds them."""
    fixed = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # the same bytes on every run
    catalog = Catalog(
        locale=lang, domain=DOMAIN, project="vastbus", fuzzy=False, creation_date=fixed, revision_date=fixed
    )
    for part in PARTS:
        for message in read_part(part, lang):
            if message.id and message.string and not message.fuzzy:
                catalog[message.id] = message
    return catalog


def problems(lang: str = "sv", *, marked: Iterable[str] | None = None) -> list[str]:
    """What keeps the catalog from being whole: untranslated texts, lost placeholders, clashes."""
    found: list[str] = []
    keys = set(marked) if marked is not None else set(extracted())
    seen: dict[str, tuple[str, object]] = {}
    for part in PARTS:
        for message in read_part(part, lang):
            if not message.id:
                continue
            key = _key(message.id)
            string: Any = message.string
            strings = string if isinstance(string, tuple) else (string,)
            msgid: Any = message.id
            ids = msgid if isinstance(msgid, tuple) else (msgid,)
            if message.fuzzy or not all(strings):
                if part != "click" or key in keys:
                    found.append(f"{part}.po: no translation: {key!r}")
                continue
            if len(ids) == 1:
                if sorted(_BRACES.findall(ids[0])) != sorted(_BRACES.findall(strings[0])):
                    found.append(f"{part}.po: the placeholders differ: {ids[0]!r} → {strings[0]!r}")
            else:  # a plural form may leave out the number, never add a placeholder
                allowed = set(_BRACES.findall(" ".join(ids)))
                for target in strings:
                    if not set(_BRACES.findall(target)) <= allowed:
                        found.append(f"{part}.po: a placeholder the text does not have: {target!r}")
            if key in seen and seen[key][1] != message.string:
                found.append(f"{part}.po and {seen[key][0]}.po translate {key!r} differently")
            seen[key] = (part, message.string)
    for key in sorted(keys - seen.keys()):
        if not any(f"no translation: {key!r}" in line for line in found):
            found.append(f"not in the catalog (run: python -m vastbus_cli.catalog update): {key!r}")
    return found


def compiled_bytes(lang: str = "sv") -> bytes:
    """The ``.mo`` the parts compile to (deterministic: sorted by msgid)."""
    buffer = io.BytesIO()
    write_mo(buffer, merged(lang), use_fuzzy=False)
    return buffer.getvalue()


def mo_path(lang: str = "sv") -> Path:
    """Where the compiled catalog is kept (package data)."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def compile_catalog(lang: str = "sv") -> Path:
    """Write the compiled catalog."""
    path = mo_path(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(compiled_bytes(lang))
    return path


def main(argv: list[str]) -> int:
    """``python -m vastbus_cli.catalog update [--click] | check | compile``."""
    command = argv[0] if argv else "check"
    if command == "update":
        counts = update(click="--click" in argv)
        print(", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "nothing new")
        return 0
    if command == "compile":
        print(compile_catalog())
        return 0
    if command == "check":
        found = problems()
        print("\n".join(found) or "every text has a Swedish translation")
        return 1 if found else 0
    print("usage: python -m vastbus_cli.catalog update [--click] | check | compile", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))


__all__ = ["Message", "compile_catalog", "extracted", "main", "problems", "update"]
