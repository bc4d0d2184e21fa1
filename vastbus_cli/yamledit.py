"""Editing YAML in place: only the characters of the changed values are touched.

A round-trip dump rewrites indentation, quoting or line breaks somewhere in a file a
maintainer formatted by hand. These edits instead replace exact spans found through
the positions the loader keeps, so comments, key order, quoting and blank lines of
everything else stay byte-identical.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from vastbus_cli.yamlio import PosDict

_PLAIN_SAFE = re.compile(r"^[a-z0-9åäöé][\w:.-]*$", re.IGNORECASE)


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` with ``new``."""

    start: int
    end: int
    new: str


class Source:
    """A file's text with line offsets, to turn (line, column) into string offsets."""

    def __init__(self, text: str) -> None:
        """Index the line starts."""
        self.text = text
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def offset(self, line: int, column: int) -> int:
        """String offset of a 0-based line and column."""
        return self.starts[min(line, len(self.starts) - 1)] + column

    def line_of(self, offset: int) -> int:
        """0-based line of an offset."""
        return bisect.bisect_right(self.starts, offset) - 1


def apply(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits (any order)."""
    result = text
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        result = result[: edit.start] + edit.new + result[edit.end :]
    return result


def _value_span(source: Source, mapping: PosDict, key: str) -> tuple[int, int]:
    start_line, start_col = mapping.lc.value(key)
    end_line, end_col = mapping.lc.end(key)
    return source.offset(start_line, start_col), source.offset(end_line, end_col)


def scalar(value: str, like: str = "") -> str:
    """A YAML scalar for ``value``, quoted the way the original ``like`` was."""
    if like.startswith("'") and "'" not in value:
        return f"'{value}'"
    if like.startswith('"') or not _PLAIN_SAFE.match(value):
        return json.dumps(value, ensure_ascii=False)
    return value


def replace_value(source: Source, mapping: PosDict, key: str, value: str) -> Edit:
    """Replace a scalar value, keeping its quoting style."""
    start, end = _value_span(source, mapping, key)
    return Edit(start, end, scalar(value, source.text[start:end]))


def _review_lines(by: str, on: dt.date, note: str | None) -> list[tuple[str, str]]:
    lines = [("by", json.dumps(by, ensure_ascii=False)), ("on", on.isoformat())]
    if note:
        lines.append(("note", json.dumps(note, ensure_ascii=False)))
    return lines


def set_review(source: Source, ref: PosDict, by: str, on: dt.date, note: str | None) -> Edit:
    """Replace the ref's ``reviewed`` record, or add one after the ref's last key."""
    fields = _review_lines(by, on, note)
    if "reviewed" in ref:
        start, end = _value_span(source, ref, "reviewed")
        old = source.text[start:end]
        if old.lstrip().startswith("{") or not isinstance(ref["reviewed"], dict):
            return Edit(start, end, "{" + ", ".join(f"{k}: {v}" for k, v in fields) + "}")
        record: Any = ref["reviewed"]
        indent = record.lc.col
        first_line = source.line_of(start)
        last_key = list(record)[-1]
        last_end = source.offset(*record.lc.end(last_key))
        block_start = source.offset(first_line, 0)
        return Edit(block_start, last_end, "\n".join(f"{' ' * indent}{k}: {v}" for k, v in fields))
    indent = ref.lc.col
    last_key = list(ref)[-1]
    insert_at = source.offset(*ref.lc.end(last_key))
    body = [f"{' ' * indent}reviewed:"] + [f"{' ' * (indent + 2)}{k}: {v}" for k, v in fields]
    if insert_at > 0 and source.text[insert_at - 1] == "\n":
        return Edit(insert_at, insert_at, "\n".join(body) + "\n")
    return Edit(insert_at, insert_at, "\n" + "\n".join(body))


def ref_mappings(data: Any) -> list[tuple[tuple[Any, ...], PosDict]]:
    """Every ref mapping in a module or local file, with its path."""
    found: list[tuple[tuple[Any, ...], PosDict]] = []
    if not isinstance(data, dict):
        return found
    for kind in ("slides", "quiz", "routines", "examples"):
        items = data.get(kind)
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            refs = item.get("refs") if isinstance(item, dict) else None
            if isinstance(refs, list):
                found.extend(
                    ((kind, index, "refs", pos), ref) for pos, ref in enumerate(refs) if isinstance(ref, PosDict)
                )
    return found
