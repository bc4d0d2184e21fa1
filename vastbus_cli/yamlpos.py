"""Where things are in a parsed YAML file: containers that remember positions, and lookups.

The parser (``yamlio``) builds ``PosDict`` and ``PosList`` from ruamel.yaml's nodes; each
carries a ``LineCol`` with the 0-based line and column of its keys, values and items. The
functions here turn those into the 1-based positions a finding reports.
"""

from __future__ import annotations

from typing import Any


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
