"""What the app loads once at start-up and shares between requests."""

from __future__ import annotations

from dataclasses import dataclass

from careexplain.index.embeddings import Embedder
from careexplain.index.reader import IndexHandle
from careexplain.retrieve.hybrid import HybridRetriever
from careexplain.settings import Settings


@dataclass
class AppState:
    settings: Settings
    embedder: Embedder
    index: IndexHandle
    retriever: HybridRetriever

    @classmethod
    def load(cls, settings: Settings) -> AppState:
        embedder = Embedder(
            settings.embedding_model,
            settings.embedding_dtype,
            settings.embedding_batch_size,
            settings.torch_threads,
        )
        handle = IndexHandle(settings.index_root, embedder)
        return cls(settings, embedder, handle, HybridRetriever(handle, embedder, settings))

    def warm_up(self) -> None:
        """Load the model and index now, so the first request is not the slow one."""
        self.embedder.encode_query("warm up")
        self.index.get()
