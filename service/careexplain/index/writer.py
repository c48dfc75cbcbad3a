"""Builds a new index version aside and publishes it atomically; the old one serves until then."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import shutil
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from careexplain.errors import IndexLockedError
from careexplain.index import layout
from careexplain.index.bm25 import BM25Index
from careexplain.index.embeddings import Embedder
from careexplain.index.faiss_index import build_faiss, faiss_info, save_faiss
from careexplain.index.manifest import EmbeddingInfo, Manifest, checksum_folder
from careexplain.index.store import ChunkStore

STORE_FILE = "chunks.sqlite"


class IndexWriter:
    """One ingest transaction: copy the current store, change it, derive FAISS + BM25, publish.

    Only one writer runs at a time (an flock on the index root). If anything fails before
    :meth:`commit` finishes, the half-built folder is removed and ``current`` is untouched.
    """

    def __init__(
        self, root: Path, embedder: Embedder, *, faiss_kind: str = "flat", hnsw_m: int = 32
    ) -> None:
        self.root = root
        self.embedder = embedder
        self.faiss_kind = faiss_kind
        self.hnsw_m = hnsw_m
        self.build_id = layout.new_build_id()
        self.folder = root / layout.BUILDS / f"{self.build_id}{layout.PARTIAL_SUFFIX}"
        self.changed = False
        self._lock_fd: int | None = None
        self.store: ChunkStore

    def __enter__(self) -> Self:
        (self.root / layout.BUILDS).mkdir(parents=True, exist_ok=True)
        self._lock_fd = os.open(self.root / layout.LOCK_FILE, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            os.close(self._lock_fd)
            self._lock_fd = None
            raise IndexLockedError(
                f"Another ingest is writing the index at {self.root}. Wait for it to finish."
            ) from exc
        layout.prune_builds(self.root)
        self.folder.mkdir()
        current = layout.current_build(self.root)
        if current is not None and (current / STORE_FILE).exists():
            source = ChunkStore(current / STORE_FILE, readonly=True)
            source.backup_to(self.folder / STORE_FILE)
            source.close()
        self.store = ChunkStore(self.folder / STORE_FILE)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.store.close()
        if self.folder.exists() and self.folder.name.endswith(layout.PARTIAL_SUFFIX):
            shutil.rmtree(self.folder, ignore_errors=True)
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)

    def commit(self, chunker_settings: dict[str, Any]) -> str:
        """Derive FAISS and BM25 from the store, write the manifest and publish the build."""
        if not self.changed and layout.current_build(self.root) is not None:
            return layout.current_build_id(self.root) or ""
        dim = self.embedder.dimension
        ids, vectors = self.store.all_embeddings(dim)
        texts = [c.embedding_text() for c in self.store.iter_chunks()]
        index = build_faiss(ids, vectors, self.faiss_kind, self.hnsw_m)
        save_faiss(index, self.folder)
        bm25 = BM25Index.build(ids, texts)
        bm25.save(self.folder)
        manifest = Manifest(
            build_id=self.build_id,
            created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            embedding=EmbeddingInfo(
                name=self.embedder.name,
                digest=self.embedder.digest,
                dimension=dim,
                dtype=self.embedder.dtype,
                max_seq_length=self.embedder.max_seq_length,
            ),
            chunker=chunker_settings,
            faiss=faiss_info(index, self.faiss_kind, self.hnsw_m),
            bm25=bm25.info(),
            documents=self.store.count_documents(),
            chunks=len(ids),
            files=checksum_folder(self.folder),
        )
        manifest.write(self.folder)
        self.store.close()
        for path in self.folder.rglob("*"):
            if path.is_file():
                with path.open("rb") as fh:
                    os.fsync(fh.fileno())
        final = self.folder.with_name(self.build_id)
        os.rename(self.folder, final)
        self.folder = final
        layout.publish(self.root, final)
        layout.prune_builds(self.root)
        return self.build_id
