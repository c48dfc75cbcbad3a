"""Metric functions against values computed by hand."""

from __future__ import annotations

import math

import pytest

from careexplain.evaluation.metrics import ndcg_at_k, percentile, recall_at_k, reciprocal_rank


def test_recall_at_k() -> None:
    ranked = ["a", "b", "c", "d"]
    assert recall_at_k(ranked, {"c"}, 2) == 0.0
    assert recall_at_k(ranked, {"c"}, 3) == 1.0
    assert recall_at_k(ranked, {"a", "d", "z"}, 4) == pytest.approx(2 / 3)
    assert recall_at_k(ranked, set(), 4) == 0.0


def test_reciprocal_rank() -> None:
    assert reciprocal_rank(["a", "b", "c"], {"b", "c"}) == 0.5
    assert reciprocal_rank(["a", "b", "c"], {"c"}, k=2) == 0.0
    assert reciprocal_rank([], {"c"}) == 0.0


def test_ndcg_on_a_tiny_ranking() -> None:
    # gains: a=3, b=2, c=0 (absent), d=1; ranking a, c, b
    gains = {"a": 3.0, "b": 2.0, "d": 1.0}
    dcg = 3 / math.log2(2) + 0 / math.log2(3) + 2 / math.log2(4)
    idcg = 3 / math.log2(2) + 2 / math.log2(3) + 1 / math.log2(4)
    assert ndcg_at_k(["a", "c", "b"], gains, 3) == pytest.approx(dcg / idcg)
    assert ndcg_at_k(["a", "b", "d"], gains, 3) == pytest.approx(1.0)
    assert ndcg_at_k(["x"], {}, 3) == 0.0


def test_percentile_interpolates() -> None:
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([10.0], 95) == 10.0
    assert percentile([0, 10], 95) == pytest.approx(9.5)
    assert math.isnan(percentile([], 50))
