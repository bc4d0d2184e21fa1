"""Bounded memos: a full memo starts again empty, so memory stays flat however large the course."""

from __future__ import annotations

from vastbus_cli.render.memo import remember


def test_a_memo_under_its_limit_keeps_everything() -> None:
    memo: dict[str, int] = {"å": 1}
    assert remember(memo, "ö", 2, limit=3) == 2
    assert memo == {"å": 1, "ö": 2}


def test_a_full_memo_starts_again_with_the_new_entry() -> None:
    memo = {"a": 1, "b": 2}
    assert remember(memo, "c", 3, limit=2) == 3
    assert memo == {"c": 3}
