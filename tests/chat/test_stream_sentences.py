"""Sentences cut from a model's token stream."""

from __future__ import annotations

from collections.abc import Iterator

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


@pytest.mark.parametrize(
    ("pieces", "expected"),
    [
        # The word after "U.S." or "Dr." decides whether a sentence ended there.
        (
            ["It is approved in the U.S. ", "Food and Drug ", "Administration lists it [1]."],
            ["It is approved in the U.S. Food and Drug Administration lists it [1]."],
        ),
        (["Ask Dr. ", "Lee about it [1]."], ["Ask Dr. Lee about it [1]."]),
        (
            ["It is sold in the U.S. ", "The label lists the dose [1]."],
            ["It is sold in the U.S.", "The label lists the dose [1]."],
        ),
    ],
)
def test_a_sentence_is_not_cut_after_an_abbreviation(
    pieces: list[str], expected: list[str]
) -> None:
    assert list(_sentences(iter(pieces), {}, 0.0)) == expected


def test_a_sentence_is_given_as_soon_as_the_next_one_starts() -> None:
    seen: list[str] = []

    def stream() -> Iterator[str]:
        for piece in ["Gout hurts [1]. ", "Rest ", "helps [2]."]:
            seen.append(piece)
            yield piece

    sentences = _sentences(stream(), {}, 0.0)
    assert next(sentences) == "Gout hurts [1]."
    assert seen == ["Gout hurts [1]. ", "Rest "]
    assert list(sentences) == ["Rest helps [2]."]
