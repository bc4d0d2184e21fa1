"""Bounded memos: what rendering works out once and reuses for every district's pack.

A memo that is full starts again empty, so a course many times the shipped one keeps
memory flat; the next pack fills it with what it needs.
"""

from __future__ import annotations

from typing import TypeVar

KeyT = TypeVar("KeyT")
ValueT = TypeVar("ValueT")


def remember(memo: dict[KeyT, ValueT], key: KeyT, value: ValueT, limit: int) -> ValueT:
    """Keep ``value`` under ``key``, emptying ``memo`` first when it holds ``limit`` entries; returns ``value``."""
    if len(memo) >= limit:
        memo.clear()
    memo[key] = value
    return value
