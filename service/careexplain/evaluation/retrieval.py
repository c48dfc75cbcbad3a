"""Retrieval suite: recall@k, MRR and nDCG@10 for BM25, dense and hybrid, via /v1/search."""

from __future__ import annotations

import time
from typing import Any

from careexplain.evaluation.config import (
    MedquadDataset,
    RetrievalDataset,
    RetrievalSuite,
    RqeDataset,
    TrecDataset,
    repo_path,
)
from careexplain.evaluation.context import RunContext
from careexplain.evaluation.datasets import Query, medquad_queries, medquad_sample, rqe_test
from careexplain.evaluation.metrics import percentile, ranking_scores, reciprocal_rank
from careexplain.evaluation.qrels import load_trec
from careexplain.evaluation.results import CaseResult, SuiteResult
from careexplain.evaluation.target import HttpClient, UnavailableError


def ranked_docs(client: HttpClient, query: str, mode: str, depth: int) -> list[str]:
    """Document ids in rank order (each once), from the public search endpoint."""
    # Twice the depth in passages: several passages of one document collapse into one rank.
    response = client.get(
        "/v1/search", params={"q": query[:2000], "k": min(50, depth * 2), "mode": mode}
    )
    response.raise_for_status()
    ranked: list[str] = []
    for hit in response.json():
        if hit["doc_id"] not in ranked:
            ranked.append(hit["doc_id"])
    return ranked[:depth]


def _dataset(ctx: RunContext, ds: RetrievalDataset) -> tuple[HttpClient, list[Query], bool]:
    """(client, queries, any_relevant) for one dataset."""
    shared = ctx.settings.shared_data_dir
    if not isinstance(ds, TrecDataset):
        ctx.workspace.require_local(ds.name)  # before reading any data
    if isinstance(ds, TrecDataset):
        rows = load_trec(repo_path(ds.qrels), repo_path(ds.topics))
        queries = [Query(id=t, text=q, gains=g) for t, q, g in rows]
        return ctx.workspace.deployed(), queries[: ctx.cap(ds.limit)], False
    if isinstance(ds, MedquadDataset):
        docs = medquad_sample(shared / "medquad", ds.documents, ctx.config.seed)
        n = ctx.cap(ds.questions) or ds.questions
        queries = medquad_queries(docs, n, ctx.config.seed)
        return ctx.workspace.custom(f"medquad-{ds.documents}", docs), queries, True
    assert isinstance(ds, RqeDataset)
    docs, queries = rqe_test(shared / "rqe_amia2016")
    return ctx.workspace.custom("rqe-faq", docs), queries[: ctx.cap(ds.limit)], True


def run(ctx: RunContext, suite: RetrievalSuite) -> SuiteResult:
    result = SuiteResult()
    depth = max(suite.ks)
    for ds in suite.datasets:
        try:
            client, queries, any_relevant = _dataset(ctx, ds)
        except UnavailableError as exc:
            result.scores[ds.name] = {"unavailable": 1}
            result.cases.append(
                CaseResult(id=ds.name, group=ds.name, details={"unavailable": str(exc)})
            )
            continue
        scores: dict[str, Any] = {"queries": len(queries)}
        tick = ctx.step(f"retrieval · {ds.name}", len(queries) * len(suite.modes))
        for mode in suite.modes:
            runs: list[tuple[list[str], dict[str, float]]] = []
            latencies: list[float] = []
            for query in queries:
                started = time.perf_counter()
                ranked = ranked_docs(client, query.text, mode, depth)
                latencies.append((time.perf_counter() - started) * 1000)
                runs.append((ranked, query.gains))
                tick()
            scores[mode] = {
                **ranking_scores(runs, suite.ks, 10, any_relevant),
                "latency_p50_ms": round(percentile(latencies, 50), 1),
                "latency_p95_ms": round(percentile(latencies, 95), 1),
            }
            result.distributions[f"{ds.name}.{mode}.rr"] = [
                reciprocal_rank(r, [i for i, g in gains.items() if g > 0], depth)
                for r, gains in runs
            ]
            if mode == suite.modes[-1]:
                for query, (ranked, gains) in zip(queries, runs, strict=True):
                    rr = reciprocal_rank(ranked, [i for i, g in gains.items() if g > 0], depth)
                    result.cases.append(
                        CaseResult(
                            id=query.id,
                            group=f"{ds.name}/{mode}",
                            score=rr,
                            passed=rr > 0,
                            input=query.text,
                            expected=", ".join(sorted(gains)[:5]),
                            sources=ranked[:5],
                        )
                    )
        result.scores[ds.name] = scores
    return result
