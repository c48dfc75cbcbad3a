"""Ways to merge a dense and a lexical ranking into one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[int]], k: int = 60, weights: Sequence[float] | None = None
) -> dict[int, float]:
    """Weighted RRF: sum of weight / (k + rank) over the rankings an item appears in."""
    weights = weights or [1.0] * len(rankings)
    fused: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank)
    return fused


def _min_max(scores: Mapping[int, float]) -> dict[int, float]:
    if not scores:
        return {}
    lo, hi = min(scores.values()), max(scores.values())
    span = hi - lo
    if span <= 1e-12:
        # All equal: positive ties are full agreement, all zeros carry no signal.
        return dict.fromkeys(scores, 1.0 if hi > 0 else 0.0)
    return {item: (s - lo) / span for item, s in scores.items()}


def convex_fusion(
    dense: Mapping[int, float], lexical: Mapping[int, float], dense_weight: float
) -> dict[int, float]:
    """``w * dense + (1 - w) * lexical`` after min-max scaling each over the candidate set.

    ``dense`` should hold a score for every candidate (the retriever computes exact dense
    scores for lexical-only hits); items missing from ``lexical`` count as its minimum.
    """
    items = set(dense) | set(lexical)
    d = _min_max({i: dense.get(i, min(dense.values(), default=0.0)) for i in items})
    lex = _min_max({i: lexical.get(i, 0.0) for i in items})
    return {i: dense_weight * d[i] + (1.0 - dense_weight) * lex[i] for i in items}
