"""Opens the published index after verifying its manifest, checksums and embedding model."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from careexplain.errors import IndexNotFoundError
from careexplain.index import layout
from careexplain.index.bm25 import BM25Index
from careexplain.index.embeddings import Embedder
from careexplain.index.faiss_index import load_faiss
from careexplain.index.manifest import Manifest
from careexplain.index.store import ChunkStore
from careexplain.index.writer import STORE_FILE


@dataclass
class LoadedIndex:
    """Everything a search needs, loaded into memory once."""

    folder: Path
    manifest: Manifest
    faiss: Any
    bm25: BM25Index
    store: ChunkStore

    @property
    def build_id(self) -> str:
        return self.manifest.build_id

    def close(self) -> None:
        self.store.close()


def open_index(root: Path, embedder: Embedder) -> LoadedIndex:
    """Load the current build: E101 if none, E102 if corrupted, E103 if built by another model."""
    folder = layout.current_build(root)
    if folder is None:
        raise IndexNotFoundError(
            f"No index has been built in {root}. Build one with: careexplain ingest "
            "knowledge_base/guidance"
        )
    manifest = Manifest.read(folder)
    manifest.verify_files(folder)
    manifest.verify_embedding(embedder.name, embedder.digest)
    return LoadedIndex(
        folder=folder,
        manifest=manifest,
        faiss=load_faiss(folder),
        bm25=BM25Index.load(folder),
        store=ChunkStore(folder / STORE_FILE, readonly=True),
    )


class IndexHandle:
    """Serves the newest published build: a finished ingest is picked up without a restart."""

    def __init__(self, root: Path, embedder: Embedder) -> None:
        self.root = root
        self.embedder = embedder
        self._lock = threading.Lock()
        self._index: LoadedIndex | None = None

    def get(self) -> LoadedIndex:
        current_id = layout.current_build_id(self.root)
        index = self._index
        if index is not None and index.build_id == current_id:
            return index
        with self._lock:
            if self._index is None or self._index.build_id != layout.current_build_id(self.root):
                fresh = open_index(self.root, self.embedder)
                old, self._index = self._index, fresh
                # Old stores stay open: a request in flight may still read from them.
                del old
            return self._index
