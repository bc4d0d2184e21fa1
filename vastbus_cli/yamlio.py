"""Reading YAML with exact positions, and turning every problem into a finding.

ruamel.yaml's C parser composes nodes that carry their line and column. We build
plain dicts and lists from them that remember those positions (``lc``), so a
pydantic error such as ``slides.3.refs.0.section`` points at the exact place. Only
plain mappings, sequences and scalars are built: no Python object is ever
constructed from a tag.
"""

from __future__ import annotations

import difflib
import functools
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver

from vastbus_cli import saferead
from vastbus_cli.filerules import (
    FILE_EMPTY,
    FILE_ENCODING,
    FILE_NOT_TEXT,
    SCHEMA_MISSING,
    SCHEMA_TYPE,
    SCHEMA_UNKNOWN_KEY,
    SCHEMA_VALUE,
    YAML_DUPLICATE_KEY,
    YAML_SYNTAX,
    YAML_TAB,
    YAML_TOO_COMPLEX,
    YAML_TOO_DEEP,
    YAML_UNSUPPORTED_TAG,
)
from vastbus_cli.findings import Finding
from vastbus_cli.models import ID_PATTERN
from vastbus_cli.rules import Rule

ModelT = TypeVar("ModelT", bound=BaseModel)

#: Limits that keep a hostile or broken file from hanging the tool.
MAX_FILE_BYTES = saferead.LIMITS["yaml"]
MAX_NODES = 200_000
MAX_DEPTH = 64
MAX_BLOCK_INDENT = 400

_LEADING_TAB = re.compile(r"^[ ]*\t", re.MULTILINE)


@dataclass
class LoadedYaml:
    """A parsed file: the data (None when unreadable), its text and what went wrong.

    ``text`` has its line endings normalised to LF (positions refer to it);
    ``original`` is the text as the file has it, without the byte-order mark, and
    ``bom`` says whether the file starts with one, so edits can be written back in the
    file's own layout.
    """

    path: Path
    rel: str
    text: str = ""
    data: Any = None
    findings: list[Finding] = field(default_factory=list)
    original: str = ""
    bom: bool = False


def _finding(rel: str, rule: Rule, message: str, line: int = 0, column: int = 0, hint: str | None = None) -> Finding:
    return rule.at(message, rel, line, column, hint)


_HINTS = {
    "not-regular": "replace it with a YAML file",
    "too-large": "split it into several files",
    "missing": "create it, or remove what names it",
}


def read_text(path: Path, rel: str) -> tuple[str | None, list[Finding]]:
    """Read a file as UTF-8 text (BOM and line endings kept), reporting what is not a readable text file."""
    try:
        raw = saferead.read_bytes(path, "yaml")
    except saferead.Refused as refused:
        message = f"{rel} is {refused.message}" if refused.problem == "not-regular" else refused.message
        hint = _HINTS.get(refused.problem)
        if "broken symbolic link" in refused.message:
            hint = "point the link at an existing file, or delete it"
        elif "link loop" in refused.message:
            hint = "replace the link with the file it should point to"
        return None, [_finding(rel, refused.rule, message, hint=hint)]
    if b"\x00" in raw:
        return None, [
            _finding(rel, FILE_NOT_TEXT, "the file is binary, not YAML text", hint="replace it with a UTF-8 text file")
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        return None, [
            _finding(
                rel,
                FILE_ENCODING,
                "the file is not valid UTF-8",
                line,
                column,
                hint="save the file as UTF-8 (å, ä and ö must be UTF-8)",
            )
        ]
    return text, []


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR line endings as LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_yaml(path: Path, rel: str) -> LoadedYaml:
    """Parse one YAML file; problems become findings, never exceptions."""
    text, findings = read_text(path, rel)
    if text is None:
        return LoadedYaml(path, rel, findings=findings)
    bom = text.startswith("\ufeff")
    original = text[1:] if bom else text
    loaded = parse_yaml(normalise_newlines(original), path, rel)
    loaded.original = original
    loaded.bom = bom
    loaded.findings[:0] = findings
    return loaded


def parse_yaml(text: str, path: Path, rel: str) -> LoadedYaml:
    """Parse YAML text that belongs to ``path`` (for example an edit about to be written)."""
    loaded = LoadedYaml(path, rel)
    loaded.text = text
    tab_findings = [
        _finding(
            rel,
            YAML_TAB,
            "a tab character is used for indentation",
            text.count("\n", 0, match.end() - 1) + 1,
            match.end() - 1 - (text.rfind("\n", 0, match.end() - 1) + 1) + 1,
            hint="indent with spaces; YAML does not allow tabs",
        )
        for match in _LEADING_TAB.finditer(text)
    ]
    loaded.findings.extend(tab_findings)
    if not text.strip():
        loaded.findings.append(_finding(rel, FILE_EMPTY, "the file is empty", hint="add content or delete the file"))
        return loaded
    too_deep = _nesting_problem(text)
    if too_deep:
        loaded.findings.append(_finding(rel, YAML_TOO_DEEP, too_deep, hint=_TOO_DEEP_HINT))
        return loaded
    try:
        node = _parser().compose(text)
    except MarkedYAMLError as error:
        if not tab_findings:
            loaded.findings.append(_marked(rel, YAML_SYNTAX, error, _describe(error), None))
        return loaded
    except (YAMLError, ValueError, TypeError) as error:
        loaded.findings.append(_finding(rel, YAML_SYNTAX, f"not valid YAML: {error}"))
        return loaded
    except RecursionError:
        loaded.findings.append(_finding(rel, YAML_TOO_DEEP, "the YAML is nested too deeply", hint=_TOO_DEEP_HINT))
        return loaded
    if node is None:
        loaded.findings.append(
            _finding(rel, FILE_EMPTY, "the file holds no data", hint="add content or delete the file")
        )
        return loaded
    builder = _TreeBuilder(rel)
    try:
        loaded.data = builder.build(node, 0)
    except _TooDeep as error:
        loaded.findings.append(_finding(rel, YAML_TOO_DEEP, str(error), hint=_TOO_DEEP_HINT))
        return loaded
    except _TooComplex as error:
        loaded.findings.append(
            _finding(rel, YAML_TOO_COMPLEX, str(error), hint="avoid anchors and aliases (&, *) and deep nesting")
        )
        return loaded
    loaded.findings.extend(builder.findings)
    return loaded


_STR = "tag:yaml.org,2002:str"
_RESOLVABLE_WORDS = frozenset({"~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE"})


class _Yaml12Resolver(VersionedResolver):
    """YAML 1.2 tag resolution with a fast path for the common case: plain words are text."""

    @property
    def processing_version(self) -> tuple[int, int]:
        return (1, 2)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode:
            if not implicit[0]:
                return _STR  # quoted: always text
            if value and value[0].isalpha() and value not in _RESOLVABLE_WORDS:
                return _STR
        return super().resolve(kind, value, implicit)


@functools.cache
def _parser() -> YAML:
    """One parser per process: each new instance compiles its resolver's patterns again."""
    # The C parser (ruamel.yaml.clib) is ~10x faster; ruamel falls back to pure Python without it.
    yaml = YAML(typ="safe", pure=False)
    yaml.Resolver = _Yaml12Resolver
    return yaml


_QUOTED = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^']|'')*'|#.*$")
#: A line's indentation and the block indicators after it: each ``- `` (an item), ``? `` (a
#: complex key) and ``: `` (its value) opens one more level, and ``? ? ? a`` nests as deep as
#: its indentation would.
_BLOCK_PREFIX = re.compile(r"^( *)((?:[-?:][ \t]+)*)")
_DEEP_INDENT = re.compile(rf"^[ \t?:-]{{{MAX_BLOCK_INDENT}}}", re.MULTILINE)
_TOO_DEEP_HINT = f"keep nesting under {MAX_DEPTH} levels"


def _nesting_problem(text: str) -> str | None:
    """Refuse nesting deep enough to exhaust the (C) parser's stack, before parsing."""
    deep_indent = _DEEP_INDENT.search(text) is not None
    if not deep_indent and text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    flow = deepest_flow = deepest_block = 0
    for line in text.split("\n"):
        prefix = _BLOCK_PREFIX.match(line)
        if prefix:
            indicators = prefix.group(2)
            levels = indicators.count("-") + indicators.count("?") + indicators.count(":")
            deepest_block = max(deepest_block, len(prefix.group(1)) + levels)
        if "[" not in line and "{" not in line and not flow:
            continue
        for char in _QUOTED.sub("", line):
            if char in "[{":
                flow += 1
                deepest_flow = max(deepest_flow, flow)
            elif char in "]}":
                flow = max(flow - 1, 0)
    if deepest_flow > MAX_DEPTH or deepest_block > MAX_BLOCK_INDENT:
        return f"the YAML is nested more than {MAX_DEPTH} levels deep"
    return None


class _TooComplex(Exception):
    """The document expands to too many values (an alias bomb)."""


class _TooDeep(_TooComplex):
    """The document is nested more than ``MAX_DEPTH`` levels deep."""


class LineCol:
    """Positions (0-based) of a mapping's keys and values or a sequence's items, and where values end."""

    __slots__ = ("col", "data", "line")

    def __init__(self, line: int, col: int) -> None:
        self.line = line
        self.col = col
        self.data: dict[Any, tuple[int, int, int, int, int, int]] = {}

    def key(self, key: Any) -> tuple[int, int]:
        """Where a key starts."""
        entry = self.data[key]
        return entry[0], entry[1]

    def value(self, key: Any) -> tuple[int, int]:
        """Where a key's value starts."""
        entry = self.data[key]
        return entry[2], entry[3]

    def item(self, index: int) -> tuple[int, int]:
        """Where a sequence item starts."""
        entry = self.data[index]
        return entry[0], entry[1]

    def end(self, key: Any) -> tuple[int, int]:
        """Where a key's value (or a sequence item) ends."""
        entry = self.data[key]
        return entry[4], entry[5]


class PosDict(dict[Any, Any]):
    """A mapping that knows where its keys and values are in the file."""

    lc: LineCol


class PosList(list[Any]):
    """A sequence that knows where its items are in the file."""

    lc: LineCol


_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


def _tag_of(node: Any) -> str:
    """A node's tag; resolved tags are read without ruamel's per-node URI decoding."""
    ctag = node.ctag
    if ctag is not None and ctag.handle is None and isinstance(ctag.suffix, str):
        return str(ctag.suffix)
    return str(node.tag)


class _TreeBuilder:
    """Turns composed YAML nodes into PosDict/PosList/scalars; only plain YAML types are built."""

    def __init__(self, rel: str) -> None:
        self.rel = rel
        self.count = 0
        self.findings: list[Finding] = []
        self.constructor = _parser().constructor

    def build(self, node: Any, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooComplex(f"the YAML expands to more than {MAX_NODES} values (an alias bomb?)")
        if depth > MAX_DEPTH:
            raise _TooDeep(f"the YAML is nested more than {MAX_DEPTH} levels deep")
        if isinstance(node, MappingNode | SequenceNode) and _tag_of(node) not in _COLLECTION_TAGS:
            self._unsupported(node)
        if isinstance(node, MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, SequenceNode):
            result = PosList()
            result.lc = LineCol(node.start_mark.line, node.start_mark.column)
            for index, item in enumerate(node.value):
                result.lc.data[index] = (
                    item.start_mark.line,
                    item.start_mark.column,
                    item.start_mark.line,
                    item.start_mark.column,
                    item.end_mark.line,
                    item.end_mark.column,
                )
                result.append(self.build(item, depth + 1))
            return result
        return self._scalar(node)

    def _mapping(self, node: Any, depth: int) -> PosDict:
        result = PosDict()
        result.lc = LineCol(node.start_mark.line, node.start_mark.column)
        for key_node, value_node in node.value:
            key = self._scalar(key_node) if isinstance(key_node, ScalarNode) else str(key_node.start_mark)
            if isinstance(key, list | dict):
                key = str(key)
            if key in result:
                self.findings.append(
                    _finding(
                        self.rel,
                        YAML_DUPLICATE_KEY,
                        f"the key '{key}' appears twice in the same mapping",
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                        "remove or rename one of them",
                    )
                )
                continue
            result.lc.data[key] = (
                key_node.start_mark.line,
                key_node.start_mark.column,
                value_node.start_mark.line,
                value_node.start_mark.column,
                value_node.end_mark.line,
                value_node.end_mark.column,
            )
            result[key] = self.build(value_node, depth + 1)
        return result

    def _unsupported(self, node: Any) -> None:
        self.findings.append(
            _finding(
                self.rel,
                YAML_UNSUPPORTED_TAG,
                f"the tag '{node.tag}' is not supported",
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                "remove the tag; write plain values",
            )
        )

    def _scalar(self, node: Any) -> Any:
        tag = _tag_of(node)
        if tag == _STR:
            return node.value
        if tag not in _PLAIN_TAGS:
            self._unsupported(node)
            return str(node.value)
        try:
            return self.constructor.construct_object(node, deep=True)
        except (YAMLError, ValueError, TypeError, OverflowError):
            self.findings.append(
                _finding(
                    self.rel,
                    SCHEMA_VALUE,
                    f"'{node.value}' is not a valid {node.tag.rsplit(':', 1)[-1]}",
                    node.start_mark.line + 1,
                    node.start_mark.column + 1,
                )
            )
            return str(node.value)


def _describe(error: MarkedYAMLError) -> str:
    problem = (error.problem or error.context or "not valid YAML").strip()
    return f"not valid YAML: {problem}"


def _marked(rel: str, rule: Rule, error: MarkedYAMLError, message: str, hint: str | None) -> Finding:
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark is not None else 0
    column = mark.column + 1 if mark is not None else 0
    return _finding(rel, rule, message, line, column, hint)


# --- positions ------------------------------------------------------------------------


def key_position(container: Any, key: Any) -> tuple[int, int] | None:
    """1-based position of a mapping key or sequence item."""
    return _position(container, key, at_key=True)


def value_position(container: Any, key: Any) -> tuple[int, int] | None:
    """1-based position where the value of a key (or a sequence item) starts."""
    return _position(container, key, at_key=False)


def _position(container: Any, key: Any, *, at_key: bool) -> tuple[int, int] | None:
    try:
        if isinstance(container, PosDict):
            line, column = container.lc.key(key) if at_key else container.lc.value(key)
        elif isinstance(container, PosList):
            line, column = container.lc.item(key)
        else:
            return None
    except (KeyError, IndexError, TypeError):
        return None
    return line + 1, column + 1


def node_position(node: Any) -> tuple[int, int]:
    """1-based start of a mapping or sequence (1, 1 when unknown)."""
    lc = getattr(node, "lc", None)
    if lc is None or lc.line is None:
        return 1, 1
    return lc.line + 1, lc.col + 1


def resolve(data: Any, loc: tuple[Any, ...]) -> tuple[Any, Any, bool]:
    """Walk ``loc`` through the data: return (parent container, last key, found)."""
    parent: Any = None
    key: Any = None
    node = data
    for part in loc:
        in_mapping = isinstance(node, dict) and part in node
        in_sequence = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_mapping or in_sequence:
            parent, key, node = node, part, node[part]
        else:
            return node, part, False
    return parent, key, True


def position_of(data: Any, loc: tuple[Any, ...], *, at_key: bool = False) -> tuple[int, int]:
    """Best position for a path: the value (or key) if it exists, else its nearest parent."""
    parent, key, found = resolve(data, loc)
    if found and parent is not None:
        pos = key_position(parent, key) if at_key else value_position(parent, key)
        if pos:
            return pos
    if not found:
        return node_position(parent)
    return node_position(data)


# --- pydantic errors -------------------------------------------------------------------


def validate(model: type[ModelT], loaded: LoadedYaml) -> tuple[ModelT | None, list[Finding]]:
    """Validate parsed data against a model, mapping every error to a positioned finding."""
    data = loaded.data
    if not isinstance(data, dict):
        line, column = node_position(data) if data is not None else (1, 1)
        kind = "a list" if isinstance(data, list) else "a single value"
        return None, [
            _finding(
                loaded.rel,
                SCHEMA_TYPE,
                f"expected a mapping of fields, found {kind}",
                line,
                column,
                hint=f"start the file with the fields of a {model.__name__.lower()}, e.g. 'id: ...'",
            )
        ]
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        return None, _findings_from(model, loaded, error)
    except RecursionError:
        return None, [_finding(loaded.rel, YAML_TOO_DEEP, "the data is nested too deeply", hint=_TOO_DEEP_HINT)]


def _clean_loc(loc: tuple[Any, ...], data: Any) -> tuple[Any, ...]:
    """Drop pydantic's union and validator markers from a location.

    A marker looks like ``function-after[…]`` or ``list[str]``, but so may a key someone
    typed (``i[d``): a part that is a key or index in the data is always kept.
    """
    kept: list[Any] = []
    node = data
    for part in loc:
        in_mapping = isinstance(node, dict) and part in node
        if in_mapping or (isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)):
            node = node[part]
        elif isinstance(part, str) and ("[" in part or part.startswith("function-")):
            continue
        else:
            node = None
        kept.append(part)
    return tuple(kept)


def _findings_from(model: type[BaseModel], loaded: LoadedYaml, error: ValidationError) -> list[Finding]:
    findings: list[Finding] = []
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        kind = item["type"]
        if "[key]" in loc:
            dict_loc = _clean_loc(loc[: loc.index("[key]")], loaded.data)
            line, column = position_of(loaded.data, dict_loc, at_key=True)
            findings.append(
                _finding(
                    loaded.rel,
                    SCHEMA_VALUE,
                    f"{_dotted(dict_loc)}: {_message(item)}",
                    line,
                    column,
                    _hint(model, loc, item, loaded.data),
                )
            )
            continue
        loc = _clean_loc(loc, loaded.data)
        if kind == "missing":
            parent_loc = loc[:-1]
            parent, key, found = resolve(loaded.data, parent_loc)
            container = parent[key] if found and parent is not None else loaded.data
            line, column = node_position(container)
            where = f" in {_dotted(parent_loc)}" if parent_loc else ""
            findings.append(
                _finding(
                    loaded.rel,
                    SCHEMA_MISSING,
                    f"missing required field '{loc[-1]}'{where}",
                    line,
                    column,
                    f"add '{loc[-1]}: ...'",
                )
            )
        elif kind == "extra_forbidden":
            line, column = position_of(loaded.data, loc, at_key=True)
            where = f" in {_dotted(loc[:-1])}" if loc[:-1] else ""
            findings.append(
                _finding(
                    loaded.rel,
                    SCHEMA_UNKNOWN_KEY,
                    f"unknown field '{loc[-1]}'{where}",
                    line,
                    column,
                    _hint(model, loc, item, loaded.data),
                )
            )
        else:
            line, column = position_of(loaded.data, loc)
            rule = SCHEMA_TYPE if kind.endswith("_type") or kind.endswith("_parsing") else SCHEMA_VALUE
            findings.append(
                _finding(
                    loaded.rel,
                    rule,
                    f"{_dotted(loc)}: {_message(item)}",
                    line,
                    column,
                    _hint(model, loc, item, loaded.data),
                )
            )
    return findings


def _dotted(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


_TYPE_NAMES = {
    "string_type": "expected text",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "list_type": "expected a list",
    "dict_type": "expected a mapping (key: value lines)",
    "model_type": "expected a mapping (key: value lines)",
    "model_attributes_type": "expected a mapping (key: value lines)",
}


def _message(item: Any) -> str:
    kind = item["type"]
    value = item.get("input")
    if kind in _TYPE_NAMES:
        return f"{_TYPE_NAMES[kind]}, found {_describe_value(value)}"
    if kind == "string_pattern_mismatch":
        pattern = str(item.get("ctx", {}).get("pattern", ""))
        if pattern.startswith("^h1:"):
            return f"'{value}' is not a fingerprint (h1: and 16 hexadecimal digits)"
        if pattern == ID_PATTERN:
            return f"'{value}' is not a valid id (lower-case letters, digits and dashes)"
        return f"'{value}' does not have the expected form"
    if kind in ("enum", "literal_error"):
        expected = item.get("ctx", {}).get("expected", "")
        return f"'{value}' is not allowed; expected {expected}"
    if kind in ("too_short", "too_long"):
        return str(item["msg"]).replace("List", "list").replace("Value", "value")
    if kind == "value_error":
        return str(item["msg"]).removeprefix("Value error, ")
    if kind in ("greater_than", "less_than_equal", "greater_than_equal"):
        return f"{value!r}: {item['msg'].lower()}"
    return str(item["msg"])


def _describe_value(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"'{value}'"


def _hint(model: type[BaseModel], loc: tuple[Any, ...], item: Any, data: Any) -> str | None:
    kind = item["type"]
    value = item.get("input")
    if kind == "extra_forbidden":
        allowed = _fields_at(model, _clean_loc(loc, data)[:-1])
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
        if close:
            return f"did you mean '{close[0]}'?"
        return f"allowed fields: {', '.join(allowed)}" if allowed else None
    if kind in ("enum", "literal_error"):
        options = re.findall(r"'([^']*)'", str(item.get("ctx", {}).get("expected", "")))
        close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.6)
        return f"did you mean '{close[0]}'?" if close else None
    if kind == "string_type" and isinstance(value, (int, float, bool)):
        return "put the value in quotes"
    if kind == "string_pattern_mismatch" and item.get("ctx", {}).get("pattern") == ID_PATTERN:
        return "write ids like 'sip-processen' or 'örgryte-härlanda'"
    return None


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names (by alias) of the model reached by following ``loc`` from ``model``."""
    annotation: Any = model
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(part, int):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0] if args else None
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            found = next((f for name, f in annotation.model_fields.items() if (f.alias or name) == part), None)
            annotation = found.annotation if found else None
        else:
            return []
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [f.alias or name for name, f in annotation.model_fields.items()]
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip Optional/Annotated down to the list or model type inside."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            lists = [a for a in args if typing.get_origin(a) is list]
            annotation = (models or lists or args)[0]
        else:
            return annotation
