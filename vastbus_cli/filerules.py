"""The rules of reading a file: it must be a readable UTF-8 file, plain YAML, in its kind's shape.

Declared here rather than beside one check because several modules emit them: reading
(``yamlio``, ``saferead``), listing the workspace (``workspace``) and validating (``yamlvalidate``).
"""

from __future__ import annotations

from vastbus_cli.i18n import N_
from vastbus_cli.rules import ERROR, FILE, SCHEMA, YAML, Rule

_NOT_PLAIN = N_("the file is not plain YAML, or is nested or aliased beyond reason")
_UNREADABLE = N_(
    "the file cannot be read as UTF-8 YAML: it is binary, too large, missing, a broken link or "
    "a link loop, or a pipe, socket or device"
)
_SHAPE = N_("the file does not have the expected fields")

YAML_SYNTAX = Rule("yaml/syntax", ERROR, YAML, _NOT_PLAIN)
YAML_TAB = Rule("yaml/tab", ERROR, YAML, _NOT_PLAIN)
YAML_DUPLICATE_KEY = Rule("yaml/duplicate-key", ERROR, YAML, _NOT_PLAIN)
YAML_UNSUPPORTED_TAG = Rule("yaml/unsupported-tag", ERROR, YAML, _NOT_PLAIN)
YAML_TOO_COMPLEX = Rule("yaml/too-complex", ERROR, YAML, _NOT_PLAIN, note=N_("aliases expanding beyond reason"))
YAML_TOO_DEEP = Rule(
    "yaml/too-deep", ERROR, YAML, _NOT_PLAIN, note=N_("nesting, including `? ` complex keys, over 64 levels")
)
FILE_EMPTY = Rule("file/empty", ERROR, FILE, _UNREADABLE)
FILE_ENCODING = Rule("file/encoding", ERROR, FILE, _UNREADABLE)
FILE_NOT_TEXT = Rule("file/not-text", ERROR, FILE, _UNREADABLE)
FILE_TOO_LARGE = Rule("file/too-large", ERROR, FILE, _UNREADABLE)
FILE_MISSING = Rule("file/missing", ERROR, FILE, _UNREADABLE)
FILE_UNREADABLE = Rule("file/unreadable", ERROR, FILE, _UNREADABLE)
FILE_NOT_REGULAR = Rule("file/not-regular", ERROR, FILE, _UNREADABLE)
SCHEMA_UNKNOWN_KEY = Rule("schema/unknown-key", ERROR, SCHEMA, _SHAPE)
SCHEMA_MISSING = Rule("schema/missing", ERROR, SCHEMA, _SHAPE)
SCHEMA_TYPE = Rule("schema/type", ERROR, SCHEMA, _SHAPE)
SCHEMA_VALUE = Rule("schema/value", ERROR, SCHEMA, _SHAPE)

RULES: tuple[Rule, ...] = (
    YAML_SYNTAX,
    YAML_TAB,
    YAML_DUPLICATE_KEY,
    YAML_UNSUPPORTED_TAG,
    YAML_TOO_COMPLEX,
    YAML_TOO_DEEP,
    FILE_EMPTY,
    FILE_ENCODING,
    FILE_NOT_TEXT,
    FILE_TOO_LARGE,
    FILE_MISSING,
    FILE_UNREADABLE,
    FILE_NOT_REGULAR,
    SCHEMA_UNKNOWN_KEY,
    SCHEMA_MISSING,
    SCHEMA_TYPE,
    SCHEMA_VALUE,
)
