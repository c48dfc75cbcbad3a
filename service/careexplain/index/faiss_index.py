"""Dense vector search with FAISS: inner product over unit vectors, stable integer ids."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import faiss
import numpy as np

from careexplain.errors import IndexCorruptedError
from careexplain.index.embeddings import Vectors

FAISS_FILE = "faiss.index"


def build_faiss(ids: np.ndarray, vectors: Vectors, kind: str = "flat", hnsw_m: int = 32) -> Any:
    """An ``IndexIDMap2`` whose ids are chunk ids, so ids survive every rebuild."""
    dim = vectors.shape[1]
    base: Any
    if kind == "hnsw":
        base = faiss.IndexHNSWFlat(dim, hnsw_m, faiss.METRIC_INNER_PRODUCT)
        base.hnsw.efConstruction = 80
        base.hnsw.efSearch = 128
    else:
        base = faiss.IndexFlatIP(dim)
    index = faiss.IndexIDMap2(base)
    if len(ids):
        index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids.astype(np.int64))
    return index


def save_faiss(index: Any, folder: Path) -> None:
    faiss.write_index(index, str(folder / FAISS_FILE))


def load_faiss(folder: Path) -> Any:
    try:
        return faiss.read_index(str(folder / FAISS_FILE))
    except RuntimeError as exc:
        raise IndexCorruptedError(
            f"{folder / FAISS_FILE} could not be read by FAISS. Rebuild: careexplain ingest."
        ) from exc


def faiss_info(index: Any, kind: str, hnsw_m: int) -> dict[str, Any]:
    info: dict[str, Any] = {"type": kind, "metric": "inner_product", "ntotal": int(index.ntotal)}
    if kind == "hnsw":
        info["hnsw_m"] = hnsw_m
    return info


def dense_search(
    index: Any, query: Vectors, k: int, allowed: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Top-k (ids, scores) for one query; ``allowed`` restricts the search to those chunk ids."""
    k = min(k, int(index.ntotal))
    if k <= 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
    params = None
    if allowed is not None:
        if len(allowed) == 0:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        selector = faiss.IDSelectorBatch(allowed.astype(np.int64))
        params = faiss.SearchParameters(sel=selector)  # type: ignore[call-arg]
    scores, ids = index.search(np.ascontiguousarray(query, dtype=np.float32), k, params=params)
    keep = ids[0] >= 0
    return ids[0][keep], scores[0][keep]
