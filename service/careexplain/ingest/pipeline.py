"""Ingest: read documents, skip the unchanged, chunk and embed the rest, publish a new index."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from pydantic import BaseModel

from careexplain.documents import Document
from careexplain.errors import EmptyInputError, UnknownDocumentError
from careexplain.index import layout
from careexplain.index.embeddings import Embedder
from careexplain.index.manifest import Manifest
from careexplain.index.writer import IndexWriter
from careexplain.ingest.chunking import SectionChunker
from careexplain.ingest.formats import read_documents
from careexplain.settings import Settings

# Called with (stage, done, total); lets the CLI draw a progress bar without this module knowing.
ProgressFn = Callable[[str, int, int], None]


class IngestReport(BaseModel):
    """What one ingest or delete did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    chunks_embedded: int = 0
    documents_total: int = 0
    chunks_total: int = 0
    build_id: str = ""
    seconds: float = 0.0


def make_chunker(settings: Settings, embedder: Embedder) -> SectionChunker:
    return SectionChunker(
        embedder.count_tokens, settings.chunk_tokens, settings.chunk_overlap_tokens
    )


def _writer(settings: Settings, embedder: Embedder) -> IndexWriter:
    return IndexWriter(
        settings.index_root,
        embedder,
        faiss_kind=settings.faiss_index_type,
        hnsw_m=settings.hnsw_m,
    )


def ingest_documents(
    docs: Sequence[Document],
    settings: Settings,
    embedder: Embedder,
    *,
    prune_under: Path | None = None,
    progress: ProgressFn | None = None,
) -> IngestReport:
    """Add or replace ``docs`` in the index; with ``prune_under``, drop documents from that
    path that are no longer present."""
    started = time.perf_counter()
    report = IngestReport()
    chunker = make_chunker(settings, embedder)
    with _writer(settings, embedder) as writer:
        known = writer.store.document_hashes()
        todo: list[Document] = []
        for doc in docs:
            old = known.get(doc.doc_id)
            if old == doc.content_hash():
                report.unchanged += 1
                continue
            if old is None:
                report.added += 1
            else:
                report.updated += 1
            todo.append(doc)
        stale = [d.doc_id for d in todo if d.doc_id in known]
        if prune_under is not None:
            present = {d.doc_id for d in docs}
            scope = str(prune_under.resolve())
            stale += [
                doc_id
                for doc_id, origin in writer.store.document_origins().items()
                if doc_id not in present and str(Path(origin).resolve()).startswith(scope)
            ]
            report.deleted = len(stale) - report.updated
        if stale:
            writer.store.delete_documents(stale)
            writer.changed = True
        if todo:
            if progress:
                progress("chunking", 0, len(todo))
            chunks = chunker.chunk_documents(todo)
            texts = [c.embedding_text() for per_doc in chunks for c in per_doc]
            total = len(texts)
            done = 0

            def tick(n: int) -> None:
                nonlocal done
                done += n
                if progress:
                    progress("embedding", done, total)

            if progress:
                progress("embedding", 0, total)
            vectors = embedder.encode(texts, progress=tick)
            writer.store.add_documents(todo, chunks, vectors)
            writer.changed = True
            report.chunks_embedded = total
        if progress and writer.changed:
            progress("indexing", 0, 1)
        report.build_id = writer.commit(chunker.settings())
    report.documents_total, report.chunks_total = published_counts(settings)
    report.seconds = round(time.perf_counter() - started, 2)
    return report


def published_counts(settings: Settings) -> tuple[int, int]:
    """(documents, chunks) in the published index, from its manifest."""
    current = layout.current_build(settings.index_root)
    if current is None:
        return 0, 0
    manifest = Manifest.read(current)
    return manifest.documents, manifest.chunks


def ingest_path(
    path: Path,
    settings: Settings,
    embedder: Embedder,
    *,
    fmt: str | None = None,
    prune: bool = False,
    progress: ProgressFn | None = None,
) -> IngestReport:
    """Ingest every document under ``path`` (a file or folder)."""
    docs = list(read_documents(path, fmt))
    if not docs:
        raise EmptyInputError(f"No documents found under {path}.")
    return ingest_documents(
        docs, settings, embedder, prune_under=path if prune else None, progress=progress
    )


def delete_documents(
    doc_ids: Sequence[str], settings: Settings, embedder: Embedder
) -> IngestReport:
    """Remove documents (and their chunks) from the index."""
    started = time.perf_counter()
    report = IngestReport()
    with _writer(settings, embedder) as writer:
        known = writer.store.document_hashes()
        missing = [d for d in doc_ids if d not in known]
        if missing:
            raise UnknownDocumentError(
                f"Not in the index: {', '.join(missing[:5])}. List documents with: "
                "careexplain index info"
            )
        report.deleted = writer.store.delete_documents(doc_ids)
        writer.changed = True
        report.build_id = writer.commit(make_chunker(settings, embedder).settings())
    report.documents_total, report.chunks_total = published_counts(settings)
    report.seconds = round(time.perf_counter() - started, 2)
    return report
