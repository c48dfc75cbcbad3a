"""Lexical search with bm25s (stemmed English), saved as plain arrays, never pickles."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import bm25s
import numpy as np
import Stemmer

from careexplain.errors import IndexCorruptedError

BM25_DIR = "bm25"
BM25_IDS = "bm25_ids.npy"
_STEMMER = Stemmer.Stemmer("english")


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    """Lower-cased, stop-worded, stemmed tokens: the same for corpus and queries."""
    out = bm25s.tokenize(
        list(texts), stopwords="en", stemmer=_STEMMER, return_ids=False, show_progress=False
    )
    return [list(tokens) for tokens in out]


class BM25Index:
    """bm25s retriever plus the chunk id of each corpus row."""

    def __init__(self, retriever: Any, ids: np.ndarray) -> None:
        self.retriever = retriever
        self.ids = ids
        self._row_of = {int(c): i for i, c in enumerate(ids)}

    @classmethod
    def build(cls, ids: np.ndarray, texts: Sequence[str]) -> BM25Index:
        retriever = bm25s.BM25(k1=1.2, b=0.75)
        if len(texts):
            retriever.index(tokenize(texts), show_progress=False)
        return cls(retriever, ids)

    def save(self, folder: Path) -> None:
        if len(self.ids):
            self.retriever.save(str(folder / BM25_DIR), show_progress=False)
        else:
            (folder / BM25_DIR).mkdir()
        np.save(folder / BM25_IDS, self.ids, allow_pickle=False)

    @classmethod
    def load(cls, folder: Path) -> BM25Index:
        try:
            ids = np.load(folder / BM25_IDS, allow_pickle=False)
            if len(ids) == 0:
                return cls(bm25s.BM25(), ids)
            retriever = bm25s.BM25.load(str(folder / BM25_DIR), show_progress=False)
        except (OSError, ValueError) as exc:
            raise IndexCorruptedError(
                f"The BM25 index in {folder} could not be read ({exc}). "
                "Rebuild: careexplain ingest."
            ) from exc
        return cls(retriever, ids)

    def info(self) -> dict[str, Any]:
        return {
            "library": f"bm25s {bm25s.__version__}",
            "stemmer": "english (PyStemmer)",
            "k1": 1.2,
            "b": 0.75,
        }

    def search(
        self, query: str, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (chunk ids, scores) with a positive score."""
        n = len(self.ids)
        tokens = tokenize([query])
        if n == 0 or not tokens[0]:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        mask = None
        if allowed is not None:
            mask = np.zeros(n, dtype=np.float32)
            rows = [self._row_of[int(c)] for c in allowed if int(c) in self._row_of]
            if not rows:
                return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
            mask[rows] = 1.0
        rows_out, scores = self.retriever.retrieve(
            tokens, k=min(k, n), show_progress=False, weight_mask=mask, n_threads=1
        )
        rows_out, scores = rows_out[0], scores[0]
        keep = scores > 0
        return self.ids[rows_out[keep]], scores[keep]
