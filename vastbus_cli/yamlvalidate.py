"""Validating parsed YAML against a model, turning every pydantic error into a positioned finding."""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from vastbus_cli.filerules import (
    SCHEMA_MISSING,
    SCHEMA_TYPE,
    SCHEMA_UNKNOWN_KEY,
    SCHEMA_VALUE,
    YAML_TOO_DEEP,
)
from vastbus_cli.findings import Finding
from vastbus_cli.i18n import N_, _
from vastbus_cli.models import ID_PATTERN
from vastbus_cli.rules import Rule
from vastbus_cli.yamlio import LoadedYaml, too_deep_hint
from vastbus_cli.yamlpos import node_position, position_of, resolve

ModelT = TypeVar("ModelT", bound=BaseModel)


def _finding(rel: str, rule: Rule, message: str, line: int = 0, column: int = 0, hint: str | None = None) -> Finding:
    return rule.at(message, rel, line, column, hint)


def validate(model: type[ModelT], loaded: LoadedYaml) -> tuple[ModelT | None, list[Finding]]:
    """Validate parsed data against a model, mapping every error to a positioned finding."""
    data = loaded.data
    if not isinstance(data, dict):
        line, column = node_position(data) if data is not None else (1, 1)
        message = (
            _("expected a mapping of fields, found a list")
            if isinstance(data, list)
            else _("expected a mapping of fields, found a single value")
        )
        return None, [
            _finding(
                loaded.rel,
                SCHEMA_TYPE,
                message,
                line,
                column,
                hint=_("start the file with the fields of a {kind}, e.g. 'id: ...'").format(
                    kind=model.__name__.lower()
                ),
            )
        ]
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        return None, _findings_from(model, loaded, error)
    except RecursionError:
        return None, [_finding(loaded.rel, YAML_TOO_DEEP, _("the data is nested too deeply"), hint=too_deep_hint())]


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
            message = (
                _("missing required field '{field}' in {where}").format(field=loc[-1], where=_dotted(parent_loc))
                if parent_loc
                else _("missing required field '{field}'").format(field=loc[-1])
            )
            findings.append(_finding(loaded.rel, SCHEMA_MISSING, message, line, column, missing_hint(str(loc[-1]))))
        elif kind == "extra_forbidden":
            line, column = position_of(loaded.data, loc, at_key=True)
            findings.append(
                _finding(
                    loaded.rel,
                    SCHEMA_UNKNOWN_KEY,
                    _("unknown field '{field}' in {where}").format(field=loc[-1], where=_dotted(loc[:-1]))
                    if loc[:-1]
                    else _("unknown field '{field}'").format(field=loc[-1]),
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


def missing_hint(field: str, value: str | None = None) -> str:
    """The hint of a missing field: ``add 'field: ...'``, or with the value to write when one is known."""
    return _("add '{field}: {value}'").format(field=field, value=value or "...")


def _dotted(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or _("(top level)")


_TYPE_NAMES = {
    "string_type": N_("expected text, found {value}"),
    "int_type": N_("expected a whole number, found {value}"),
    "int_parsing": N_("expected a whole number, found {value}"),
    "int_from_float": N_("expected a whole number, found {value}"),
    "float_type": N_("expected a number, found {value}"),
    "float_parsing": N_("expected a number, found {value}"),
    "bool_type": N_("expected true or false, found {value}"),
    "bool_parsing": N_("expected true or false, found {value}"),
    "list_type": N_("expected a list, found {value}"),
    "dict_type": N_("expected a mapping (key: value lines), found {value}"),
    "model_type": N_("expected a mapping (key: value lines), found {value}"),
    "model_attributes_type": N_("expected a mapping (key: value lines), found {value}"),
    "date_type": N_("expected a date (YYYY-MM-DD), found {value}"),
    "date_parsing": N_("expected a date (YYYY-MM-DD), found {value}"),
    "date_from_datetime_parsing": N_("expected a date (YYYY-MM-DD), found {value}"),
    "date_from_datetime_inexact": N_("expected a date (YYYY-MM-DD), found {value}"),
}

#: Pydantic's limits by error type: the message, and the key of the limit in the error's context.
_LIMITS = {
    "greater_than": (N_("{value}: must be greater than {limit}"), "gt"),
    "greater_than_equal": (N_("{value}: must be at least {limit}"), "ge"),
    "less_than": (N_("{value}: must be less than {limit}"), "lt"),
    "less_than_equal": (N_("{value}: must be at most {limit}"), "le"),
    "too_short": (N_("a list of at least {limit} items is needed, found {n}"), "min_length"),
    "too_long": (N_("a list of at most {limit} items is allowed, found {n}"), "max_length"),
    "string_too_short": (N_("the text must have at least {limit} characters"), "min_length"),
    "string_too_long": (N_("the text must have at most {limit} characters"), "max_length"),
}


def _message(item: Any) -> str:
    kind = item["type"]
    value = item.get("input")
    context = item.get("ctx", {})
    if kind in _TYPE_NAMES:
        return _(_TYPE_NAMES[kind]).format(value=_describe_value(value))
    if kind == "string_pattern_mismatch":
        pattern = str(context.get("pattern", ""))
        if pattern.startswith("^h1:"):
            return _("'{value}' is not a fingerprint (h1: and 16 hexadecimal digits)").format(value=value)
        if pattern == ID_PATTERN:
            return _("'{value}' is not a valid id (lower-case letters, digits and dashes)").format(value=value)
        return _("'{value}' does not have the expected form").format(value=value)
    if kind in ("enum", "literal_error"):
        return _("'{value}' is not allowed; expected {expected}").format(
            value=value, expected=_expected(str(context.get("expected", "")))
        )
    if kind in _LIMITS:
        text, key = _LIMITS[kind]
        found = context.get("actual_length", len(value) if isinstance(value, list | str | dict) else "")
        return _(text).format(value=repr(value), limit=context.get(key, ""), n=found)
    if kind == "value_error":
        return str(item["msg"]).removeprefix("Value error, ")
    return _("{value} is not a valid value here ({kind})").format(value=_describe_value(value), kind=kind)


def _expected(expected: str) -> str:
    """Pydantic's "'a', 'b' or 'c'" with the "or" in the current language."""
    head, sep, last = expected.rpartition(" or ")
    word = _("or")
    return f"{head} {word} {last}" if sep else expected


def _describe_value(value: Any) -> str:
    if value is None:
        return _("nothing")
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, dict):
        return _("a mapping")
    if isinstance(value, list):
        return _("a list")
    return f"'{value}'"


def _hint(model: type[BaseModel], loc: tuple[Any, ...], item: Any, data: Any) -> str | None:
    kind = item["type"]
    value = item.get("input")
    if kind == "extra_forbidden":
        allowed = _fields_at(model, _clean_loc(loc, data)[:-1])
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
        if close:
            return _("did you mean '{option}'?").format(option=close[0])
        return _("allowed fields: {fields}").format(fields=", ".join(allowed)) if allowed else None
    if kind in ("enum", "literal_error"):
        options = re.findall(r"'([^']*)'", str(item.get("ctx", {}).get("expected", "")))
        close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.6)
        return _("did you mean '{option}'?").format(option=close[0]) if close else None
    if kind == "string_type" and isinstance(value, (int, float, bool)):
        return _("put the value in quotes")
    if kind == "string_pattern_mismatch" and item.get("ctx", {}).get("pattern") == ID_PATTERN:
        return _("write ids like 'sip-processen' or 'örgryte-härlanda'")
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
