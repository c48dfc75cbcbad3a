"""Follow-up questions made self-contained."""

from __future__ import annotations

import pytest

from careexplain.chat.rewrite import rewrite_follow_up


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("what about its side effects?", "Metformin: what about its side effects?"),
        ("Can I take it with food?", "Metformin: Can I take it with food?"),
        ("and side effects?", "Metformin: and side effects?"),
        ("How do I store insulin?", "How do I store insulin?"),
        ("Is metformin safe in pregnancy?", "Is metformin safe in pregnancy?"),
    ],
)
def test_follow_ups_get_the_previous_topic(message: str, expected: str) -> None:
    assert rewrite_follow_up(message, "Metformin") == expected


def test_no_previous_topic_changes_nothing() -> None:
    assert rewrite_follow_up("what about it?", None) == "what about it?"
