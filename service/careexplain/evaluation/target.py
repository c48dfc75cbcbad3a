"""What the suites talk to: the in-process app over real HTTP, or a deployed service by URL.

Both are an ``httpx.Client``, so every suite exercises the same public API either way. Indexes
the suites need (bundled guidance, a MedQuAD sample, the RQE FAQs, a poisoned copy) are built
once under ``DATA_DIR/eval/indexes/<name>-<key>`` and reused while their inputs are unchanged.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import threading
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

from careexplain.api.app import create_app
from careexplain.api.state import AppState
from careexplain.documents import Document
from careexplain.generate.backends.base import ChatMessage, GenerationParams, Generator
from careexplain.generate.registry import load_generator
from careexplain.index import layout
from careexplain.index.embeddings import Embedder
from careexplain.index.manifest import Manifest
from careexplain.index.reader import IndexHandle
from careexplain.ingest.formats import read_documents
from careexplain.ingest.pipeline import ingest_documents
from careexplain.retrieve.hybrid import HybridRetriever
from careexplain.settings import Settings

log = logging.getLogger(__name__)
DEPLOYED = "deployed"
# Starlette's TestClient is built on its own httpx copy: both speak the same client API.
HttpClient = httpx.Client | TestClient


class UnavailableError(Exception):
    """A suite or dataset that cannot run here (the reason is reported, not raised)."""


class LazyGenerator:
    """The configured generator, shared by every in-process app and loaded on first use:
    a run without answers never loads a model."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.name = settings.generator_model
        self.loaded: Generator | None = None
        self._lock = threading.Lock()

    def _get(self) -> Generator:
        with self._lock:
            if self.loaded is None:
                self.loaded = load_generator(self.settings)
                self.name = self.loaded.name
            return self.loaded

    def stream(self, messages: Sequence[ChatMessage], params: GenerationParams) -> Iterator[str]:
        return self._get().stream(messages, params)

    def info(self) -> dict[str, Any]:
        return self.loaded.info() if self.loaded else {"name": self.name, "loaded": False}


class Workspace:
    """Builds and caches targets; ``close()`` shuts every in-process app down."""

    def __init__(self, settings: Settings, embedder: Embedder, base_url: str | None = None) -> None:
        self.settings = settings
        self.embedder = embedder
        self.base_url = base_url.rstrip("/") if base_url else None
        self.root = settings.data_dir / "eval"
        self._stack = ExitStack()
        self._clients: dict[str, HttpClient] = {}
        self._states: list[AppState] = []
        self.manifests: dict[str, dict[str, Any]] = {}
        self.generator = LazyGenerator(settings)
        self._index_roots: dict[str, Path] = {}

    @property
    def remote(self) -> bool:
        return self.base_url is not None

    def deployed(self) -> HttpClient:
        """The service under test: the deployed URL, or the bundled guidance in process."""
        if DEPLOYED in self._clients:
            return self._clients[DEPLOYED]
        if self.base_url is not None:
            client: HttpClient = self._stack.enter_context(
                httpx.Client(base_url=self.base_url, timeout=600)
            )
            self._clients[DEPLOYED] = client
            return client
        docs = list(read_documents(self.settings.guidance_dir, None))
        return self._in_process(DEPLOYED, docs)

    def require_local(self, name: str) -> None:
        """Refuse (as unavailable) what needs an index of its own when the target is a URL."""
        if self.base_url is not None:
            raise UnavailableError(
                f"{name} needs its own index: run in-process (without --base-url)"
            )

    def custom(self, name: str, docs: list[Document], seed: str | None = None) -> HttpClient:
        """An in-process app over an index of ``docs`` (not possible against a URL).

        ``seed``: start from a copy of that target's index, so only the documents that
        differ are embedded (a planted document next to the bundled guidance).
        """
        self.require_local(name)
        return self._in_process(name, docs, seed)

    def _in_process(self, name: str, docs: list[Document], seed: str | None = None) -> HttpClient:
        key = _docs_key(docs, self.settings)
        folder = self.root / "indexes" / f"{name}-{key}"
        settings = self.settings.model_copy(
            update={"data_dir": folder, "models_cache": self.settings.models_dir}
        )
        if layout.current_build(settings.index_root) is None:
            source = self._index_roots.get(seed or "")
            if source is not None and not settings.index_root.exists():
                # The ``current`` pointer is relative: the copy serves its own builds.
                shutil.copytree(source, settings.index_root, symlinks=True)
            log.info("building evaluation index %s (%d documents)", name, len(docs))
            ingest_documents(docs, settings, self.embedder)
        self._index_roots[name] = settings.index_root
        current = layout.current_build(settings.index_root)
        if current is not None:
            manifest = Manifest.read(current)
            self.manifests[name] = manifest.model_dump(
                include={"build_id", "documents", "chunks", "embedding", "chunker", "faiss"}
            )
        handle = IndexHandle(settings.index_root, self.embedder)
        state = AppState(
            settings, self.embedder, handle, HybridRetriever(handle, self.embedder, settings)
        )
        state.use_generator(self.generator)
        self._states.append(state)
        client = self._stack.enter_context(TestClient(create_app(settings, state)))
        self._clients[name] = client
        return client

    def close(self) -> None:
        self._stack.close()


def _docs_key(docs: list[Document], settings: Settings) -> str:
    digest = hashlib.sha256()
    for doc in sorted(docs, key=lambda d: d.doc_id):
        digest.update(doc.doc_id.encode())
        digest.update(doc.content_hash().encode())
    relevant = {
        k: str(getattr(settings, k))
        for k in (
            "embedding_model",
            "embedding_dtype",
            "chunk_tokens",
            "chunk_overlap_tokens",
            "faiss_index_type",
            "hnsw_m",
        )
    }
    digest.update(json.dumps(relevant, sort_keys=True).encode())
    return digest.hexdigest()[:12]
