"""Fusion arithmetic on hand-computed examples."""

from __future__ import annotations

import pytest

from careexplain.retrieve.fusion import convex_fusion, reciprocal_rank_fusion


def test_rrf_sums_reciprocal_ranks() -> None:
    fused = reciprocal_rank_fusion([[1, 2, 3], [3, 1]], k=60)
    assert fused[1] == pytest.approx(1 / 61 + 1 / 62)
    assert fused[2] == pytest.approx(1 / 62)
    assert fused[3] == pytest.approx(1 / 63 + 1 / 61)
    assert sorted(fused, key=lambda i: -fused[i]) == [1, 3, 2]


def test_weighted_rrf() -> None:
    fused = reciprocal_rank_fusion([[1], [2]], k=0, weights=[0.75, 0.25])
    assert fused == {1: 0.75, 2: 0.25}


def test_convex_fusion_scales_each_list_then_mixes() -> None:
    dense = {1: 0.9, 2: 0.5, 3: 0.7}
    lexical = {2: 10.0, 3: 5.0}  # item 1 has no lexical score: counts as 0
    fused = convex_fusion(dense, lexical, dense_weight=0.5)
    # dense scaled: 1 → 1.0, 2 → 0.0, 3 → 0.5; lexical scaled: 1 → 0, 2 → 1.0, 3 → 0.5
    assert fused == pytest.approx({1: 0.5, 2: 0.5, 3: 0.5})
    assert convex_fusion(dense, lexical, dense_weight=1.0)[1] == pytest.approx(1.0)


def test_convex_fusion_with_ties_and_empty_lists() -> None:
    assert convex_fusion({1: 0.3}, {}, 0.7) == {1: pytest.approx(0.7)}
    assert convex_fusion({}, {}, 0.7) == {}
