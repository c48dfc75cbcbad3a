"""Metric functions against values computed by hand."""

from __future__ import annotations

import math

import pytest

from careexplain.evaluation.metrics import (
    mean,
    ndcg_at_k,
    percentile,
    ranking_scores,
    recall_at_k,
    reciprocal_rank,
    success_at_k,
)


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


def test_success_at_k_needs_only_one_relevant_item() -> None:
    assert success_at_k(["a", "b", "c"], {"c", "z"}, 2) == 0.0
    assert success_at_k(["a", "b", "c"], {"c", "z"}, 3) == 1.0


def test_ranking_scores_average_over_queries() -> None:
    runs = [
        (["a", "b", "c"], {"b": 1.0}),  # rank 2
        (["x", "y", "z"], {"q": 1.0}),  # not found
    ]
    scores = ranking_scores(runs, ks=(1, 3), ndcg_k=3)
    assert scores["recall@1"] == 0.0
    assert scores["recall@3"] == 0.5
    assert scores["mrr@3"] == 0.25  # (1/2 + 0) / 2
    # nDCG of query 1: (1 / log2(3)) / 1; query 2: 0.
    assert scores["ndcg@3"] == pytest.approx(round((1 / math.log2(3)) / 2, 4))


def test_ranking_scores_any_relevant_counts_one_hit_as_found() -> None:
    runs = [(["a", "b"], {"a": 1.0, "c": 1.0})]
    assert ranking_scores(runs, ks=(2,))["recall@2"] == 0.5
    assert ranking_scores(runs, ks=(2,), any_relevant=True)["recall@2"] == 1.0
    assert ranking_scores([], ks=(2,)) == {}


def test_mean() -> None:
    assert mean([1.0, 2.0, 6.0]) == 3.0
    assert math.isnan(mean([]))
