"""The one retriever: dense (FAISS) and lexical (BM25) candidates, fused, capped per document."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from careexplain.errors import EmptyInputError
from careexplain.index.embeddings import Embedder
from careexplain.index.faiss_index import dense_search
from careexplain.index.reader import IndexHandle, LoadedIndex
from careexplain.retrieve.fusion import convex_fusion, reciprocal_rank_fusion
from careexplain.retrieve.models import Mode, RetrievedChunk, SearchFilters
from careexplain.settings import Settings


class HybridRetriever:
    """Search the current index; safe to share between threads."""

    def __init__(self, handle: IndexHandle, embedder: Embedder, settings: Settings) -> None:
        self.handle = handle
        self.embedder = embedder
        self.settings = settings

    def search(
        self,
        query: str,
        k: int | None = None,
        *,
        mode: Mode = "hybrid",
        filters: SearchFilters | None = None,
        max_per_doc: int | None = None,
    ) -> list[RetrievedChunk]:
        """The best ``k`` chunks for ``query``, at most ``max_per_doc`` from one document."""
        query = " ".join(query.split())
        if not query:
            raise EmptyInputError("The query is empty: type a question or some words to search.")
        k = k or self.settings.default_k
        cap = max_per_doc or self.settings.max_chunks_per_doc
        index = self.handle.get()
        allowed = None
        if filters is not None and not filters.is_empty():
            allowed = index.store.matching_chunk_ids(
                language=filters.language,
                publisher=filters.source,
                icd10=filters.icd10,
                doc_ids=filters.doc_ids,
            )
        pool = max(self.settings.candidate_pool, k * cap * 2)
        scores, dense, lexical = self._score(index, query, pool, mode, allowed)
        ranked = sorted(scores, key=lambda cid: (-scores[cid], cid))
        chunks = index.store.get_chunks(ranked[: pool * 2])
        per_doc: dict[str, int] = defaultdict(int)
        hits: list[RetrievedChunk] = []
        for cid in ranked:
            chunk = chunks.get(cid)
            if chunk is None or per_doc[chunk.doc_id] >= cap:
                continue
            per_doc[chunk.doc_id] += 1
            hits.append(
                RetrievedChunk(
                    chunk=chunk,
                    score=float(scores[cid]),
                    dense_score=dense.get(cid),
                    bm25_score=lexical.get(cid),
                )
            )
            if len(hits) == k:
                break
        return hits

    def _score(
        self, index: LoadedIndex, query: str, pool: int, mode: Mode, allowed: np.ndarray | None
    ) -> tuple[dict[int, float], dict[int, float], dict[int, float]]:
        dense: dict[int, float] = {}
        lexical: dict[int, float] = {}
        qvec = None
        if mode in ("dense", "hybrid"):
            qvec = self.embedder.encode_query(query)
            ids, sims = dense_search(index.faiss, qvec, pool, allowed)
            dense = dict(zip(ids.tolist(), sims.tolist(), strict=True))
        if mode in ("bm25", "hybrid"):
            ids, bm = index.bm25.search(query, pool, allowed)
            lexical = dict(zip(ids.tolist(), bm.tolist(), strict=True))
        if mode == "dense":
            return dense, dense, lexical
        if mode == "bm25":
            return lexical, dense, lexical
        fusion = self.settings.fusion
        if fusion == "convex":
            missing = [cid for cid in lexical if cid not in dense]
            if missing and qvec is not None:
                # Exact dense scores for lexical-only hits, so fusion compares like with like.
                vecs = index.faiss.reconstruct_batch(np.asarray(missing, dtype=np.int64))
                dense.update(zip(missing, (vecs @ qvec[0]).tolist(), strict=True))
            return convex_fusion(dense, lexical, self.settings.dense_weight), dense, lexical
        rank_d = sorted(dense, key=lambda c: -dense[c])
        rank_l = sorted(lexical, key=lambda c: -lexical[c])
        weights = (
            [self.settings.dense_weight, 1.0 - self.settings.dense_weight]
            if fusion == "weighted_rrf"
            else [1.0, 1.0]
        )
        return (
            reciprocal_rank_fusion([rank_d, rank_l], self.settings.rrf_k, weights),
            dense,
            lexical,
        )
