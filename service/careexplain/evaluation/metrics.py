"""Ranking metrics over one query's ranked ids and its relevant ids."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence


def recall_at_k(ranked: Sequence[str], relevant: Iterable[str], k: int) -> float:
    """Share of the relevant items found in the top ``k``."""
    rel = set(relevant)
    if not rel:
        return 0.0
    return len(rel.intersection(ranked[:k])) / len(rel)


def reciprocal_rank(ranked: Sequence[str], relevant: Iterable[str], k: int | None = None) -> float:
    """1 / rank of the first relevant item (0 if none in the top ``k``)."""
    rel = set(relevant)
    for rank, item in enumerate(ranked[:k] if k else ranked, start=1):
        if item in rel:
            return 1.0 / rank
    return 0.0


def ndcg_at_k(ranked: Sequence[str], gains: Mapping[str, float], k: int) -> float:
    """Normalised discounted cumulative gain with graded relevance (log2 discount)."""
    dcg = sum(
        gains.get(item, 0.0) / math.log2(rank + 1) for rank, item in enumerate(ranked[:k], start=1)
    )
    ideal = sorted((g for g in gains.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(rank + 1) for rank, g in enumerate(ideal, start=1))
    return dcg / idcg if idcg > 0 else 0.0


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0 to 100) by linear interpolation, as numpy's default."""
    if not values:
        return float("nan")
    data = sorted(values)
    pos = (len(data) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return data[lo] + (data[hi] - data[lo]) * (pos - lo)


def success_at_k(ranked: Sequence[str], relevant: Iterable[str], k: int) -> float:
    """1 if any relevant item is in the top ``k`` (one right answer is enough), else 0."""
    rel = set(relevant)
    return 1.0 if rel.intersection(ranked[:k]) else 0.0


def mean(values: Iterable[float]) -> float:
    """Arithmetic mean (nan for no values)."""
    data = list(values)
    return sum(data) / len(data) if data else float("nan")


def ranking_scores(
    runs: Sequence[tuple[Sequence[str], Mapping[str, float]]],
    ks: Sequence[int] = (1, 5, 10),
    ndcg_k: int = 10,
    any_relevant: bool = False,
) -> dict[str, float]:
    """Mean recall@k, MRR@max(k) and nDCG@``ndcg_k`` over (ranking, gains) pairs.

    ``any_relevant``: recall@k counts a query as found when any relevant item is in the top
    ``k`` (for sets of interchangeable answers, such as MedQuAD's duplicated answers).
    """
    if not runs:
        return {}
    cut = max(ks)
    out: dict[str, float] = {}
    for k in ks:
        score = success_at_k if any_relevant else recall_at_k
        out[f"recall@{k}"] = mean(
            score(r, [i for i, g in gains.items() if g > 0], k) for r, gains in runs
        )
    out[f"mrr@{cut}"] = mean(
        reciprocal_rank(r, [i for i, g in gains.items() if g > 0], cut) for r, gains in runs
    )
    out[f"ndcg@{ndcg_k}"] = mean(ndcg_at_k(r, gains, ndcg_k) for r, gains in runs)
    return {k: round(v, 4) for k, v in out.items()}
