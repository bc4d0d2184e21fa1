"""Checks of the editor schemas: the committed copies match the models, and each file's modeline finds one.

A workspace that keeps schemas (``curriculum/schemas/``, as the shipped one does) gets a
warning per schema file that is missing or differs from what ``vastbus schema`` makes
now, so a model change cannot leave editors completing yesterday's fields. A YAML
file's ``# yaml-language-server: $schema=…`` line must name a schema file that exists,
and the one of its own kind.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from vastbus_cli import saferead
from vastbus_cli.checks.context import Context
from vastbus_cli.findings import Finding, Severity
from vastbus_cli.i18n import N_, _
from vastbus_cli.rules import SCHEMA, WARNING, Rule
from vastbus_cli.schema import KIND_BY_NAME, KINDS, SCHEMA_FOLDER, modeline, modeline_target, schema_digest
from vastbus_cli.workspace import Document

SCHEMA_STALE = Rule(
    "schema/stale",
    WARNING,
    SCHEMA,
    N_(
        "a schema in `curriculum/schemas/` is missing or older than the models, so editors "
        "complete and check outdated fields: run `vastbus schema`"
    ),
)
SCHEMA_MODELINE = Rule(
    "schema/modeline",
    WARNING,
    SCHEMA,
    N_(
        "a YAML file's `# yaml-language-server: $schema=…` line names a schema file that does not "
        "exist, or the schema of another kind of file"
    ),
)
RULES: tuple[Rule, ...] = (SCHEMA_STALE, SCHEMA_MODELINE)


def check_schemas(ctx: Context) -> Iterator[Finding]:
    """``schema/stale`` per out-of-date schema file; ``schema/modeline`` per modeline that misses."""
    yield from _stale(ctx)
    yield from _modelines(ctx)


def _stale(ctx: Context) -> Iterator[Finding]:
    folder = ctx.workspace.root / SCHEMA_FOLDER
    if not folder.is_dir():
        return
    hint = _("run 'vastbus schema --out {folder}' in the workspace, then commit the schemas").format(
        folder=SCHEMA_FOLDER
    )
    for kind in KINDS:
        path = folder / kind.file_name
        try:
            committed = saferead.sha256(path, "schema")
        except saferead.Refused as refused:
            if refused.problem == "missing":
                message = _("the {kind} schema is missing").format(kind=kind.name)
            else:
                message = _("the {kind} schema cannot be read: {problem}").format(
                    kind=kind.name, problem=refused.message
                )
            yield SCHEMA_STALE.at(message, kind.rel, hint=hint, severity=Severity.WARNING)
            continue
        if committed != schema_digest(kind.name):
            message = _(
                "the {kind} schema is out of date with the models: editors complete and check old fields"
            ).format(kind=kind.name)
            yield SCHEMA_STALE.at(message, kind.rel, hint=hint, severity=Severity.WARNING)


def _modelines(ctx: Context) -> Iterator[Finding]:
    workspace = ctx.workspace
    documents: list[tuple[str, Document[Any]]] = [("edition", doc) for doc in workspace.editions]
    documents += [("course", doc) for doc in [workspace.course] if doc is not None]
    documents += [("districts", doc) for doc in [workspace.districts] if doc is not None]
    documents += [("module", doc) for doc in workspace.modules]
    documents += [("local", doc) for doc in workspace.local]
    documents += [("sessions", doc) for doc in workspace.sessions]
    for kind, doc in documents:
        found = modeline_target(doc.loaded.text)
        if found is None:
            continue
        target, line = found
        if "://" in target:  # a schema on the web: not ours to check
            continue
        expected = modeline(doc.rel, kind)
        hint = _("make the first line '{expected}'").format(expected=expected)
        where = Path(doc.loaded.path).parent / target
        if not where.is_file():
            if expected.endswith(f"={target}"):
                hint = _("run 'vastbus schema --out {folder}' in the workspace to write the schemas").format(
                    folder=SCHEMA_FOLDER
                )
            message = _("the yaml-language-server line names {target}, which does not exist").format(target=target)
            yield SCHEMA_MODELINE.at(message, doc.rel, line, 1, hint, severity=Severity.WARNING)
        elif where.name != KIND_BY_NAME[kind].file_name:
            message = _("the yaml-language-server line names {target}, but this is a {kind} file").format(
                target=target, kind=kind
            )
            yield SCHEMA_MODELINE.at(message, doc.rel, line, 1, hint, severity=Severity.WARNING)
