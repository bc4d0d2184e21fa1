"""Editing YAML in place: only the characters of the changed values are touched.

A round-trip dump rewrites indentation, quoting or line breaks somewhere in a file a
maintainer formatted by hand. These edits instead replace exact spans found through
the positions the loader keeps, so comments, key order, quoting and blank lines of
everything else stay byte-identical.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import json
import re
from dataclasses import dataclass
from typing import Any

from vastbus_cli.yamlpos import PosDict

_PLAIN_SAFE = re.compile(r"^[a-z0-9åäöé][\w:.-]*$", re.IGNORECASE)


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` with ``new``."""

    start: int
    end: int
    new: str


#: What the YAML parser counts as a line break (YAML 1.1, as ruamel.yaml reads it): positions
#: it reports are only right if lines are counted the same way.
_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


class Source:
    """A file's text with line offsets, to turn (line, column) into string offsets."""

    def __init__(self, text: str) -> None:
        """Index the line starts."""
        self.text = text
        self.starts = [0, *(m.end() for m in _LINE_BREAK.finditer(text))]

    def offset(self, line: int, column: int) -> int:
        """String offset of a 0-based line and column."""
        return self.starts[min(line, len(self.starts) - 1)] + column

    def line_of(self, offset: int) -> int:
        """0-based line of an offset."""
        return bisect.bisect_right(self.starts, offset) - 1


class OverlappingEdits(ValueError):
    """Two edits touch the same characters with different text."""


def apply(text: str, edits: list[Edit]) -> str:
    """Apply edits (any order); identical edits count once, as when two aliases name one ref.

    Raises:
        OverlappingEdits: two different edits overlap.
    """
    ordered = sorted(set(edits), key=lambda e: (e.start, e.end))
    for before, after in itertools.pairwise(ordered):
        if after.start < before.end or (after.start == before.end == after.end == before.start):
            raise OverlappingEdits(f"two edits overlap at offset {after.start}")
    result = text
    for edit in reversed(ordered):
        result = result[: edit.start] + edit.new + result[edit.end :]
    return result


def apply_in_layout(original: str, edits: list[Edit]) -> str:
    """Apply edits made against the LF-normalised text to ``original``, in its own line endings.

    Offsets shift by one for every CRLF before them; the new text gets the file's
    line ending, so a CRLF file stays CRLF and only the edited spans change.
    """
    crlf_ends = [match.start() - index for index, match in enumerate(re.finditer("\r\n", original))]
    if not crlf_ends and "\r" not in original:
        return apply(original, edits)
    if crlf_ends and len(crlf_ends) * 2 >= original.count("\n"):
        newline = "\r\n"  # mostly CRLF
    else:
        newline = "\n" if "\n" in original else "\r"  # mostly LF, or old Mac line ends

    def shifted(offset: int) -> int:
        return offset + bisect.bisect_left(crlf_ends, offset)

    moved = [Edit(shifted(e.start), shifted(e.end), e.new.replace("\n", newline)) for e in edits]
    return apply(original, moved)


def _value_span(source: Source, mapping: PosDict, key: str) -> tuple[int, int]:
    start = source.offset(*mapping.lc.value(key))
    return start, _content_end(source, start, source.offset(*mapping.lc.end(key)))


def _content_end(source: Source, start: int, end: int) -> int:
    """Where a value's own characters end.

    The parser ends a block scalar (``note: >-``) at the start of the next line that
    is not part of it, after any blank or comment lines: an edit up to there would
    swallow those lines (and join a comment onto the edited line).
    """
    while end > start and source.text[end - 1] in " \t\n":
        end -= 1
    return end


def scalar(value: str, like: str = "") -> str:
    """A YAML scalar for ``value``, quoted the way the original ``like`` was."""
    if like.startswith("'") and "'" not in value:
        return f"'{value}'"
    if like.startswith('"') or not _PLAIN_SAFE.match(value):
        return json.dumps(value, ensure_ascii=False)
    return value


def replace_value(source: Source, mapping: PosDict, key: str, value: str) -> Edit:
    """Replace a scalar value, keeping its quoting style; an equal value is left as written."""
    start, end = _value_span(source, mapping, key)
    old = source.text[start:end]
    return Edit(start, end, old if mapping.get(key) == value else scalar(value, old))


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
        if _same_review(ref["reviewed"], by, on, note):
            return Edit(start, end, old)  # nothing new: the record stays byte for byte
        if old.lstrip().startswith("{") or not isinstance(ref["reviewed"], dict):
            return Edit(start, end, "{" + ", ".join(f"{k}: {v}" for k, v in fields) + "}")
        record: Any = ref["reviewed"]
        indent = record.lc.col
        first_line = source.line_of(start)
        last_key = list(record)[-1]
        _, last_end = _value_span(source, record, last_key)
        block_start = source.offset(first_line, 0)
        return Edit(block_start, last_end, "\n".join(f"{' ' * indent}{k}: {v}" for k, v in fields))
    last_key = list(ref)[-1]
    _, insert_at = _value_span(source, ref, last_key)
    if _is_flow(source, ref):
        # A flow mapping ({section: …, edition: …}): the record goes inside the braces.
        return Edit(insert_at, insert_at, ", reviewed: {" + ", ".join(f"{k}: {v}" for k, v in fields) + "}")
    line_end = source.text.find("\n", insert_at)
    insert_at = len(source.text) if line_end < 0 else line_end  # after a comment on the ref's last line
    indent = ref.lc.col
    body = [f"{' ' * indent}reviewed:"] + [f"{' ' * (indent + 2)}{k}: {v}" for k, v in fields]
    return Edit(insert_at, insert_at, "\n" + "\n".join(body))


#: An anchor (``&r1``) or a tag (``!!map``) before a node, and the blanks after it.
_PROPERTIES = re.compile(r"(?:[&!]\S*[ \t]+)*")


def _is_flow(source: Source, mapping: PosDict) -> bool:
    """Whether a mapping is written in flow style (``{section: …}``), also after an anchor or a tag.

    The loader's position of a mapping with an anchor (``- &r1 {section: …}``) is the anchor's.
    """
    start = source.offset(mapping.lc.line, mapping.lc.col)
    properties = _PROPERTIES.match(source.text, start)  # matches, if only the empty string
    return source.text.startswith("{", properties.end() if properties else start)


def _same_review(record: Any, by: str, on: dt.date, note: str | None) -> bool:
    if not isinstance(record, dict) or not set(record) <= {"by", "on", "note"}:
        return False
    return record.get("by") == by and str(record.get("on")) == on.isoformat() and record.get("note") == note


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
