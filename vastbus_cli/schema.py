"""JSON Schemas (draft 2020-12) of the YAML file kinds, generated from the models, for editors.

Pure: models in, schemas and their text out; ``api.write_schemas`` writes the files and
``checks/schemas.py`` compares the committed copies. The schemas describe the YAML as an
editor sees it (a year may be a number, a date is text, a claim's group may be a bare
list), with each field's description and examples for completion and hover. The text is
deterministic (sorted keys, UTF-8, a newline at the end), so a committed copy can be
compared byte for byte with what the models make now.
"""

from __future__ import annotations

import functools
import hashlib
import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from vastbus_cli.models import (
    Course,
    Districts,
    Edition,
    LocalAddition,
    Module,
    SessionsFile,
    Strict,
    Survey,
    SurveyResults,
)

DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: Where a workspace keeps its schemas, relative to the workspace (the shipped ones are committed there).
SCHEMA_FOLDER = "curriculum/schemas"
#: The schemas' ``$id`` base. They have no public address: ``.invalid`` is reserved, so nothing is fetched.
ID_BASE = "https://vastbus.invalid/schemas/"
#: The comment that tells the editor's YAML extension which schema a file has.
MODELINE = re.compile(r"^#\s*yaml-language-server\s*:\s*\$schema=(\S+)", re.MULTILINE)


@dataclass(frozen=True)
class Kind:
    """One YAML file kind: its name, its model and where its files live in a workspace."""

    name: str
    model: type[Strict]
    files: str

    @property
    def file_name(self) -> str:
        """The schema's file name, e.g. ``module.schema.json``."""
        return f"{self.name}.schema.json"

    @property
    def rel(self) -> str:
        """The schema's path in a workspace, e.g. ``curriculum/schemas/module.schema.json``."""
        return f"{SCHEMA_FOLDER}/{self.file_name}"


KINDS: tuple[Kind, ...] = (
    Kind("edition", Edition, "guidelines/<id>.yaml"),
    Kind("course", Course, "curriculum/course.yaml"),
    Kind("module", Module, "curriculum/modules/<id>.yaml"),
    Kind("districts", Districts, "curriculum/districts.yaml"),
    Kind("local", LocalAddition, "curriculum/local/<district or area>/<name>.yaml"),
    Kind("sessions", SessionsFile, "curriculum/sessions/<year>.yaml"),
    Kind("survey", Survey, "curriculum/survey.yaml"),
    Kind("survey-results", SurveyResults, "curriculum/surveys/<survey id>/<name>.yaml"),
)
KIND_BY_NAME = {kind.name: kind for kind in KINDS}


class _EditorSchema(GenerateJsonSchema):
    """Pydantic's generator, tuned for editors.

    A field's title would be its name again ("Valid From"), so it is left out and hover
    shows the description. A mapping whose keys must be ids forbids other keys, as the
    loader does.
    """

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False

    def dict_schema(self, schema: core_schema.DictSchema) -> JsonSchemaValue:
        result = super().dict_schema(schema)
        if "patternProperties" in result and "additionalProperties" not in result:
            result["additionalProperties"] = False
        return result


@functools.cache
def schema_of(name: str) -> dict[str, Any]:
    """The JSON Schema of one kind (``edition``, ``course``, ``module``, ``districts`` or ``local``).

    Raises:
        KeyError: no such kind.
    """
    kind = KIND_BY_NAME[name]
    generated = kind.model.model_json_schema(by_alias=True, mode="validation", schema_generator=_EditorSchema)
    generated = _markdown(generated)
    generated.pop("title", None)
    return {
        "$schema": DIALECT,
        "$id": ID_BASE + kind.file_name,
        "title": f"vastbus {kind.name} file: {kind.files}",
        **generated,
    }


def _markdown(node: Any) -> Any:
    """Descriptions in Markdown, as editors show them on hover: the docstrings' ``x`` becomes `x`."""
    if isinstance(node, dict):
        return {
            key: value.replace("``", "`") if key == "description" and isinstance(value, str) else _markdown(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_markdown(item) for item in node]
    return node


def render(name: str) -> str:
    """One kind's schema as the text of its file: sorted keys, two-space indent, UTF-8, a final newline."""
    return json.dumps(schema_of(name), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def rendered() -> dict[str, str]:
    """Every kind's schema file: file name to text."""
    return {kind.file_name: render(kind.name) for kind in KINDS}


#: The SHA-256 of every schema file this version of vastbus makes, in ``sha256sum`` format, so
#: ``check`` can tell a stale copy without generating the schemas (pydantic takes longer for
#: that than the rest of a check). A test holds it equal to :func:`digest_lines`.
DIGESTS = Path(__file__).with_name("schemas.sha256")


def digest_lines() -> str:
    """The text of :data:`DIGESTS`: one ``<sha256>  <file name>`` line per kind."""
    return "".join(f"{hashlib.sha256(text.encode('utf-8')).hexdigest()}  {name}\n" for name, text in rendered().items())


def schema_digest(name: str) -> str:
    """The SHA-256 of one kind's schema file as this version makes it, from :data:`DIGESTS` when it has the kind."""
    digest = _shipped_digests().get(KIND_BY_NAME[name].file_name)
    return digest or hashlib.sha256(render(name).encode("utf-8")).hexdigest()


@functools.cache
def _shipped_digests() -> dict[str, str]:
    """:data:`DIGESTS` as file name to digest, read once; empty when the file is missing."""
    try:
        lines = DIGESTS.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    return {listed: digest for digest, _, listed in (line.partition("  ") for line in lines)}


def modeline(file_rel: str, kind: str) -> str:
    """The first line a workspace file gets so the editor finds its schema, relative to the file.

    ``modeline("curriculum/modules/samtycke.yaml", "module")`` is
    ``# yaml-language-server: $schema=../schemas/module.schema.json``.
    """
    folder = posixpath.dirname(file_rel) or "."
    target = posixpath.relpath(KIND_BY_NAME[kind].rel, folder)
    return f"# yaml-language-server: $schema={target}"


def modeline_target(text: str) -> tuple[str, int] | None:
    """The schema a file's ``yaml-language-server`` comment names, and its 1-based line; None without one."""
    match = MODELINE.search(text)
    if match is None:
        return None
    return match.group(1), text.count("\n", 0, match.start()) + 1


__all__ = [
    "DIALECT",
    "DIGESTS",
    "KINDS",
    "KIND_BY_NAME",
    "SCHEMA_FOLDER",
    "Kind",
    "digest_lines",
    "modeline",
    "modeline_target",
    "render",
    "rendered",
    "schema_digest",
    "schema_of",
]
