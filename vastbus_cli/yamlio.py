"""Reading YAML with exact positions, and turning every reading problem into a finding.

ruamel.yaml's C parser composes nodes that carry their line and column. We build
plain dicts and lists from them that remember those positions (``lc``, see
``yamlpos``), so a pydantic error such as ``slides.3.refs.0.section`` points at the
exact place (``yamlvalidate``). Only plain mappings, sequences and scalars are built:
no Python object is ever constructed from a tag.

The position helpers are re-exported here for the modules that import them from
``yamlio``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver

from vastbus_cli import saferead
from vastbus_cli.filerules import (
    FILE_EMPTY,
    FILE_ENCODING,
    FILE_NOT_TEXT,
    SCHEMA_VALUE,
    YAML_DUPLICATE_KEY,
    YAML_SYNTAX,
    YAML_TAB,
    YAML_TOO_COMPLEX,
    YAML_TOO_DEEP,
    YAML_UNSUPPORTED_TAG,
)
from vastbus_cli.findings import Finding
from vastbus_cli.i18n import N_, _
from vastbus_cli.rules import Rule
from vastbus_cli.yamlpos import (
    LineCol,
    PosDict,
    PosList,
    key_position,
    node_position,
    position_of,
    resolve,
    value_position,
)

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "LineCol",
    "LoadedYaml",
    "PosDict",
    "PosList",
    "key_position",
    "load_yaml",
    "node_position",
    "normalise_newlines",
    "parse_yaml",
    "position_of",
    "read_text",
    "resolve",
    "too_deep_hint",
    "value_position",
]

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
    "not-regular": N_("replace it with a YAML file"),
    "too-large": N_("split it into several files"),
    "missing": N_("create it, or remove what names it"),
}


def read_text(path: Path, rel: str) -> tuple[str | None, list[Finding]]:
    """Read a file as UTF-8 text (BOM and line endings kept), reporting what is not a readable text file."""
    try:
        raw = saferead.read_bytes(path, "yaml")
    except saferead.Refused as refused:
        message = (
            _("{file} is {problem}").format(file=rel, problem=refused.message)
            if refused.problem == "not-regular"
            else refused.message
        )
        hint = _(_HINTS[refused.problem]) if refused.problem in _HINTS else None
        if "broken symbolic link" in refused.message:
            hint = _("point the link at an existing file, or delete it")
        elif "link loop" in refused.message:
            hint = _("replace the link with the file it should point to")
        return None, [_finding(rel, refused.rule, message, hint=hint)]
    if b"\x00" in raw:
        return None, [
            _finding(
                rel, FILE_NOT_TEXT, _("the file is binary, not YAML text"), hint=_("replace it with a UTF-8 text file")
            )
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
                _("the file is not valid UTF-8"),
                line,
                column,
                hint=_("save the file as UTF-8 (å, ä and ö must be UTF-8)"),
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
            _("a tab character is used for indentation"),
            text.count("\n", 0, match.end() - 1) + 1,
            match.end() - 1 - (text.rfind("\n", 0, match.end() - 1) + 1) + 1,
            hint=_("indent with spaces; YAML does not allow tabs"),
        )
        for match in _LEADING_TAB.finditer(text)
    ]
    loaded.findings.extend(tab_findings)
    if not text.strip():
        loaded.findings.append(
            _finding(rel, FILE_EMPTY, _("the file is empty"), hint=_("add content or delete the file"))
        )
        return loaded
    too_deep = _nesting_problem(text)
    if too_deep:
        loaded.findings.append(_finding(rel, YAML_TOO_DEEP, too_deep, hint=too_deep_hint()))
        return loaded
    try:
        node = _parser().compose(text)
    except MarkedYAMLError as error:
        if not tab_findings:
            loaded.findings.append(_marked(rel, YAML_SYNTAX, error, _describe(error), None))
        return loaded
    except (YAMLError, ValueError, TypeError) as error:
        loaded.findings.append(_finding(rel, YAML_SYNTAX, _("not valid YAML: {error}").format(error=error)))
        return loaded
    except RecursionError:
        loaded.findings.append(_finding(rel, YAML_TOO_DEEP, _("the YAML is nested too deeply"), hint=too_deep_hint()))
        return loaded
    if node is None:
        loaded.findings.append(
            _finding(rel, FILE_EMPTY, _("the file holds no data"), hint=_("add content or delete the file"))
        )
        return loaded
    builder = _TreeBuilder(rel)
    try:
        loaded.data = builder.build(node, 0)
    except _TooDeep as error:
        loaded.findings.append(_finding(rel, YAML_TOO_DEEP, str(error), hint=too_deep_hint()))
        return loaded
    except _TooComplex as error:
        loaded.findings.append(
            _finding(rel, YAML_TOO_COMPLEX, str(error), hint=_("avoid anchors and aliases (&, *) and deep nesting"))
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


def too_deep_hint() -> str:
    """The hint of every nesting finding, in the current language."""
    return _("keep nesting under {depth} levels").format(depth=MAX_DEPTH)


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
        return _("the YAML is nested more than {depth} levels deep").format(depth=MAX_DEPTH)
    return None


class _TooComplex(Exception):
    """The document expands to too many values (an alias bomb)."""


class _TooDeep(_TooComplex):
    """The document is nested more than ``MAX_DEPTH`` levels deep."""


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
            raise _TooComplex(
                _("the YAML expands to more than {limit} values (an alias bomb?)").format(limit=MAX_NODES)
            )
        if depth > MAX_DEPTH:
            raise _TooDeep(_("the YAML is nested more than {depth} levels deep").format(depth=MAX_DEPTH))
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
                        _("the key '{key}' appears twice in the same mapping").format(key=key),
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                        _("remove or rename one of them"),
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
                _("the tag '{tag}' is not supported").format(tag=node.tag),
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                _("remove the tag; write plain values"),
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
                    _("'{value}' is not a valid {type}").format(value=node.value, type=node.tag.rsplit(":", 1)[-1]),
                    node.start_mark.line + 1,
                    node.start_mark.column + 1,
                )
            )
            return str(node.value)


def _describe(error: MarkedYAMLError) -> str:
    problem = (error.problem or error.context or _("not valid YAML")).strip()
    return _("not valid YAML: {problem}").format(problem=problem)


def _marked(rel: str, rule: Rule, error: MarkedYAMLError, message: str, hint: str | None) -> Finding:
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark is not None else 0
    column = mark.column + 1 if mark is not None else 0
    return _finding(rel, rule, message, line, column, hint)
