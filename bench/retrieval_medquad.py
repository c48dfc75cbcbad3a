"""Benchmark the retrieval spine on MedQuAD (not a test: prints and saves measurements).

One run: index every answered pair (wall time, chunks/s, peak memory); embed + index the same
chunks through LangChain's stock path (``FAISS.from_documents`` + ``HuggingFaceEmbeddings``) for
the speed ratio; search latency p50/p95; question → own-answer recall@1/5/10 and MRR@10 for
BM25, dense and hybrid. Fusion weights can be swept on a tuning sample that is disjoint from
the reported sample.

    .venv/bin/python bench/retrieval_medquad.py [--skip-langchain] [--sweep]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import platform
import random
import resource
import shutil
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from careexplain.documents import Document
from careexplain.evaluation.metrics import percentile, ranking_scores
from careexplain.index.embeddings import Embedder
from careexplain.index.reader import IndexHandle, open_index
from careexplain.ingest.formats import read_documents
from careexplain.ingest.pipeline import ingest_documents
from careexplain.retrieve.hybrid import HybridRetriever
from careexplain.settings import REPO_ROOT, Settings

MODES = ("bm25", "dense", "hybrid")


def peak_rss_mib() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited over exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_index(docs: list[Document], settings: Settings, embedder: Embedder) -> dict[str, Any]:
    shutil.rmtree(settings.data_dir, ignore_errors=True)
    started = time.perf_counter()
    report = ingest_documents(docs, settings, embedder)
    wall = time.perf_counter() - started
    return {
        "documents": report.documents_total,
        "chunks": report.chunks_total,
        "wall_s": round(wall, 1),
        "chunks_per_s": round(report.chunks_total / wall, 1),
        "peak_rss_mib": round(peak_rss_mib()),
        "embedding_dtype": settings.embedding_dtype,
    }


def _langchain_child(texts: list[str], model_path: str, out: Any) -> None:
    from langchain_community.vectorstores import FAISS
    from langchain_core.documents import Document as LCDocument
    from langchain_huggingface import HuggingFaceEmbeddings

    started = time.perf_counter()
    embeddings = HuggingFaceEmbeddings(model_name=model_path, model_kwargs={"device": "cpu"})
    FAISS.from_documents([LCDocument(page_content=t) for t in texts], embeddings)
    out.put(
        {"wall_s": round(time.perf_counter() - started, 1), "peak_rss_mib": round(peak_rss_mib())}
    )


def langchain_stock(settings: Settings, embedder: Embedder, limit: int | None) -> dict[str, Any]:
    """The same chunk texts through LangChain's stock path, in a fresh process."""
    index = open_index(settings.index_root, embedder)
    texts = [c.embedding_text() for c in index.store.iter_chunks()]
    sample = texts[:limit] if limit else texts
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_langchain_child, args=(sample, str(embedder.path), queue))
    proc.start()
    result: dict[str, Any] = queue.get()
    proc.join()
    result["chunks"] = len(sample)
    result["chunks_per_s"] = round(len(sample) / result["wall_s"], 1)
    if limit and limit < len(texts):
        result["extrapolated_wall_s"] = round(result["wall_s"] * len(texts) / len(sample), 1)
    return result


def question_sets(
    docs: list[Document], n: int, seed: int, exclude: set[str] | None = None
) -> list[tuple[str, set[str]]]:
    """(question, relevant doc ids): a pair's own answer, plus pairs with the identical answer."""
    same_answer: dict[str, set[str]] = defaultdict(set)
    for d in docs:
        same_answer[d.sections[0].text].add(d.doc_id)
    pool = [d for d in docs if d.extra.get("question") and d.doc_id not in (exclude or set())]
    picked = random.Random(seed).sample(pool, min(n, len(pool)))
    return [(d.extra["question"], same_answer[d.sections[0].text]) for d in picked]


def evaluate(
    retriever: HybridRetriever, questions: list[tuple[str, set[str]]], modes: tuple[str, ...]
) -> dict[str, dict[str, float]]:
    """Recall@1/5/10, MRR@10 and nDCG@10 per mode, by the harness's own metric code."""
    out: dict[str, dict[str, float]] = {}
    for mode in modes:
        runs = []
        for question, relevant in questions:
            hits = retriever.search(question, 10, mode=mode, max_per_doc=1)  # type: ignore[arg-type]
            runs.append(([h.chunk.doc_id for h in hits], dict.fromkeys(relevant, 1.0)))
        # Any one of the identical answers counts as finding the answer.
        scores = ranking_scores(runs, ks=(1, 5, 10), ndcg_k=10, any_relevant=True)
        out[mode] = {k: round(v, 3) for k, v in scores.items()}
    return out


def latency(retriever: HybridRetriever, questions: list[str]) -> dict[str, dict[str, float]]:
    out = {}
    for mode in MODES:
        retriever.search("warm up", 5, mode=mode)  # type: ignore[arg-type]
        times = []
        for q in questions:
            started = time.perf_counter()
            retriever.search(q, 5, mode=mode)  # type: ignore[arg-type]
            times.append((time.perf_counter() - started) * 1000)
        out[mode] = {
            "p50_ms": round(percentile(times, 50), 1),
            "p95_ms": round(percentile(times, 95), 1),
        }
    return out


def main() -> None:
    defaults = Settings()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--medquad", type=Path, default=defaults.shared_data_dir / "medquad")
    parser.add_argument("--work", type=Path, default=Path("/tmp/careexplain-bench"))
    parser.add_argument("--reuse-index", action="store_true", help="skip indexing if built")
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--latency-queries", type=int, default=500)
    parser.add_argument("--skip-langchain", action="store_true")
    parser.add_argument("--langchain-limit", type=int, default=None)
    parser.add_argument("--sweep", action="store_true", help="tune fusion on a disjoint sample")
    parser.add_argument(
        "--out", type=Path, default=REPO_ROOT / "eval" / "baselines" / "retrieval.json"
    )
    args = parser.parse_args()
    if not args.medquad.exists():
        sys.exit(f"MedQuAD not found at {args.medquad} (set CAREEXPLAIN_SHARED_DATA_DIR)")

    settings = defaults.model_copy(update={"data_dir": args.work})
    embedder = Embedder.from_settings(settings)
    started = time.perf_counter()
    docs = list(read_documents(args.medquad, "medquad"))
    print(f"read {len(docs)} answered pairs in {time.perf_counter() - started:.1f}s", flush=True)

    results: dict[str, Any] = {
        "machine": {"cpus": mp.cpu_count(), "python": platform.python_version()},
        "settings": {
            k: getattr(settings, k)
            for k in (
                "embedding_dtype",
                "embedding_batch_size",
                "chunk_tokens",
                "chunk_overlap_tokens",
                "fusion",
                "dense_weight",
                "rrf_k",
                "candidate_pool",
                "faiss_index_type",
            )
        },
    }
    if args.reuse_index and (settings.index_root / "current").exists():
        print("reusing the existing index", flush=True)
    else:
        results["index"] = build_index(docs, settings, embedder)
        print("index:", results["index"], flush=True)
        if not args.skip_langchain:
            lc = langchain_stock(settings, embedder, args.langchain_limit)
            lc_wall = lc.get("extrapolated_wall_s", lc["wall_s"])
            lc["ratio_vs_ours"] = round(lc_wall / results["index"]["wall_s"], 2)
            results["langchain_stock"] = lc
            print("langchain stock:", lc, flush=True)

    retriever = HybridRetriever(IndexHandle(settings.index_root, embedder), embedder, settings)
    report_qs = question_sets(docs, args.questions, seed=2026)
    if args.sweep:
        tune_qs = question_sets(
            docs, args.questions, seed=7, exclude={next(iter(r)) for _, r in report_qs}
        )
        sweep = {}
        for fusion, weight in [
            ("rrf", 0.5),
            ("weighted_rrf", 0.7),
            ("weighted_rrf", 0.8),
            ("convex", 0.5),
            ("convex", 0.6),
            ("convex", 0.7),
            ("convex", 0.8),
            ("convex", 0.9),
        ]:
            retriever.settings = settings.model_copy(
                update={"fusion": fusion, "dense_weight": weight}
            )
            sweep[f"{fusion}@{weight}"] = evaluate(retriever, tune_qs, ("hybrid",))["hybrid"]
            print("sweep", fusion, weight, sweep[f"{fusion}@{weight}"], flush=True)
        results["fusion_sweep_on_tuning_sample"] = sweep
        retriever.settings = settings
    results["latency_ms"] = latency(retriever, [q for q, _ in report_qs[: args.latency_queries]])
    print("latency:", results["latency_ms"], flush=True)
    results["quality"] = {"questions": len(report_qs), **evaluate(retriever, report_qs, MODES)}
    print("quality:", json.dumps(results["quality"], indent=1), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
