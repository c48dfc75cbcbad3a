"""Sentences cut from a model's token stream."""

from __future__ import annotations

import pytest

from careexplain.chat.service import _sentences


@pytest.mark.parametrize(
    ("pieces", "expected"),
    [
        (
            ["Gout hurts. ", "It can be ", "treated [1]. So it can"],
            ["Gout hurts.", "It can be treated [1]."],
        ),
        (["Gout hurts [1]", ". Rest helps [2]"], ["Gout hurts [1].", "Rest helps [2]"]),
        (["Is it gout?"], ["Is it gout?"]),
        (["Ice can help (for a short time)."], ["Ice can help (for a short time)."]),
        (["Gout can be damaged due to external"], []),
    ],
)
def test_a_tail_cut_off_by_the_token_limit_is_dropped(
    pieces: list[str], expected: list[str]
) -> None:
    assert list(_sentences(iter(pieces), {}, 0.0)) == expected
